/**
 * The device agent against the real server (built by createTestApp, served on 127.0.0.1): enrol
 * with a code from management, report health, obey a command, lose its credential on revocation.
 * Agent and server share one ManualClock, so token lifetimes and heartbeat ages agree.
 */
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { ORG, call, callers, meetingBody, templateBody } from '../../src-server/booking/booking.test-support';
import { adminHeaders, createCode, createRoom } from '../../src-server/devices/device-fleet.test-kit';
import { createTestApp, type TestApp } from '../../src-server/test-support/test-app';
import { createTestAgent, eventually, type TestAgent } from '../../src-main/agent/test-support/test-agent';
import type { CallCommand, Schedule } from '../../src-shared/ipc/room-bridge.contract';

let t: TestApp | undefined;
let a: TestAgent | undefined;
test.afterEach(async () => {
  await a?.agent.stop();
  await t?.close();
  a = undefined;
  t = undefined;
});

test.describe('room agent ⇄ real server', () => {
  test('enrols, reports health, obeys a command and is revoked', async () => {
    t = await createTestApp('sqlite');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const admin = await adminHeaders(t);
    const room = await createRoom(t, admin, { name: 'Mødelokale Øst' });
    const { code } = await createCode(t, admin, room.id);

    a = createTestAgent({ serverUrl: url, clock: t.clock });
    await a.agent.start();
    const state = await a.agent.handlers['provisioning:activate']({ code });
    expect(state).toMatchObject({ kind: 'ready', room: { roomName: 'Mødelokale Øst', roomId: room.id } });

    // Without peripherals the server rightly calls the room degraded (no camera/microphone/speaker).
    const device0 = (id: string, label: string) => ({ id, label, selected: false });
    await a.agent.handlers['media:report-devices']({
      cameras: [device0('cam1', 'Fake camera')],
      microphones: [device0('mic1', 'Fake microphone')],
      speakers: [device0('spk1', 'Fake speaker')],
    });
    await a.agent.tick();
    await a.agent.idle();
    const list = await t.app.inject({ method: 'GET', url: `/management/v1/devices?roomId=${room.id}`, headers: admin });
    const devices = list.json() as Array<{ id: string; status: string; appVersion: string }> | { items: Array<{ id: string; status: string; appVersion: string }> };
    const device = (Array.isArray(devices) ? devices : devices.items)[0]!;
    expect(device).toMatchObject({ status: 'online', appVersion: '1.2.3' });

    // A command from IT reaches the device over its event stream and is answered.
    const cmd = await t.app.inject({
      method: 'POST',
      url: `/management/v1/devices/${device.id}/commands`,
      headers: admin,
      payload: { type: 'show_message', args: { text: 'Husk at slukke lyset' } },
    });
    expect(cmd.statusCode, cmd.body).toBe(201);
    await eventually(() => a!.of<{ text: string }>('message:show').some((m) => m.text === 'Husk at slukke lyset'), 'the message on screen');
    await eventually(async () => {
      const r = await t!.app.inject({ method: 'GET', url: `/management/v1/devices/${device.id}/commands`, headers: admin });
      const body = r.json() as Array<{ status: string }> | { items: Array<{ status: string }> };
      return (Array.isArray(body) ? body : body.items).some((c) => c.status === 'succeeded');
    }, 'the command to succeed');

    const revoke = await t.app.inject({ method: 'POST', url: `/management/v1/devices/${device.id}/revoke`, headers: admin });
    expect(revoke.statusCode).toBeLessThan(300);
    await eventually(() => a!.agent.state.kind === 'unprovisioned', 'the activation screen after revocation');
    expect(a.secrets.values.size).toBe(0);
  });
});

test.describe('room agent ⇄ real server: the schedule', () => {
  test('learns of a booking over the event stream and joins it at start time with the host PIN', async () => {
    t = await createTestApp('sqlite');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const admin = await adminHeaders(t);
    // The booking side first: it registers the organisation the room then belongs to.
    const c = await callers(t);
    await call(t, c.admin, 'POST', 'scheduling-templates', templateBody());
    const room = await createRoom(t, admin, { name: 'Stuegang 2', organisationCode: ORG });
    const { code } = await createCode(t, admin, room.id);
    a = createTestAgent({ serverUrl: url, clock: t.clock });
    await a.agent.start();
    await a.agent.handlers['provisioning:activate']({ code });

    const booked = await call(t, c.planner, 'POST', 'meetings', meetingBody({ subject: 'Stuegang', startTime: '2026-03-02T09:00:00Z', endTime: '2026-03-02T09:30:00Z' }));
    expect(booked.statusCode, booked.body).toBeLessThan(300);
    const uuid = (booked.json() as { uuid: string }).uuid;
    const info = (await call(t, c.planner, 'GET', `scheduling-info/${uuid}`)).json() as { uriWithDomain: string; hostPin: number | null };
    await eventually(() => a!.agent.state.kind === 'ready' && a!.of('schedule:changed').length > 0, 'the first schedule');
    const added = await call(t, c.planner, 'POST', `/appointments/v1/meetings/${uuid}/participants`, { kind: 'room', roomId: room.id, role: 'host' });
    expect(added.statusCode, added.body).toBe(201);

    await eventually(() => a!.of<Schedule>('schedule:changed').some((s) => s.meetings.some((m) => m.id === uuid)), 'the booking on the agenda');
    t.clock.set('2026-03-02T09:00:00Z');
    await a.agent.tick();
    const join = a.of<CallCommand>('call:command').at(-1);
    expect(join).toMatchObject({ action: 'join', meetingId: uuid, alias: info.uriWithDomain, pin: info.hostPin === null ? null : String(info.hostPin), displayName: 'Stuegang 2' });
  });
});
