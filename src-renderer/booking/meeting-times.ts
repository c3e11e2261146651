import type { Language } from '../i18n/translate';
import { BOOKING_TIME_ZONE, copenhagenDayKey } from './copenhagen-time';

/**
 * Meetings by time, as the page shows them: grouped into today / upcoming / past by the
 * Copenhagen calendar day, and written as dates and times in Copenhagen whatever zone the
 * browser is in.
 */

interface Timed {
  uuid: string;
  startTime: string;
  endTime: string;
}

export interface MeetingGroups<M extends Timed> {
  /** Starting today (Copenhagen), earliest first — also the ones already over. */
  today: M[];
  /** Starting after today, earliest first. */
  upcoming: M[];
  /** Started before today, latest first. */
  past: M[];
}

const DAY_MS = 24 * 3600_000;

/** How far back and ahead "my meetings" reads (the VDX search takes a start-time window). */
export const LIST_WINDOW = { pastDays: 30, futureDays: 365 } as const;

export function listWindow(now: Date): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - LIST_WINDOW.pastDays * DAY_MS), to: new Date(now.getTime() + LIST_WINDOW.futureDays * DAY_MS) };
}

export function groupMeetings<M extends Timed>(meetings: readonly M[], now: Date): MeetingGroups<M> {
  const today = copenhagenDayKey(now);
  const groups: MeetingGroups<M> = { today: [], upcoming: [], past: [] };
  for (const m of meetings) {
    const day = copenhagenDayKey(new Date(m.startTime));
    (day === today ? groups.today : day > today ? groups.upcoming : groups.past).push(m);
  }
  const byStart = (a: M, b: M) => Date.parse(a.startTime) - Date.parse(b.startTime) || a.uuid.localeCompare(b.uuid);
  groups.today.sort(byStart);
  groups.upcoming.sort(byStart);
  groups.past.sort((a, b) => byStart(b, a));
  return groups;
}

/** Whether the meeting is on now (between its start and end). */
export function isOngoing(m: Timed, now: Date): boolean {
  return Date.parse(m.startTime) <= now.getTime() && now.getTime() < Date.parse(m.endTime);
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(language: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}:${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', { timeZone: BOOKING_TIME_ZONE, ...options })));
  return f;
}

/** `10.00` (Danish) / `10:00` (English), Copenhagen. */
export function clockTime(language: Language, instant: Date): string {
  return format(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}

/** `tirsdag den 10. marts 2026` / `Tuesday, 10 March 2026`, Copenhagen. */
export function longDate(language: Language, instant: Date): string {
  return format(language, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(instant);
}

/** `10.00–10.30` on one day, or both dates when the meeting runs past midnight. */
export function timeSpan(language: Language, start: Date, end: Date): string {
  if (copenhagenDayKey(start) === copenhagenDayKey(end)) return `${clockTime(language, start)}–${clockTime(language, end)}`;
  return `${clockTime(language, start)} – ${longDate(language, end)} ${clockTime(language, end)}`;
}
