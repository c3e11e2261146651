import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../src-shared/platform/clock';
import type { AuditLog } from '../audit/audit.service';
import type { RequireAuth } from '../auth/authenticate';
import type { Store } from '../db/database';
import type { DomainEventBus } from '../events/domain-events';
import type { OrganisationScopes } from '../organisations/organisation-scope';
import { ActivationCodesService } from './activation/activation-codes.service';
import { CommandsService } from './commands/commands.service';
import type { DeviceClients } from './device-clients';
import { DEFAULT_FLEET_SETTINGS, type FleetContext, type FleetSettings } from './device-fleet.context';
import { deviceApiRoutes, deviceManagementRoutes } from './devices.routes';
import { DevicesService } from './devices.service';
import { EnrolmentService } from './enrolment/enrolment.service';
import { followOtherInstances } from './events/cross-instance-streams';
import { DeviceEventHub } from './events/device-event-hub';
import { deviceEventsRoutes } from './events/device-events.routes';
import { managementEventsRoutes, type ManagementStreamTiming } from './events/management-events.routes';
import { HealthService } from './health/health.service';
import { RoomsService } from './rooms/rooms.service';
import { roomsRoutes } from './rooms/rooms.routes';
import { ThemesService } from './themes/themes.service';

export interface DeviceFleetDeps {
  store: Store;
  clock: Clock;
  audit: AuditLog;
  events: DomainEventBus;
  requireAuth: RequireAuth;
  /** Management admins' organisation subtrees (decision 0011). */
  scopes: OrganisationScopes;
  /** The OAuth2 client registry (`ApiClients`), for device credentials. */
  clients: DeviceClients;
  publicUrl: string;
  settings?: Partial<FleetSettings>;
  /** Pacing of `GET /management/v1/events` (tests shorten it). */
  managementStream?: Partial<ManagementStreamTiming>;
}

/**
 * Builds the device-fleet services (rooms, themes, activation codes, enrolment, devices, health,
 * commands) and the event hub, and mounts their routes. Returns what other capabilities use: the
 * hub every capability reaches room devices through (publish / publishToRoom / broadcast; its
 * streams close with the server), the services, and how the streams follow other instances.
 */
export function deviceFleet(app: FastifyInstance, deps: DeviceFleetDeps) {
  const hub = new DeviceEventHub(deps.clock);
  app.addHook('preClose', async () => hub.close());
  const ctx: FleetContext = {
    store: deps.store,
    clock: deps.clock,
    audit: deps.audit,
    hub,
    events: deps.events,
    publicUrl: deps.publicUrl,
    settings: { ...DEFAULT_FLEET_SETTINGS, ...deps.settings },
  };
  const rooms = new RoomsService(ctx);
  const themes = new ThemesService(ctx);
  const codes = new ActivationCodesService(ctx, rooms);
  const devices = new DevicesService(ctx, deps.clients);
  const enrolment = new EnrolmentService(ctx, deps.clients);
  const health = new HealthService(ctx, devices);
  const commands = new CommandsService(ctx, devices);

  roomsRoutes(app, { rooms, codes, themes, requireAuth: deps.requireAuth, scopes: deps.scopes });
  const routeDeps = { devices, enrolment, health, commands, requireAuth: deps.requireAuth, scopes: deps.scopes };
  deviceManagementRoutes(app, routeDeps);
  deviceApiRoutes(app, routeDeps);
  deviceEventsRoutes(app, { clock: deps.clock, hub, devices, commands, requireAuth: deps.requireAuth });
  managementEventsRoutes(app, { events: deps.events, requireAuth: deps.requireAuth, scopes: deps.scopes, timing: deps.managementStream });

  return {
    hub,
    rooms,
    themes,
    codes,
    devices,
    enrolment,
    health,
    commands,
    /** For the event relay: device streams act on facts from other instances; returns the unsubscribe. */
    followOtherInstances: () => followOtherInstances(deps.events, { hub, commands, store: deps.store, clock: deps.clock }),
  };
}

export type DeviceFleet = ReturnType<typeof deviceFleet>;
