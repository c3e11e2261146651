import type { FastifyInstance } from 'fastify';
import { MANAGEMENT_EVENTS_PATH, type FleetChanges } from '../../../src-shared/devices/management-events.schema';
import type { RequireAuth } from '../../auth/authenticate';
import type { DomainEventBus } from '../../events/domain-events';
import type { OrganisationScopes } from '../../organisations/organisation-scope';
import { startEventStream } from './event-stream-response';

/** How a management stream paces itself (tests shorten these). */
export interface ManagementStreamTiming {
  /** At most one `changed` message per this many ms; changes in between are merged. */
  coalesceMs: number;
  /** A comment this often keeps proxies from closing an idle stream. */
  keepAliveMs: number;
  /** The stream ends after this long; the client reconnects with a current token and scope. */
  maxLifetimeMs: number;
}

export const DEFAULT_MANAGEMENT_STREAM: ManagementStreamTiming = { coalesceMs: 1000, keepAliveMs: 25_000, maxLifetimeMs: 5 * 60_000 };

/** Past this many changed ids in one message the stream says `all` instead of listing them. */
const MAX_LISTED = 200;
/** Reconnection delay asked of clients (ms). */
const RETRY_MS = 3000;

/**
 * `GET /management/v1/events`: the management event stream (contract and pacing in
 * `src-shared/devices/management-events.schema.ts`, decision 0019). It relays `fleet.changed`
 * from the event bus — local and from other instances — filtered by the caller's organisation
 * subtree as it was when the stream opened (decision 0011), like the lists. Authentication runs
 * before the response is taken over, so a bad token gets an ordinary JSON 401/403.
 */
export function managementEventsRoutes(
  app: FastifyInstance,
  deps: { events: DomainEventBus; requireAuth: RequireAuth; scopes: OrganisationScopes; timing?: Partial<ManagementStreamTiming> },
): void {
  const timing = { ...DEFAULT_MANAGEMENT_STREAM, ...deps.timing };
  const open = new Set<() => void>();
  // Open streams would hold the server's close until their lifetime ran out.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get(
    MANAGEMENT_EVENTS_PATH,
    {
      preHandler: deps.requireAuth({ managementAdmin: true }),
      schema: { tags: ['management: events'], summary: 'Server-sent events: devices and rooms that changed in your organisation subtree' } as object,
    },
    async (req, reply) => {
      const scope = await deps.scopes.ofRequest(req);
      const res = startEventStream(reply, RETRY_MS);

      const devices = new Set<string>();
      const rooms = new Set<string>();
      let flushTimer: ReturnType<typeof setTimeout> | undefined;
      // Pacing runs on the monotonic clock: it is about spacing writes, not about wall time.
      let lastFlush = -Infinity;
      const flush = () => {
        flushTimer = undefined;
        lastFlush = performance.now();
        const all = devices.size + rooms.size > MAX_LISTED;
        const data: FleetChanges = all ? { devices: [], rooms: [], all } : { devices: [...devices], rooms: [...rooms], all };
        devices.clear();
        rooms.clear();
        res.write(`event: changed\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const off = deps.events.on('fleet.changed', (change) => {
        if (!scope.global && !scope.has(change.organisationCode)) return;
        (change.entity === 'device' ? devices : rooms).add(change.id);
        flushTimer ??= setTimeout(flush, Math.max(0, lastFlush + timing.coalesceMs - performance.now()));
      });
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), timing.keepAliveMs);
      const lifetime = setTimeout(() => end(), timing.maxLifetimeMs);
      const end = () => {
        off();
        clearTimeout(flushTimer);
        clearInterval(keepAlive);
        clearTimeout(lifetime);
        open.delete(end);
        if (!res.writableEnded) res.end();
      };
      open.add(end);
      req.raw.on('close', end);
      // A socket that dies mid-write must only end this stream, never reach the process.
      res.on('error', end);
    },
  );
}
