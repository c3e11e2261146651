import { describe, expect, it } from 'vitest';
import { FakeMeetings } from './appointments.test-kit';
import { escapeText, fold, roomCalendar } from './room-calendar.ics';

describe('room calendar (RFC 5545)', () => {
  const meetings = new FakeMeetings();
  const m = meetings.put({ uuid: 'abc-123', subject: 'Samtale; opfølgning, uge 10\nmed pårørende', alias: '7001@vdx.test' });
  const room = { id: 'r1', name: 'Stue 4, Afsnit B', organisationCode: 'vdx', showSubjects: true };
  const now = new Date('2026-03-02T08:00:00Z');

  it('writes CRLF lines, UTC times, a UID, escaped text and the join link', () => {
    const ics = roomCalendar(room, [{ meeting: m, role: 'host' }], now, 'vdx.test');
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.split('\r\n').every((l) => !l.includes('\n'))).toBe(true);
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:');
    expect(unfolded).toContain('UID:abc-123@vdx.test\r\n');
    expect(unfolded).toContain('DTSTAMP:20260302T080000Z\r\n');
    expect(unfolded).toContain('DTSTART:20260302T090000Z\r\nDTEND:20260302T100000Z\r\n');
    expect(unfolded).toContain('SUMMARY:Samtale\\; opfølgning\\, uge 10\\nmed pårørende\r\n');
    expect(unfolded).toContain('X-WR-CALNAME:Stue 4\\, Afsnit B\r\n');
    expect(unfolded).toContain('LOCATION:7001@vdx.test\r\n');
    expect(unfolded).toContain(`URL:${m.joinUrl}\r\n`);
  });

  it('hides subjects when the room says so', () => {
    const ics = roomCalendar({ ...room, showSubjects: false }, [{ meeting: m, role: 'host' }], now, 'vdx.test');
    expect(ics).toContain('SUMMARY:Optaget\r\n');
    expect(ics).not.toContain('opfølgning');
  });

  it('folds at 75 octets without splitting UTF-8 characters', () => {
    const line = `SUMMARY:${'æøå'.repeat(40)}`;
    const folded = fold(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(75);
    expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    expect(fold('short')).toBe('short');
    expect(escapeText('a\\b')).toBe('a\\\\b');
  });
});
