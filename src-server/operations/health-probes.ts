import type { FastifyInstance } from 'fastify';
import type { ComponentId } from '../../src-shared/operations/status.schema';
import type { AccessTokens } from '../auth/access-tokens';
import type { Store } from '../db/database';
import { internalRequestHeaders } from '../http/internal-requests';
import type { HealthPart, HealthProbe } from './healthcheck';

/** A short id no meeting gets (ours are generated without `-`); the lookup answers 404 for it. */
const PROBE_SHORT_ID = 'health-check-probe';

/**
 * The health check's probes, each going through the same code a client's request takes (an
 * in-process request through the HTTP stack: routing, authentication, the database), so a part is
 * reported healthy only when a client would be served. `sms` is the SMS capability's own probe.
 */
export function healthProbes(deps: { app: FastifyInstance; store: Store; tokens: AccessTokens; sms: HealthProbe }): Record<HealthPart, HealthProbe> {
  const { app, store, tokens } = deps;
  const get = (url: string) => app.inject({ method: 'GET', url, headers: internalRequestHeaders });
  return {
    // The token service: its metadata document and the keys it names.
    sts: async () => {
      const metadata = await get('/.well-known/openid-configuration');
      if (metadata.statusCode !== 200) throw new Error(`metadata answered ${metadata.statusCode}`);
      const jwksUri = (metadata.json() as { jwks_uri?: unknown }).jwks_uri;
      if (typeof jwksUri !== 'string') throw new Error('metadata names no jwks_uri');
      const jwks = await get(new URL(jwksUri).pathname);
      const keys = (jwks.json() as { keys?: unknown[] }).keys;
      if (jwks.statusCode !== 200 || !Array.isArray(keys) || keys.length === 0) throw new Error('no signing keys published');
    },
    // The booking API answers (a request without a token is refused by its own rules) and its database works.
    'video-api': async () => {
      if (!(await store.ping())) throw new Error('database unavailable');
      const res = await get('/videoapi/v2/info');
      if (res.statusCode !== 401) throw new Error(`booking API answered ${res.statusCode}`);
    },
    'video-api-access-token': async () => {
      try {
        await tokens.selfCheck();
      } catch {
        throw new Error('could not issue and verify an access token');
      }
    },
    'short-link': async () => {
      const res = await get(`/join-api/v1/meetings/${PROBE_SHORT_ID}`);
      if (res.statusCode !== 404 && res.statusCode !== 200) throw new Error(`short-link lookup answered ${res.statusCode}`);
    },
    sms: deps.sms,
  };
}

/** The status page's components, with fixed ids (the interface of `/status.json`) and Danish names. */
export const COMPONENTS: readonly { id: ComponentId; name: string }[] = [
  { id: 'booking-api', name: 'Booking-API (VDX Booking)' },
  { id: 'conference-node', name: 'Videomøder' },
  { id: 'device-service', name: 'Mødelokaler og enheder' },
  { id: 'sign-in', name: 'Log ind' },
  { id: 'sms', name: 'SMS-invitationer' },
];

/** An alias no room has: the node must look it up (rooms, then booked meetings) and say so. */
const PROBE_ALIAS = 'vdx-uptime-probe';

/** What the uptime prober checks every 30 s, per status-page component. */
export function componentProbes(deps: { app: FastifyInstance; health: Record<HealthPart, HealthProbe> }): Record<ComponentId, HealthProbe> {
  const { app, health } = deps;
  return {
    'booking-api': health['video-api'],
    'sign-in': health.sts,
    sms: health.sms,
    'conference-node': async () => {
      const res = await app.inject({
        method: 'POST',
        url: `/api/client/v2/conferences/${PROBE_ALIAS}/request_token`,
        headers: internalRequestHeaders,
        payload: { display_name: 'Uptime probe' },
      });
      if (res.statusCode !== 404) throw new Error(`conference node answered ${res.statusCode}`);
    },
    'device-service': async () => {
      const res = await app.inject({ method: 'GET', url: '/device/v1/me/config', headers: internalRequestHeaders });
      if (res.statusCode !== 401) throw new Error(`device service answered ${res.statusCode}`);
    },
  };
}
