import type { FastifyInstance } from 'fastify';
import { API_BASE } from '../booking/booking.mapping';
import type { AppointmentsService } from './appointments.service';

/** The booking API paths whose answers carry meetings (a meeting, a list, or scheduling infos). */
const BOOKING_PREFIX = `${API_BASE}/`;

type Json = Record<string, unknown>;

/**
 * Shows a meeting's rooms on the VDX Booking API's own answers, as an extra `rooms` field
 * (`[{roomId, role}]`) on each meeting object — beside, never instead of, the VDX fields, so
 * existing VDX clients are unaffected (they ignore unknown fields) and the booking capability
 * needs no knowledge of appointments. Meetings are recognised by shape: an object with `uuid`,
 * `subject`, `startTime` and `shortId`, at the top level, in a list, or as `meetingDetails`.
 */
export function showRoomsOnBookingMeetings(app: FastifyInstance, appointments: Pick<AppointmentsService, 'roomsOfMeetings'>): void {
  app.addHook('preSerialization', async (request, reply, payload: unknown) => {
    if (!request.url.startsWith(BOOKING_PREFIX) || reply.statusCode >= 300 || !payload || typeof payload !== 'object') return payload;
    const meetings = collectMeetings(payload);
    if (meetings.length === 0) return payload;
    if (request.routeOptions.config.answersNewMeetings) {
      // Why: the busiest booking call (create) needs no query here — booking marks the routes
      // whose answer is a meeting this request just created, with a fresh uuid nobody could have
      // given rooms yet, so its rooms are always empty.
      for (const m of meetings) m.rooms = [];
      return payload;
    }
    const rooms = await appointments.roomsOfMeetings([...new Set(meetings.map((m) => m.uuid as string))]);
    for (const m of meetings) m.rooms = rooms.get(m.uuid as string) ?? [];
    return payload;
  });
}

function isMeeting(v: unknown): v is Json {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Json;
  return typeof o.uuid === 'string' && typeof o.subject === 'string' && typeof o.startTime === 'string' && 'shortId' in o;
}

function collectMeetings(payload: object): Json[] {
  const items = Array.isArray(payload) ? payload : [payload];
  const found: Json[] = [];
  for (const item of items) {
    if (isMeeting(item)) found.push(item);
    const details = item && typeof item === 'object' ? (item as Json).meetingDetails : undefined;
    if (isMeeting(details)) found.push(details);
  }
  return found;
}
