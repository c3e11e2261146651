import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { JoinMeetingParamsSchema, JoinMeetingSchema, type JoinMeeting } from '../../src-shared/join/join-meeting.schema';
import { notFound } from '../http/errors';
import type { ZodTypeProvider } from '../http/zod-schemas';

/** Where `npm run build:renderer` (vite.config.ts) writes the web UIs. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

/** Finds a meeting for the guest page by its short id (booking tables); `undefined` when unknown. */
export type JoinMeetingLookup = (shortId: string) => Promise<JoinMeeting | undefined>;

export interface WebRoutesDeps {
  /** Built UI directory; default `dist/renderer/` of this checkout. */
  webRoot?: string;
  /** Public meeting lookup for `/join/{shortId}`; without it every short id is "not found". */
  lookupMeeting?: JoinMeetingLookup;
}

type Page = 'room' | 'join' | 'portal' | 'manage' | 'booking';

/**
 * The one Content-Security-Policy of our pages: scripts only from us (no inline script, no eval),
 * media only as streams/blobs, images inline or from us. React sets inline styles, hence
 * 'unsafe-inline' for styles only.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
  "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

/**
 * The room page also talks to the Chromium shell's bridge on a loopback WebSocket whose port is
 * chosen per launch (`ws://127.0.0.1:<port>/bridge`, see src-shared/ipc/README.md).
 */
export const ROOM_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "connect-src 'self'",
  "connect-src 'self' ws://127.0.0.1:*",
);

/**
 * Serves the built web UIs: the portal landing at `/`, the room app at `/room/`, the fleet
 * management page at `/manage/`, VDX Booking for clinicians and planners at `/booking/`, the guest page at `/join/{shortId}` and `/join?alias=...` (one
 * HTML document, the page reads its URL), hashed assets at `/assets/`, and the guest page's public
 * meeting lookup.
 *
 * HTML is never cached (`no-cache`), so a browser or kiosk picks up new asset names right after a
 * server upgrade instead of showing a blank page; hashed assets are cached for a year.
 * Without a build every page answers 503 saying how to build it.
 */
export async function webRoutes(app: FastifyInstance, deps: WebRoutesDeps = {}): Promise<void> {
  const webRoot = path.resolve(deps.webRoot ?? DEFAULT_WEB_ROOT);
  const assetsRoot = path.join(webRoot, 'assets');

  await app.register(async (scope) => {
    // Registered in its own scope: other modules may register @fastify/static for their files.
    await scope.register(fastifyStatic, { root: assetsRoot, serve: false });

    const sendPage = async (reply: FastifyReply, page: Page) => {
      let html: string;
      try {
        html = await readFile(path.join(webRoot, page, 'index.html'), 'utf8');
      } catch {
        return reply
          .status(503)
          .header('cache-control', 'no-store')
          .header('content-security-policy', CONTENT_SECURITY_POLICY)
          .type('text/html; charset=utf-8')
          .send(missingBuildPage());
      }
      return reply
        .header('cache-control', 'no-cache')
        .header('content-security-policy', page === 'room' ? ROOM_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('permissions-policy', 'camera=(self), microphone=(self), display-capture=(self)')
        .type('text/html; charset=utf-8')
        .send(html);
    };

    const hide = { schema: { hide: true } as object };
    scope.get('/', hide, (_req, reply) => sendPage(reply, 'portal'));
    scope.get('/room', hide, (_req, reply) => reply.redirect('/room/', 301));
    scope.get('/room/', hide, (_req, reply) => sendPage(reply, 'room'));
    scope.get('/manage', hide, (_req, reply) => reply.redirect('/manage/', 301));
    scope.get('/manage/', hide, (_req, reply) => sendPage(reply, 'manage'));
    scope.get('/booking', hide, (_req, reply) => reply.redirect('/booking/', 301));
    scope.get('/booking/', hide, (_req, reply) => sendPage(reply, 'booking'));
    // The room UI's service worker (src-renderer/room/offline): never cached by HTTP, so a fixed
    // worker reaches every kiosk on its next start.
    scope.get('/room/sw.js', hide, async (_req, reply) => {
      const script = await readFile(path.join(webRoot, 'room', 'sw.js'), 'utf8').catch(() => undefined);
      if (script === undefined) throw notFound('asset_not_found', 'No such asset');
      return reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(script);
    });
    scope.get('/join', hide, (_req, reply) => sendPage(reply, 'join'));
    // SPA fallback: any single path segment is a short id the page looks up itself.
    scope.get('/join/', hide, (_req, reply) => sendPage(reply, 'join'));
    scope.get('/join/:shortId', hide, (_req, reply) => sendPage(reply, 'join'));

    scope.get<{ Params: { '*': string } }>('/assets/*', hide, async (request, reply) => {
      const rel = request.params['*'];
      // Only plain file names Vite emits; anything else (traversal, dotfiles, sub-paths) is a 404.
      if (!/^[\w.-]+$/.test(rel) || rel.startsWith('.')) throw notFound('asset_not_found', 'No such asset');
      const file = path.join(assetsRoot, rel);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) throw notFound('asset_not_found', 'No such asset');
      return reply.sendFile(rel, assetsRoot, { immutable: true, maxAge: '365d' });
    });
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    '/join-api/v1/meetings/:shortId',
    {
      schema: {
        summary: 'Public meeting lookup for the guest page (never reveals PINs)',
        tags: ['join'],
        params: JoinMeetingParamsSchema,
        response: { 200: JoinMeetingSchema },
      },
    },
    async (request, reply) => {
      const meeting = deps.lookupMeeting ? await deps.lookupMeeting(request.params.shortId) : undefined;
      if (!meeting) throw notFound('meeting_not_found', 'No meeting with that short id');
      void reply.header('cache-control', 'no-store');
      return meeting;
    },
  );
}

/** Served while `dist/renderer` is missing: says exactly what to do. */
function missingBuildPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>VDX Room – web UI not built</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#eee;padding:.1em .3em}</style>
</head><body>
<h1>The web UI has not been built</h1>
<p>This server is running, but the room app, guest page and portal are missing from <code>dist/renderer/</code>.</p>
<p>Build them with <code>npm run build:renderer</code> and reload this page.</p>
<p lang="da">Web-brugerfladen er ikke bygget. Kør <code>npm run build:renderer</code> og genindlæs siden.</p>
</body></html>`;
}
