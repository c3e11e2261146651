import { describe, expect, it } from 'vitest';
import { copenhagenDayKey, copenhagenOffsetMinutes, fromCopenhagen, toCopenhagen } from './copenhagen-time';

describe('Copenhagen wall-clock time', () => {
  it('reads winter and summer times with their own offsets', () => {
    expect(fromCopenhagen({ date: '2026-01-15', time: '10:00' })?.toISOString()).toBe('2026-01-15T09:00:00.000Z');
    expect(fromCopenhagen({ date: '2026-07-01', time: '10:00' })?.toISOString()).toBe('2026-07-01T08:00:00.000Z');
  });

  it('is independent of the zone the browser runs in (the instant, not the host zone, decides)', () => {
    expect(copenhagenOffsetMinutes(new Date('2026-01-15T09:00:00Z'))).toBe(60);
    expect(copenhagenOffsetMinutes(new Date('2026-07-01T08:00:00Z'))).toBe(120);
  });

  it('shows an instant as Copenhagen date and time, across midnight UTC', () => {
    expect(toCopenhagen(new Date('2026-07-01T22:30:00Z'))).toEqual({ date: '2026-07-02', time: '00:30' });
    expect(toCopenhagen(new Date('2026-12-31T23:15:00Z'))).toEqual({ date: '2027-01-01', time: '00:15' });
    expect(copenhagenDayKey(new Date('2026-07-01T22:30:00Z'))).toBe('2026-07-02');
  });

  it('round-trips every quarter hour of the spring and autumn change days', () => {
    for (const date of ['2026-03-29', '2026-10-25']) {
      for (let m = 0; m < 24 * 60; m += 15) {
        const time = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        const instant = fromCopenhagen({ date, time })!;
        const back = toCopenhagen(instant);
        // 02:xx on the spring day does not exist and lands one hour later on the clock.
        if (date === '2026-03-29' && time.startsWith('02:')) expect(back).toEqual({ date, time: `03:${time.slice(3)}` });
        else expect(back).toEqual({ date, time });
      }
    }
  });

  it('takes the first (summer) instant of an autumn time that happens twice', () => {
    expect(fromCopenhagen({ date: '2026-10-25', time: '02:30' })?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('refuses malformed and impossible input', () => {
    for (const bad of [
      { date: '2026-02-30', time: '10:00' },
      { date: '2026-13-01', time: '10:00' },
      { date: '26-01-01', time: '10:00' },
      { date: '2026-01-01', time: '24:00' },
      { date: '2026-01-01', time: '' },
    ]) {
      expect(fromCopenhagen(bad)).toBeUndefined();
    }
  });
});
