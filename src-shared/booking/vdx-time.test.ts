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
