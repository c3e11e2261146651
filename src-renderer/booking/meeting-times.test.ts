import { describe, expect, it } from 'vitest';
import { groupMeetings, isOngoing, longDate, timeSpan } from './meeting-times';

const m = (uuid: string, start: string, minutes = 30) => ({ uuid, startTime: start, endTime: new Date(Date.parse(start) + minutes * 60_000).toISOString() });

describe('meetings by time', () => {
  it('groups by the Copenhagen day, not the UTC one', () => {
    const now = new Date('2026-07-01T10:00:00Z');
    const groups = groupMeetings(
      [
        m('late-yesterday-utc', '2026-06-30T22:30:00Z'), // 00:30 on 1 July in Copenhagen: today
        m('tomorrow', '2026-07-02T08:00:00Z'),
        m('earlier-today', '2026-07-01T06:00:00Z'),
        m('yesterday', '2026-06-30T08:00:00Z'),
        m('last-week', '2026-06-24T08:00:00Z'),
        m('next-week', '2026-07-08T08:00:00Z'),
      ],
      now,
    );
    expect(groups.today.map((x) => x.uuid)).toEqual(['late-yesterday-utc', 'earlier-today']);
    expect(groups.upcoming.map((x) => x.uuid)).toEqual(['tomorrow', 'next-week']);
    expect(groups.past.map((x) => x.uuid)).toEqual(['yesterday', 'last-week']);
  });

  it('knows a meeting that is on now', () => {
    const meeting = m('a', '2026-07-01T09:45:00Z');
    expect(isOngoing(meeting, new Date('2026-07-01T10:00:00Z'))).toBe(true);
    expect(isOngoing(meeting, new Date('2026-07-01T10:15:00Z'))).toBe(false);
  });

  it('writes dates and times in Copenhagen, in the UI language', () => {
    const start = new Date('2026-03-10T09:00:00Z');
    const end = new Date('2026-03-10T09:30:00Z');
    expect(longDate('da', start)).toBe('tirsdag den 10. marts 2026');
    expect(timeSpan('da', start, end)).toBe('10.00–10.30');
    expect(timeSpan('en', start, end)).toBe('10:00–10:30');
  });
});
