import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CommandCreate, CommandResult } from '../../src-shared/devices/commands.schema';
import { EntityId } from '../../src-shared/devices/common.schema';
import { DeviceListQuery } from '../../src-shared/devices/devices.schema';
import { EnrollRequest } from '../../src-shared/devices/enrolment.schema';
import { FleetSummaryQuery, HealthQuery } from '../../src-shared/devices/health.schema';
import { CallSummary, Heartbeat } from '../../src-shared/devices/heartbeat.schema';
import { principal, type RequireAuth } from '../auth/authenticate';
import type { ZodTypeProvider } from '../http/zod-schemas';
import type { OrganisationScopes } from '../organisations/organisation-scope';
import type { CommandsService } from './commands/commands.service';
import { deviceNotFound, type DevicesService } from './devices.service';
import type { EnrolmentService } from './enrolment/enrolment.service';
import type { HealthService } from './health/health.service';

const IdParams = z.object({ id: EntityId });

export interface DeviceRouteDeps {
  devices: DevicesService;
  enrolment: EnrolmentService;
  health: HealthService;
  commands: CommandsService;
  requireAuth: RequireAuth;
  /** Admins see and manage only devices of their organisation subtree (decision 0011). */
  scopes: OrganisationScopes;
}

/** Per-route body limits: a device never needs more, so anything bigger is refused with 413. */
const LIMITS = { enroll: 16 * 1024, heartbeat: 64 * 1024, callSummary: 16 * 1024, commandResult: 80 * 1024 };

/** Management of devices (list, health, commands, credentials) and the fleet summary. */
export function deviceManagementRoutes(app: FastifyInstance, deps: DeviceRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const adminOnly = deps.requireAuth({ managementAdmin: true });
  // Every route below with a device id in its path: out of scope answers device_not_found.
  const admin = [adminOnly, deps.scopes.guard(async (id) => (await deps.devices.row(id)).organisation_code, deviceNotFound)];
  const tags = ['management: devices'];

  r.get('/management/v1/devices', { preHandler: adminOnly, schema: { querystring: DeviceListQuery, tags } }, async (req) =>
    deps.devices.list({
      ...req.query,
      includeRevoked: req.query.includeRevoked === 'true',
      organisationCodes: (await deps.scopes.ofRequest(req)).codes,
    }),
  );
  r.get('/management/v1/devices/:id', { preHandler: admin, schema: { params: IdParams, tags } }, async (req) =>
    deps.devices.get(req.params.id),
  );
  r.post('/management/v1/devices/:id/revoke', { preHandler: admin, schema: { params: IdParams, tags } }, async (req) =>
    deps.devices.revoke(principal(req), req.params.id),
  );
  r.post('/management/v1/devices/:id/rotate', { preHandler: admin, schema: { params: IdParams, tags } }, async (req) =>
    deps.devices.rotate(principal(req), req.params.id),
  );
  r.delete('/management/v1/devices/:id', { preHandler: admin, schema: { params: IdParams, tags } }, async (req, reply) => {
    await deps.devices.delete(principal(req), req.params.id);
    return reply.status(204).send();
  });
  r.get(
    '/management/v1/devices/:id/health',
    { preHandler: admin, schema: { params: IdParams, querystring: HealthQuery, tags } },
    async (req) => deps.health.health(req.params.id, req.query),
  );
  r.post(
    '/management/v1/devices/:id/commands',
    { preHandler: admin, schema: { params: IdParams, body: CommandCreate, tags } },
    async (req, reply) => reply.status(201).send(await deps.commands.create(principal(req), req.params.id, req.body)),
  );
  r.get('/management/v1/devices/:id/commands', { preHandler: admin, schema: { params: IdParams, tags } }, async (req) =>
    deps.commands.list(req.params.id),
  );
  r.get('/management/v1/fleet/summary', { preHandler: adminOnly, schema: { querystring: FleetSummaryQuery, tags } }, async (req) =>
    deps.health.fleetSummary({ ...req.query, organisationCodes: (await deps.scopes.ofRequest(req)).codes }),
  );
}

/** The device's own API: enrolment (no token), then everything under `me` with its device token. */
export function deviceApiRoutes(app: FastifyInstance, deps: DeviceRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const device = deps.requireAuth({ scope: 'device' });
  const tags = ['device'];

  r.post('/device/v1/enroll', { bodyLimit: LIMITS.enroll, schema: { body: EnrollRequest, tags } }, async (req, reply) =>
    reply.status(201).send(await deps.enrolment.enroll(req.body, req.ip)),
  );
  r.get('/device/v1/me/config', { preHandler: device }, async (req) =>
    deps.devices.config(await deps.devices.me(principal(req))),
  );
  r.post(
    '/device/v1/me/heartbeat',
    { preHandler: device, bodyLimit: LIMITS.heartbeat, schema: { body: Heartbeat, tags } },
    async (req) => deps.health.heartbeat(await deps.devices.me(principal(req)), req.body),
  );
  r.post(
    '/device/v1/me/call-summaries',
    { preHandler: device, bodyLimit: LIMITS.callSummary, schema: { body: CallSummary, tags } },
    async (req, reply) => {
      const stored = await deps.health.callSummary(await deps.devices.me(principal(req)), req.body);
      return reply.status(stored.created ? 201 : 200).send({ id: stored.id, goodQuality: stored.goodQuality });
    },
  );
  r.post(
    '/device/v1/me/commands/:id/result',
    { preHandler: device, bodyLimit: LIMITS.commandResult, schema: { params: IdParams, body: CommandResult, tags } },
    async (req) => deps.commands.result(await deps.devices.me(principal(req)), req.params.id, req.body),
  );
}
