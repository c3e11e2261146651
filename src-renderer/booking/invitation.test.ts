import { describe, expect, it } from 'vitest';
import { icsFileName, invitationIcs, invitationText, type InvitationFacts } from './invitation';

const facts: InvitationFacts = {
  subject: 'Samtale; opfølgning, knæ',
  description: 'Husk medicinlisten.',
  start: new Date('2026-03-10T09:00:00Z'),
  end: new Date('2026-03-10T09:30:00Z'),
  guestLink: 'https://vdx.example/join/0123456789ab',
  address: '123456@vdx.local',
  guestPin: 4321,
  organizerName: 'Karen Klinisk',
};

describe('the invitation', () => {
  it('tells the guest in Danish when, the link, the PIN and the address for video equipment', () => {
    const text = invitationText(facts);
    expect(text).toContain('Du er inviteret til et videomøde: Samtale; opfølgning, knæ');
    expect(text).toContain('Tidspunkt: tirsdag den 10. marts 2026 kl. 10.00–10.30');
    expect(text).toContain('https://vdx.example/join/0123456789ab');
    expect(text).toContain('PIN-kode til mødet: 4321');
    expect(text).toContain('ring op til: 123456@vdx.local');
    expect(text).toContain('Husk medicinlisten.');
    expect(text.trimEnd().endsWith('Karen Klinisk')).toBe(true);
  });

  it('leaves the PIN out when guests need none', () => {
    expect(invitationText({ ...facts, guestPin: null })).not.toContain('PIN');
  });

  it('is an RFC 5545 event: CRLF lines of at most 75 octets, escaped text, UTC times', () => {
    const ics = invitationIcs(facts, { uuid: 'u-1', host: 'vdx.example', organizerEmail: 'karen@region.dk', now: new Date('2026-03-01T12:00:00Z') });
    expect(ics.endsWith('\r\n')).toBe(true);
    const lines = ics.split('\r\n').slice(0, -1);
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('UID:u-1@vdx.example');
    expect(unfolded).toContain('DTSTART:20260310T090000Z\r\nDTEND:20260310T093000Z');
    expect(unfolded).toContain('SUMMARY:Samtale\\; opfølgning\\, knæ');
    expect(unfolded).toContain('ORGANIZER;CN="Karen Klinisk":mailto:karen@region.dk');
    expect(unfolded).toContain('DESCRIPTION:Du er inviteret til et videomøde: Samtale\\; opfølgning\\, knæ\\n\\nTidspunkt');
  });

  it('names the file after the subject in plain characters', () => {
    expect(icsFileName('Møde på afsnit 7/B')).toBe('Moede-paa-afsnit-7B.ics');
    expect(icsFileName('???')).toBe('videomoede.ics');
  });
});
