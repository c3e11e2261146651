import type { RoomAppointment } from './appointments.service';
import type { RoomView } from './meeting-source';
import { escapeText, icsDocument, icsTime } from '../../src-shared/calendar/ics-text';

export { escapeText, fold, icsTime } from '../../src-shared/calendar/ics-text';

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
  return icsDocument(lines);
}
