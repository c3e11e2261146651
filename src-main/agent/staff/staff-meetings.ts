/**
 * The person's meetings today from the VDX Booking API, read with the person's own token, so the
 * Booking API's rules decide what they see (a meeting-user their own, a planner the
 * organisation's). Each meeting's address and host PIN are on its scheduling info.
 */
import type { StaffMeeting } from '../../../src-shared/ipc/room-bridge.contract';
import { copenhagenToday } from './copenhagen-day';

/** A GET on the booking API with the person's token: the parsed JSON body, or it throws. */
export type BookingGet = (path: string) => Promise<unknown>;

/** What joining as host needs of a meeting, kept in the agent (the PIN never goes into a list the UI holds). */
export interface HostAccess {
  meetingId: string;
  alias: string;
  hostPin: string | null;
  endTime: string;
}

/** Scheduling-info reads at once (one per meeting). */
const PARALLEL_READS = 6;

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const instant = (v: unknown): string | null => {
  const t = text(v);
  return t && !Number.isNaN(Date.parse(t)) ? new Date(t).toISOString() : null;
};

/**
 * The host's way into one meeting, from its scheduling info (fresh: a PIN may have changed). The
 * meeting itself is read first: the Booking API lets a person open only meetings they may see (a
 * meeting-user their own), while a scheduling info is readable across the organisation.
 */
export async function hostAccess(get: BookingGet, meetingId: string): Promise<HostAccess | null> {
  if (!(await get(`/videoapi/v2/meetings/${encodeURIComponent(meetingId)}`))) return null;
  const info = record(await get(`/videoapi/v2/scheduling-info/${encodeURIComponent(meetingId)}`));
  const alias = text(info.uriWithDomain);
  if (!alias) return null;
  const details = record(info.meetingDetails);
  const pin = info.hostPin;
  return {
    meetingId,
    alias,
    hostPin: typeof pin === 'number' || (typeof pin === 'string' && pin !== '') ? String(pin) : null,
    endTime: instant(details.endTime) ?? '',
  };
}

/** Meetings starting today in Copenhagen, sorted by start, each with its address. */
export async function meetingsToday(get: BookingGet, now: Date): Promise<StaffMeeting[]> {
  const { from, to } = copenhagenToday(now);
  const query = new URLSearchParams({ 'from-start-time': iso(from), 'to-start-time': iso(new Date(to.getTime() - 1000)) });
  const listed = await get(`/videoapi/v2/meetings?${query}`);
  const meetings = (Array.isArray(listed) ? listed : []).map(record).filter((m) => text(m.uuid) && instant(m.startTime) && instant(m.endTime));
  const out: StaffMeeting[] = [];
  for (let i = 0; i < meetings.length; i += PARALLEL_READS) {
    const batch = meetings.slice(i, i + PARALLEL_READS);
    const infos = await Promise.all(batch.map((m) => get(`/videoapi/v2/scheduling-info/${encodeURIComponent(String(m.uuid))}`).then(record)));
    batch.forEach((m, j) => {
      const info = infos[j]!;
      const alias = text(info.uriWithDomain);
      if (!alias) return;
      const start = instant(m.startTime)!;
      if (Date.parse(start) < from.getTime() || Date.parse(start) >= to.getTime()) return;
      out.push({
        id: String(m.uuid),
        subject: text(m.subject) ?? '',
        startTime: start,
        endTime: instant(m.endTime)!,
        alias,
        opensAt: instant(info.vmrStartTime),
        hostPinRequired: info.hostPin !== null && info.hostPin !== undefined,
      });
    });
  }
  return out.sort((a, b) => a.startTime.localeCompare(b.startTime) || a.id.localeCompare(b.id));
}
