import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Command } from '../../../src-shared/devices/commands.schema';
import { DB_KINDS } from '../../test-support/test-app';
import { useTestApp } from '../../test-support/use-test-app';
import { SseClient, adminHeaders, createRoom, deviceToken, enrolDevice, type EnrolledDevice } from '../device-fleet.test-kit';

describe.each(DB_KINDS)('device event stream over real HTTP on %s', (kind) => {
  const t = useTestApp(kind);
  let base: string;
  let admin: Record<string, string>;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  beforeEach(async () => {
    admin = await adminHeaders(t);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  const open = async (d: { headers: Record<string, string> }, extra: Record<string, string> = {}) => {
    const c = await SseClient.open(base, { ...d.headers, ...extra });
    clients.push(c);
    return c;
  };
  const command = (d: EnrolledDevice, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/management/v1/devices/${d.deviceId}/commands`, headers: admin, payload: body });
  const commands = async (d: EnrolledDevice) => {
    const res = await t.app.inject({ method: 'GET', url: `/management/v1/devices/${d.deviceId}/commands`, headers: admin });
    expect(res.statusCode).toBe(200);
    return (res.json() as unknown[]).map((c) => Command.parse(c));
  };
  const result = (d: EnrolledDevice, id: string, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/device/v1/me/commands/${id}/result`, headers: d.headers, payload: body });

  it('enrolment → token → event stream receives a command, and the result is visible in management', async () => {
    const d = await enrolDevice(t, admin);
    const stream = await open(d);
    expect(stream.status).toBe(200);
    await stream.waitFor(() => stream.comments.includes('connected'));
    const created = await command(d, { type: 'show_message', args: { text: 'Hej fra IT' } });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { id: string }).id;
    const ev = await stream.next((e) => e.event === 'command');
    expect(ev.id).toMatch(/^\d+$/);
    expect(ev.data).toMatchObject({ id, type: 'show_message', args: { text: 'Hej fra IT', severity: 'info' } });
    expect((await commands(d))[0]).toMatchObject({ id, status: 'delivered' });

    const done = await result(d, id, { status: 'succeeded', detail: 'vist' });
    expect(done.statusCode, done.body).toBe(200);
    expect((await commands(d))[0]).toMatchObject({ id, status: 'succeeded', result: { status: 'succeeded', detail: 'vist' } });
    expect((await result(d, id, { status: 'failed' })).statusCode).toBe(409);
  });

  it('queues commands for an offline device, delivers them on reconnect and drops expired ones', async () => {
    const d = await enrolDevice(t, admin);
    const now = t.clock.now().getTime();
    const short = await command(d, { type: 'restart_app', expiresAt: new Date(now + 60_000).toISOString() });
    const long = await command(d, { type: 'join_meeting', args: { alias: 'meet.7@vdx.test', pin: '1234' } });
    expect([short.statusCode, long.statusCode]).toEqual([201, 201]);
    expect((await commands(d)).map((c) => c.status)).toEqual(['queued', 'queued']);

    t.clock.advance(120_000);
    const stream = await open(d);
    const ev = await stream.next((e) => e.event === 'command');
    expect(ev.data).toMatchObject({ id: long.json().id, type: 'join_meeting', args: { alias: 'meet.7@vdx.test' } });
    // Marked delivered right after the replay is written; poll (bounded) for that write.
    let byId: Record<string, string> = {};
    for (let i = 0; i < 50 && byId[long.json().id] !== 'delivered'; i++) {
      byId = Object.fromEntries((await commands(d)).map((c) => [c.id, c.status]));
      if (byId[long.json().id] !== 'delivered') await new Promise((r) => setTimeout(r, 20));
    }
    expect(byId).toEqual({ [short.json().id]: 'expired', [long.json().id]: 'delivered' });
    expect(stream.events.filter((e) => e.event === 'command')).toHaveLength(1);
    const late = await result(d, short.json().id, { status: 'succeeded' });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ error: { code: 'command_expired' } });
  });

  it('revocation sends device.revoked, closes the stream and refuses the credential and its tokens', async () => {
    const d = await enrolDevice(t, admin);
    const stream = await open(d);
    await stream.waitFor(() => stream.comments.includes('connected'));
    const revoke = await t.app.inject({ method: 'POST', url: `/management/v1/devices/${d.deviceId}/revoke`, headers: admin });
    expect(revoke.statusCode).toBe(200);
    const ev = await stream.next((e) => e.event === 'device.revoked');
    expect(ev.data).toEqual({ reason: 'revoked' });
    await stream.waitFor(() => stream.ended);
    const again = await open(d);
    expect(again.status).toBe(401);
    expect(JSON.parse(await again.body())).toMatchObject({ error: { code: expect.stringMatching(/^token_revoked|device_revoked$/) } });
    expect((await deviceToken(t, d.clientId, d.clientSecret)).status).toBe(401);
  });

  it('resumes after Last-Event-ID with what was missed (room messages, config changes) and nothing older', async () => {
    const room = await createRoom(t, admin);
    const d = await enrolDevice(t, admin, room.id);
    const first = await open(d);
    await first.waitFor(() => first.comments.includes('connected'));
    const msg = (text: string) =>
      t.app.inject({ method: 'POST', url: `/management/v1/rooms/${room.id}/messages`, headers: admin, payload: { text } });
    expect((await msg('én')).statusCode).toBe(202);
    const one = await first.next((e) => e.event === 'message');
    first.close();
    await new Promise((r) => setTimeout(r, 50));

    expect((await msg('to')).statusCode).toBe(202);
    await t.app.inject({ method: 'PATCH', url: `/management/v1/rooms/${room.id}`, headers: admin, payload: { name: 'Nyt navn' } });
    const resumed = await open(d, { 'last-event-id': one.id! });
    const cfg = await resumed.next((e) => e.event === 'config_changed');
    const messages = resumed.events.filter((e) => e.event === 'message').map((e) => (e.data as { text: string }).text);
    expect(messages).toEqual(['to']);
    const ids = resumed.events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(Number(cfg.id)).toBeGreaterThan(Number(one.id));

    // An id the server cannot account for (an earlier server run): refetch hints instead of silence.
    resumed.close();
    const gap = await open(d, { 'last-event-id': '1' });
    await gap.next((e) => e.event === 'schedule_changed');
    expect(gap.events.map((e) => e.event)).toContain('config_changed');
    const bad = await open(d, { 'last-event-id': 'abc' });
    expect(bad.status).toBe(400);
  });

  it('without Last-Event-ID a fresh stream shows unexpired messages only', async () => {
    const room = await createRoom(t, admin);
    const d = await enrolDevice(t, admin, room.id);
    const expiresAt = new Date(t.clock.now().getTime() + 60_000).toISOString();
    await t.app.inject({ method: 'POST', url: `/management/v1/rooms/${room.id}/messages`, headers: admin, payload: { text: 'kort', expiresAt } });
    await t.app.inject({ method: 'POST', url: `/management/v1/rooms/${room.id}/messages`, headers: admin, payload: { text: 'lang' } });
    t.clock.advance(90_000);
    const stream = await open(d);
    const ev = await stream.next((e) => e.event === 'message');
    expect(ev.data).toMatchObject({ text: 'lang' });
    expect(stream.events.filter((e) => e.event === 'message')).toHaveLength(1);
  });

  it('keeps one stream per device: a new connection replaces the old one', async () => {
    const d = await enrolDevice(t, admin);
    const a = await open(d);
    await a.waitFor(() => a.comments.includes('connected'));
    const b = await open(d);
    await b.waitFor(() => b.comments.includes('connected'));
    await a.waitFor(() => a.ended);
    const created = await command(d, { type: 'reload_ui' });
    await b.next((e) => e.event === 'command' && (e.data as { id: string }).id === created.json().id);
    const dev = await t.app.inject({ method: 'GET', url: `/management/v1/devices/${d.deviceId}`, headers: admin });
    expect(dev.json()).toMatchObject({ connected: true });
  });

  it('refuses unknown commands, bad arguments and foreign device tokens, storing nothing', async () => {
    const a = await enrolDevice(t, admin);
    const b = await enrolDevice(t, admin);
    for (const body of [
      { type: 'format_disk' },
      { type: 'join_meeting', args: {} },
      { type: 'join_meeting', args: { alias: 'x@y', pin: 'abc' } },
      { type: 'restart_app', args: { now: true } },
      { type: 'show_message', args: { text: '' } },
      { type: 'reload_ui', expiresAt: '2020-01-01T00:00:00Z' },
    ]) {
      const res = await command(a, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect(await commands(a)).toEqual([]);
    expect((await t.app.inject({ method: 'POST', url: '/management/v1/devices/nope/commands', headers: admin, payload: { type: 'reload_ui' } })).statusCode).toBe(404);

    const forA = (await command(a, { type: 'collect_logs' })).json() as { id: string; args: unknown };
    expect(forA.args).toEqual({ sinceMinutes: 60, maxLines: 1000 });
    const foreign = await result(b, forA.id, { status: 'succeeded' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toMatchObject({ error: { code: 'command_of_another_device' } });
    expect((await result(b, 'no-such-command', { status: 'succeeded' })).statusCode).toBe(404);
    expect((await result(a, forA.id, { status: 'maybe' })).statusCode).toBe(400);
    expect((await commands(a))[0]).toMatchObject({ status: 'queued', result: null });
    const big = await result(a, forA.id, { status: 'succeeded', detail: 'x'.repeat(100 * 1024) });
    expect(big.statusCode).toBe(413);
    expect((await result(a, forA.id, { status: 'failed', detail: 'no logs' })).statusCode).toBe(200);

    await t.app.inject({ method: 'POST', url: `/management/v1/devices/${b.deviceId}/revoke`, headers: admin });
    const toRevoked = await command(b, { type: 'reload_ui' });
    expect(toRevoked.statusCode).toBe(409);
  });
});
