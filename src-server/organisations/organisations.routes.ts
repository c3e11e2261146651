import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  CreateOrganisationBody,
  Organisation,
  OrganisationList,
  OrganisationParams,
  UpdateOrganisationBody,
} from '../../src-shared/organisations/organisations.schema';
import type { AuditLog } from '../audit/audit.service';
import { principal, type RequireAuth } from '../auth/authenticate';
import type { Store } from '../db/database';
import type { ZodTypeProvider } from '../http/zod-schemas';
import { organisationOutOfScope, type OrganisationScopes } from './organisation-scope';
import { organisationNotFound, type Organisations } from './organisations.service';

const tags = ['organisations'];

/** `/management/v1/organisations` (management-admin): the organisation tree. Writes are audited. */
export function organisationsRoutes(
  app: FastifyInstance,
  deps: {
    store: Store;
    organisations: Organisations;
    audit: AuditLog;
    requireAuth: RequireAuth;
    /** An admin sees and changes only its own organisation and those below it (decision 0011). */
    scopes: OrganisationScopes;
  },
): void {
  const { store, organisations, audit, scopes } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const adminOnly = deps.requireAuth({ managementAdmin: true });
  // Routes naming an organisation: outside the caller's subtree it is organisation_not_found.
  const admin = [adminOnly, scopes.guard(async (code) => (await organisations.get(store.db, code)).code, organisationNotFound, 'code')];
  const entityType = 'organisation';
  /** A new parent must lie in the caller's subtree; only a national admin may make a root. */
  const requireParentInScope = async (request: FastifyRequest, parentCode: string | null) => {
    const scope = await scopes.ofRequest(request);
    if (parentCode === null ? !scope.global : !scope.has(parentCode)) throw organisationOutOfScope(parentCode ?? '(root)');
  };

  r.post(
    '/management/v1/organisations',
    { preHandler: adminOnly, schema: { tags, summary: 'Create an organisation', body: CreateOrganisationBody, response: { 201: Organisation } } },
    async (request, reply) => {
      await requireParentInScope(request, request.body.parentCode ?? null);
      const created = await store.db.transaction().execute(async (trx) => {
        const after = await organisations.create(trx, request.body);
        await audit.record(trx, principal(request), { action: 'organisation.create', entityType, entityId: after.code, after });
        return after;
      });
      return reply.status(201).send(created);
    },
  );

  r.get(
    '/management/v1/organisations',
    { preHandler: adminOnly, schema: { tags, summary: 'List organisations', response: { 200: OrganisationList } } },
    async (request) => {
      const scope = await scopes.ofRequest(request);
      return { organisations: (await organisations.list(store.db)).filter((o) => scope.has(o.code)) };
    },
  );

  r.get(
    '/management/v1/organisations/:code',
    { preHandler: admin, schema: { tags, summary: 'Get an organisation', params: OrganisationParams, response: { 200: Organisation } } },
    async (request) => organisations.get(store.db, request.params.code),
  );

  r.patch(
    '/management/v1/organisations/:code',
    {
      preHandler: admin,
      schema: { tags, summary: 'Change an organisation (null clears a field; parentCode null makes it a root)', params: OrganisationParams, body: UpdateOrganisationBody, response: { 200: Organisation } },
    },
    async (request) => {
      const { code } = request.params;
      if (request.body.parentCode !== undefined) await requireParentInScope(request, request.body.parentCode);
      return store.db.transaction().execute(async (trx) => {
        const before = await organisations.get(trx, code);
        const after = await organisations.update(trx, code, request.body);
        await audit.record(trx, principal(request), { action: 'organisation.update', entityType, entityId: code, before, after });
        return after;
      });
    },
  );

  r.delete(
    '/management/v1/organisations/:code',
    { preHandler: admin, schema: { tags, summary: 'Delete an organisation without children or API clients', params: OrganisationParams } },
    async (request, reply) => {
      const { code } = request.params;
      await store.db.transaction().execute(async (trx) => {
        const before = await organisations.delete(trx, code);
        await audit.record(trx, principal(request), { action: 'organisation.delete', entityType, entityId: code, before });
      });
      return reply.status(204).send();
    },
  );
}
