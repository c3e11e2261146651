import { z } from 'zod';

/**
 * `GET /device/v1/me/schedule?from&to`: the meetings of the device's room, with everything the
 * device needs to join on its own — also from its offline cache when the server is unreachable.
 * Served with an ETag; `If-None-Match` answers 304 when nothing changed.
 */
export const ScheduleQuery = z
  .object({
    /** Default: 1 hour ago. */
    from: z.iso.datetime({ offset: true }).optional(),
    /** Default: 7 days after `from`; at most 62 days after it. */
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['to'] });

export const ScheduledMeeting = z.object({
  meetingUuid: z.string(),
  /** Null when the room hides subjects (privacy). */
  subject: z.string().nullable(),
  /** ISO-8601 UTC. */
  startTime: z.string(),
  endTime: z.string(),
  /** The VMR address to dial (`uriWithDomain`). */
  alias: z.string(),
  /** The room's role in the meeting; it decides the PIN. */
  role: z.enum(['host', 'guest']),
  /** Host PIN for a host room, guest PIN for a guest room; null when none is needed. */
  pin: z.string().nullable(),
  /** Base URL of the conference node the alias lives on (Pexip client API v2). */
  conferenceNodeUrl: z.string(),
  /** Leave the call at `endTime`. */
  endMeetingOnEndTime: z.boolean(),
});
export type ScheduledMeeting = z.infer<typeof ScheduledMeeting>;

export const DeviceSchedule = z.object({
  roomId: z.string(),
  from: z.string(),
  to: z.string(),
  meetings: z.array(ScheduledMeeting),
});
export type DeviceSchedule = z.infer<typeof DeviceSchedule>;
