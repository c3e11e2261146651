/**
 * The room's schedule as the agent keeps it: the meetings from `GET /device/v1/me/schedule`,
 * including the alias and the PIN for the room's role, cached on disk so the agenda shows and the
 * room can join from the cached address and PIN while the server is unreachable.
 *
 * The cached PIN sits in the settings file, not the keychain: it is a per-meeting guest/host PIN
 * that the room must be able to use offline, and it is also in every invitation; the device
 * credential (which would let someone act as the device) is the secret that goes to the keychain.
 */
import { z } from 'zod';
import type { AgendaMeeting, Schedule } from '../../../src-shared/ipc/room-bridge.contract';
import type { SettingsStore } from '../platform/platform';

const Iso = z.iso.datetime({ offset: true });

/** A meeting as the agent stores and joins it. */
export const ScheduledMeeting = z.object({
  id: z.string().min(1),
  subject: z.string().nullable(),
  startTime: Iso,
  endTime: Iso,
  alias: z.string().min(1),
  pin: z.string().nullable(),
  role: z.enum(['host', 'guest']),
  conferenceBaseUrl: z.string(),
  endMeetingOnEndTime: z.boolean(),
});
export type ScheduledMeeting = z.infer<typeof ScheduledMeeting>;

/** The on-disk cache (settings key `schedule`). */
export const ScheduleCacheDocument = z.object({
  meetings: z.array(ScheduledMeeting),
  syncedAt: Iso.nullable(),
  etag: z.string().nullable(),
  /** Whether management allows showing subjects on this room's screen. */
  showSubjects: z.boolean().default(true),
});
export type ScheduleCacheDocument = z.infer<typeof ScheduleCacheDocument>;

const SCHEDULE_KEY = 'schedule';

function pick(o: Record<string, unknown>, ...keys: string[]): unknown {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
}

/**
 * Reads the server's schedule body into {@link ScheduledMeeting}s. Tolerant of the field names the
 * VDX booking API uses (`uuid`, `uri`, `start_time`...) as well as ours, so the agent keeps working
 * as the device schedule endpoint grows; items it cannot use are skipped (and counted).
 */
export function normaliseScheduleBody(body: unknown, fallbackConferenceUrl: string): { meetings: ScheduledMeeting[]; skipped: number } {
  const items = Array.isArray(body) ? body : ((body as { meetings?: unknown })?.meetings ?? []);
  const meetings: ScheduledMeeting[] = [];
  let skipped = 0;
  for (const raw of Array.isArray(items) ? items : []) {
    if (!raw || typeof raw !== 'object') {
      skipped++;
      continue;
    }
    const o = raw as Record<string, unknown>;
    const role = pick(o, 'role', 'roomRole');
    const pin = pick(o, 'pin', 'roomPin');
    const candidate = {
      id: pick(o, 'id', 'uuid', 'meetingUuid', 'meetingId'),
      subject: pick(o, 'subject', 'title') ?? null,
      startTime: pick(o, 'startTime', 'start_time', 'start'),
      endTime: pick(o, 'endTime', 'end_time', 'end'),
      alias: pick(o, 'alias', 'uri', 'conferenceAlias'),
      pin: pin === undefined ? null : String(pin),
      role: role === 'guest' ? 'guest' : 'host',
      conferenceBaseUrl: pick(o, 'conferenceNodeUrl', 'conferenceBaseUrl', 'conferenceUrl') ?? fallbackConferenceUrl,
      endMeetingOnEndTime: Boolean(pick(o, 'endMeetingOnEndTime', 'end_meeting_on_end_time') ?? false),
    };
    const parsed = ScheduledMeeting.safeParse(candidate);
    if (parsed.success) {
      meetings.push({
        ...parsed.data,
        startTime: new Date(parsed.data.startTime).toISOString(),
        endTime: new Date(parsed.data.endTime).toISOString(),
      });
    } else skipped++;
  }
  meetings.sort((a, b) => a.startTime.localeCompare(b.startTime) || a.endTime.localeCompare(b.endTime) || a.id.localeCompare(b.id));
  return { meetings, skipped };
}

export function loadScheduleCache(store: SettingsStore): ScheduleCacheDocument {
  const parsed = ScheduleCacheDocument.safeParse(store.get(SCHEDULE_KEY));
  return parsed.success ? parsed.data : { meetings: [], syncedAt: null, etag: null, showSubjects: true };
}

export function saveScheduleCache(store: SettingsStore, doc: ScheduleCacheDocument): void {
  store.set(SCHEDULE_KEY, doc);
}

export function clearScheduleCache(store: SettingsStore): void {
  store.delete(SCHEDULE_KEY);
}

/** When the agent joins by itself: `earlyJoinSeconds` before the start. */
export function autoJoinAt(meeting: ScheduledMeeting, earlyJoinSeconds: number): Date {
  return new Date(Date.parse(meeting.startTime) - earlyJoinSeconds * 1000);
}

/** The renderer's view: no PINs; subjects only when the room may show them; past meetings dropped. */
export function toAgenda(
  doc: ScheduleCacheDocument,
  options: { now: Date; earlyJoinSeconds: number; online: boolean },
): Schedule {
  const now = options.now.getTime();
  const meetings: AgendaMeeting[] = doc.meetings
    .filter((m) => Date.parse(m.endTime) > now)
    .map((m) => ({
      id: m.id,
      subject: doc.showSubjects ? m.subject : null,
      startTime: m.startTime,
      endTime: m.endTime,
      alias: m.alias,
      role: m.role,
      pinRequired: m.pin !== null && m.pin !== '',
      endMeetingOnEndTime: m.endMeetingOnEndTime,
      autoJoinAt: autoJoinAt(m, options.earlyJoinSeconds).toISOString(),
    }));
  return { meetings, syncedAt: doc.syncedAt, source: options.online ? 'live' : 'cache' };
}
