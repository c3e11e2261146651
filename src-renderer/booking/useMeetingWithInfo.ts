import type { BookingApi } from './booking-api';
import { useLoad } from '../ui/useLoad';

/** One meeting and its scheduling info (address, PINs, provision status), read together. */
export function useMeetingWithInfo(api: BookingApi, uuid: string) {
  return useLoad(async () => {
    const [meeting, info] = await Promise.all([api.meeting(uuid), api.schedulingInfo(uuid)]);
    return { meeting, info };
  }, [api, uuid]);
}
