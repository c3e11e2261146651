import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRoom } from '../devices/device-fleet.test-kit';
import { buildOrganisationTree, errorCode, type OrganisationTree } from '../organisations/organisation-tree.test-kit';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';

type Headers = Record<string, string>;
const sha = (s: string) => createHash('sha512').update(s).digest('base64');

/** Decision 0011: releases act fleet-wide (national admins write, everyone reads); room pins are per room (subtree). */
describe.each(DB_KINDS)('organisation-scoped releases and room pins on %s', (kind) => {
  const t = useTestApp(kind);
  let tree: OrganisationTree;
  let releaseId: string;
  const rooms = { a: '', s: '' };
  beforeAll(async () => {
    tree = await buildOrganisationTree(t);
    rooms.a = (await createRoom(t, tree.root, { name: 'A', organisationCode: 'kommune-a' })).id;
    rooms.s = (await createRoom(t, tree.root, { name: 'S', organisationCode: 'region-s' })).id;
    const created = await register(tree.root, '1.0.0');
    expect(created.statusCode, created.body).toBe(201);
    releaseId = created.json<{ id: string }>().id;
  });

  function register(headers: Headers, version: string) {
    return t.app.inject({
      method: 'POST',
      url: '/management/v1/releases',
      headers,
      payload: { version, channel: 'stable', files: [{ url: `VDX-Room-${version}.AppImage`, sha512: sha(version), size: 10 }] },
    });
  }
  const pin = (headers: Headers, roomId: string) =>
    t.app.inject({ method: 'PUT', url: `/management/v1/rooms/${roomId}/update-pin`, headers, payload: { version: '1.0.0' } });

  it('lets only national admins write releases; every admin reads them', async () => {
    const writes = [
      await register(tree.regionH, '1.1.0'),
      await t.app.inject({ method: 'PATCH', url: `/management/v1/releases/${releaseId}`, headers: tree.regionH, payload: { stagingPercentage: 10 } }),
      await t.app.inject({ method: 'POST', url: `/management/v1/releases/${releaseId}/pause`, headers: tree.regionH }),
      await t.app.inject({ method: 'POST', url: `/management/v1/releases/${releaseId}/promote`, headers: tree.kommuneA, payload: { channel: 'beta' } }),
      await t.app.inject({
        method: 'PUT',
        url: `/management/v1/releases/${releaseId}/artifacts/x.AppImage`,
        headers: { ...tree.regionH, 'content-type': 'application/octet-stream' },
        payload: Buffer.from('bytes'),
      }),
    ];
    for (const res of writes) {
      expect(res.statusCode, res.body).toBe(403);
      expect(errorCode(res)).toBe('organisation_out_of_scope');
    }
    const read = await t.app.inject({ method: 'GET', url: `/management/v1/releases/${releaseId}`, headers: tree.kommuneA });
    expect(read.json()).toMatchObject({ version: '1.0.0', paused: false, stagingPercentage: null, channel: 'stable' });
    expect((await t.app.inject({ method: 'GET', url: '/management/v1/releases', headers: tree.regionH })).json<{ releases: unknown[] }>().releases).toHaveLength(1);
  });

  it('pins only rooms of the subtree and lists only their pins', async () => {
    expect((await pin(tree.regionH, rooms.a)).statusCode).toBe(200);
    for (const res of [
      await pin(tree.regionH, rooms.s),
      await t.app.inject({ method: 'DELETE', url: `/management/v1/rooms/${rooms.s}/update-pin`, headers: tree.regionH }),
    ]) {
      expect(res.statusCode, res.body).toBe(404);
      expect(errorCode(res)).toBe('room_not_found');
    }
    expect((await pin(tree.root, rooms.s)).statusCode).toBe(200);
    const pins = async (headers: Headers) =>
      (await t.app.inject({ method: 'GET', url: '/management/v1/update-pins', headers })).json<{ pins: { roomId: string }[] }>().pins.map((p) => p.roomId).sort();
    expect(await pins(tree.regionH)).toEqual([rooms.a]);
    expect(await pins(tree.root)).toEqual([rooms.a, rooms.s].sort());
    expect((await t.app.inject({ method: 'DELETE', url: `/management/v1/rooms/${rooms.s}/update-pin`, headers: tree.regionH })).statusCode).toBe(404);
    expect(await pins(tree.root)).toHaveLength(2);
  });
});
