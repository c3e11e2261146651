import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../src-shared/platform/clock';
import type { RequireAuth } from '../auth/authenticate';
import type { SchedulingInfoService } from '../booking/scheduling-info.service';
import type { Store } from '../db/database';
import type { DevicesService } from '../devices/devices.service';
import type { DomainEventBus } from '../events/domain-events';
import type { OrganisationScopes } from '../organisations/organisation-scope';
import { appointmentsRoutes } from './appointments.routes';
import { AppointmentsService } from './appointments.service';
import { BookingMeetingSource } from './booking-meeting-source';
import { showRoomsOnBookingMeetings } from './meeting-rooms.hook';
import type { RoomDirectory } from './meeting-source';

export interface AppointmentsDeps {
  store: Store;
  clock: Clock;
  events: DomainEventBus;
  requireAuth: RequireAuth;
  /** A management admin acts on meetings and calendars of its organisation subtree only (decision 0011). */
  scopes: OrganisationScopes;
  /** Booked meetings, read through the booking capability's in-process API. */
  bookings: Pick<SchedulingInfoService, 'bookedByUuid'>;
  /** The rooms capability's room facts (`RoomsService.directory`). */
  rooms: RoomDirectory;
  /** The room of an enrolled device (a room's own device may read its calendar). */
  devices: Pick<DevicesService, 'roomOfDevice'>;
  /** The server's public URL (its host names the calendar entries). */
  publicUrl: string;
}

/**
 * Appointments: the rooms and people taking part in booked meetings
 * (`/appointments/v1/meetings/{uuid}/participants`), each room's calendar.ics, and the rooms shown
 * on the booking API's meeting answers. Returns the service the device schedule reads.
 */
export function appointments(app: FastifyInstance, deps: AppointmentsDeps) {
  const { store, clock, scopes, rooms } = deps;
  const service = new AppointmentsService({
    store,
    clock,
    events: deps.events,
    meetings: new BookingMeetingSource(deps.bookings, store),
    rooms,
    adminCovers: async (actor, organisationCode) => (await scopes.of(actor)).has(organisationCode),
  });
  appointmentsRoutes(app, {
    appointments: service,
    rooms,
    roomOfDevice: (deviceId) => deps.devices.roomOfDevice(deviceId),
    requireAuth: deps.requireAuth,
    clock,
    publicUrl: deps.publicUrl,
    scopes,
  });
  showRoomsOnBookingMeetings(app, service);
  return service;
}
