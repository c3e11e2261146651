/**
 * Wall-clock time in Europe/Copenhagen, the zone every VDX meeting is booked in, whatever zone the
 * browser runs in. The form works in local date (`2026-03-10`) and time (`10:00`) strings as native
 * `<input type=date|time>` give them; the API takes and returns instants.
 */
export const BOOKING_TIME_ZONE = 'Europe/Copenhagen';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: BOOKING_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export interface LocalDateTime {
  /** `YYYY-MM-DD`. */
  date: string;
  /** `HH:MM`. */
  time: string;
}

function fields(instant: Date): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts.formatToParts(instant)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** Minutes Copenhagen is ahead of UTC at that instant (60 in winter, 120 in summer). */
export function copenhagenOffsetMinutes(instant: Date): number {
  const f = fields(instant);
  const asUtc = Date.UTC(f.year!, f.month! - 1, f.day!, f.hour!, f.minute!, f.second!);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The Copenhagen date and time of an instant. */
export function toCopenhagen(instant: Date): LocalDateTime {
  const f = fields(instant);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { date: `${f.year}-${pad(f.month!)}-${pad(f.day!)}`, time: `${pad(f.hour!)}:${pad(f.minute!)}` };
}

/**
 * The instant a Copenhagen date and time names, or undefined for malformed input. A time inside the
 * spring-forward gap (02:00–03:00 on the last Sunday of March) does not exist; it is read with the
 * winter offset, i.e. one hour later on the clock — what a person who typed it most likely meant.
 * An ambiguous autumn time (02:00–03:00 twice) is the first, summer one.
 */
export function fromCopenhagen(local: LocalDateTime): Date | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(local.date);
  const t = /^(\d{2}):(\d{2})$/.exec(local.time);
  if (!d || !t) return undefined;
  const [y, mo, da] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [h, mi] = [Number(t[1]), Number(t[2])];
  if (mo < 1 || mo > 12 || da < 1 || da > new Date(Date.UTC(y, mo, 0)).getUTCDate() || h > 23 || mi > 59) return undefined;
  const wall = Date.UTC(y, mo - 1, da, h, mi);
  // Try the summer offset first (the earlier instant of an ambiguous time), then winter.
  for (const offset of [120, 60]) {
    const candidate = new Date(wall - offset * 60_000);
    if (copenhagenOffsetMinutes(candidate) === offset) return candidate;
  }
  return new Date(wall - 60 * 60_000);
}

/** The Copenhagen calendar day of an instant (`YYYY-MM-DD`), to group meetings by day. */
export function copenhagenDayKey(instant: Date): string {
  return toCopenhagen(instant).date;
}
