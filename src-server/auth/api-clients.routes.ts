import type { FastifyInstance } from 'fastify';
import {
  ApiClient,
  ApiClientList,
  ApiClientListQuery,
  ApiClientParams,
  ApiClientWithSecret,
  CreateApiClientBody,
  RotatedSigningKey,
  UpdateApiClientBody,
} from '../../src-shared/auth/api-clients.schema';
import type { AuditLog } from '../audit/audit.service';
import type { Store } from '../db/database';
import { badRequest } from '../http/errors';
import type { ZodTypeProvider } from '../http/zod-schemas';
import type { OrganisationScopes } from '../organisations/organisation-scope';
import { getOrganisation } from '../organisations/organisations.service';
import { apiClientNotFound, type ApiClients } from './api-clients.service';
import { principal, type RequireAuth } from './authenticate';
import type { SigningKeys } from './signing-keys';

const tags = ['api-clients'];

/**
 * `/management/v1/api-clients` and `/management/v1/signing-keys` (management-admin). Every write
 * runs in one transaction with its audit entry. Secrets appear only in the create and
 * rotate-secret responses; audit entries never hold them.
 */
export function apiClientsRoutes(
  app: FastifyInstance,
  deps: {
    store: Store;
    apiClients: ApiClients;
    signingKeys: SigningKeys;
    audit: AuditLog;
    requireAuth: RequireAuth;
    /** Admins see and manage only clients of their organisation subtree (decision 0011). */
    scopes: OrganisationScopes;
  },
): void {
  const { store, apiClients, signingKeys, audit, scopes } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const adminOnly = deps.requireAuth({ managementAdmin: true });
  // Routes naming a client: outside the caller's subtree it is api_client_not_found. A client's
  // organisation never changes after creation, so the check cannot be raced by a PATCH.
  const ownerOf = async (clientId: string) => {
    const client = await apiClients.get(clientId);
    if (!client) throw apiClientNotFound(clientId);
    return client.organisation;
  };
  const admin = [adminOnly, scopes.guard(ownerOf, apiClientNotFound, 'clientId')];

  r.post(
    '/management/v1/api-clients',
    { preHandler: adminOnly, schema: { tags, summary: 'Create an API client (the secret is shown once)', body: CreateApiClientBody, response: { 201: ApiClientWithSecret } } },
    async (request, reply) => {
      const who = principal(request);
      const body = request.body;
      const organisation = body.organisation ?? who.organisation;
      await scopes.requireWritable(request, organisation);
      const prepared = await apiClients.prepareSecret();
      const created = await store.db.transaction().execute(async (trx) => {
        if (!(await getOrganisation(trx, organisation))) {
          throw badRequest('organisation_not_found', `No organisation "${organisation}"`);
        }
        const result = await apiClients.create(
          {
            kind: 'system',
            name: body.name,
            organisation,
            email: body.email ?? null,
            roles: body.roles,
            managementAdmin: body.managementAdmin,
            scopes: body.scopes,
            preparedSecret: prepared,
          },
          trx,
        );
        await audit.record(trx, who, { action: 'api-client.create', entityType: 'api_client', entityId: result.client.clientId, after: result.client });
        return result;
      });
      return reply.status(201).send({ ...created.client, clientSecret: created.clientSecret });
    },
  );

  r.get(
    '/management/v1/api-clients',
    { preHandler: adminOnly, schema: { tags, summary: 'List API clients', querystring: ApiClientListQuery, response: { 200: ApiClientList } } },
    async (request) => ({ clients: await apiClients.list({ ...request.query, organisations: (await scopes.ofRequest(request)).codes }) }),
  );

  r.get(
    '/management/v1/api-clients/:clientId',
    { preHandler: admin, schema: { tags, summary: 'Get an API client', params: ApiClientParams, response: { 200: ApiClient } } },
    async (request) => {
      const client = await apiClients.get(request.params.clientId);
      if (!client) throw apiClientNotFound(request.params.clientId);
      return client;
    },
  );

  r.patch(
    '/management/v1/api-clients/:clientId',
    {
      preHandler: admin,
      schema: { tags, summary: 'Change name, e-mail, roles or scopes (applies to tokens issued from now on)', params: ApiClientParams, body: UpdateApiClientBody, response: { 200: ApiClient } },
    },
    async (request) => {
      const { clientId } = request.params;
      return store.db.transaction().execute(async (trx) => {
        const before = await apiClients.get(clientId, trx);
        const after = await apiClients.update(clientId, request.body, trx);
        await audit.record(trx, principal(request), { action: 'api-client.update', entityType: 'api_client', entityId: clientId, before, after });
        return after;
      });
    },
  );

  r.post(
    '/management/v1/api-clients/:clientId/rotate-secret',
    {
      preHandler: admin,
      schema: { tags, summary: 'Replace the secret (the new one is shown once; the old one stops working)', params: ApiClientParams, response: { 200: ApiClientWithSecret } },
    },
    async (request) => {
      const { clientId } = request.params;
      const prepared = await apiClients.prepareSecret();
      const rotated = await store.db.transaction().execute(async (trx) => {
        const result = await apiClients.rotateSecret(clientId, trx, prepared);
        await audit.record(trx, principal(request), { action: 'api-client.rotate-secret', entityType: 'api_client', entityId: clientId, after: result.client });
        return result;
      });
      return { ...rotated.client, clientSecret: rotated.clientSecret };
    },
  );

  r.post(
    '/management/v1/api-clients/:clientId/revoke',
    {
      preHandler: admin,
      schema: { tags, summary: 'Revoke: no new tokens, and its tokens are refused from now on', params: ApiClientParams, response: { 200: ApiClient } },
    },
    async (request) => {
      const { clientId } = request.params;
      return store.db.transaction().execute(async (trx) => {
        const before = await apiClients.get(clientId, trx);
        const after = await apiClients.revoke(clientId, trx);
        if (before?.revokedAt === null) {
          await audit.record(trx, principal(request), { action: 'api-client.revoke', entityType: 'api_client', entityId: clientId, before, after });
        }
        return after;
      });
    },
  );

  r.post(
    '/management/v1/signing-keys/rotate',
    { preHandler: adminOnly, schema: { tags: ['signing-keys'], summary: 'Start signing with a new key; the old one stays published until its tokens expire', response: { 200: RotatedSigningKey } } },
    async (request) => {
      // The signing key serves every organisation: only a national admin rotates it.
      await scopes.requireNational(request);
      const key = await store.db.transaction().execute(async (trx) => {
        const rotated = await signingKeys.rotate(trx);
        await audit.record(trx, principal(request), { action: 'signing-key.rotate', entityType: 'signing_key', entityId: rotated.kid, after: { kid: rotated.kid, alg: rotated.alg } });
        return rotated;
      });
      // A request served while the transaction was open may have cached the old key again.
      signingKeys.invalidate();
      return { kid: key.kid, alg: key.alg };
    },
  );
}
