import type { FastifyInstance } from 'fastify';
import { systemTimers, type Clock, type Timers } from '../../src-shared/platform/clock';
import type { AuditLog } from '../audit/audit.service';
import type { AccessTokens } from '../auth/access-tokens';
import type { RequireAuth } from '../auth/authenticate';
import type { Store } from '../db/database';
import type { OrganisationScopes } from '../organisations/organisation-scope';
import { componentProbes, healthProbes } from './health-probes';
import { healthcheckRoutes, type HealthProbe } from './healthcheck';
import { kpiRoutes } from './kpis.routes';
import { meetingStatusRoutes } from './meeting-status.routes';
import { serverMetrics, type MetricsSources } from './metrics';
import { statusRoutes } from './status.routes';
import { Incidents, StatusPage } from './status.service';
import { UptimeProber } from './uptime-prober';

export interface OperationsDeps {
  store: Store;
  clock: Clock;
  timers?: Timers;
  audit: AuditLog;
  requireAuth: RequireAuth;
  scopes: OrganisationScopes;
  tokens: AccessTokens;
  /** What the metrics report, answered by each capability. */
  metricsSources: MetricsSources;
  /** `VDX_METRICS_TOKEN`. */
  metricsToken?: string;
  /** The SMS capability's health probe. */
  sms: HealthProbe;
}

/**
 * Operating the service: the monthly KPIs, Prometheus metrics, MedCom's health-check shape, the
 * uptime prober (every 30 s, one sample per slot across instances) and the public status page with
 * its incidents.
 * The prober starts when the server is ready and stops before the store closes.
 */
export function operations(app: FastifyInstance, deps: OperationsDeps) {
  const { store, clock } = deps;
  serverMetrics(app, { sources: deps.metricsSources, token: deps.metricsToken });
  const health = healthProbes({ app, store, tokens: deps.tokens, sms: deps.sms });
  healthcheckRoutes(app, health);
  meetingStatusRoutes(app, { store, requireAuth: deps.requireAuth, scopes: deps.scopes, now: () => clock.now() });
  kpiRoutes(app, { store, requireAuth: deps.requireAuth, scopes: deps.scopes, now: () => clock.now() });

  const prober = new UptimeProber({ store, clock, timers: deps.timers ?? systemTimers(clock), probes: componentProbes({ app, health }), log: app.log });
  app.addHook('onReady', async () => prober.start());
  app.addHook('preClose', async () => prober.stop());

  const status = new StatusPage(store, clock);
  statusRoutes(app, { store, status, incidents: new Incidents(clock), audit: deps.audit, requireAuth: deps.requireAuth, scopes: deps.scopes });
  return { prober, status };
}
