import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DeviceSchedule, ScheduleQuery } from '../../src-shared/schedule/device-schedule.contract';
import { principal, type RequireAuth } from '../auth/authenticate';
import { forbidden } from '../http/errors';
import type { ZodTypeProvider } from '../http/zod-schemas';
import { scheduleEtag, type DeviceScheduleService } from './device-schedule.service';

export interface DeviceScheduleRoutesDeps {
  schedule: DeviceScheduleService;
  requireAuth: RequireAuth;
  /** The room of an enrolled, unrevoked device. */
  roomOfDevice(deviceId: string): Promise<string | undefined>;
}

/**
 * `GET /device/v1/me/schedule` (device token). Devices poll it after every `schedule_changed`
 * and on reconnect; the ETag makes the unchanged case a bodiless 304.
 */
export function deviceScheduleRoutes(app: FastifyInstance, deps: DeviceScheduleRoutesDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/device/v1/me/schedule',
    {
      preHandler: deps.requireAuth({ scope: 'device' }),
      schema: { tags: ['device'], summary: "The device's room's meetings", querystring: ScheduleQuery, response: { 200: DeviceSchedule, 304: z.undefined() } },
    },
    async (request, reply) => {
      const deviceId = principal(request).deviceId;
      const roomId = deviceId ? await deps.roomOfDevice(deviceId) : undefined;
      if (!roomId) throw forbidden('device_required', 'This needs the token of an enrolled device');
      const schedule = await deps.schedule.schedule(roomId, request.query);
      const etag = scheduleEtag(schedule);
      void reply.header('etag', etag).header('cache-control', 'private, no-cache');
      const inm = request.headers['if-none-match'];
      // Weak comparison (RFC 9110 §13.1.2): a client may echo the tag with or without W/.
      const bare = (t: string) => t.trim().replace(/^W\//, '');
      if (inm && inm.split(',').some((t) => bare(t) === bare(etag) || t.trim() === '*')) return reply.status(304).send();
      return schedule;
    },
  );
}
