import type { FastifyInstance } from 'fastify';
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
import { payloadTooLarge } from '../http/errors';
import type { ZodTypeProvider } from '../http/zod-schemas';
import type { ReleaseService } from './releases.service';

export interface ReleasesRoutesDeps {
  releases: ReleaseService;
  requireAuth: RequireAuth;
  /** Largest artifact upload accepted (`VDX_ARTIFACT_MAX_BYTES`). */
  maxArtifactBytes: number;
}

/**
 * `/management/v1/releases` (management-admin, every write audited): register, change staging,
 * promote, pause/resume, upload artifacts; and `/management/v1/rooms/{id}/update-pin`.
 */
export function releasesRoutes(app: FastifyInstance, deps: ReleasesRoutesDeps): void {
  const { releases } = deps;
  const admin = deps.requireAuth({ managementAdmin: true });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['releases'];

  r.post(
    '/management/v1/releases',
    { preHandler: admin, schema: { tags, summary: 'Register a release', body: CreateReleaseRequest, response: { 201: Release } } },
    async (request, reply) => reply.status(201).send(await releases.create(principal(request), request.body)),
  );

  r.get(
    '/management/v1/releases',
    { preHandler: admin, schema: { tags, summary: 'List releases', querystring: ListReleasesQuery, response: { 200: ReleaseList } } },
    async (request) => ({ releases: await releases.list(request.query.channel) }),
  );

  r.get(
    '/management/v1/releases/:id',
    { preHandler: admin, schema: { tags, params: ReleaseIdParams, response: { 200: Release } } },
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
    { preHandler: admin, schema: { tags, summary: 'Rooms held at a version', response: { 200: RoomUpdatePinList } } },
    async () => ({ pins: await releases.listPins() }),
  );

  r.put(
    '/management/v1/rooms/:id/update-pin',
    { preHandler: admin, schema: { tags, summary: 'Hold a room at one version', params: RoomIdParams, body: PinRoomRequest, response: { 200: RoomUpdatePin } } },
    async (request) => releases.pin(principal(request), request.params.id, request.body.version),
  );

  r.delete(
    '/management/v1/rooms/:id/update-pin',
    { preHandler: admin, schema: { tags, summary: 'Let a room follow its channel again', params: RoomIdParams } },
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
