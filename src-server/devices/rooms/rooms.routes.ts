import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ActivationCodeCreate } from '../../../src-shared/devices/activation.schema';
import { EntityId } from '../../../src-shared/devices/common.schema';
import { RoomCreate, RoomListQuery, RoomMessageCreate, RoomUpdate } from '../../../src-shared/devices/rooms.schema';
import { ThemeCreate, ThemeUpdate } from '../../../src-shared/devices/themes.schema';
import { principal, type RequireAuth } from '../../auth/authenticate';
import { badRequest } from '../../http/errors';
import type { ZodTypeProvider } from '../../http/zod-schemas';
import type { OrganisationScopes } from '../../organisations/organisation-scope';
import type { ActivationCodesService } from '../activation/activation-codes.service';
import { themeNotFound, type ThemesService } from '../themes/themes.service';
import { roomNotFound, type RoomsService } from './rooms.service';

const IdParams = z.object({ id: EntityId });
const CodeParams = z.object({ id: EntityId, codeId: EntityId });

/** Management of rooms, their activation codes and messages, and themes (management-admin). */
export function roomsRoutes(
  app: FastifyInstance,
  deps: {
    rooms: RoomsService;
    codes: ActivationCodesService;
    themes: ThemesService;
    requireAuth: RequireAuth;
    /** Admins see and change only rooms and themes of their organisation subtree (decision 0011). */
    scopes: OrganisationScopes;
  },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { scopes } = deps;
  const adminOnly = deps.requireAuth({ managementAdmin: true });
  // Every route below with a room id in its path: out of scope answers room_not_found.
  const admin = [adminOnly, scopes.guard(async (id) => (await deps.rooms.get(id)).organisationCode, roomNotFound)];
  const themeAdmin = [adminOnly, scopes.guard(async (id) => (await deps.themes.get(id)).organisationCode, themeNotFound)];
  const tags = ['management: rooms'];
  /** A theme outside the caller's scope cannot be given to a room: the same 400 as an unknown theme. */
  const requireUsableTheme = async (req: FastifyRequest, themeId: string | null | undefined) => {
    if (!themeId) return;
    const scope = await scopes.ofRequest(req);
    if (scope.global) return;
    const theme = await deps.themes.get(themeId).catch(() => undefined);
    if (theme && !scope.has(theme.organisationCode)) throw badRequest('theme_not_found', `No theme "${themeId}"`);
  };

  r.post('/management/v1/rooms', { preHandler: adminOnly, schema: { body: RoomCreate, tags } }, async (req, reply) => {
    await scopes.requireWritable(req, req.body.organisationCode ?? principal(req).organisation);
    await requireUsableTheme(req, req.body.themeId);
    return reply.status(201).send(await deps.rooms.create(principal(req), req.body));
  });
  r.get('/management/v1/rooms', { preHandler: adminOnly, schema: { querystring: RoomListQuery, tags } }, async (req) =>
    deps.rooms.list({ ...req.query, organisationCodes: (await scopes.ofRequest(req)).codes }),
  );
  r.get('/management/v1/rooms/:id', { preHandler: admin, schema: { params: IdParams, tags } }, async (req) =>
    deps.rooms.get(req.params.id),
  );
  r.patch('/management/v1/rooms/:id', { preHandler: admin, schema: { params: IdParams, body: RoomUpdate, tags } }, async (req) => {
    await requireUsableTheme(req, req.body.themeId);
    return deps.rooms.update(principal(req), req.params.id, req.body);
  });
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
  r.post('/management/v1/themes', { preHandler: adminOnly, schema: { body: ThemeCreate, tags: themeTags } }, async (req, reply) => {
    await scopes.requireWritable(req, req.body.organisationCode ?? principal(req).organisation);
    return reply.status(201).send(await deps.themes.create(principal(req), req.body));
  });
  r.get('/management/v1/themes', { preHandler: adminOnly }, async (req) =>
    deps.themes.list({ organisationCodes: (await scopes.ofRequest(req)).codes }),
  );
  r.get('/management/v1/themes/:id', { preHandler: themeAdmin, schema: { params: IdParams, tags: themeTags } }, async (req) =>
    deps.themes.get(req.params.id),
  );
  r.patch(
    '/management/v1/themes/:id',
    { preHandler: themeAdmin, schema: { params: IdParams, body: ThemeUpdate, tags: themeTags } },
    async (req) => deps.themes.update(principal(req), req.params.id, req.body),
  );
  r.delete('/management/v1/themes/:id', { preHandler: themeAdmin, schema: { params: IdParams, tags: themeTags } }, async (req, reply) => {
    await deps.themes.delete(principal(req), req.params.id);
    return reply.status(204).send();
  });
}
