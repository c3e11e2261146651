import type { SchedulingInfoService } from '../booking/scheduling-info.service';
import type { Store } from '../db/database';
import type { BookedMeetingView, MeetingSource } from './meeting-source';

/**
 * Reads meetings through the booking service's in-process API. The time-window filter reads the
 * booking table's uuid/start/end columns directly (one indexed query instead of loading every
 * meeting a room ever had); everything else comes from `bookedByUuid`.
 */
export class BookingMeetingSource implements MeetingSource {
  constructor(
    private readonly booking: Pick<SchedulingInfoService, 'bookedByUuid'>,
    private readonly store: Store,
  ) {}

  async meeting(uuid: string): Promise<BookedMeetingView | undefined> {
    const booked = await this.booking.bookedByUuid(uuid);
    const m = booked?.meeting;
    if (!booked || !m || m.uuid !== uuid) return undefined;
    const info = booked.schedulingInfo;
    return {
      uuid: m.uuid,
      organisationCode: info.organizationId,
      subject: m.subject,
      startTime: new Date(m.startTime).toISOString(),
      endTime: new Date(m.endTime).toISOString(),
      alias: info.uriWithDomain,
      hostPin: info.hostPin === null ? null : String(info.hostPin),
      guestPin: info.guestPin === null ? null : String(info.guestPin),
      endMeetingOnEndTime: info.endMeetingOnEndTime,
      joinUrl: info.portalLink,
    };
  }

  async meetingsBetween(uuids: string[], from: Date, to: Date): Promise<BookedMeetingView[]> {
    if (uuids.length === 0) return [];
    const rows = await this.store.db
      .selectFrom('booking_meetings')
      .select('uuid')
      .where('uuid', 'in', uuids)
      .where('end_time', '>', from.toISOString())
      .where('start_time', '<', to.toISOString())
      .orderBy('start_time')
      .execute();
    const views = await Promise.all(rows.map((r) => this.meeting(r.uuid)));
    return views.filter((v): v is BookedMeetingView => v !== undefined);
  }
}
