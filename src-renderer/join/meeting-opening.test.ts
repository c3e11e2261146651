import { describe, expect, it } from 'vitest';
import { localOpeningTime } from './meeting-opening';

describe('localOpeningTime', () => {
  const meeting = { opensAt: '2026-03-02T09:00:00.000Z', serverTime: '2026-03-02T08:50:00.000Z' };

  it('is the opening instant itself when the device keeps the server time', () => {
    expect(localOpeningTime(meeting, Date.parse('2026-03-02T08:50:00.000Z'))).toBe(Date.parse('2026-03-02T09:00:00.000Z'));
  });

  it('follows a device clock that is off, either way', () => {
    // Device 2 minutes ahead: it must wait until its own 09:02.
    expect(localOpeningTime(meeting, Date.parse('2026-03-02T08:52:00.000Z'))).toBe(Date.parse('2026-03-02T09:02:00.000Z'));
    // Device 3 minutes behind: its own 08:57.
    expect(localOpeningTime(meeting, Date.parse('2026-03-02T08:47:00.000Z'))).toBe(Date.parse('2026-03-02T08:57:00.000Z'));
  });
});
