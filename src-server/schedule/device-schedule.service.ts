import { createHash } from 'node:crypto';
import type { DeviceEvent } from '../../src-shared/devices/events.schema';
import type { Clock } from '../../src-shared/platform/clock';
import type { DeviceSchedule, ScheduledMeeting } from '../../src-shared/schedule/device-schedule.contract';
import type { AppointmentsService } from '../appointments/appointments.service';
import type { RoomDirectory } from '../appointments/meeting-source';
import type { DomainEventBus } from '../events/domain-events';
import { badRequest, notFound } from '../http/errors';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** Longest window one request may ask for (keeps the answer and its query bounded). */
const MAX_WINDOW_MS = 62 * DAY;

/** How schedule pushes reach devices (the devices capability's DeviceEventHub). */
export interface RoomEventPublisher {
  publishToRoom(roomId: string, event: DeviceEvent): string;
}

/**
 * The device's view of its room's meetings, and the push that tells devices to refetch it.
 * The schedule carries the PIN of the room's role and the conference node URL, so a device can
 * join by itself — and from its cache when the server is unreachable.
 */
export class DeviceScheduleService {
  constructor(
    private readonly deps: {
      clock: Clock;
      appointments: Pick<AppointmentsService, 'roomAppointments' | 'roomsOfMeeting'>;
      rooms: RoomDirectory;
      /** Base URL of the conference node devices join on. */
      conferenceNodeUrl: string;
    },
  ) {}

  async schedule(roomId: string, window: { from?: string; to?: string }): Promise<DeviceSchedule> {
    const room = await this.deps.rooms.room(roomId);
    if (!room) throw notFound('room_not_found', 'The device has no room');
    const from = window.from ? new Date(window.from) : new Date(this.deps.clock.now().getTime() - HOUR);
    const to = window.to ? new Date(window.to) : new Date(from.getTime() + 7 * DAY);
    if (to.getTime() - from.getTime() > MAX_WINDOW_MS) {
      throw badRequest('window_too_large', 'A schedule window may span at most 62 days', { maxDays: 62 });
    }
    const items = await this.deps.appointments.roomAppointments(roomId, from, to);
    const meetings: ScheduledMeeting[] = items.map(({ meeting, role }) => ({
      meetingUuid: meeting.uuid,
      subject: room.showSubjects ? meeting.subject : null,
      startTime: meeting.startTime,
      endTime: meeting.endTime,
      alias: meeting.alias,
      role,
      pin: role === 'host' ? meeting.hostPin : meeting.guestPin,
      conferenceNodeUrl: this.deps.conferenceNodeUrl,
      endMeetingOnEndTime: meeting.endMeetingOnEndTime,
    }));
    return { roomId, from: from.toISOString(), to: to.toISOString(), meetings };
  }

  /**
   * Subscribes to the facts that change schedules and pushes `schedule_changed` to the devices of
   * every affected room. Returns the unsubscribe function.
   */
  pushChanges(events: DomainEventBus, hub: RoomEventPublisher): () => void {
    const push = (roomIds: Iterable<string>, meetingUuid?: string) => {
      const at = this.deps.clock.now().toISOString();
      for (const roomId of new Set(roomIds)) {
        hub.publishToRoom(roomId, { type: 'schedule_changed', data: { ...(meetingUuid ? { meetingUuid } : {}), at } });
      }
    };
    const offs = [
      events.on('meeting.changed', async ({ meetingUuid, change }) => {
        // Why: a meeting announced as just created has no appointments yet (nobody knew its uuid),
        // so there is no room to tell — skip the query on the busiest booking path.
        if (change === 'created') return;
        push(await this.deps.appointments.roomsOfMeeting(meetingUuid), meetingUuid);
      }),
      events.on('appointment.changed', ({ meetingUuid, roomIds }) => push(roomIds, meetingUuid)),
      // The privacy flag (showSubjects) changes what the schedule shows.
      events.on('room.changed', ({ roomId }) => push([roomId])),
    ];
    return () => offs.forEach((off) => off());
  }
}

/**
 * A weak validator (RFC 9110 §8.8.3) over the room and its meetings only: the default window
 * slides with the clock, and a moved window with the same meetings is no news to the device.
 */
export function scheduleEtag(schedule: DeviceSchedule): string {
  const digest = createHash('sha256').update(JSON.stringify([schedule.roomId, schedule.meetings])).digest('base64url');
  return `W/"${digest.slice(0, 27)}"`;
}
