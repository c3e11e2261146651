import type { FastifyInstance } from 'fastify';
import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../db/schema';
import { AuditEntryList, AuditQuery } from '../../src-shared/audit/audit.schema';
import type { RequireAuth } from '../auth/authenticate';
import type { Store } from '../db/database';
import type { ZodTypeProvider } from '../http/zod-schemas';
import type { OrganisationScopes } from '../organisations/organisation-scope';

/**
 * `GET /management/v1/audit` (management-admin): reading the audit trail.
 *
 * Organisation scope (decision 0011): the table records the actor's organisation but not the
 * entity's, so an admin outside the national root sees the entries whose actor belongs to its
 * subtree, plus entries about organisations, rooms, devices, themes and API clients that are in
 * its subtree now (resolved against the live tables: once such an entity is deleted, entries about
 * it by actors outside the subtree are no longer shown).
 */
export function auditRoutes(
  app: FastifyInstance,
  deps: { store: Store; requireAuth: RequireAuth; scopes: OrganisationScopes },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/management/v1/audit',
    {
      preHandler: deps.requireAuth({ managementAdmin: true }),
      schema: { tags: ['audit'], summary: 'Audit entries, newest first', querystring: AuditQuery, response: { 200: AuditEntryList } },
    },
    async (request) => {
      const q = request.query;
      const { codes } = await deps.scopes.ofRequest(request);
      if (codes?.length === 0) return { entries: [] };
      let query = deps.store.db.selectFrom('audit_log').selectAll();
      if (codes) {
        const inScope = (table: 'rooms' | 'devices' | 'themes') => (eb: ExpressionBuilder<Database, 'audit_log'>) =>
          eb.selectFrom(table).select('id').where('organisation_code', 'in', codes);
        query = query.where((eb) =>
          eb.or([
            eb('actor_organisation', 'in', codes),
            eb.and([eb('entity_type', '=', 'organisation'), eb('entity_id', 'in', codes)]),
            eb.and([eb('entity_type', '=', 'room'), eb('entity_id', 'in', inScope('rooms')(eb))]),
            eb.and([eb('entity_type', '=', 'device'), eb('entity_id', 'in', inScope('devices')(eb))]),
            eb.and([eb('entity_type', '=', 'theme'), eb('entity_id', 'in', inScope('themes')(eb))]),
            eb.and([
              eb('entity_type', '=', 'api_client'),
              eb('entity_id', 'in', eb.selectFrom('api_clients').select('client_id').where('organisation_code', 'in', codes)),
            ]),
          ]),
        );
      }
      // Stored times are ISO-8601 UTC text, which sorts and compares correctly once the bounds are UTC too.
      if (q.from) query = query.where('at', '>=', new Date(q.from).toISOString());
      if (q.to) query = query.where('at', '<', new Date(q.to).toISOString());
      if (q.entityType) query = query.where('entity_type', '=', q.entityType);
      if (q.entityId) query = query.where('entity_id', '=', q.entityId);
      const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
      return {
        entries: rows.map((row) => ({
          id: row.id,
          at: row.at,
          actor: row.actor,
          actorOrganisation: row.actor_organisation,
          action: row.action,
          entityType: row.entity_type,
          entityId: row.entity_id,
          before: row.before === null ? null : (JSON.parse(row.before) as unknown),
          after: row.after === null ? null : (JSON.parse(row.after) as unknown),
        })),
      };
    },
  );
}
