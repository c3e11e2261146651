import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../src-shared/platform/clock';
import type { AppointmentsService } from '../appointments/appointments.service';
import type { RoomDirectory } from '../appointments/meeting-source';
import type { RequireAuth } from '../auth/authenticate';
import type { DevicesService } from '../devices/devices.service';
import type { DomainEventBus } from '../events/domain-events';
import { deviceScheduleRoutes } from './device-schedule.routes';
import { DeviceScheduleService, type RoomEventPublisher } from './device-schedule.service';

export interface DeviceScheduleDeps {
  clock: Clock;
  events: DomainEventBus;
  requireAuth: RequireAuth;
  appointments: AppointmentsService;
  /** The rooms capability's room facts (`RoomsService.directory`). */
  rooms: RoomDirectory;
  /** The room of an enrolled device: whose schedule a device token reads. */
  devices: Pick<DevicesService, 'roomOfDevice'>;
  /** The device event hub the push goes out on. */
  hub: RoomEventPublisher;
  /** Base URL of the conference node devices join on. */
  conferenceNodeUrl: string;
}

/**
 * The device's schedule (`GET /device/v1/me/schedule`), and the push that makes a booking or
 * appointment change reach the room's devices at once (`schedule_changed`, until the server closes).
 */
export function deviceSchedule(app: FastifyInstance, deps: DeviceScheduleDeps) {
  const schedule = new DeviceScheduleService({
    clock: deps.clock,
    appointments: deps.appointments,
    rooms: deps.rooms,
    conferenceNodeUrl: deps.conferenceNodeUrl,
  });
  deviceScheduleRoutes(app, {
    schedule,
    requireAuth: deps.requireAuth,
    roomOfDevice: (deviceId) => deps.devices.roomOfDevice(deviceId),
  });
  const stopPush = schedule.pushChanges(deps.events, deps.hub);
  app.addHook('onClose', async () => stopPush());
  return schedule;
}
