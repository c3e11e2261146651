import { beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisationTree, errorCode, type OrganisationTree } from '../organisations/organisation-tree.test-kit';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { createRoom, enrolDevice, sendHeartbeat, type EnrolledDevice } from './device-fleet.test-kit';

type Headers = Record<string, string>;

/** Decision 0011: management admins see and change only rooms, devices and themes of their subtree. */
describe.each(DB_KINDS)('organisation-scoped fleet management on %s', (kind) => {
  const t = useTestApp(kind);
  let tree: OrganisationTree;
  const rooms: Record<'vdx' | 'regionH' | 'kommuneA' | 'hospitalB' | 'regionS', string> = {
    vdx: '', regionH: '', kommuneA: '', hospitalB: '', regionS: '',
  };
  const devices: Record<'vdx' | 'kommuneA' | 'hospitalB' | 'regionS', EnrolledDevice | undefined> = {
    vdx: undefined, kommuneA: undefined, hospitalB: undefined, regionS: undefined,
  };
  const device = (k: keyof typeof devices) => devices[k]!;

  beforeAll(async () => {
    tree = await buildOrganisationTree(t);
    const orgs = { vdx: 'vdx', regionH: 'region-h', kommuneA: 'kommune-a', hospitalB: 'hospital-b', regionS: 'region-s' } as const;
    for (const key of Object.keys(orgs) as (keyof typeof orgs)[]) {
      rooms[key] = (await createRoom(t, tree.root, { name: `Lokale ${key}`, organisationCode: orgs[key] })).id;
    }
    for (const key of Object.keys(devices) as (keyof typeof devices)[]) {
      devices[key] = await enrolDevice(t, tree.root, rooms[key]);
      expect((await sendHeartbeat(t, device(key))).statusCode).toBe(200);
    }
  });

  const get = (headers: Headers, url: string) => t.app.inject({ method: 'GET', url, headers });
  const ids = (res: { json(): unknown }) => (res.json() as { id: string }[]).map((x) => x.id).sort();

  it('lists only the rooms and devices of the subtree; the root admin still sees all', async () => {
    expect(ids(await get(tree.regionH, '/management/v1/rooms'))).toEqual([rooms.regionH, rooms.kommuneA, rooms.hospitalB].sort());
    expect(ids(await get(tree.kommuneA, '/management/v1/rooms'))).toEqual([rooms.kommuneA]);
    expect(ids(await get(tree.root, '/management/v1/rooms'))).toEqual(Object.values(rooms).sort());
    // Asking for an organisation outside the subtree by name finds nothing.
    expect(ids(await get(tree.regionH, '/management/v1/rooms?organisationCode=region-s'))).toEqual([]);

    const deviceIds = (res: { json(): unknown }) => ids(res);
    expect(deviceIds(await get(tree.regionH, '/management/v1/devices'))).toEqual(
      [device('kommuneA').deviceId, device('hospitalB').deviceId].sort(),
    );
    expect(deviceIds(await get(tree.kommuneA, '/management/v1/devices'))).toEqual([device('kommuneA').deviceId]);
    expect(deviceIds(await get(tree.root, '/management/v1/devices'))).toHaveLength(4);
    expect(deviceIds(await get(tree.regionH, '/management/v1/devices?organisationCode=vdx'))).toEqual([]);
  });

  it('counts only the subtree in the fleet summary', async () => {
    const total = async (h: Headers) => (((await get(h, '/management/v1/fleet/summary')).json()) as { total: number }).total;
    expect(await total(tree.regionH)).toBe(2);
    expect(await total(tree.kommuneA)).toBe(1);
    expect(await total(tree.root)).toBe(4);
  });

  it('answers 404 for a room outside the subtree, as for an unknown id, on every room route', async () => {
    for (const id of [rooms.vdx, rooms.regionS, rooms.regionH]) {
      const calls = [
        get(tree.kommuneA, `/management/v1/rooms/${id}`),
        t.app.inject({ method: 'PATCH', url: `/management/v1/rooms/${id}`, headers: tree.kommuneA, payload: { name: 'X' } }),
        t.app.inject({ method: 'DELETE', url: `/management/v1/rooms/${id}`, headers: tree.kommuneA }),
        t.app.inject({ method: 'POST', url: `/management/v1/rooms/${id}/messages`, headers: tree.kommuneA, payload: { text: 'Hej' } }),
        t.app.inject({ method: 'POST', url: `/management/v1/rooms/${id}/activation-codes`, headers: tree.kommuneA, payload: {} }),
        get(tree.kommuneA, `/management/v1/rooms/${id}/activation-codes`),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.statusCode, res.body).toBe(404);
        expect(errorCode(res)).toBe('room_not_found');
      }
    }
    // Nothing was changed behind the 404s.
    expect(((await get(tree.root, `/management/v1/rooms/${rooms.vdx}`)).json() as { name: string }).name).toBe('Lokale vdx');
    // Inside the subtree the same routes work.
    expect((await get(tree.regionH, `/management/v1/rooms/${rooms.kommuneA}`)).statusCode).toBe(200);
    expect((await get(tree.regionH, `/management/v1/rooms/${rooms.hospitalB}/activation-codes`)).statusCode).toBe(200);
  });

  it('answers 404 for a device outside the subtree on every device route', async () => {
    for (const k of ['vdx', 'regionS', 'hospitalB'] as const) {
      const id = device(k).deviceId;
      const calls = [
        get(tree.kommuneA, `/management/v1/devices/${id}`),
        get(tree.kommuneA, `/management/v1/devices/${id}/health`),
        get(tree.kommuneA, `/management/v1/devices/${id}/commands`),
        t.app.inject({ method: 'POST', url: `/management/v1/devices/${id}/commands`, headers: tree.kommuneA, payload: { type: 'reload_ui' } }),
        t.app.inject({ method: 'POST', url: `/management/v1/devices/${id}/rotate`, headers: tree.kommuneA }),
        t.app.inject({ method: 'POST', url: `/management/v1/devices/${id}/revoke`, headers: tree.kommuneA }),
        t.app.inject({ method: 'DELETE', url: `/management/v1/devices/${id}`, headers: tree.kommuneA }),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.statusCode, res.body).toBe(404);
        expect(errorCode(res)).toBe('device_not_found');
      }
    }
    expect(((await get(tree.root, `/management/v1/devices/${device('vdx').deviceId}`)).json() as { revokedAt: unknown }).revokedAt).toBeNull();
    const own = await get(tree.regionH, `/management/v1/devices/${device('kommuneA').deviceId}`);
    expect(own.statusCode).toBe(200);
    const command = await t.app.inject({
      method: 'POST',
      url: `/management/v1/devices/${device('hospitalB').deviceId}/commands`,
      headers: tree.regionH,
      payload: { type: 'reload_ui' },
    });
    expect(command.statusCode, command.body).toBe(201);
  });

  it('creates rooms only inside the subtree (403 organisation_out_of_scope elsewhere)', async () => {
    const post = (headers: Headers, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/management/v1/rooms', headers, payload });
    for (const organisationCode of ['region-s', 'vdx', 'hospital-b']) {
      const res = await post(tree.kommuneA, { name: 'Udenfor', organisationCode });
      expect(res.statusCode, res.body).toBe(403);
      expect(errorCode(res)).toBe('organisation_out_of_scope');
    }
    const child = await post(tree.regionH, { name: 'I kommunen', organisationCode: 'kommune-a' });
    expect(child.statusCode).toBe(201);
    const own = await post(tree.regionH, { name: 'I regionen' });
    expect(own.json()).toMatchObject({ organisationCode: 'region-h' });
    const none = await t.store.db.selectFrom('rooms').select('id').where('name', '=', 'Udenfor').execute();
    expect(none).toEqual([]);
  });

  it('scopes themes: list, get, change, create, and giving one to a room', async () => {
    const create = (headers: Headers, organisationCode?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/management/v1/themes',
        headers,
        payload: { name: `Tema ${organisationCode ?? 'eget'}`, colours: { primary: '#003366', background: '#ffffff', text: '#000000' }, ...(organisationCode ? { organisationCode } : {}) },
      });
    const national = await create(tree.root);
    expect(national.statusCode, national.body).toBe(201);
    const nationalId = (national.json() as { id: string }).id;
    const municipal = await create(tree.regionH, 'kommune-a');
    expect(municipal.statusCode, municipal.body).toBe(201);
    const municipalId = (municipal.json() as { id: string }).id;
    const outside = await create(tree.regionH, 'region-s');
    expect(outside.statusCode).toBe(403);
    expect(errorCode(outside)).toBe('organisation_out_of_scope');

    expect(ids(await get(tree.kommuneA, '/management/v1/themes'))).toEqual([municipalId]);
    expect(ids(await get(tree.root, '/management/v1/themes'))).toEqual([nationalId, municipalId].sort());
    for (const res of [
      await get(tree.kommuneA, `/management/v1/themes/${nationalId}`),
      await t.app.inject({ method: 'PATCH', url: `/management/v1/themes/${nationalId}`, headers: tree.kommuneA, payload: { name: 'Mit' } }),
      await t.app.inject({ method: 'DELETE', url: `/management/v1/themes/${nationalId}`, headers: tree.kommuneA }),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(errorCode(res)).toBe('theme_not_found');
    }
    const useNational = await t.app.inject({
      method: 'PATCH',
      url: `/management/v1/rooms/${rooms.kommuneA}`,
      headers: tree.kommuneA,
      payload: { themeId: nationalId },
    });
    expect(useNational.statusCode).toBe(400);
    expect(errorCode(useNational)).toBe('theme_not_found');
    const useOwn = await t.app.inject({
      method: 'PATCH',
      url: `/management/v1/rooms/${rooms.kommuneA}`,
      headers: tree.kommuneA,
      payload: { themeId: municipalId },
    });
    expect(useOwn.statusCode, useOwn.body).toBe(200);
  });
});
