import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import {
  ArtifactParams,
  ArtifactUploaded,
  CreateReleaseRequest,
  ListReleasesQuery,
  PinRoomRequest,
  PromoteReleaseRequest,
  Release,
  ReleaseIdParams,
  ReleaseList,
  RoomIdParams,
  RoomUpdatePin,
  RoomUpdatePinList,
  UpdateReleaseRequest,
} from '../../src-shared/updates/releases.contract';
import { principal, type RequireAuth } from '../auth/authenticate';
import { payloadTooLarge, type HttpError } from '../http/errors';
import type { ZodTypeProvider } from '../http/zod-schemas';
import type { OrganisationScopes } from '../organisations/organisation-scope';
import type { ReleaseService } from './releases.service';

export interface ReleasesRoutesDeps {
  releases: ReleaseService;
  requireAuth: RequireAuth;
  /** Largest artifact upload accepted (`VDX_ARTIFACT_MAX_BYTES`). */
  maxArtifactBytes: number;
  /** Releases act fleet-wide: only national admins write them; pins only in the subtree (decision 0011). */
  scopes: OrganisationScopes;
  /** Whose rooms are (pins are managed by the room's admins). */
  rooms: RoomOwners;
}

/** Rooms belong to the devices capability (`RoomsService`); this is what pins need to know of them. */
export interface RoomOwners {
  /** A room's organisation; throws the room's 404 for an unknown room. */
  organisationOf(roomId: string): Promise<string>;
  /** That 404, also answered for a room outside the caller's subtree. */
  notFound(roomId: string): HttpError;
}

/**
 * `/management/v1/releases` (management-admin, every write audited): register, change staging,
 * promote, pause/resume, upload artifacts; and `/management/v1/rooms/{id}/update-pin`.
 */
export function releasesRoutes(app: FastifyInstance, deps: ReleasesRoutesDeps): void {
  const { releases, scopes } = deps;
  const reader = deps.requireAuth({ managementAdmin: true });
  // Every release write below: national admins only (a release reaches every organisation's rooms).
  const admin = [reader, (request: FastifyRequest) => scopes.requireNational(request)];
  const roomAdmin = [reader, scopes.guard((id) => deps.rooms.organisationOf(id), deps.rooms.notFound)];
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['releases'];

  r.post(
    '/management/v1/releases',
    { preHandler: admin, schema: { tags, summary: 'Register a release', body: CreateReleaseRequest, response: { 201: Release } } },
    async (request, reply) => reply.status(201).send(await releases.create(principal(request), request.body)),
  );

  r.get(
    '/management/v1/releases',
    { preHandler: reader, schema: { tags, summary: 'List releases', querystring: ListReleasesQuery, response: { 200: ReleaseList } } },
    async (request) => ({ releases: await releases.list(request.query.channel) }),
  );

  r.get(
    '/management/v1/releases/:id',
    { preHandler: reader, schema: { tags, params: ReleaseIdParams, response: { 200: Release } } },
    async (request) => releases.get(request.params.id),
  );

  r.patch(
    '/management/v1/releases/:id',
    {
      preHandler: admin,
      schema: { tags, summary: 'Change staging percentage or notes', params: ReleaseIdParams, body: UpdateReleaseRequest, response: { 200: Release } },
    },
    async (request) => releases.update(principal(request), request.params.id, request.body),
  );

  r.post(
    '/management/v1/releases/:id/promote',
    { preHandler: admin, schema: { tags, summary: 'Move a release to another channel', params: ReleaseIdParams, body: PromoteReleaseRequest, response: { 200: Release } } },
    async (request) => releases.promote(principal(request), request.params.id, request.body.channel),
  );

  r.post(
    '/management/v1/releases/:id/pause',
    { preHandler: admin, schema: { tags, summary: 'Stop a rollout: the feed serves the previous release', params: ReleaseIdParams, response: { 200: Release } } },
    async (request) => releases.setPaused(principal(request), request.params.id, true),
  );

  r.post(
    '/management/v1/releases/:id/resume',
    { preHandler: admin, schema: { tags, summary: 'Resume a paused rollout', params: ReleaseIdParams, response: { 200: Release } } },
    async (request) => releases.setPaused(principal(request), request.params.id, false),
  );

  r.get(
    '/management/v1/update-pins',
    { preHandler: reader, schema: { tags, summary: 'Rooms held at a version', response: { 200: RoomUpdatePinList } } },
    async (request) => {
      const scope = await scopes.ofRequest(request);
      const pins = await releases.listPins();
      if (scope.global) return { pins };
      const owners = await Promise.all(pins.map((p) => deps.rooms.organisationOf(p.roomId).catch(() => undefined)));
      return { pins: pins.filter((_, i) => owners[i] !== undefined && scope.has(owners[i])) };
    },
  );

  r.put(
    '/management/v1/rooms/:id/update-pin',
    { preHandler: roomAdmin, schema: { tags, summary: 'Hold a room at one version', params: RoomIdParams, body: PinRoomRequest, response: { 200: RoomUpdatePin } } },
    async (request) => releases.pin(principal(request), request.params.id, request.body.version),
  );

  r.delete(
    '/management/v1/rooms/:id/update-pin',
    { preHandler: roomAdmin, schema: { tags, summary: 'Let a room follow its channel again', params: RoomIdParams } },
    async (request, reply) => {
      await releases.unpin(principal(request), request.params.id);
      return reply.status(204).send();
    },
  );

  // Uploads are raw bytes of any content type, streamed to disk: a scope of their own replaces the
  // JSON parsers with one that hands the request stream through, and enforces the larger limit.
  void app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scoped.withTypeProvider<ZodTypeProvider>().put(
      '/management/v1/releases/:id/artifacts/:name',
      {
        preHandler: admin,
        schema: { tags, summary: 'Upload a release file (raw body); its sha512 is computed here', params: ArtifactParams, response: { 201: ArtifactUploaded } },
      },
      async (request, reply) => {
        const { id, name } = request.params;
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared > deps.maxArtifactBytes) {
          request.raw.resume();
          throw payloadTooLarge(`Artifacts may be at most ${deps.maxArtifactBytes} bytes`);
        }
        const body = (request.body as Readable | undefined) ?? request.raw;
        const stored = await releases.uploadArtifact(principal(request), id, name, body, deps.maxArtifactBytes);
        const url = `/updates/${stored.release.channel}/${encodeURIComponent(name)}`;
        return reply.status(201).send({ ...stored, url });
      },
    );
  });
}
