import type { FastifyInstance } from 'fastify';
import { AuditEntryList, AuditQuery } from '../../src-shared/audit/audit.schema';
import type { RequireAuth } from '../auth/authenticate';
import type { Store } from '../db/database';
import type { ZodTypeProvider } from '../http/zod-schemas';

/** `GET /management/v1/audit` (management-admin): reading the audit trail. */
export function auditRoutes(app: FastifyInstance, deps: { store: Store; requireAuth: RequireAuth }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/management/v1/audit',
    {
      preHandler: deps.requireAuth({ managementAdmin: true }),
      schema: { tags: ['audit'], summary: 'Audit entries, newest first', querystring: AuditQuery, response: { 200: AuditEntryList } },
    },
    async (request) => {
      const q = request.query;
      let query = deps.store.db.selectFrom('audit_log').selectAll();
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
