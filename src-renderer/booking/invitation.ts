import { escapeText, icsDocument, icsTime } from '../../src-shared/calendar/ics-text';
import type { Meeting, SchedulingInfo } from './booking-api';
import { longDate, timeSpan } from './meeting-times';

/**
 * What a booker sends the guests: a Danish invitation text (for e-mail, a letter, the patient
 * portal) and the meeting as an iCalendar event (RFC 5545) for their calendar. Both carry what a
 * guest needs — the link, the address for video equipment, the guest PIN — and never the host PIN.
 */

export interface InvitationFacts {
  subject: string;
  description: string | null;
  start: Date;
  end: Date;
  /** The link a guest opens (the short link). */
  guestLink: string;
  address: string;
  guestPin: number | null;
  organizerName: string;
}

export function invitationFacts(meeting: Meeting, info: SchedulingInfo, organizerName: string): InvitationFacts {
  return {
    subject: meeting.subject,
    description: meeting.description,
    start: new Date(meeting.startTime),
    end: new Date(meeting.endTime),
    guestLink: meeting.shortLink,
    address: info.uriWithDomain,
    guestPin: info.guestPin,
    organizerName,
  };
}

/** The invitation in Danish, the language of the people VDX invites. */
export function invitationText(f: InvitationFacts): string {
  const lines = [
    `Du er inviteret til et videomøde: ${f.subject}`,
    '',
    `Tidspunkt: ${longDate('da', f.start)} kl. ${timeSpan('da', f.start, f.end)}`,
    '',
    'Deltag fra din computer, tablet eller telefon ved at åbne linket:',
    f.guestLink,
    '',
  ];
  if (f.guestPin !== null) lines.push(`PIN-kode til mødet: ${f.guestPin}`, '');
  lines.push(`Deltager du fra videoudstyr, så ring op til: ${f.address}`, '');
  if (f.description?.trim()) lines.push(f.description.trim(), '');
  lines.push('Åbn linket et par minutter før, så du kan tjekke kamera og mikrofon.', '', 'Venlig hilsen', f.organizerName);
  return lines.join('\n');
}

/** The meeting as an `.ics` file (one VEVENT, UTC times, the invitation as its description). */
export function invitationIcs(f: InvitationFacts, ids: { uuid: string; host: string; organizerEmail: string | null; now: Date }): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//VDX Room//VDX Booking//DA',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${ids.uuid}@${ids.host}`,
    `DTSTAMP:${icsTime(ids.now)}`,
    `DTSTART:${icsTime(f.start)}`,
    `DTEND:${icsTime(f.end)}`,
    `SUMMARY:${escapeText(f.subject)}`,
    `LOCATION:${escapeText(f.guestLink)}`,
    `URL:${f.guestLink}`,
    `DESCRIPTION:${escapeText(invitationText(f))}`,
    ...(ids.organizerEmail ? [`ORGANIZER;CN=${quoteParam(f.organizerName)}:mailto:${ids.organizerEmail}`] : []),
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return icsDocument(lines);
}

/** A parameter value (RFC 5545 §3.2): quoted, with the characters a quoted value cannot hold dropped. */
function quoteParam(value: string): string {
  return `"${value.replace(/["\r\n]/g, '')}"`;
}

/** A file name for the download: the subject in safe characters. */
export function icsFileName(subject: string): string {
  const base = subject
    .replace(/[æÆøØåÅ]/g, (c) => ({ æ: 'ae', Æ: 'Ae', ø: 'oe', Ø: 'Oe', å: 'aa', Å: 'Aa' })[c]!)
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 60);
  return `${base || 'videomoede'}.ics`;
}
