/**
 * Timestamps as the VDX Booking API v2 takes and returns them.
 *
 * In: `2019-10-02T14:01:00Z` (an offset such as `+02:00` is accepted too, so a client may send back
 * what it read). Fractions of a second are allowed and dropped, as the real API does. A year that is
 * not four digits is its own error (VDX `detailed_error_code` 25); any other malformed or impossible
 * date (30 February, 25:00) is a plain validation error (10).
 * Out: ISO-8601 to the second with the Europe/Copenhagen offset of that instant (`+01:00` / `+02:00`).
 */
export type VdxTimeParse =
  | { ok: true; date: Date }
  | { ok: false; vdxCode: 10 | 25; message: string };

const PATTERN = /^(-?\d+)-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

export function parseVdxTime(text: string): VdxTimeParse {
  const m = PATTERN.exec(text);
  if (!m) {
    // "19-10-02T..." must still say "year" rather than "malformed": check the year part alone.
    const yearPart = /^(-?\d+)-\d{2}-\d{2}T/.exec(text);
    if (yearPart && yearPart[1]!.length !== 4) return yearError();
    return { ok: false, vdxCode: 10, message: 'must be a timestamp like 2019-10-02T14:01:00Z' };
  }
  const [, y, mo, d, h, mi, s, , zone] = m;
  if (y!.length !== 4) return yearError();
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, vdxCode: 10, message: 'is not a possible date and time' };
  }
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const z = zone!.replace(':', '');
    const oh = Number(z.slice(1, 3));
    const om = Number(z.slice(3, 5));
    if (oh > 18 || om > 59) return { ok: false, vdxCode: 10, message: 'has an impossible UTC offset' };
    offsetMinutes = (z[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  return { ok: true, date: new Date(ms) };
}

function yearError(): VdxTimeParse {
  return { ok: false, vdxCode: 25, message: 'the year must have 4 digits' };
}

const COPENHAGEN = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Copenhagen',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/**
 * Summer time in Copenhagen since 1996 follows the EU rule: from the last Sunday of March to the
 * last Sunday of October, switching at 01:00 UTC. Computing that is much cheaper than asking Intl
 * on every timestamp we write (a meeting list writes several per meeting); other years ask Intl.
 */
const dstCache = new Map<number, readonly [number, number]>();
function euSummerTime(year: number): readonly [number, number] {
  let bounds = dstCache.get(year);
  if (!bounds) {
    const lastSunday = (month: number) => {
      const last = new Date(Date.UTC(year, month + 1, 0));
      return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
    };
    bounds = [lastSunday(2), lastSunday(9)] as const;
    dstCache.set(year, bounds);
  }
  return bounds;
}

function copenhagenOffsetMinutes(instant: Date): number {
  const ms = instant.getTime();
  const year = instant.getUTCFullYear();
  if (year >= 1996 && year < 2100) {
    const [start, end] = euSummerTime(year);
    return ms >= start && ms < end ? 120 : 60;
  }
  const parts: Record<string, string> = {};
  for (const p of COPENHAGEN.formatToParts(instant)) parts[p.type] = p.value;
  const whole = Math.floor(ms / 1000) * 1000;
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((local - whole) / 60_000);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local date and time parts in Copenhagen, plus the offset in minutes. */
export function copenhagenParts(instant: Date): {
  date: string;
  time: string;
  offsetMinutes: number;
} {
  const offsetMinutes = copenhagenOffsetMinutes(instant);
  const local = new Date(instant.getTime() + offsetMinutes * 60_000);
  return {
    date: `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`,
    time: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`,
    offsetMinutes,
  };
}

/**
 * The instant a Copenhagen calendar day (`YYYY-MM-DD`) begins, in epoch ms. Summer time changes at
 * 01:00 UTC, never at local midnight, so the offset at 00:00 UTC that day is the one at midnight.
 */
export function copenhagenMidnight(date: string): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  return utcMidnight - copenhagenOffsetMinutes(new Date(utcMidnight)) * 60_000;
}

/** `2019-10-02T15:00:00+02:00` for the instant 2019-10-02T13:00:00Z. */
export function formatVdxTime(instant: Date | string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const { date: day, time, offsetMinutes } = copenhagenParts(date);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const oh = String(Math.floor(abs / 60)).padStart(2, '0');
  const om = String(abs % 60).padStart(2, '0');
  return `${day}T${time}${sign}${oh}:${om}`;
}
