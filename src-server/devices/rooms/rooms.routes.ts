import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ActivationCodeCreate } from '../../../src-shared/devices/activation.schema';
import { EntityId } from '../../../src-shared/devices/common.schema';
import { RoomCreate, RoomListQuery, RoomMessageCreate, RoomUpdate } from '../../../src-shared/devices/rooms.schema';
import { ThemeCreate, ThemeUpdate } from '../../../src-shared/devices/themes.schema';
import { principal, type RequireAuth } from '../../auth/authenticate';
import type { ZodTypeProvider } from '../../http/zod-schemas';
import type { ActivationCodesService } from '../activation/activation-codes.service';
import type { ThemesService } from '../themes/themes.service';
import type { RoomsService } from './rooms.service';

const IdParams = z.object({ id: EntityId });
const CodeParams = z.object({ id: EntityId, codeId: EntityId });

/** Management of rooms, their activation codes and messages, and themes (management-admin). */
export function roomsRoutes(
  app: FastifyInstance,
  deps: { rooms: RoomsService; codes: ActivationCodesService; themes: ThemesService; requireAuth: RequireAuth },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = deps.requireAuth({ managementAdmin: true });
  const tags = ['management: rooms'];

  r.post('/management/v1/rooms', { preHandler: admin, schema: { body: RoomCreate, tags } }, async (req, reply) =>
    reply.status(201).send(await deps.rooms.create(principal(req), req.body)),
  );
  r.get('/management/v1/rooms', { preHandler: admin, schema: { querystring: RoomListQuery, tags } }, async (req) =>
    deps.rooms.list(req.query),
  );
  r.get('/management/v1/rooms/:id', { preHandler: admin, schema: { params: IdParams, tags } }, async (req) =>
    deps.rooms.get(req.params.id),
  );
  r.patch('/management/v1/rooms/:id', { preHandler: admin, schema: { params: IdParams, body: RoomUpdate, tags } }, async (req) =>
    deps.rooms.update(principal(req), req.params.id, req.body),
  );
  r.delete('/management/v1/rooms/:id', { preHandler: admin, schema: { params: IdParams, tags } }, async (req, reply) => {
    await deps.rooms.delete(principal(req), req.params.id);
    return reply.status(204).send();
  });
  r.post(
    '/management/v1/rooms/:id/messages',
    { preHandler: admin, schema: { params: IdParams, body: RoomMessageCreate, tags } },
    async (req, reply) => reply.status(202).send(await deps.rooms.sendMessage(principal(req), req.params.id, req.body)),
  );

  r.post(
    '/management/v1/rooms/:id/activation-codes',
    { preHandler: admin, schema: { params: IdParams, body: ActivationCodeCreate.optional(), tags } },
    async (req, reply) => reply.status(201).send(await deps.codes.create(principal(req), req.params.id, req.body ?? {})),
  );
  r.get('/management/v1/rooms/:id/activation-codes', { preHandler: admin, schema: { params: IdParams, tags } }, async (req) =>
    deps.codes.list(req.params.id),
  );
  r.post(
    '/management/v1/rooms/:id/activation-codes/:codeId/revoke',
    { preHandler: admin, schema: { params: CodeParams, tags } },
    async (req) => deps.codes.revoke(principal(req), req.params.id, req.params.codeId),
  );
  r.delete(
    '/management/v1/rooms/:id/activation-codes/:codeId',
    { preHandler: admin, schema: { params: CodeParams, tags } },
    async (req) => deps.codes.revoke(principal(req), req.params.id, req.params.codeId),
  );

  const themeTags = ['management: themes'];
  r.post('/management/v1/themes', { preHandler: admin, schema: { body: ThemeCreate, tags: themeTags } }, async (req, reply) =>
    reply.status(201).send(await deps.themes.create(principal(req), req.body)),
  );
  r.get('/management/v1/themes', { preHandler: admin }, async () => deps.themes.list());
  r.get('/management/v1/themes/:id', { preHandler: admin, schema: { params: IdParams, tags: themeTags } }, async (req) =>
    deps.themes.get(req.params.id),
  );
  r.patch(
    '/management/v1/themes/:id',
    { preHandler: admin, schema: { params: IdParams, body: ThemeUpdate, tags: themeTags } },
    async (req) => deps.themes.update(principal(req), req.params.id, req.body),
  );
  r.delete('/management/v1/themes/:id', { preHandler: admin, schema: { params: IdParams, tags: themeTags } }, async (req, reply) => {
    await deps.themes.delete(principal(req), req.params.id);
    return reply.status(204).send();
  });
}
