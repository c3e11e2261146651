import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ReleaseChannel } from '../../src-shared/updates/releases.contract';
import type { Principal } from '../auth/principal';
import { HttpError, notFound } from '../http/errors';
import type { ZodTypeProvider } from '../http/zod-schemas';
import type { ReleaseService } from './releases.service';
import { chooseRelease, parseFeedFileName, renderFeedYaml } from './update-feed';

/** Which room a device is in (devices capability). */
export interface DeviceRoomLookup {
  roomOfDevice(deviceId: string): Promise<string | undefined>;
}

export interface UpdateFeedDeps {
  releases: ReleaseService;
  deviceRooms: DeviceRoomLookup;
  /** Verifies a Bearer token (the device's own access token). */
  verifyToken(token: string): Promise<Principal>;
}

const FeedParams = z.object({ channel: z.string().max(40), file: z.string().min(1).max(200) });
const FeedQuery = z.object({ deviceId: z.string().min(1).max(100).optional() });

/**
 * `/updates/{channel}/...`: the electron-updater generic-provider feed and the uploaded artifacts.
 * Public, like any static update site; a device may identify itself (its access token, or
 * `?deviceId=`) so that its room's version pin applies. Identification only selects which public
 * release is served, so an unverifiable token is treated as anonymous rather than refused — a
 * device with an expired token must still be able to update.
 */
export function updateFeedRoutes(app: FastifyInstance, deps: UpdateFeedDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/updates/:channel/:file',
    { schema: { tags: ['updates'], summary: 'electron-updater feed file or artifact', params: FeedParams, querystring: FeedQuery } },
    async (request, reply) => {
      const channel = ReleaseChannel.safeParse(request.params.channel);
      if (!channel.success) throw notFound('channel_not_found', `No update channel ${request.params.channel}`);
      const { file } = request.params;
      const feed = parseFeedFileName(file);
      if (feed) {
        const pinnedVersion = await pinnedVersionFor(request, request.query.deviceId, deps);
        const choice = chooseRelease(await deps.releases.feedReleases(), {
          channel: feed.channel ?? channel.data,
          platform: feed.platform,
          pinnedVersion,
        });
        if (!choice) throw notFound('no_release', `No release on ${channel.data} for this platform`);
        return reply
          .header('content-type', 'text/yaml; charset=utf-8')
          .header('cache-control', 'no-cache')
          .header('vary', 'authorization')
          .send(renderFeedYaml(choice));
      }

      const artifact = await deps.releases.artifact(file);
      if (!artifact) throw notFound('artifact_not_found', `No artifact ${file}`);
      void reply
        .header('content-type', 'application/octet-stream')
        .header('accept-ranges', 'bytes')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('etag', `"${Buffer.from(artifact.sha512, 'base64').toString('hex').slice(0, 32)}"`);
      const range = parseRange(request.headers.range, artifact.size);
      if (range === 'unsatisfiable') {
        void reply.header('content-range', `bytes */${artifact.size}`);
        throw new HttpError(416, 'range_not_satisfiable', 'The requested range is outside the file');
      }
      if (range) {
        return reply
          .status(206)
          .header('content-range', `bytes ${range.start}-${range.end}/${artifact.size}`)
          .header('content-length', String(range.end - range.start + 1))
          .send(createReadStream(artifact.path, range));
      }
      return reply.header('content-length', String(artifact.size)).send(createReadStream(artifact.path));
    },
  );
}

async function pinnedVersionFor(
  request: FastifyRequest,
  queryDeviceId: string | undefined,
  deps: UpdateFeedDeps,
): Promise<string | undefined> {
  let deviceId = queryDeviceId;
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (bearer) {
    try {
      deviceId = (await deps.verifyToken(bearer[1]!)).deviceId ?? deviceId;
    } catch {
      // anonymous: see updateFeedRoutes
    }
  }
  if (!deviceId) return undefined;
  const roomId = await deps.deviceRooms.roomOfDevice(deviceId);
  return roomId ? deps.releases.pinnedVersion(roomId) : undefined;
}

/**
 * One `bytes=` range (RFC 9110 §14.1.2). Multi-range requests get the whole file (allowed: a
 * server may ignore Range), which electron-updater handles by falling back to a full download.
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}
