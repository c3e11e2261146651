import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FleetChanges, MANAGEMENT_EVENTS_PATH } from '../../../src-shared/devices/management-events.schema';
import { buildOrganisationTree, type OrganisationTree } from '../../organisations/organisation-tree.test-kit';
import { DB_KINDS } from '../../test-support/test-app';
import { authHeader } from '../../test-support/tokens';
import { useTestApp } from '../../test-support/use-test-app';
import { SseClient, createRoom, enrolDevice, sendHeartbeat } from '../device-fleet.test-kit';

describe.each(DB_KINDS)('management event stream (GET /management/v1/events) on %s', (kind) => {
  const t = useTestApp(kind);
  let base: string;
  let tree: OrganisationTree;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    tree = await buildOrganisationTree(t);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  const open = async (headers: Record<string, string>) => {
    const c = await SseClient.open(base, headers, MANAGEMENT_EVENTS_PATH);
    clients.push(c);
    return c;
  };
  /** Every change the stream has told so far, merged. */
  const told = (c: SseClient) => {
    const changes = c.events.filter((e) => e.event === 'changed').map((e) => FleetChanges.parse(e.data));
    return { devices: new Set(changes.flatMap((x) => x.devices)), rooms: new Set(changes.flatMap((x) => x.rooms)), messages: changes.length };
  };

  it('is for management admins: no token 401, a token without management-admin 403, both as JSON', async () => {
    const anonymous = await open({});
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(await anonymous.body())).toMatchObject({ error: { code: expect.any(String) } });
    const planner = await open(await authHeader(t, { roles: ['meeting-planner'], organisation: 'region-h' }));
    expect(planner.status).toBe(403);
  });

  it('tells of rooms created, edited and deleted and of a device enrolling, sending heartbeats and answering a command', async () => {
    const stream = await open(tree.root);
    expect(stream.status).toBe(200);
    await stream.waitFor(() => stream.comments.includes('connected'));
    const room = await createRoom(t, tree.root, { name: 'Strømmen' });
    await stream.waitFor(() => told(stream).rooms.has(room.id));
    const device = await enrolDevice(t, tree.root, room.id);
    await stream.waitFor(() => told(stream).devices.has(device.deviceId));

    const before = told(stream).messages;
    expect((await sendHeartbeat(t, device)).statusCode).toBe(200);
    await stream.waitFor(() => told(stream).messages > before);
    expect(FleetChanges.parse(stream.events.at(-1)!.data)).toEqual({ devices: [device.deviceId], rooms: [], all: false });

    // A command's result (the device answers) counts as a change of the device.
    const cmd = await t.app.inject({ method: 'POST', url: `/management/v1/devices/${device.deviceId}/commands`, headers: tree.root, payload: { type: 'restart_app' } });
    expect(cmd.statusCode).toBe(201);
    const answered = told(stream).messages;
    const res = await t.app.inject({ method: 'POST', url: `/device/v1/me/commands/${(cmd.json() as { id: string }).id}/result`, headers: device.headers, payload: { status: 'succeeded' } });
    expect(res.statusCode).toBe(200);
    await stream.waitFor(() => told(stream).messages > answered);
    expect(FleetChanges.parse(stream.events.at(-1)!.data)).toEqual({ devices: [device.deviceId], rooms: [], all: false });

    const edited = told(stream).messages;
    const patch = await t.app.inject({ method: 'PATCH', url: `/management/v1/rooms/${room.id}`, headers: tree.root, payload: { updateChannel: 'beta' } });
    expect(patch.statusCode).toBe(200);
    await stream.waitFor(() => told(stream).messages > edited);
    expect(FleetChanges.parse(stream.events.at(-1)!.data)).toEqual({ devices: [], rooms: [room.id], all: false });

    const other = await createRoom(t, tree.root, { name: 'Slettes' });
    const del = await t.app.inject({ method: 'DELETE', url: `/management/v1/rooms/${other.id}`, headers: tree.root });
    expect(del.statusCode).toBe(204);
    await stream.waitFor(() => told(stream).rooms.has(other.id));
  });

  it('merges a burst of changes into one message a second', async () => {
    const stream = await open(tree.root);
    await stream.waitFor(() => stream.comments.includes('connected'));
    // The first change goes out at once; the burst after it waits for the second to pass.
    const first = await createRoom(t, tree.root, { name: 'Først' });
    await stream.waitFor(() => told(stream).rooms.has(first.id));
    const burst: string[] = [];
    for (let i = 0; i < 5; i++) burst.push((await createRoom(t, tree.root, { name: `Byge ${i}` })).id);
    await stream.waitFor(() => burst.every((id) => told(stream).rooms.has(id)), 5000);
    expect(told(stream).messages).toBe(2);
  });

  it("tells an admin only of its own organisation subtree, like the lists", async () => {
    const regional = await open(tree.regionH);
    const national = await open(tree.root);
    await regional.waitFor(() => regional.comments.includes('connected'));
    await national.waitFor(() => national.comments.includes('connected'));
    const south = await createRoom(t, tree.root, { name: 'Syd', organisationCode: 'region-s' });
    const kommune = await createRoom(t, tree.root, { name: 'Kommunen', organisationCode: 'kommune-a' });
    await national.waitFor(() => told(national).rooms.has(south.id) && told(national).rooms.has(kommune.id));
    await regional.waitFor(() => told(regional).rooms.has(kommune.id));
    expect(told(regional).rooms.has(south.id)).toBe(false);
  });

  it('is described in /openapi.json', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { tags?: string[] }>> };
    expect(doc.paths[MANAGEMENT_EVENTS_PATH]?.get?.tags).toEqual(['management: events']);
  });
});
