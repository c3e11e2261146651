import type { FastifyInstance } from 'fastify';
import {
  CreateStaffUserBody,
  ResetLink,
  StaffUser,
  StaffUserList,
  StaffUserListQuery,
  StaffUserParams,
  TotpEnrolment,
  UpdateStaffUserBody,
} from '../../src-shared/identity/staff-users.schema';
import type { AuditLog } from '../audit/audit.service';
import { principal, type RequireAuth } from '../auth/authenticate';
import type { Store } from '../db/database';
import { badRequest } from '../http/errors';
import type { ZodTypeProvider } from '../http/zod-schemas';
import type { OrganisationScopes } from '../organisations/organisation-scope';
import { getOrganisation } from '../organisations/organisations.service';
import type { PasswordResets } from './password-resets.service';
import { newTotp } from './staff-sign-in.service';
import { checkPasswordLength, hashPassword, staffUserNotFound, type StaffUsers } from './staff-users.service';

const tags = ['users'];

/**
 * `/management/v1/users`: the people who sign in (management-admin, organisation-scoped per
 * decision 0011: an admin sees and changes only people of its subtree; elsewhere a person is
 * `user_not_found`). Every write is audited in its transaction; passwords, reset tokens and TOTP
 * secrets never enter the audit trail or a response other than the one that creates them.
 */
export function usersRoutes(
  app: FastifyInstance,
  deps: {
    store: Store;
    users: StaffUsers;
    resets: PasswordResets;
    audit: AuditLog;
    requireAuth: RequireAuth;
    scopes: OrganisationScopes;
    /** The ids of `VDX_OIDC_PROVIDERS`, which `externalProvider` may name. */
    externalProviderIds: readonly string[];
  },
): void {
  const { store, users, resets, audit, scopes } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const adminOnly = deps.requireAuth({ managementAdmin: true });
  // A person's organisation never changes through this API, so the guard cannot be raced by a PATCH.
  const ownerOf = async (id: string) => (await users.get(id)).organisationCode;
  const admin = [adminOnly, scopes.guard(ownerOf, staffUserNotFound)];

  r.get(
    '/management/v1/users',
    { preHandler: adminOnly, schema: { tags, summary: 'List the people who sign in', querystring: StaffUserListQuery, response: { 200: StaffUserList } } },
    async (request) => ({ users: await users.list({ ...request.query, organisations: (await scopes.ofRequest(request)).codes }) }),
  );

  r.post(
    '/management/v1/users',
    {
      preHandler: adminOnly,
      schema: { tags, summary: 'Create a person (password optional: without one they sign in through an IdP or a reset link)', body: CreateStaffUserBody, response: { 201: StaffUser } },
    },
    async (request, reply) => {
      const body = request.body;
      const organisationCode = body.organisationCode ?? principal(request).organisation;
      await scopes.requireWritable(request, organisationCode);
      if (body.password !== undefined) checkPasswordLength(body.password);
      // scrypt outside the transaction (on SQLite a transaction holds the one connection).
      const passwordHash = body.password === undefined ? null : await hashPassword(body.password);
      const created = await store.db.transaction().execute(async (trx) => {
        if (!(await getOrganisation(trx, organisationCode))) {
          throw badRequest('organisation_not_found', `No organisation "${organisationCode}"`);
        }
        const user = await users.create({ email: body.email, name: body.name, organisationCode, roles: body.roles, passwordHash }, trx);
        await audit.record(trx, principal(request), { action: 'user.create', entityType: 'user', entityId: user.id, after: user });
        return user;
      });
      return reply.status(201).send(created);
    },
  );

  r.get(
    '/management/v1/users/:id',
    { preHandler: admin, schema: { tags, summary: 'Get a person', params: StaffUserParams, response: { 200: StaffUser } } },
    async (request) => users.get(request.params.id),
  );

  r.patch(
    '/management/v1/users/:id',
    {
      preHandler: admin,
      schema: { tags, summary: 'Change name, roles, disabled or the external provider (roles apply to tokens issued from now on; disabling stops current ones at once)', params: StaffUserParams, body: UpdateStaffUserBody, response: { 200: StaffUser } },
    },
    async (request) => {
      const { id } = request.params;
      const provider = request.body.externalProvider;
      if (provider != null && !deps.externalProviderIds.includes(provider)) {
        throw badRequest('unknown_provider', `No identity provider "${provider}" is configured (VDX_OIDC_PROVIDERS)`);
      }
      return store.db.transaction().execute(async (trx) => {
        const before = await users.get(id, trx);
        const after = await users.update(id, request.body, trx);
        await audit.record(trx, principal(request), { action: 'user.update', entityType: 'user', entityId: id, before, after });
        return after;
      });
    },
  );

  r.post(
    '/management/v1/users/:id/reset-link',
    { preHandler: admin, schema: { tags, summary: 'Issue a one-time link (24 h) to set a password; older links stop working', params: StaffUserParams, response: { 201: ResetLink } } },
    async (request, reply) => {
      const { id } = request.params;
      const link = await store.db.transaction().execute(async (trx) => {
        await users.get(id, trx);
        const issued = await resets.issue(id, trx);
        await audit.record(trx, principal(request), { action: 'user.reset-link', entityType: 'user', entityId: id, after: { expiresAt: issued.expiresAt } });
        return issued;
      });
      return reply.status(201).send(link);
    },
  );

  r.post(
    '/management/v1/users/:id/totp',
    { preHandler: admin, schema: { tags, summary: 'Enrol a TOTP second factor (replaces any earlier one; the secret is shown once)', params: StaffUserParams, response: { 201: TotpEnrolment } } },
    async (request, reply) => {
      const { id } = request.params;
      const enrolment = await store.db.transaction().execute(async (trx) => {
        const user = await users.get(id, trx);
        const totp = newTotp(user.email);
        await users.setTotpSecret(id, totp.secret, trx);
        await audit.record(trx, principal(request), { action: 'user.totp-enrol', entityType: 'user', entityId: id, before: { totpEnabled: user.totpEnabled }, after: { totpEnabled: true } });
        return totp;
      });
      return reply.status(201).send(enrolment);
    },
  );

  r.delete(
    '/management/v1/users/:id/totp',
    { preHandler: admin, schema: { tags, summary: 'Remove the TOTP second factor', params: StaffUserParams, response: { 200: StaffUser } } },
    async (request) => {
      const { id } = request.params;
      return store.db.transaction().execute(async (trx) => {
        const before = await users.get(id, trx);
        await users.setTotpSecret(id, null, trx);
        const after = await users.get(id, trx);
        await audit.record(trx, principal(request), { action: 'user.totp-remove', entityType: 'user', entityId: id, before, after });
        return after;
      });
    },
  );
}
