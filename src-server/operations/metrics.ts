import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DeviceStatus } from '../../src-shared/devices/devices.schema';
import type { LiveConference } from '../../src-shared/conference/vmr.schema';
import { forbidden, unauthorized } from '../http/errors';
import { isInternalRequest } from '../http/internal-requests';

/** What the server knows about itself at a scrape; each capability answers its own part. */
export interface MetricsSources {
  /** The conference node's live conferences with their participants. */
  liveConferences(): LiveConference[];
  /** Room devices holding an event stream to this instance now. */
  connectedDevices(): number;
  /** The fleet (all instances) by heartbeat status, counted in the database. */
  devicesByStatus(): Promise<Record<DeviceStatus, number>>;
  /** PostgreSQL only: the connection pool now. */
  databasePool?(): { size: number; max: number; idle: number; waiting: number };
}

/**
 * Request latency buckets (seconds): from a cached token check (~1 ms) to the slowest page a
 * clinician would still wait for; the booking API's p99 target (20 ms) falls on a bucket edge.
 */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Prometheus metrics for the operator's own tools (`GET /metrics`, text format): request latency
 * per route, the conference node's live conferences and participants, the fleet, the database
 * pool, and Node's process metrics (CPU — media runs in this process —, memory, event-loop lag,
 * GC). A registry of its own per app, so several servers in one process (tests) do not mix.
 *
 * Access: with `token` set, only callers presenting it as a bearer token (Prometheus'
 * `authorization` setting); unset, only loopback callers that did not come through a proxy
 * (a reverse proxy on the same machine would otherwise make the whole internet loopback).
 */
export function serverMetrics(app: FastifyInstance, deps: { sources: MetricsSources; token?: string }): Registry {
  const register = new Registry();
  collectDefaultMetrics({ register, prefix: 'vdx_' });
  const { sources } = deps;

  const latency = new Histogram({
    name: 'vdx_http_request_duration_seconds',
    help: 'Time from request to response, per route pattern (unmatched paths share one label)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [register],
  });
  app.addHook('onResponse', async (request, reply) => {
    if (isInternalRequest(request)) return;
    // The pattern, never the concrete URL: ids and addresses would make a series per meeting.
    const route = request.routeOptions.url ?? 'unmatched';
    latency.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  new Gauge({
    name: 'vdx_conferences_live',
    help: 'Conferences with at least one participant on this conference node, by media mode',
    labelNames: ['media'] as const,
    registers: [register],
    collect() {
      const live = sources.liveConferences();
      this.set({ media: 'direct' }, live.filter((c) => c.mediaMode === 'direct').length);
      this.set({ media: 'server' }, live.filter((c) => c.mediaMode === 'server').length);
    },
  });
  new Gauge({
    name: 'vdx_conference_participants',
    help: 'Participants on this conference node, by where they are (conference or waiting room) and whether their call media is up',
    labelNames: ['service_type', 'in_call'] as const,
    registers: [register],
    collect() {
      this.reset();
      for (const c of sources.liveConferences()) {
        for (const p of c.participants) this.inc({ service_type: p.serviceType, in_call: String(p.media.inCall) });
      }
    },
  });
  new Gauge({
    name: 'vdx_devices_connected',
    help: 'Room devices with an open event stream to this instance',
    registers: [register],
    collect() {
      this.set(sources.connectedDevices());
    },
  });
  new Gauge({
    name: 'vdx_devices',
    help: 'Registered (unrevoked) room devices of the whole fleet by heartbeat status',
    labelNames: ['status'] as const,
    registers: [register],
    async collect() {
      const counts = await sources.devicesByStatus();
      for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
    },
  });
  const pool = sources.databasePool;
  if (pool) {
    new Gauge({
      name: 'vdx_db_pool_connections',
      help: 'PostgreSQL pool connections by state (max: the configured limit)',
      labelNames: ['state'] as const,
      registers: [register],
      collect() {
        const s = pool();
        this.set({ state: 'open' }, s.size);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'max' }, s.max);
      },
    });
    new Gauge({
      name: 'vdx_db_pool_waiting',
      help: 'Queries waiting for a free PostgreSQL connection',
      registers: [register],
      collect() {
        this.set(pool().waiting);
      },
    });
  }

  const allowed = scrapeAccess(deps.token);
  app.get('/metrics', { schema: { hide: true } as object }, async (request, reply) => {
    allowed(request);
    return reply.type(register.contentType).send(await register.metrics());
  });
  return register;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function scrapeAccess(token: string | undefined): (request: FastifyRequest) => void {
  if (token === undefined) {
    return (request) => {
      const direct = request.headers['x-forwarded-for'] === undefined && request.headers.forwarded === undefined;
      if (!direct || !LOOPBACK.has(request.socket.remoteAddress ?? '')) {
        throw forbidden('metrics_loopback_only', 'Metrics are served to this machine only; set VDX_METRICS_TOKEN to scrape from elsewhere');
      }
    };
  }
  const expected = Buffer.from(`Bearer ${token}`);
  return (request) => {
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw unauthorized('metrics_token_required', 'Metrics need the bearer token of VDX_METRICS_TOKEN');
    }
  };
}
