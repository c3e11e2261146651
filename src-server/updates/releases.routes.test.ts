import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Release } from '../../src-shared/updates/releases.contract';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { createRoom, enrolDevice } from '../schedule/fleet.test-kit';
import { adminAuth, mintTestToken } from './test-tokens';

const sha = (s: string) => createHash('sha512').update(s).digest('base64');
const file = (name: string) => ({ url: name, sha512: sha(name), size: 1234 });

describe.each(DB_KINDS)('release management and the update feed on %s', (kind) => {
  let auth: { authorization: string };
  let artifactsDir: string;

  beforeAll(() => {
    artifactsDir = mkdtempSync(join(tmpdir(), 'vdx-artifacts-'));
  });
  afterAll(() => rmSync(artifactsDir, { recursive: true, force: true }));
  const t = useTestApp(kind, () => ({ env: { VDX_ARTIFACTS_DIR: artifactsDir, VDX_ARTIFACT_MAX_BYTES: '4096' } }));
  beforeAll(async () => {
    auth = await adminAuth(t);
  });

  const create = (body: unknown) => t.app.inject({ method: 'POST', url: '/management/v1/releases', headers: auth, payload: body as object });
  const feed = (path: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: `/updates/${path}`, headers });

  it('registers a release and names it in latest-linux.yml', async () => {
    const res = await create({
      version: '1.0.0',
      channel: 'stable',
      files: [{ url: 'https://cdn.example/VDX-Room-1.0.0.AppImage', sha512: sha('a'), size: 10 }],
      notes: 'Første udgave: "hej": ja',
    });
    expect(res.statusCode).toBe(201);
    const release = Release.parse(res.json());
    expect(release).toMatchObject({ version: '1.0.0', channel: 'stable', paused: false, stagingPercentage: null });

    const yml = await feed('stable/latest-linux.yml');
    expect(yml.statusCode).toBe(200);
    expect(yml.headers['content-type']).toContain('yaml');
    expect(yml.body).toContain('version: "1.0.0"');
    expect(yml.body).toContain('url: "https://cdn.example/VDX-Room-1.0.0.AppImage"');
    expect(yml.body).toContain(`sha512: "${sha('a')}"`);
    expect(yml.body).toContain('releaseNotes: "Første udgave: \\"hej\\": ja"');
    expect(yml.body).not.toContain('stagingPercentage');
  });

  it('refuses a duplicate version, bad semver, bad digests and non-admins, storing nothing', async () => {
    expect((await create({ version: '1.0.0', channel: 'stable', files: [file('x.deb')] })).json()).toMatchObject({
      error: { code: 'release_exists' },
    });
    for (const body of [
      { version: 'v1', channel: 'stable', files: [] },
      { version: '1.0.1', channel: 'nightly', files: [] },
      { version: '1.0.1', channel: 'stable', files: [{ url: 'x.deb', sha512: 'abc', size: 1 }] },
      { version: '1.0.1', channel: 'stable', files: [{ url: '../etc/passwd', sha512: sha('x'), size: 1 }] },
      { version: '1.0.1', channel: 'stable', files: [], stagingPercentage: 101 },
    ]) {
      const res = await create(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
    const plain = { authorization: `Bearer ${await mintTestToken(t, { roles: ['meeting-admin'] })}` };
    const denied = await t.app.inject({ method: 'POST', url: '/management/v1/releases', headers: plain, payload: { version: '1.0.1', channel: 'stable', files: [] } });
    expect(denied.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/management/v1/releases' })).statusCode).toBe(401);
    const list = await t.app.inject({ method: 'GET', url: '/management/v1/releases', headers: auth });
    expect(list.json().releases.map((r: Release) => r.version)).toEqual(['1.0.0']);
  });

  it('serves per-platform files, newest by semver, with staging; beta devices also see stable', async () => {
    await create({ version: '1.1.0', channel: 'stable', files: [file('VDX-Room-1.1.0.AppImage'), file('VDX-Room-Setup-1.1.0.exe')], stagingPercentage: 30 });
    await create({ version: '1.10.0-beta.1', channel: 'beta', files: [file('VDX-Room-1.10.0-beta.1.AppImage')] });
    const linux = (await feed('stable/latest-linux.yml')).body;
    expect(linux).toContain('version: "1.1.0"');
    expect(linux).toContain('stagingPercentage: 30');
    expect(linux).not.toContain('.exe');
    const win = (await feed('stable/latest.yml')).body;
    expect(win).toContain('VDX-Room-Setup-1.1.0.exe');
    expect(win).not.toContain('AppImage');
    expect((await feed('stable/latest-mac.yml')).statusCode).toBe(404);
    expect((await feed('beta/latest-linux.yml')).body).toContain('version: "1.10.0-beta.1"');
    expect((await feed('nightly/latest-linux.yml')).json().error.code).toBe('channel_not_found');
  });

  it('changes staging, pauses (feed falls back to the previous release), resumes and promotes, all audited', async () => {
    const list = (await t.app.inject({ method: 'GET', url: '/management/v1/releases?channel=stable', headers: auth })).json();
    const r110 = (list.releases as Release[]).find((r) => r.version === '1.1.0')!;
    const patched = await t.app.inject({ method: 'PATCH', url: `/management/v1/releases/${r110.id}`, headers: auth, payload: { stagingPercentage: 80 } });
    expect(patched.json()).toMatchObject({ stagingPercentage: 80 });
    expect((await feed('stable/latest-linux.yml')).body).toContain('stagingPercentage: 80');

    const paused = await t.app.inject({ method: 'POST', url: `/management/v1/releases/${r110.id}/pause`, headers: auth });
    expect(paused.json()).toMatchObject({ paused: true });
    expect((await feed('stable/latest-linux.yml')).body).toContain('version: "1.0.0"');
    await t.app.inject({ method: 'POST', url: `/management/v1/releases/${r110.id}/resume`, headers: auth });
    expect((await feed('stable/latest-linux.yml')).body).toContain('version: "1.1.0"');

    const beta = (await t.app.inject({ method: 'GET', url: '/management/v1/releases?channel=beta', headers: auth })).json().releases[0] as Release;
    const promoted = await t.app.inject({ method: 'POST', url: `/management/v1/releases/${beta.id}/promote`, headers: auth, payload: { channel: 'stable' } });
    expect(promoted.json()).toMatchObject({ channel: 'stable' });
    expect((await feed('stable/latest-linux.yml')).body).toContain('version: "1.10.0-beta.1"');

    const audit = await t.store.db.selectFrom('audit_log').select(['action', 'entity_id']).where('entity_type', '=', 'release').execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['release.create', 'release.update', 'release.pause', 'release.resume', 'release.promote']),
    );
    expect((await t.app.inject({ method: 'POST', url: '/management/v1/releases/nope/pause', headers: auth })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PATCH', url: `/management/v1/releases/${r110.id}`, headers: auth, payload: {} })).statusCode).toBe(400);
  });

  it('stores an uploaded artifact with its own sha512, lists it, and serves it with ranges', async () => {
    const created = Release.parse((await create({ version: '2.0.0', channel: 'beta' })).json());
    const bytes = Buffer.from('0123456789'.repeat(100));
    const up = await t.app.inject({
      method: 'PUT',
      url: `/management/v1/releases/${created.id}/artifacts/VDX-Room-2.0.0.deb`,
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
    expect(up.statusCode).toBe(201);
    const digest = createHash('sha512').update(bytes).digest('base64');
    expect(up.json()).toMatchObject({ name: 'VDX-Room-2.0.0.deb', sha512: digest, size: 1000, url: '/updates/beta/VDX-Room-2.0.0.deb' });
    expect((await feed('beta/latest-linux.yml')).body).toContain(`url: "VDX-Room-2.0.0.deb"\n    sha512: "${digest}"`);

    const whole = await feed('beta/VDX-Room-2.0.0.deb');
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload.equals(bytes)).toBe(true);
    const part = await feed('beta/VDX-Room-2.0.0.deb', { range: 'bytes=10-19' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 10-19/1000');
    expect(part.body).toBe('0123456789');
    const tail = await feed('beta/VDX-Room-2.0.0.deb', { range: 'bytes=-5' });
    expect(tail.body).toBe('56789');
    expect((await feed('beta/VDX-Room-2.0.0.deb', { range: 'bytes=5000-' })).statusCode).toBe(416);
    expect((await feed('beta/missing.deb')).statusCode).toBe(404);
  });

  it('refuses oversized, misnamed, foreign-named and unauthenticated uploads without keeping anything', async () => {
    const created = Release.parse((await create({ version: '2.0.1', channel: 'beta' })).json());
    const url = `/management/v1/releases/${created.id}/artifacts`;
    const big = await t.app.inject({ method: 'PUT', url: `${url}/big.deb`, headers: auth, payload: Buffer.alloc(5000) });
    expect(big.statusCode).toBe(413);
    const taken = await t.app.inject({ method: 'PUT', url: `${url}/VDX-Room-2.0.0.deb`, headers: auth, payload: Buffer.from('x') });
    expect(taken.json().error.code).toBe('artifact_name_taken');
    expect((await t.app.inject({ method: 'PUT', url: `${url}/..%2Fevil`, headers: auth, payload: Buffer.from('x') })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'PUT', url: `${url}/a.deb`, payload: Buffer.from('x') })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'PUT', url: `/management/v1/releases/nope/artifacts/a.deb`, headers: auth, payload: Buffer.from('x') })).statusCode).toBe(404);
    const after = Release.parse((await t.app.inject({ method: 'GET', url: `/management/v1/releases/${created.id}`, headers: auth })).json());
    expect(after.files).toEqual([]);
    const rows = await t.store.db.selectFrom('release_artifacts').select('name').execute();
    expect(rows.map((r) => r.name)).toEqual(['VDX-Room-2.0.0.deb']);
  });

  it("pins a room to a version (the room's pinnedVersion, audited) and serves that version to its devices", async () => {
    const roomId = await createRoom(t);
    const device = await enrolDevice(t, roomId);
    const pin = await t.app.inject({ method: 'PUT', url: `/management/v1/rooms/${roomId}/update-pin`, headers: auth, payload: { version: '1.0.0' } });
    expect(pin.statusCode).toBe(200);
    expect(pin.json()).toEqual({ roomId, version: '1.0.0' });
    const room = await t.app.inject({ method: 'GET', url: `/management/v1/rooms/${roomId}`, headers: auth });
    expect(room.json()).toMatchObject({ pinnedVersion: '1.0.0' });

    // The device gets its pinned version (by token or by id); everyone else the channel's latest.
    const byToken = await feed('stable/latest-linux.yml', { authorization: `Bearer ${device.token}` });
    expect(byToken.body).toContain('version: "1.0.0"');
    expect(byToken.body).not.toContain('stagingPercentage');
    expect((await feed(`stable/latest-linux.yml?deviceId=${device.deviceId}`)).body).toContain('version: "1.0.0"');
    expect((await feed('stable/latest-linux.yml')).body).not.toContain('version: "1.0.0"');
    expect((await feed('stable/latest-linux.yml', { authorization: 'Bearer not-a-token' })).statusCode).toBe(200);

    const missing = await t.app.inject({ method: 'PUT', url: `/management/v1/rooms/${roomId}/update-pin`, headers: auth, payload: { version: '9.9.9' } });
    expect(missing.json().error.code).toBe('release_not_found');
    const noRoom = await t.app.inject({ method: 'PUT', url: '/management/v1/rooms/nope/update-pin', headers: auth, payload: { version: '1.0.0' } });
    expect(noRoom.statusCode).toBe(404);
    const pins = await t.app.inject({ method: 'GET', url: '/management/v1/update-pins', headers: auth });
    expect(pins.json().pins).toEqual([{ roomId, version: '1.0.0' }]);
    expect((await t.app.inject({ method: 'DELETE', url: `/management/v1/rooms/${roomId}/update-pin`, headers: auth })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url: `/management/v1/rooms/${roomId}/update-pin`, headers: auth })).statusCode).toBe(404);
    expect((await feed('stable/latest-linux.yml', { authorization: `Bearer ${device.token}` })).body).not.toContain('version: "1.0.0"');
    const audit = await t.store.db.selectFrom('audit_log').select('action').where('entity_id', '=', roomId).execute();
    expect(audit.map((a) => a.action).filter((a) => a === 'room.update')).toHaveLength(2);
  });
});
