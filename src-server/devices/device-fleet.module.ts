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
import type { DeviceEventHub } from './events/device-event-hub';
import { deviceEventsRoutes } from './events/device-events.routes';
import { HealthService } from './health/health.service';
import { RoomsService } from './rooms/rooms.service';
import { roomsRoutes } from './rooms/rooms.routes';
import { ThemesService } from './themes/themes.service';

export interface DeviceFleetDeps {
  store: Store;
  clock: Clock;
  audit: AuditLog;
  hub: DeviceEventHub;
  events: DomainEventBus;
  requireAuth: RequireAuth;
  /** Management admins' organisation subtrees (decision 0011). */
  scopes: OrganisationScopes;
  /** The OAuth2 client registry (`ApiClients`), for device credentials. */
  clients: DeviceClients;
  publicUrl: string;
  settings?: Partial<FleetSettings>;
}

/**
 * Builds the device-fleet services (rooms, themes, activation codes, enrolment, devices, health,
 * commands) and mounts their routes. Returns the services other capabilities may use.
 */
export function deviceFleet(app: FastifyInstance, deps: DeviceFleetDeps) {
  const ctx: FleetContext = {
    store: deps.store,
    clock: deps.clock,
    audit: deps.audit,
    hub: deps.hub,
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
  deviceEventsRoutes(app, { clock: deps.clock, hub: deps.hub, devices, commands, requireAuth: deps.requireAuth });

  return { rooms, themes, codes, devices, enrolment, health, commands };
}

export type DeviceFleet = ReturnType<typeof deviceFleet>;
