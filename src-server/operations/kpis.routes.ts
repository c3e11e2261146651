import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { KpiReport } from '../../src-shared/operations/kpis.schema';
import type { RequireAuth } from '../auth/authenticate';
import type { Store } from '../db/database';
import { badRequest } from '../http/errors';
import type { ZodTypeProvider } from '../http/zod-schemas';
import { organisationOutOfScope, type OrganisationScopes } from '../organisations/organisation-scope';
import { organisationSubtree } from '../organisations/organisations.service';
import { MONTH_PATTERN, monthlyKpis } from './kpis';

/** A report spans at most this many months (two years side by side, and a query that stays quick). */
const MAX_MONTHS = 24;

const Month = z.string().regex(MONTH_PATTERN, 'must be a month like 2026-03');
const KpiQuery = z.object({ from: Month, to: Month, organisationCode: z.string().min(1).max(100).optional() });


/**
 * `GET /management/v1/kpis`: the monthly service table, for management-admins. A national admin
 * sees the whole service; another admin its subtree; `organisationCode` narrows to one subtree
 * inside the caller's scope (decision 0011).
 */
export function kpiRoutes(app: FastifyInstance, deps: { store: Store; requireAuth: RequireAuth; scopes: OrganisationScopes; now: () => Date }): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/management/v1/kpis',
    {
      preHandler: deps.requireAuth({ managementAdmin: true }),
      schema: {
        tags: ['operations'],
        summary: 'Monthly KPIs: meetings, calls, SMS, video quality, peak participants, uptime (months in Europe/Copenhagen, inclusive)',
        querystring: KpiQuery,
        response: { 200: KpiReport },
      },
    },
    async (request) => {
      const { from, to, organisationCode } = request.query;
      if (from > to) throw badRequest('invalid_range', '"from" must not be after "to"', { from, to });
      const [fy, fm] = from.split('-').map(Number) as [number, number];
      const [ty, tm] = to.split('-').map(Number) as [number, number];
      const count = (ty - fy) * 12 + (tm - fm) + 1;
      if (count > MAX_MONTHS) throw badRequest('range_too_long', `At most ${MAX_MONTHS} months at a time`, { months: count, max: MAX_MONTHS });
      const scope = await deps.scopes.ofRequest(request);
      let organisations = scope.codes;
      if (organisationCode !== undefined) {
        if (!scope.has(organisationCode)) throw organisationOutOfScope(organisationCode);
        organisations = await organisationSubtree(deps.store.db, organisationCode);
      }
      return { months: await monthlyKpis(deps.store, { from, to, organisations, now: deps.now() }) };
    },
  );
}
