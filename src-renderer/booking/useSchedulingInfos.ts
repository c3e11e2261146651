import { useEffect, useRef, useState } from 'react';
import type { BookingApi, SchedulingInfo } from './booking-api';

/** At most this many scheduling-info reads at once (a browser opens about six connections per host). */
const PARALLEL = 6;

export type InfoState = SchedulingInfo | 'failed' | undefined;

/**
 * The scheduling infos (address, PINs, status) of the listed meetings. The VDX API lists meetings
 * without them, so each is read by the meeting's uuid — a few at a time, the first listed first,
 * each shown as soon as it arrives, and kept while the page lives (an address never changes).
 */
export function useSchedulingInfos(api: BookingApi, uuids: readonly string[]): ReadonlyMap<string, InfoState> {
  const cache = useRef(new Map<string, SchedulingInfo | 'failed'>());
  const [, setVersion] = useState(0);
  const key = uuids.join(',');

  useEffect(() => {
    let alive = true;
    const queue = uuids.filter((u) => !cache.current.has(u));
    const worker = async () => {
      for (let uuid = queue.shift(); uuid !== undefined && alive; uuid = queue.shift()) {
        const info = await api.schedulingInfo(uuid).catch(() => 'failed' as const);
        if (!alive) return;
        cache.current.set(uuid, info);
        setVersion((v) => v + 1);
      }
    };
    for (let i = 0; i < Math.min(PARALLEL, queue.length); i++) void worker();
    return () => {
      alive = false;
    };
    // `key` stands for `uuids` (a new array on every render).
  }, [api, key]);

  const result = new Map<string, InfoState>();
  for (const u of uuids) result.set(u, cache.current.get(u));
  return result;
}
