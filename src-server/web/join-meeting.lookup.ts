import type { Clock } from '../../src-shared/platform/clock';
import type { Store } from '../db/database';
import type { JoinMeetingLookup } from './web.routes';

/**
 * The guest page's meeting lookup over the booking tables: a meeting by its `shortId` with the VMR
 * alias it is provisioned on. Reads only what a guest may see — never the PINs themselves, only
 * whether a guest PIN will be asked for.
 */
export function bookingJoinMeetingLookup(store: Store, clock: Clock): JoinMeetingLookup {
  return async (shortId) => {
    const row = await store.db
      .selectFrom('booking_meetings as m')
      .innerJoin('booking_scheduling_infos as s', 's.meeting_uuid', 'm.uuid')
      .select(['m.subject', 'm.start_time', 'm.end_time', 'm.guest_pin_required', 's.uri_with_domain', 's.guest_pin', 's.vmr_available_before'])
      .where('m.short_id', '=', shortId)
      .executeTakeFirst();
    if (!row) return undefined;
    const start = new Date(row.start_time);
    return {
      alias: row.uri_with_domain,
      subject: row.subject || undefined,
      startTime: start.toISOString(),
      endTime: new Date(row.end_time).toISOString(),
      guestPinRequired: row.guest_pin_required === 1 && row.guest_pin !== null,
      // The same instant the conference node opens the room at (bookedRoom's availableFrom).
      opensAt: new Date(start.getTime() - row.vmr_available_before * 60_000).toISOString(),
      serverTime: clock.now().toISOString(),
    };
  };
}
