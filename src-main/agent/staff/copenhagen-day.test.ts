import { describe, expect, it } from 'vitest';
import { copenhagenToday } from './copenhagen-day';

describe('today in Copenhagen', () => {
  it('is the Danish calendar day, whatever the UTC date says', () => {
    // 23:30 UTC on 2 March is already 3 March in Copenhagen (UTC+1).
    expect(copenhagenToday(new Date('2026-03-02T23:30:00Z'))).toEqual({ from: new Date('2026-03-02T23:00:00Z'), to: new Date('2026-03-03T23:00:00Z') });
    expect(copenhagenToday(new Date('2026-07-01T12:00:00Z'))).toEqual({ from: new Date('2026-06-30T22:00:00Z'), to: new Date('2026-07-01T22:00:00Z') });
  });

  it('has 23 hours on the spring-forward day and 25 on the autumn one', () => {
    const spring = copenhagenToday(new Date('2026-03-29T10:00:00Z'));
    expect(spring.from).toEqual(new Date('2026-03-28T23:00:00Z'));
    expect(spring.to.getTime() - spring.from.getTime()).toBe(23 * 3_600_000);
    const autumn = copenhagenToday(new Date('2026-10-25T10:00:00Z'));
    expect(autumn.from).toEqual(new Date('2026-10-24T22:00:00Z'));
    expect(autumn.to.getTime() - autumn.from.getTime()).toBe(25 * 3_600_000);
  });
});
