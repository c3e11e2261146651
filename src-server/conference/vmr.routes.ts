import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  LiveConferenceList,
  Vmr,
  VmrAliasParams,
  VmrCreate,
  VmrList,
  VmrPatch,
} from '../../src-shared/conference/vmr.schema';
import type { Clock } from '../../src-shared/platform/clock';
import type { AuditLog } from '../audit/audit.service';
import { principal, type RequireAuth } from '../auth/authenticate';
import type { Store } from '../db/database';
import { conflict, notFound, type HttpError } from '../http/errors';
import type { ZodTypeProvider } from '../http/zod-schemas';
import type { OrganisationScopes } from '../organisations/organisation-scope';
import { EndReason, type ConferenceRegistry } from './conference-registry';
import { VmrStore, vmrRoom } from './vmr.store';

export interface VmrRoutesDeps {
  store: Store;
  clock: Clock;
  audit: AuditLog;
  requireAuth: RequireAuth;
  registry: ConferenceRegistry;
  /**
   * VMRs and live conferences carry no organisation: they are the conference node's, which the
   * national root runs. Other admins see none and change none (decision 0011).
   */
  scopes: OrganisationScopes;
  vmrs?: VmrStore;
}

const vmrNotFound = (alias: string) => notFound('vmr_not_found', `No VMR ${alias}`);

/** Makes every stored VMR joinable; run once at start-up. */
export async function loadVmrs(store: Store, registry: ConferenceRegistry, vmrs = new VmrStore()): Promise<number> {
  const all = await vmrs.list(store.db);
  for (const v of all) registry.setRoom(vmrRoom(v));
  return all.length;
}

/**
 * `/management/v1/vmrs` (fixed meeting rooms, joinable at once on this node) and
 * `/management/v1/conferences` (what is live right now). management-admin only.
 */
export function vmrRoutes(app: FastifyInstance, deps: VmrRoutesDeps): void {
  const { store, clock, audit, requireAuth, registry } = deps;
  const vmrs = deps.vmrs ?? new VmrStore();
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { scopes } = deps;
  const anyAdmin = requireAuth({ managementAdmin: true });
  const isNational = async (request: FastifyRequest) => (await scopes.ofRequest(request)).global;
  /** Routes naming a VMR or a conference: outside the national root it does not exist. */
  const hiddenUnlessNational = (hidden: (alias: string) => HttpError) => async (request: FastifyRequest) => {
    if (!(await isNational(request))) throw hidden((request.params as { alias: string }).alias);
  };
  const admin = [anyAdmin, hiddenUnlessNational(vmrNotFound)];
  const tags = ['conference'];

  typed.get(
    '/management/v1/vmrs',
    { preHandler: anyAdmin, schema: { tags, summary: 'List fixed VMRs', response: { 200: VmrList } } },
    async (request) => ({ vmrs: (await isNational(request)) ? await vmrs.list(store.db) : [] }),
  );

  typed.get(
    '/management/v1/vmrs/:alias',
    { preHandler: admin, schema: { tags, summary: 'Get a fixed VMR', params: VmrAliasParams, response: { 200: Vmr } } },
    async (request) => {
      const vmr = await vmrs.get(store.db, request.params.alias);
      if (!vmr) throw vmrNotFound(request.params.alias);
      return vmr;
    },
  );

  typed.post(
    '/management/v1/vmrs',
    { preHandler: [anyAdmin, (request: FastifyRequest) => scopes.requireNational(request)], schema: { tags, summary: 'Create a fixed VMR', body: VmrCreate, response: { 201: Vmr } } },
    async (request, reply) => {
      const body = request.body;
      const alias = body.alias.toLowerCase();
      if (registry.roomIdOf(alias)) throw conflict('alias_taken', `The alias ${alias} is already in use`);
      const now = clock.now().toISOString();
      const vmr: Vmr = {
        alias,
        name: body.name,
        hostPin: body.hostPin,
        guestPin: body.guestPin ?? null,
        theme: body.theme ?? null,
        directMedia: body.directMedia ?? 'best_effort',
        maxParticipants: body.maxParticipants ?? null,
        guestsCanPresent: body.guestsCanPresent ?? true,
        muteAllGuests: body.muteAllGuests ?? false,
        lockedByDefault: body.lockedByDefault ?? false,
        createdAt: now,
        updatedAt: now,
      };
      await store.db.transaction().execute(async (trx) => {
        if (await vmrs.get(trx, alias)) throw conflict('alias_taken', `The alias ${alias} is already in use`);
        await vmrs.insert(trx, vmr);
        await audit.record(trx, principal(request), { action: 'vmr.create', entityType: 'vmr', entityId: alias, after: vmr });
      });
      registry.setRoom(vmrRoom(vmr));
      return reply.code(201).send(vmr);
    },
  );

  typed.patch(
    '/management/v1/vmrs/:alias',
    { preHandler: admin, schema: { tags, summary: 'Change a fixed VMR', params: VmrAliasParams, body: VmrPatch, response: { 200: Vmr } } },
    async (request) => {
      const patch = request.body;
      const updated = await store.db.transaction().execute(async (trx) => {
        const before = await vmrs.get(trx, request.params.alias);
        if (!before) throw vmrNotFound(request.params.alias);
        const after: Vmr = {
          ...before,
          ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
          guestPin: patch.guestPin === undefined ? before.guestPin : patch.guestPin,
          theme: patch.theme === undefined ? before.theme : patch.theme,
          maxParticipants: patch.maxParticipants === undefined ? before.maxParticipants : patch.maxParticipants,
          updatedAt: clock.now().toISOString(),
        };
        if (after.guestPin && after.guestPin === after.hostPin) {
          throw conflict('pins_equal', 'guestPin must differ from hostPin');
        }
        await vmrs.update(trx, after);
        await audit.record(trx, principal(request), { action: 'vmr.update', entityType: 'vmr', entityId: after.alias, before, after });
        return after;
      });
      registry.setRoom(vmrRoom(updated));
      return updated;
    },
  );

  typed.delete(
    '/management/v1/vmrs/:alias',
    { preHandler: admin, schema: { tags, summary: 'Delete a fixed VMR (ends its live conference)', params: VmrAliasParams } },
    async (request, reply) => {
      const alias = request.params.alias.toLowerCase();
      await store.db.transaction().execute(async (trx) => {
        const before = await vmrs.get(trx, alias);
        if (!before) throw vmrNotFound(alias);
        await vmrs.delete(trx, alias);
        await audit.record(trx, principal(request), { action: 'vmr.delete', entityType: 'vmr', entityId: alias, before });
      });
      await registry.removeRoom(`vmr:${alias}`, EndReason.byAdministrator);
      return reply.code(204).send();
    },
  );

  typed.get(
    '/management/v1/conferences',
    { preHandler: anyAdmin, schema: { tags, summary: 'Live conferences on this node', response: { 200: LiveConferenceList } } },
    async (request) => ({ conferences: (await isNational(request)) ? registry.liveConferences() : [] }),
  );

  typed.post(
    '/management/v1/conferences/:alias/end',
    {
      preHandler: [anyAdmin, hiddenUnlessNational((alias) => notFound('conference_not_live', `No live conference at ${alias}`))],
      schema: { tags, summary: 'End a live conference for everyone', params: z.object({ alias: z.string().min(1).max(200) }) },
    },
    async (request, reply) => {
      const live = registry.live(request.params.alias);
      if (!live) throw notFound('conference_not_live', `No live conference at ${request.params.alias}`);
      await live.end(EndReason.byAdministrator);
      return reply.code(204).send();
    },
  );
}
