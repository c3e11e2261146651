import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../../src-shared/platform/clock';
import { principal, type RequireAuth } from '../../auth/authenticate';
import { badRequest } from '../../http/errors';
import type { ZodTypeProvider } from '../../http/zod-schemas';
import type { CommandsService } from '../commands/commands.service';
import type { DevicesService } from '../devices.service';
import type { DeviceEventHub } from './device-event-hub';
import { startEventStream } from './event-stream-response';

const EventsQuery = z.object({ lastEventId: z.string().max(32).optional() });

/** Reconnection delay we ask EventSource clients to use (ms). */
const RETRY_MS = 5000;

/**
 * `GET /device/v1/me/events`: the device's server-sent event stream (contract in
 * `src-shared/devices/events.schema.ts`). Authentication happens before the response is taken
 * over, so a bad token still gets an ordinary JSON 401.
 */
export function deviceEventsRoutes(
  app: FastifyInstance,
  deps: {
    clock: Clock;
    hub: DeviceEventHub; devices: DevicesService; commands: CommandsService; requireAuth: RequireAuth },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/device/v1/me/events',
    { preHandler: deps.requireAuth({ scope: 'device' }), schema: { querystring: EventsQuery, tags: ['device'] } },
    async (req, reply) => {
      const device = await deps.devices.me(principal(req));
      const header = req.headers['last-event-id'];
      const raw = (Array.isArray(header) ? header[0] : header) ?? req.query.lastEventId;
      let lastEventId: number | undefined;
      if (raw !== undefined && raw !== '') {
        if (!/^\d{1,20}$/.test(raw)) throw badRequest('invalid_last_event_id', 'Last-Event-ID must be a decimal event id');
        lastEventId = Number(raw);
      }

      const res = startEventStream(reply, RETRY_MS);

      const stream = deps.hub.attach(device.id, device.room_id, res, principal(req).clientId);
      req.raw.on('close', () => deps.hub.detach(stream));
      // A socket that dies mid-write must only end this stream, never reach the process.
      res.on('error', () => deps.hub.detach(stream));
      try {
        const missed = deps.hub.replay(device.id, device.room_id, lastEventId);
        const commands = await deps.commands.pendingFor(device.id, lastEventId);
        const replay = [...missed.events, ...commands].sort((a, b) => a.id - b.id);
        if (missed.gap) {
          // We cannot prove nothing was lost: have the device refetch what could have changed.
          const at = deps.clock.now().toISOString();
          replay.push(deps.hub.stamp({ type: 'config_changed', data: { at } }));
          replay.push(deps.hub.stamp({ type: 'schedule_changed', data: { at } }));
        }
        stream.finishReplay(replay);
        if (!stream.closed) await deps.commands.markDelivered(commands.flatMap((c) => (c.event.type === 'command' ? [c.event.data.id] : [])));
      } catch (err) {
        req.log.error({ err }, 'event stream replay failed');
        deps.hub.detach(stream);
        res.end();
      }
    },
  );
}
