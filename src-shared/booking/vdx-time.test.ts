import { describe, expect, it } from 'vitest';
import { formatVdxTime, parseVdxTime } from './vdx-time';

describe('VDX timestamps', () => {
  it('reads UTC timestamps, drops fractions and honours offsets', () => {
    expect(parseVdxTime('2019-10-02T14:01:00Z')).toEqual({ ok: true, date: new Date('2019-10-02T14:01:00Z') });
    expect(parseVdxTime('2019-10-02T14:01:00.999Z')).toEqual({ ok: true, date: new Date('2019-10-02T14:01:00Z') });
    expect(parseVdxTime('2019-10-02T16:01:00+02:00')).toEqual({ ok: true, date: new Date('2019-10-02T14:01:00Z') });
  });

  it('names a year without four digits (25) apart from other bad dates (10)', () => {
    expect(parseVdxTime('19-10-02T14:01:00Z')).toMatchObject({ ok: false, vdxCode: 25 });
    expect(parseVdxTime('20190-10-02T14:01:00Z')).toMatchObject({ ok: false, vdxCode: 25 });
    expect(parseVdxTime('2019-02-29T14:01:00Z')).toMatchObject({ ok: false, vdxCode: 10 });
    expect(parseVdxTime('2020-02-29T14:01:00Z')).toMatchObject({ ok: true });
    expect(parseVdxTime('2019-10-02T24:00:00Z')).toMatchObject({ ok: false, vdxCode: 10 });
    expect(parseVdxTime('2019-10-02')).toMatchObject({ ok: false, vdxCode: 10 });
  });

  it('writes Copenhagen local time with its offset, across both DST switches', () => {
    expect(formatVdxTime('2019-10-02T13:00:00Z')).toBe('2019-10-02T15:00:00+02:00');
    expect(formatVdxTime('2026-01-15T08:30:00.500Z')).toBe('2026-01-15T09:30:00+01:00');
    expect(formatVdxTime('2026-03-29T00:59:59Z')).toBe('2026-03-29T01:59:59+01:00');
    expect(formatVdxTime('2026-03-29T01:00:00Z')).toBe('2026-03-29T03:00:00+02:00');
    expect(formatVdxTime('2026-10-25T00:59:59Z')).toBe('2026-10-25T02:59:59+02:00');
    expect(formatVdxTime('2026-10-25T01:00:00Z')).toBe('2026-10-25T02:00:00+01:00');
  });
});

describe('VDX timestamps against the time zone database', () => {
  it('agrees with Intl for every hour of 2024–2027 and around old dates', () => {
    const intl = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', timeZoneName: 'longOffset' });
    const offsetOf = (d: Date) => {
      const name = intl.formatToParts(d).find((p) => p.type === 'timeZoneName')!.value; // "GMT+02:00"
      return name === 'GMT' ? '+00:00' : name.slice(3);
    };
    const checks: Date[] = [];
    for (let ms = Date.UTC(2024, 0, 1); ms < Date.UTC(2028, 0, 1); ms += 3_600_000) checks.push(new Date(ms));
    checks.push(new Date('1980-07-01T12:00:00Z'), new Date('1995-09-24T00:30:00Z'), new Date('2150-07-01T12:00:00Z'));
    for (const d of checks) expect(formatVdxTime(d).slice(-6), d.toISOString()).toBe(offsetOf(d));
  });
});
