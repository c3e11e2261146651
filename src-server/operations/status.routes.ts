import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  CreateIncidentBody,
  Incident,
  IncidentList,
  IncidentParams,
  StatusDocument,
  UpdateIncidentBody,
} from '../../src-shared/operations/status.schema';
import type { AuditLog } from '../audit/audit.service';
import { principal, type RequireAuth } from '../auth/authenticate';
import type { Store } from '../db/database';
import type { ZodTypeProvider } from '../http/zod-schemas';
import type { OrganisationScopes } from '../organisations/organisation-scope';
import { statusPage } from './status.page';
import type { Incidents, StatusPage } from './status.service';
import { CONTENT_SECURITY_POLICY } from '../web/web.routes';

/**
 * The public status document (`GET /status.json`, no sign-in, nothing internal) and the incidents
 * behind it, which national management-admins open, update and resolve (the service is one for
 * every organisation). Every write is audited in its transaction.
 */
export function statusRoutes(
  app: FastifyInstance,
  deps: { store: Store; status: StatusPage; incidents: Incidents; audit: AuditLog; requireAuth: RequireAuth; scopes: OrganisationScopes },
): void {
  const { store, status, incidents, audit, scopes } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['operations'];
  const national = [deps.requireAuth({ managementAdmin: true }), (request: FastifyRequest) => scopes.requireNational(request)];

  r.get('/status.json', { schema: { tags, summary: 'Service status now, 90 days of daily uptime and incidents (public)', response: { 200: StatusDocument } } }, async (_request, reply) => {
    // Browsers and monitors may ask often; the document is recomputed at most every 15 s anyway.
    void reply.header('cache-control', 'public, max-age=15');
    return status.document();
  });

  // The page people open: Danish by default, `?lang=en` for English; no script, no sign-in.
  r.get('/status', { schema: { hide: true } as object }, async (request, reply) => {
    const lang = (request.query as { lang?: unknown }).lang === 'en' ? 'en' : 'da';
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'public, max-age=15')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .send(statusPage(await status.document(), lang));
  });

  r.get('/management/v1/incidents', { preHandler: national, schema: { tags, summary: 'Every incident, newest first', response: { 200: IncidentList } } }, async () => ({
    incidents: await incidents.list(store.db),
  }));

  r.post(
    '/management/v1/incidents',
    { preHandler: national, schema: { tags, summary: 'Open an incident on the status page', body: CreateIncidentBody, response: { 201: Incident } } },
    async (request, reply) => {
      const created = await store.db.transaction().execute(async (trx) => {
        const incident = await incidents.create(trx, request.body);
        await audit.record(trx, principal(request), { action: 'incident.create', entityType: 'incident', entityId: incident.id, after: incident });
        return incident;
      });
      status.invalidate();
      return reply.status(201).send(created);
    },
  );

  r.patch(
    '/management/v1/incidents/:id',
    {
      preHandler: national,
      schema: { tags, summary: 'Change an incident: a new status or message is one more public update', params: IncidentParams, body: UpdateIncidentBody, response: { 200: Incident } },
    },
    async (request) => {
      const changed = await store.db.transaction().execute(async (trx) => {
        const before = await incidents.get(trx, request.params.id);
        const after = await incidents.update(trx, request.params.id, request.body);
        await audit.record(trx, principal(request), { action: 'incident.update', entityType: 'incident', entityId: after.id, before, after });
        return after;
      });
      status.invalidate();
      return changed;
    },
  );
}
