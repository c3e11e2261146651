import type { AgendaMeeting } from '../../src-shared/ipc/room-bridge.contract';
import type { Language } from '../i18n/translate';

/**
 * Pure agenda logic for the home screen, with the clock passed in (`now`) so tests move time.
 * Times are shown in the room's local time zone (Danish rooms: Europe/Copenhagen).
 */

/** How long before the start the "join" button appears (people like to be early). */
export const JOIN_EARLY_MS = 10 * 60_000;

/** Calendar day of an instant in a time zone, as `YYYY-MM-DD`. */
export function dayKey(at: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Today's meetings that have not ended yet (ongoing ones included), in start order. */
export function remainingToday(meetings: readonly AgendaMeeting[], now: Date, timeZone?: string): AgendaMeeting[] {
  const today = dayKey(now, timeZone);
  return meetings
    .filter((m) => Date.parse(m.endTime) > now.getTime() && (dayKey(new Date(m.startTime), timeZone) === today || Date.parse(m.startTime) <= now.getTime()))
    .sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime));
}

/** The meeting to highlight: the one in progress, else the next to start (any day). */
export function currentOrNext(meetings: readonly AgendaMeeting[], now: Date): AgendaMeeting | undefined {
  const t = now.getTime();
  const upcoming = meetings.filter((m) => Date.parse(m.endTime) > t).sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime));
  return upcoming.find((m) => Date.parse(m.startTime) <= t) ?? upcoming[0];
}

export function isInProgress(meeting: AgendaMeeting, now: Date): boolean {
  return Date.parse(meeting.startTime) <= now.getTime() && now.getTime() < Date.parse(meeting.endTime);
}

/** The join button shows from {@link JOIN_EARLY_MS} before the start until the end. */
export function canJoin(meeting: AgendaMeeting, now: Date): boolean {
  return now.getTime() >= Date.parse(meeting.startTime) - JOIN_EARLY_MS && now.getTime() < Date.parse(meeting.endTime);
}

/**
 * Time left until `target`, for the countdown: `1 t 05 min` (≥ 1 hour), `12 min` (≥ 10 minutes),
 * `4:07` (under 10 minutes, ticking seconds), `0:00` once reached.
 */
export function formatCountdown(target: Date, now: Date, language: Language): string {
  const ms = Math.max(0, target.getTime() - now.getTime());
  const totalSeconds = Math.ceil(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) {
    // Round minutes up so "1 t 00 min" never shows while 1:00:59 remain.
    const mins = Math.ceil((totalSeconds - hours * 3600) / 60);
    const [h, m] = mins === 60 ? [hours + 1, 0] : [hours, mins];
    return `${h} ${language === 'da' ? 't' : 'h'} ${String(m).padStart(2, '0')} min`;
  }
  if (totalSeconds >= 600) return `${Math.ceil(totalSeconds / 60)} min`;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** `09:30` in the room's language and time zone. */
export function formatClock(at: Date, language: Language, timeZone?: string, withSeconds = false): string {
  return new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  }).format(at);
}

/** `fredag 27. november` / `Friday 27 November`. */
export function formatDate(at: Date, language: Language, timeZone?: string): string {
  return new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long' }).format(at);
}
