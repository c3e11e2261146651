import { z } from 'zod';
import { CommandType } from './commands.schema';
import { EntityId, Timestamp } from './common.schema';

/**
 * The device event stream, `GET /device/v1/me/events` (text/event-stream).
 *
 * Each event is written as `id: <n>\nevent: <type>\ndata: <JSON of data>\n\n`. Ids are decimal
 * integers, increasing over the life of a server process; a reconnecting device sends the last one
 * in `Last-Event-ID` (or `?lastEventId=`) and gets what it missed. When the server cannot fill the
 * gap (restart, backlog overflow) it sends `config_changed` and `schedule_changed` so the device
 * refetches both; queued commands are kept in the database and always re-sent until delivered.
 * A comment line (`: keep-alive`) arrives at least every 25 s. One stream per device: opening a
 * second one closes the first. After revocation the server sends `device.revoked` and closes.
 */
export const DEVICE_EVENT_TYPES = ['schedule_changed', 'config_changed', 'message', 'command', 'device.revoked'] as const;

export const ScheduleChangedData = z.object({
  /** The meeting that changed, when one did; refetch `/device/v1/me/schedule` either way. */
  meetingUuid: z.string().optional(),
  at: Timestamp,
});

export const ConfigChangedData = z.object({ at: Timestamp });

export const MessageData = z.object({
  id: EntityId,
  text: z.string(),
  severity: z.enum(['info', 'warning']),
  expiresAt: Timestamp,
});

export const CommandEventData = z.object({
  id: EntityId,
  type: CommandType,
  args: z.record(z.string(), z.unknown()),
  expiresAt: Timestamp,
});

export const RevokedData = z.object({ reason: z.string() });

/** Everything that can travel over the stream, discriminated by `type` (the SSE `event:` field). */
export const DeviceEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('schedule_changed'), data: ScheduleChangedData }),
  z.object({ type: z.literal('config_changed'), data: ConfigChangedData }),
  z.object({ type: z.literal('message'), data: MessageData }),
  z.object({ type: z.literal('command'), data: CommandEventData }),
  z.object({ type: z.literal('device.revoked'), data: RevokedData }),
]);
export type DeviceEvent = z.infer<typeof DeviceEvent>;
export type DeviceEventType = DeviceEvent['type'];

/** An event as received, with its stream id. */
export type DeviceStreamEvent = DeviceEvent & { id: string };

/** Longest gap between two writes on the stream (a comment line when nothing else happens). */
export const KEEP_ALIVE_MAX_SECONDS = 25;
