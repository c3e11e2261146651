import type { RoomAppointment } from './appointments.service';
import type { RoomView } from './meeting-source';

/**
 * A room's meetings as an iCalendar object (RFC 5545), for calendar displays and mail clients.
 * Lines end in CRLF and are folded at 75 octets (§3.1) without splitting a UTF-8 character; text
 * values escape backslash, semicolon, comma and newline (§3.3.11); times are UTC (`…Z`, §3.3.5).
 */
export function roomCalendar(room: RoomView, appointments: RoomAppointment[], now: Date, hostName: string): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//VDX Room//Appointments//DA',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(room.name)}`,
  ];
  for (const { meeting } of appointments) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${meeting.uuid}@${hostName}`,
      `DTSTAMP:${icsTime(now)}`,
      `DTSTART:${icsTime(new Date(meeting.startTime))}`,
      `DTEND:${icsTime(new Date(meeting.endTime))}`,
      // Privacy: a room that hides subjects shows only that it is booked (Danish UI text).
      `SUMMARY:${escapeText(room.showSubjects ? meeting.subject : 'Optaget')}`,
      `LOCATION:${escapeText(meeting.alias)}`,
      `URL:${meeting.joinUrl}`,
      `DESCRIPTION:${escapeText(`Deltag: ${meeting.joinUrl}`)}`,
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}

/** `20260302T090000Z`. */
export function icsTime(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Splits a content line into ≤ 75-octet pieces, continuation lines starting with one space. */
export function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    // Never cut inside a multi-byte character: back up to a byte that starts one.
    while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end--;
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74; // the leading space of a continuation line counts
  }
  return parts.join('\r\n ');
}
