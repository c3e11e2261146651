/** "Today" as a Danish clinician means it: the calendar day in Europe/Copenhagen, whatever zone the machine runs in. */
import { copenhagenParts } from '../../../src-shared/booking/vdx-time';

/** The first instant of the Copenhagen calendar day `date` (`YYYY-MM-DD`). */
function startOfDay(date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  // Midnight is never inside a DST gap in Denmark (the switches happen at 02:00/03:00), so one of
  // the two offsets names it exactly.
  for (const offset of [60, 120]) {
    const candidate = new Date(wall - offset * 60_000);
    const parts = copenhagenParts(candidate);
    if (parts.date === date && parts.time === '00:00:00') return candidate;
  }
  return new Date(wall - 60 * 60_000);
}

/** `[from, to)`: the Copenhagen day that contains `now`. */
export function copenhagenToday(now: Date): { from: Date; to: Date } {
  const today = copenhagenParts(now).date;
  const from = startOfDay(today);
  // 26 h past midnight is always the next day, also on a 25-hour autumn day.
  const to = startOfDay(copenhagenParts(new Date(from.getTime() + 26 * 3_600_000)).date);
  return { from, to };
}
