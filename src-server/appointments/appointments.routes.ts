import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  AddParticipantRequest,
  BookableRoomList,
  CalendarParams,
  CalendarQuery,
  MeetingParams,
  Participant,
  ParticipantList,
  ParticipantParams,
} from '../../src-shared/appointments/appointments.contract';
import type { Clock } from '../../src-shared/platform/clock';
import { principal, type RequireAuth } from '../auth/authenticate';
import type { Principal } from '../auth/principal';
import { badRequest, forbidden, notFound } from '../http/errors';
import type { ZodTypeProvider } from '../http/zod-schemas';
import type { OrganisationScopes } from '../organisations/organisation-scope';
import type { AppointmentsService } from './appointments.service';
import type { RoomDirectory } from './meeting-source';
import { roomCalendar } from './room-calendar.ics';

export interface AppointmentsRoutesDeps {
  appointments: AppointmentsService;
  rooms: RoomDirectory;
  /** The room an enrolled device belongs to (so a room's own device may read its calendar). */
  roomOfDevice(deviceId: string): Promise<string | undefined>;
  requireAuth: RequireAuth;
  clock: Clock;
  publicUrl: string;
  /** A management admin reads calendars of its organisation subtree's rooms only (decision 0011). */
  scopes: OrganisationScopes;
}

const DAY = 24 * 3600_000;

/** Booking systems (any VDX meeting role) and management-admin may manage participants. */
function requireBookerOrAdmin(request: FastifyRequest): Principal {
  const p = principal(request);
  if (!p.managementAdmin && p.roles.length === 0) {
    throw forbidden('booking_role_required', 'This needs a VDX meeting role or management-admin');
  }
  return p;
}

/** `/appointments/v1/...`: meeting participants and each room's iCalendar feed. */
export function appointmentsRoutes(app: FastifyInstance, deps: AppointmentsRoutesDeps): void {
  const { appointments } = deps;
  const authenticated = deps.requireAuth();
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['appointments'];

  r.post(
    '/appointments/v1/meetings/:uuid/participants',
    {
      preHandler: authenticated,
      schema: { tags, summary: 'Invite a room (host/guest) or a person', params: MeetingParams, body: AddParticipantRequest, response: { 201: Participant } },
    },
    async (request, reply) => {
      const actor = requireBookerOrAdmin(request);
      return reply.status(201).send(await appointments.add(actor, request.params.uuid, request.body));
    },
  );

  r.get(
    '/appointments/v1/meetings/:uuid/participants',
    { preHandler: authenticated, schema: { tags, params: MeetingParams, response: { 200: ParticipantList } } },
    async (request) => ({ participants: await appointments.list(requireBookerOrAdmin(request), request.params.uuid) }),
  );

  r.delete(
    '/appointments/v1/meetings/:uuid/participants/:participantId',
    { preHandler: authenticated, schema: { tags, params: ParticipantParams } },
    async (request, reply) => {
      await appointments.remove(requireBookerOrAdmin(request), request.params.uuid, request.params.participantId);
      return reply.status(204).send();
    },
  );

  r.get(
    '/appointments/v1/rooms',
    {
      preHandler: authenticated,
      schema: { tags, summary: "The caller's organisation's rooms, to invite as host or guest", response: { 200: BookableRoomList } },
    },
    async (request) => {
      const p = principal(request);
      // Read-only and names only: what a booker needs to pick a room. Other organisations' rooms
      // are not listed (inviting one answers room_not_yours anyway).
      if (p.roles.length === 0) throw forbidden('booking_role_required', 'This needs a VDX meeting role');
      const rooms = await deps.rooms.ofOrganisation(p.organisation);
      return { rooms: rooms.map((r) => ({ id: r.id, name: r.name })) };
    },
  );

  r.get(
    '/appointments/v1/rooms/:id/calendar.ics',
    { preHandler: authenticated, schema: { tags, summary: "The room's meetings as iCalendar (RFC 5545)", params: CalendarParams, querystring: CalendarQuery } },
    async (request, reply) => {
      const p = principal(request);
      const room = await deps.rooms.room(request.params.id);
      if (!room) throw notFound('room_not_found', `No room ${request.params.id}`);
      const ownDevice = p.deviceId !== undefined && (await deps.roomOfDevice(p.deviceId)) === room.id;
      const sameOrgBooker = p.roles.length > 0 && p.organisation === room.organisationCode;
      const adminInScope = p.managementAdmin && (await deps.scopes.ofRequest(request)).has(room.organisationCode);
      if (!adminInScope && !ownDevice && !sameOrgBooker) {
        throw forbidden('room_not_yours', "Only the room's organisation, its devices and management may read this calendar");
      }
      const now = deps.clock.now();
      const from = request.query.from ? new Date(request.query.from) : new Date(now.getTime() - 30 * DAY);
      const to = request.query.to ? new Date(request.query.to) : new Date(now.getTime() + 180 * DAY);
      if (from >= to) throw badRequest('invalid_window', 'from must be before to');
      const items = await appointments.roomAppointments(room.id, from, to);
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('cache-control', 'private, no-cache')
        .send(roomCalendar(room, items, now, new URL(deps.publicUrl).hostname));
    },
  );
}
