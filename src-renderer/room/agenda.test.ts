import { describe, expect, it } from 'vitest';
import type { AgendaMeeting } from '../../src-shared/ipc/room-bridge.contract';
import { canJoin, currentOrNext, formatClock, formatCountdown, isInProgress, remainingToday } from './agenda';

const TZ = 'Europe/Copenhagen';

function meeting(id: string, start: string, end: string): AgendaMeeting {
  return { id, subject: id, startTime: start, endTime: end, alias: `${id}@vdx.test`, role: 'host', pinRequired: false, endMeetingOnEndTime: true, autoJoinAt: start };
}

// Copenhagen is UTC+1 in November.
const morning = meeting('morning', '2026-11-27T07:00:00.000Z', '2026-11-27T08:00:00.000Z'); // 08–09 local
const noon = meeting('noon', '2026-11-27T11:00:00.000Z', '2026-11-27T11:30:00.000Z'); // 12:00–12:30
const lateNight = meeting('late', '2026-11-27T22:30:00.000Z', '2026-11-27T23:00:00.000Z'); // 23:30 local, still 27th
const tomorrow = meeting('tomorrow', '2026-11-27T23:30:00.000Z', '2026-11-28T00:00:00.000Z'); // 00:30 local on the 28th
const all = [tomorrow, noon, lateNight, morning];

describe('agenda', () => {
  it("lists today's remaining meetings in local time, ongoing ones included", () => {
    const at = new Date('2026-11-27T07:30:00.000Z'); // 08:30 local, morning in progress
    expect(remainingToday(all, at, TZ).map((m) => m.id)).toEqual(['morning', 'noon', 'late']);
    const afternoon = new Date('2026-11-27T12:00:00.000Z');
    expect(remainingToday(all, afternoon, TZ).map((m) => m.id)).toEqual(['late']);
  });

  it('highlights the meeting in progress, else the next one', () => {
    expect(currentOrNext(all, new Date('2026-11-27T07:59:59.000Z'))?.id).toBe('morning');
    expect(currentOrNext(all, new Date('2026-11-27T08:00:00.000Z'))?.id).toBe('noon');
    expect(currentOrNext(all, new Date('2026-11-28T01:00:00.000Z'))).toBeUndefined();
  });

  it('offers joining from ten minutes before the start until the end', () => {
    expect(canJoin(noon, new Date('2026-11-27T10:49:59.000Z'))).toBe(false);
    expect(canJoin(noon, new Date('2026-11-27T10:50:00.000Z'))).toBe(true);
    expect(isInProgress(noon, new Date('2026-11-27T10:50:00.000Z'))).toBe(false);
    expect(isInProgress(noon, new Date('2026-11-27T11:10:00.000Z'))).toBe(true);
    expect(canJoin(noon, new Date('2026-11-27T11:30:00.000Z'))).toBe(false);
  });

  it('counts down in hours, minutes, then ticking seconds', () => {
    const start = new Date(noon.startTime);
    const before = (ms: number) => new Date(start.getTime() - ms);
    expect(formatCountdown(start, before(2 * 3600_000 + 5 * 60_000), 'da')).toBe('2 t 05 min');
    expect(formatCountdown(start, before(2 * 3600_000 + 5 * 60_000), 'en')).toBe('2 h 05 min');
    expect(formatCountdown(start, before(3600_000 + 30_000), 'da')).toBe('1 t 01 min');
    expect(formatCountdown(start, before(3599_000), 'da')).toBe('60 min');
    expect(formatCountdown(start, before(12 * 60_000), 'da')).toBe('12 min');
    expect(formatCountdown(start, before(4 * 60_000 + 7_000), 'da')).toBe('4:07');
    expect(formatCountdown(start, before(0), 'da')).toBe('0:00');
    expect(formatCountdown(start, new Date(start.getTime() + 5000), 'da')).toBe('0:00');
  });

  it('shows the clock in the room time zone, 24-hour', () => {
    expect(formatClock(new Date('2026-11-27T13:05:00.000Z'), 'da', TZ)).toBe('14.05');
    expect(formatClock(new Date('2026-11-27T13:05:00.000Z'), 'en', TZ)).toBe('14:05');
  });
});
