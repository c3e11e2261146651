import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Command } from '../../../src-shared/devices/commands.schema';
import { ManualClock } from '../../../src-shared/platform/clock';
import { ORG, call, callers, meetingBody, templateBody, type Callers } from '../../booking/booking.test-support';
import { createTestApp, createTestAppOn, type TestApp } from '../../test-support/test-app';
import { SseClient, adminHeaders, createRoom, enrolDevice, type EnrolledDevice, type SseEvent } from '../device-fleet.test-kit';

/**
 * Two server instances on one PostgreSQL database, as in a scaled deployment: a device's event
 * stream is open on B while management and booking requests go to A. Only the LISTEN/NOTIFY relay
 * connects them (each has its own pool, hub and bus).
 */
describe('device streams across two server instances on one PostgreSQL database', () => {
  let a: TestApp;
  let b: TestApp;
  let baseA: string;
  let baseB: string;
  let admin: Record<string, string>;
  let c: Callers;
  let pgAdmin: pg.Client;
  const clients: SseClient[] = [];

  const listen = async (t: TestApp) => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    return `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    a = await createTestApp('postgres');
    // Same start time on both hand-driven clocks; B's relay waits 1.5 s before reconnecting so
    // the last test can act while B is deaf.
    b = await createTestAppOn(a.databaseUrl, {}, new ManualClock(a.clock.now().toISOString()), { eventRelay: { reconnectMinMs: 1500 } });
    [baseA, baseB] = [await listen(a), await listen(b)];
    admin = await adminHeaders(a);
    c = await callers(a);
    expect((await call(a, c.admin, 'POST', 'scheduling-templates', templateBody())).statusCode).toBe(200);
    pgAdmin = new pg.Client({ connectionString: a.databaseUrl });
    await pgAdmin.connect();
  });
  afterAll(async () => {
    await pgAdmin?.end();
    await b?.close();
    await a?.close();
  });
  afterEach(() => {
    for (const s of clients.splice(0)) s.close();
  });

  /** A device of a fresh room (of the booking organisation) enrolled through A. */
  const device = async () => enrolDevice(a, admin, (await createRoom(a, admin, { organisationCode: ORG })).id);
  const streamOn = async (base: string, d: EnrolledDevice) => {
    const s = await SseClient.open(base, d.headers);
    clients.push(s);
    expect(s.status).toBe(200);
    await s.waitFor(() => s.comments.includes('connected'));
    return s;
  };
  /** Books a meeting through A with the room as host; returns the meeting's uuid. */
  const bookWithHostRoom = async (roomId: string) => {
    const created = await call(a, c.planner, 'POST', 'meetings', meetingBody({ startTime: '2026-03-03T09:00:00Z', endTime: '2026-03-03T10:00:00Z' }));
    expect(created.statusCode, created.body).toBe(200);
    const uuid = (created.json() as { uuid: string }).uuid;
    const joined = await call(a, c.planner, 'POST', `/appointments/v1/meetings/${uuid}/participants`, { kind: 'room', roomId, role: 'host' });
    expect(joined.statusCode, joined.body).toBe(201);
    return uuid;
  };
  const scheduleChangedFor = (uuid: string) => (e: SseEvent) =>
    e.event === 'schedule_changed' && (e.data as { meetingUuid?: string }).meetingUuid === uuid;
  const commandsOf = async (d: EnrolledDevice) => {
    const res = await a.app.inject({ method: 'GET', url: `/management/v1/devices/${d.deviceId}/commands`, headers: admin });
    expect(res.statusCode).toBe(200);
    return (res.json() as unknown[]).map((x) => Command.parse(x));
  };
  const until = async (cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await cond())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('a booking made through A with the room as host pushes schedule_changed on B', async () => {
    const d = await device();
    const stream = await streamOn(baseB, d);
    const uuid = await bookWithHostRoom(d.roomId);
    const ev = await stream.next(scheduleChangedFor(uuid));
    expect(ev.id).toMatch(/^\d+$/);
    // The device refetches through B and sees the meeting.
    const schedule = await b.app.inject({ method: 'GET', url: '/device/v1/me/schedule?from=2026-03-02T00:00:00Z&to=2026-03-09T00:00:00Z', headers: d.headers });
    expect(schedule.statusCode).toBe(200);
    expect((schedule.json() as { meetings: { meetingUuid: string; role: string }[] }).meetings).toEqual([
      expect.objectContaining({ meetingUuid: uuid, role: 'host' }),
    ]);
  });

  it('a command created through A is sent on B, marked delivered, and its result answered through B is recorded', async () => {
    const d = await device();
    const stream = await streamOn(baseB, d);
    const created = await a.app.inject({
      method: 'POST',
      url: `/management/v1/devices/${d.deviceId}/commands`,
      headers: admin,
      payload: { type: 'show_message', args: { text: 'Hej fra IT' } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { id: string; status: string }).id;
    // A holds no stream for the device: it answers "queued"; B sends it.
    expect(created.json()).toMatchObject({ status: 'queued' });
    const ev = await stream.next((e) => e.event === 'command');
    expect(ev.data).toMatchObject({ id, type: 'show_message', args: { text: 'Hej fra IT' } });
    await until(async () => (await commandsOf(d))[0]!.status === 'delivered', 'the command marked delivered');
    const done = await b.app.inject({ method: 'POST', url: `/device/v1/me/commands/${id}/result`, headers: d.headers, payload: { status: 'succeeded', detail: 'vist' } });
    expect(done.statusCode, done.body).toBe(200);
    expect((await commandsOf(d))[0]).toMatchObject({ id, status: 'succeeded', result: { status: 'succeeded', detail: 'vist' } });
    expect(stream.events.filter((e) => e.event === 'command')).toHaveLength(1);
  });

  it('revocation through A sends device.revoked on B and closes the stream there', async () => {
    const d = await device();
    const stream = await streamOn(baseB, d);
    const revoke = await a.app.inject({ method: 'POST', url: `/management/v1/devices/${d.deviceId}/revoke`, headers: admin });
    expect(revoke.statusCode).toBe(200);
    const ev = await stream.next((e) => e.event === 'device.revoked');
    expect(ev.data).toEqual({ reason: 'revoked' });
    await stream.waitFor(() => stream.ended);
    expect(b.handles.deviceEvents.isConnected(d.deviceId)).toBe(false);
  });

  it('re-enrolment through A closes the old installation\'s stream on B; the new credential streams on B', async () => {
    const roomId = (await createRoom(a, admin, { organisationCode: ORG })).id;
    const machine = { machineIdHash: 'cd'.repeat(20), installId: 'install-cross-instance' };
    const first = await enrolDevice(a, admin, roomId, machine);
    const old = await streamOn(baseB, first);
    const again = await enrolDevice(a, admin, roomId, machine);
    expect(again.deviceId).toBe(first.deviceId);
    expect((await old.next((e) => e.event === 'device.revoked')).data).toEqual({ reason: 're_enrolled' });
    await old.waitFor(() => old.ended);
    const fresh = await streamOn(baseB, again);
    const sent = await a.app.inject({ method: 'POST', url: `/management/v1/rooms/${roomId}/messages`, headers: admin, payload: { text: 'Velkommen tilbage' } });
    expect(sent.statusCode, sent.body).toBe(202);
    await fresh.next((e) => e.event === 'message');
    expect(fresh.ended).toBe(false);
  });

  it('a theme changed through A makes the devices of its rooms on B refetch their config', async () => {
    const theme = await a.app.inject({
      method: 'POST',
      url: '/management/v1/themes',
      headers: admin,
      payload: { name: 'Region H', colours: { primary: '#0a4d8c', background: '#ffffff', text: '#000000' } },
    });
    expect(theme.statusCode, theme.body).toBe(201);
    const themeId = (theme.json() as { id: string }).id;
    const roomId = (await createRoom(a, admin, { organisationCode: ORG, themeId })).id;
    const d = await enrolDevice(a, admin, roomId);
    const stream = await streamOn(baseB, d);
    const changed = await a.app.inject({ method: 'PATCH', url: `/management/v1/themes/${themeId}`, headers: admin, payload: { name: 'Region Hovedstaden' } });
    expect(changed.statusCode, changed.body).toBe(200);
    await stream.next((e) => e.event === 'config_changed');
  });

  it('a room message sent through B reaches the screen streaming from A', async () => {
    const d = await device();
    const stream = await streamOn(baseA, d);
    const sent = await b.app.inject({ method: 'POST', url: `/management/v1/rooms/${d.roomId}/messages`, headers: admin, payload: { text: 'Lokalet lukker kl. 16' } });
    expect(sent.statusCode, sent.body).toBe(202);
    const ev = await stream.next((e) => e.event === 'message');
    expect(ev.data).toMatchObject({ text: 'Lokalet lukker kl. 16', severity: 'info' });
  });

  it('an instance drops the echo of its own events: one push, not two', async () => {
    const d = await device();
    const stream = await streamOn(baseA, d);
    const uuid = await bookWithHostRoom(d.roomId);
    const echoes = a.handles.eventRelay!.stats.ownIgnored;
    const patched = await call(a, c.planner, 'PATCH', `meetings/${uuid}`, { subject: 'Flyttet' });
    expect(patched.statusCode, patched.body).toBe(200);
    // The meeting change has come back to A over PostgreSQL (and was dropped) ...
    await until(() => a.handles.eventRelay!.stats.ownIgnored > echoes, 'the echo of the meeting change');
    // ... and the stream saw the booking and the change, each pushed once.
    await stream.waitFor(() => stream.events.filter(scheduleChangedFor(uuid)).length >= 2);
    expect(stream.events.filter(scheduleChangedFor(uuid))).toHaveLength(2);
  });

  it('after its listening connection is killed, B reconnects, catches up on a command and a revocation it missed, and relays again', async () => {
    const d = await device();
    const stream = await streamOn(baseB, d);
    const revoked = await device();
    const revokedStream = await streamOn(baseB, revoked);
    const relay = b.handles.eventRelay!;
    let commandsBeforeResync = -1;
    const off = b.handles.domainEvents.on('relay.resynced', () => {
      commandsBeforeResync = stream.events.filter((e) => e.event === 'command').length;
    });
    try {
      const pid = relay.listenerPid;
      const killed = await pgAdmin.query<{ ok: boolean }>('select pg_terminate_backend($1) as ok', [pid]);
      expect(killed.rows[0]!.ok).toBe(true);
      await until(() => !relay.listening, 'B to notice the dropped connection');

      // Sent while B is not listening: its NOTIFY is lost for B.
      const created = await a.app.inject({ method: 'POST', url: `/management/v1/devices/${d.deviceId}/commands`, headers: admin, payload: { type: 'reload_ui' } });
      expect(created.statusCode, created.body).toBe(201);
      const revoke = await a.app.inject({ method: 'POST', url: `/management/v1/devices/${revoked.deviceId}/revoke`, headers: admin });
      expect(revoke.statusCode).toBe(200);

      await until(() => commandsBeforeResync >= 0, 'the resync after reconnecting');
      expect(commandsBeforeResync).toBe(0);
      const ev = await stream.next((e) => e.event === 'command');
      expect(ev.data).toMatchObject({ id: (created.json() as { id: string }).id, type: 'reload_ui' });
      // Devices refetch what may have changed meanwhile.
      await stream.next((e) => e.event === 'schedule_changed');
      await stream.next((e) => e.event === 'config_changed');
      expect(relay.listening).toBe(true);
      expect(relay.listenerPid).not.toBe(pid);
      // The revocation B never heard of: found in the database, the stream closes.
      expect((await revokedStream.next((e) => e.event === 'device.revoked')).data).toEqual({ reason: 'revoked' });
      await revokedStream.waitFor(() => revokedStream.ended);

      const uuid = await bookWithHostRoom(d.roomId);
      await stream.next(scheduleChangedFor(uuid));
    } finally {
      off();
    }
  });
});
