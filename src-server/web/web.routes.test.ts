import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../http/errors';
import { installZodSchemas } from '../http/zod-schemas';
import { CONTENT_SECURITY_POLICY, ROOM_CONTENT_SECURITY_POLICY, webRoutes, type JoinMeetingLookup } from './web.routes';

/** A fake build: one marker per page, one hashed asset. */
async function fakeBuild(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'vdx-web-'));
  for (const page of ['room', 'join', 'portal', 'manage', 'booking']) {
    await mkdir(path.join(root, page), { recursive: true });
    await writeFile(path.join(root, page, 'index.html'), `<!doctype html><title>${page}-page</title>`);
  }
  await mkdir(path.join(root, 'assets'));
  await writeFile(path.join(root, 'assets', 'join-abc123.js'), 'console.log(1)');
  await writeFile(path.join(root, 'room', 'sw.js'), 'self.addEventListener("fetch", () => {})');
  return root;
}

async function appWith(webRoot: string, lookup?: JoinMeetingLookup): Promise<FastifyInstance> {
  const app = Fastify();
  installZodSchemas(app);
  installErrorHandling(app, []);
  await webRoutes(app, { webRoot, lookupMeeting: lookup });
  await app.ready();
  return app;
}

describe('web UI routes', () => {
  let root: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    root = await fakeBuild();
    app = await appWith(root, async (shortId) =>
      shortId === 'Ab3dE9xk'
        ? { alias: 'meet.1@vdx.test', subject: 'Samtale', startTime: '2026-03-02T09:00:00Z', endTime: '2026-03-02T09:30:00Z', guestPinRequired: true, opensAt: '2026-03-02T08:50:00Z', serverTime: '2026-03-02T08:00:00Z' }
        : undefined,
    );
  });
  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    ['/', 'portal-page'],
    ['/room/', 'room-page'],
    ['/manage/', 'manage-page'],
    ['/booking/', 'booking-page'],
    ['/join', 'join-page'],
    ['/join?alias=meet.1%40vdx.test', 'join-page'],
    ['/join/Ab3dE9xk', 'join-page'],
    ['/join/anything-else', 'join-page'],
  ])('serves %s as the %s, uncached, under the strict CSP', async (url, marker) => {
    const res = await app.inject(url);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(marker);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toBe(marker === 'room-page' ? ROOM_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'; connect-src 'self'");
  });

  it('lets only the room page reach the Chromium shell bridge on loopback', () => {
    expect(ROOM_CONTENT_SECURITY_POLICY).toContain("connect-src 'self' ws://127.0.0.1:*;");
    expect(CONTENT_SECURITY_POLICY).not.toContain('ws:');
    expect(CONTENT_SECURITY_POLICY).toContain("img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'");
  });

  it.each(['/room', '/manage', '/booking'])('redirects %s to its folder so relative asset URLs resolve', async (url) => {
    const res = await app.inject(url);
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe(`${url}/`);
  });

  it('serves hashed assets with long caching, and nothing outside the assets folder', async () => {
    const ok = await app.inject('/assets/join-abc123.js');
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toContain('immutable');
    expect((await app.inject('/assets/missing.js')).statusCode).toBe(404);
    expect((await app.inject('/assets/..%2Froom%2Findex.html')).statusCode).toBe(404);
    expect((await app.inject('/assets/../room/index.html')).statusCode).not.toBe(200);
  });

  it("serves the room UI's service worker uncached, so a fixed worker reaches kiosks at once", async () => {
    const res = await app.inject('/room/sw.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('addEventListener("fetch"');
  });

  it('looks a meeting up by short id without revealing PINs', async () => {
    const res = await app.inject('/join-api/v1/meetings/Ab3dE9xk');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      alias: 'meet.1@vdx.test',
      subject: 'Samtale',
      startTime: '2026-03-02T09:00:00Z',
      endTime: '2026-03-02T09:30:00Z',
      guestPinRequired: true,
      opensAt: '2026-03-02T08:50:00Z',
      serverTime: '2026-03-02T08:00:00Z',
    });
    expect(res.body).not.toMatch(/pin"\s*:\s*"/i);
  });

  it('answers unknown and malformed short ids with our error shape', async () => {
    const missing = await app.inject('/join-api/v1/meetings/Zz9yX8wv');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'meeting_not_found' } });
    const bad = await app.inject('/join-api/v1/meetings/a%20b');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });
});

describe('web UI routes without a build', () => {
  it('answers 503 telling how to build the UI', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'vdx-web-empty-'));
    const app = await appWith(empty);
    try {
      for (const url of ['/', '/room/', '/join/Ab3dE9xk']) {
        const res = await app.inject(url);
        expect(res.statusCode).toBe(503);
        expect(res.body).toContain('npm run build:renderer');
        expect(res.headers['cache-control']).toBe('no-store');
      }
    } finally {
      await app.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});
