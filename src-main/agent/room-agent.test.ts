import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Heartbeat, preflightPassed } from '../../src-shared/devices/heartbeat.schema';
import type { AgentState, CallCommand, Schedule } from '../../src-shared/ipc/room-bridge.contract';
import { dispatchBridgeCall } from './bridge/bridge-host';
import { silentLogger } from './logging/rotating-log';
import { SECRET_KEYS } from './provisioning/provisioning';
import { FakeDeviceServer, VALID_CODE, type FakeMeeting } from './test-support/fake-device-server';
import { createTestAgent, eventually, type TestAgent } from './test-support/test-agent';

let server: FakeDeviceServer;
let t: TestAgent | undefined;

beforeEach(async () => {
  server = await new FakeDeviceServer().start();
});
afterEach(async () => {
  await t?.agent.stop();
  t = undefined;
  await server.stop().catch(() => {});
});

function meeting(id: string, start: string, end: string, extra: Partial<FakeMeeting> = {}): FakeMeeting {
  return {
    meetingUuid: id, subject: `Møde ${id}`, startTime: start, endTime: end, alias: `${id}@vdx.test`,
    role: 'host', pin: '1234', conferenceNodeUrl: server.url, endMeetingOnEndTime: true, ...extra,
  };
}

async function enrolled(overrides: Parameters<typeof createTestAgent>[0] = { serverUrl: '' }): Promise<TestAgent> {
  t = createTestAgent({ ...overrides, serverUrl: server.url });
  await t.agent.start();
  await t.agent.handlers['provisioning:activate']({ code: VALID_CODE });
  await eventually(() => server.openStreams === 1, 'the event stream');
  return t;
}

const lastCommand = (a: TestAgent) => a.of<CallCommand>('call:command').at(-1);

describe('provisioning', () => {
  it('enrols with a typed code, keeps the credential only in the secret store, and becomes ready', async () => {
    const a = await enrolled();
    expect(a.agent.state.kind).toBe('ready');
    expect((a.agent.state as Extract<AgentState, { kind: 'ready' }>).room.roomName).toBe('Mødelokale 3');
    expect(a.secrets.values.get(SECRET_KEYS.clientSecret)).toBe('very-secret-value');
    expect(JSON.stringify([...a.settings.values])).not.toContain('very-secret-value');
    const body = server.enrolments[0] as { machineIdHash: string; installId: string; hostname: string };
    expect(body.machineIdHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(body)).not.toContain('RAW-MACHINE-ID');
    expect(body.installId).toBe(a.settings.values.get('installId'));
    expect(a.of<AgentState>('provisioning:changed').map((s) => s.kind)).toEqual(['unprovisioned', 'enrolling', 'ready', 'ready']);
  });

  it('refuses a wrong code with invalid_activation_code and shows why', async () => {
    t = createTestAgent({ serverUrl: server.url });
    await t.agent.start();
    await expect(t.agent.handlers['provisioning:activate']({ code: 'AAAA-AAAA-AAAA' })).rejects.toMatchObject({ code: 'invalid_activation_code' });
    expect(t.agent.state).toMatchObject({ kind: 'unprovisioned', lastError: { code: 'invalid_activation_code' } });
    // A malformed code never reaches the server.
    await expect(t.agent.handlers['provisioning:activate']({ code: 'hello' })).rejects.toMatchObject({ code: 'invalid_activation_code' });
    expect(server.requests.filter((r) => r.path === '/device/v1/enroll')).toHaveLength(1);
  });

  it('enrols from a vdxroom://activate URL', async () => {
    t = createTestAgent({ serverUrl: 'http://127.0.0.1:1' });
    await t.agent.start();
    const url = `vdxroom://activate?server=${encodeURIComponent(server.url)}&code=${VALID_CODE}`;
    const state = await t.agent.handlers['provisioning:activate']({ url });
    expect(state.kind).toBe('ready');
  });

  it('enrols zero-touch at start and does not enrol again after a restart', async () => {
    t = createTestAgent({ serverUrl: server.url, zeroTouch: { serverUrl: server.url, code: VALID_CODE } });
    await t.agent.start();
    expect(t.agent.state.kind).toBe('ready');
    await t.agent.stop();
    const again = createTestAgent({ serverUrl: server.url, zeroTouch: { serverUrl: server.url, code: VALID_CODE }, secrets: t.secrets, settings: t.settings });
    t = again;
    await again.agent.start();
    expect(again.agent.state.kind).toBe('ready');
    expect(server.enrolments).toHaveLength(1);
  });

  it('goes back to the activation screen when IT revokes the device', async () => {
    const a = await enrolled();
    server.revoked = true;
    server.push('device.revoked', { reason: 'revoked by IT' });
    await eventually(() => a.agent.state.kind === 'unprovisioned', 'unprovisioned');
    expect(a.secrets.values.size).toBe(0);
    expect(a.agent.state).toMatchObject({ lastError: { code: 'not_provisioned' } });
  });
});

describe('schedule', () => {
  it('fetches at start, refetches on schedule_changed, and resumes the stream with Last-Event-ID', async () => {
    const a = await enrolled();
    expect((await a.agent.handlers['schedule:get']({})).meetings).toEqual([]);
    server.setMeetings([meeting('m1', '2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z')]);
    await eventually(() => a.of<Schedule>('schedule:changed').some((s) => s.meetings.length === 1), 'the pushed meeting');
    const agenda = await a.agent.handlers['schedule:get']({});
    expect(agenda.meetings[0]).toMatchObject({ id: 'm1', alias: 'm1@vdx.test', pinRequired: true });
    expect(JSON.stringify(agenda)).not.toContain('1234'); // no PIN in the agenda
    server.dropStreams();
    await eventually(() => server.streamOpens.length === 2, 'a reconnect');
    expect(server.streamOpens[1]).toBe('1');
  });

  it('shows the cached agenda and joins from the cached alias and PIN while the server is down', async () => {
    const a = await enrolled();
    server.setMeetings([meeting('m1', '2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z')]);
    await eventually(() => a.of<Schedule>('schedule:changed').some((s) => s.meetings.length === 1), 'the meeting');
    await a.agent.stop();
    await server.stop();

    const offline = createTestAgent({ serverUrl: server.url, secrets: a.secrets, settings: a.settings, clock: a.clock });
    t = offline;
    await offline.agent.start();
    expect(offline.agent.state.kind).toBe('ready');
    const agenda = await offline.agent.handlers['schedule:get']({});
    expect(agenda).toMatchObject({ source: 'cache', meetings: [{ id: 'm1' }] });
    offline.clock.set('2026-03-02T10:00:00Z');
    await offline.agent.tick();
    expect(lastCommand(offline)).toMatchObject({ action: 'join', alias: 'm1@vdx.test', pin: '1234', displayName: 'Mødelokale 3' });
  });
});

describe('auto-join and leave', () => {
  async function withMeetings(meetings: FakeMeeting[], early?: number) {
    const a = await enrolled({ serverUrl: '', ...(early !== undefined ? { overrides: { earlyJoinSeconds: early } } : {}) });
    server.setMeetings(meetings);
    await eventually(() => a.of<Schedule>('schedule:changed').some((s) => s.meetings.length === meetings.length), 'meetings');
    return a;
  }

  it('joins at start time, not before, and leaves at endTime', async () => {
    const a = await withMeetings([meeting('m1', '2026-03-02T10:00:00Z', '2026-03-02T10:30:00Z')]);
    a.clock.set('2026-03-02T09:59:59Z');
    await a.agent.tick();
    expect(lastCommand(a)).toBeUndefined();
    a.clock.set('2026-03-02T10:00:00Z');
    await a.agent.tick();
    expect(lastCommand(a)).toMatchObject({ action: 'join', meetingId: 'm1', reason: 'schedule' });
    expect(a.agent.state.kind).toBe('joining');
    await a.agent.handlers['call:connected']({ alias: 'm1@vdx.test' });
    expect(a.agent.state.kind).toBe('in_call');
    expect(a.shellCalls).toContain('callActive:true');
    a.clock.set('2026-03-02T10:30:00Z');
    await a.agent.tick();
    expect(lastCommand(a)).toEqual({ action: 'leave', reason: 'schedule_end' });
    await a.agent.handlers['call:ended']({
      summary: {
        alias: 'm1@vdx.test', meetingId: 'm1', startedAt: '2026-03-02T10:00:01Z', endedAt: '2026-03-02T10:30:00Z',
        endReason: 'local_hangup', avgPacketLossPercent: 0.5, avgJitterMs: 4, avgBitrateKbps: 1200, avgFrameRate: 29,
        freezeCount: 1, freezeSeconds: 0.4, maxParticipants: 2,
      },
    });
    expect(a.agent.state.kind).toBe('ready');
    await eventually(() => server.callSummaries.length === 1, 'the call summary');
    expect(server.callSummaries[0]).toMatchObject({ alias: 'm1@vdx.test', meetingUuid: 'm1', durationSeconds: 1799, freezes: { count: 1 } });
  });

  it('joins early by the configured seconds', async () => {
    const a = await withMeetings([meeting('m1', '2026-03-02T10:00:00Z', '2026-03-02T10:30:00Z')], 30);
    a.clock.set('2026-03-02T09:59:30Z');
    await a.agent.tick();
    expect(lastCommand(a)).toMatchObject({ action: 'join', meetingId: 'm1' });
  });

  it('never runs two calls: the earlier meeting keeps the room, then the next one is joined', async () => {
    const a = await withMeetings([
      meeting('m1', '2026-03-02T10:00:00Z', '2026-03-02T10:45:00Z'),
      meeting('m2', '2026-03-02T10:30:00Z', '2026-03-02T11:00:00Z'),
    ]);
    a.clock.set('2026-03-02T10:00:00Z');
    await a.agent.tick();
    await a.agent.handlers['call:connected']({ alias: 'm1@vdx.test' });
    a.clock.set('2026-03-02T10:30:00Z');
    await a.agent.tick();
    expect(a.of<CallCommand>('call:command')).toHaveLength(1);
    await expect(a.agent.handlers['call:join']({ meetingId: 'm2' })).rejects.toMatchObject({ code: 'busy' });
    a.clock.set('2026-03-02T10:45:00Z');
    await a.agent.tick();
    expect(lastCommand(a)).toMatchObject({ action: 'leave' });
    await a.agent.handlers['call:ended']({
      summary: {
        alias: 'm1@vdx.test', meetingId: 'm1', startedAt: '2026-03-02T10:00:00Z', endedAt: '2026-03-02T10:45:00Z',
        endReason: 'local_hangup', avgPacketLossPercent: 0, avgJitterMs: 0, avgBitrateKbps: 0, avgFrameRate: null,
        freezeCount: 0, freezeSeconds: 0, maxParticipants: 2,
      },
    });
    await a.agent.tick();
    expect(lastCommand(a)).toMatchObject({ action: 'join', meetingId: 'm2' });
  });

  it('does not rejoin a meeting a person left, but retries a failed join', async () => {
    const a = await withMeetings([meeting('m1', '2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z')]);
    a.clock.set('2026-03-02T10:00:00Z');
    await a.agent.tick();
    await a.agent.handlers['call:failed']({ alias: 'm1@vdx.test', error: { code: 'offline', message: 'node down' } });
    expect(a.agent.state.kind).toBe('ready');
    a.clock.advance(5_000);
    await a.agent.tick();
    expect(a.of<CallCommand>('call:command')).toHaveLength(1); // still cooling down
    a.clock.advance(20_000);
    await a.agent.tick();
    expect(a.of<CallCommand>('call:command')).toHaveLength(2);
    await a.agent.handlers['call:connected']({ alias: 'm1@vdx.test' });
    await a.agent.handlers['call:leave']({});
    expect(lastCommand(a)).toEqual({ action: 'leave', reason: 'manual' });
    await a.agent.handlers['call:ended']({
      summary: {
        alias: 'm1@vdx.test', meetingId: 'm1', startedAt: '2026-03-02T10:00:25Z', endedAt: '2026-03-02T10:05:00Z',
        endReason: 'local_hangup', avgPacketLossPercent: 0, avgJitterMs: 0, avgBitrateKbps: 0, avgFrameRate: null,
        freezeCount: 0, freezeSeconds: 0, maxParticipants: 2,
      },
    });
    a.clock.advance(60_000);
    await a.agent.tick();
    expect(a.of<CallCommand>('call:command')).toHaveLength(3); // 2 joins + 1 leave, no rejoin
    // ...but a person can join it again from the agenda.
    await expect(a.agent.handlers['call:join']({ meetingId: 'm1' })).resolves.toMatchObject({ action: 'join' });
  });

  it('runs a pre-flight before the meeting and reports it to the server', async () => {
    const a = await withMeetings([meeting('m1', '2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z')]);
    a.agent.onEvent((event, payload) => {
      if (event !== 'preflight:request') return;
      const { requestId } = payload as { requestId: string };
      void a.agent.handlers['preflight:report']({
        requestId,
        camera: { ok: true, deviceLabel: 'Fake cam', error: null },
        microphone: { ok: false, deviceLabel: null, error: 'NotFoundError' },
      });
    });
    const before = server.heartbeats.length;
    a.clock.set('2026-03-02T09:58:30Z');
    await a.agent.tick();
    await eventually(() => server.heartbeats.slice(before).some((h) => (h as { preflight?: unknown }).preflight), 'a pre-flight heartbeat');
    // What the agent sends must pass the server's schema, pre-flight included.
    const hb = Heartbeat.parse(server.heartbeats.find((h) => (h as { preflight?: unknown }).preflight));
    expect(hb.preflight).toMatchObject({
      checkedAt: '2026-03-02T09:58:30.000Z',
      meetingUuid: 'm1',
      camera: { ok: true, deviceLabel: 'Fake cam' },
      microphone: { ok: false, detail: 'NotFoundError' },
      conferenceNode: { ok: true },
    });
    expect(hb.preflight?.alias).toEqual(expect.any(String));
    expect(hb.preflight && preflightPassed(hb.preflight)).toBe(false);
    expect(hb.recentErrors.map((e) => e.code)).toContain('preflight_microphone');
  });
});

describe('health', () => {
  it('sends heartbeats at the configured interval with call state and quality', async () => {
    const a = await enrolled();
    await a.agent.tick();
    await a.agent.idle();
    await eventually(() => server.heartbeats.length >= 1, 'a heartbeat');
    const n = server.heartbeats.length;
    a.clock.advance(10_000);
    await a.agent.tick();
    await a.agent.idle();
    expect(server.heartbeats.length).toBe(n);
    await a.agent.handlers['call:join']({ alias: 'adhoc@vdx.test', pin: '9876' });
    await a.agent.handlers['call:connected']({ alias: 'adhoc@vdx.test' });
    await a.agent.handlers['call:report-stats']({
      quality: { packetLossPercent: 1, jitterMs: 3, bitrateKbps: 900, sendBitrateKbps: 800, roundTripMs: 12, width: 1280, height: 720, frameRate: 30, freezeCount: 0 },
    });
    a.clock.advance(1_000);
    await a.agent.tick();
    await a.agent.idle();
    const hb = server.heartbeats.at(-1) as { callState: unknown; callQuality: unknown; appVersion: string; peripherals: unknown };
    expect(hb.callState).toMatchObject({ state: 'in_call', alias: 'adhoc@vdx.test' });
    expect(hb.callQuality).toMatchObject({ packetLossPercent: 1, bitrateKbps: 1700, resolution: { width: 1280, height: 720 } });
    expect(hb.appVersion).toBe('1.2.3');
  });

  it('buffers heartbeats while the server is down and sends them in order afterwards', async () => {
    const a = await enrolled();
    await a.agent.tick();
    await a.agent.idle();
    await eventually(() => server.heartbeats.length >= 1, 'a heartbeat');
    const sent = server.heartbeats.length;
    await server.stop();
    for (let i = 0; i < 3; i++) {
      a.clock.advance(30_000);
      await a.agent.tick();
      await a.agent.idle();
    }
    expect((await a.agent.handlers['app:state']({})).online).toBe(false);
    await server.restart();
    a.clock.advance(30_000);
    await a.agent.tick();
    await a.agent.idle();
    await eventually(() => server.heartbeats.length >= sent + 4, 'the buffered heartbeats');
    const times = server.heartbeats.slice(sent).map((h) => (h as { sentAt: string }).sentAt);
    expect([...times].sort()).toEqual(times);
    expect(new Set(times).size).toBe(times.length);
  });
});

describe('commands', () => {
  async function command(a: TestAgent, id: string, type: string, args: unknown = {}) {
    server.push('command', { id, type, args, expiresAt: '2026-03-03T00:00:00Z' });
    await eventually(() => server.commandResults.some((r) => r.id === id), `result of ${type}`);
    await a.agent.idle();
    return server.commandResults.find((r) => r.id === id)!.body as { status: string; detail?: string };
  }

  it('obeys every command type and reports each result', async () => {
    const a = await enrolled();
    expect(await command(a, 'c1', 'show_message', { text: 'Brandøvelse kl. 14', severity: 'warning' })).toMatchObject({ status: 'succeeded' });
    expect(a.of('message:show')).toEqual([{ id: 'c1', text: 'Brandøvelse kl. 14', severity: 'warning', expiresAt: '2026-03-03T00:00:00Z' }]);
    expect(await command(a, 'c2', 'join_meeting', { alias: 'afd@vdx.test', pin: '5555' })).toMatchObject({ status: 'succeeded' });
    expect(lastCommand(a)).toMatchObject({ action: 'join', alias: 'afd@vdx.test', pin: '5555', reason: 'command' });
    expect(await command(a, 'c3', 'join_meeting', { alias: 'other@vdx.test' })).toMatchObject({ status: 'failed', detail: expect.stringContaining('busy') });
    await a.agent.handlers['call:connected']({ alias: 'afd@vdx.test' });
    expect(await command(a, 'c4', 'leave_meeting')).toMatchObject({ status: 'succeeded' });
    expect(lastCommand(a)).toEqual({ action: 'leave', reason: 'command' });
    expect(await command(a, 'c5', 'collect_logs', { sinceMinutes: 5 })).toEqual({ status: 'succeeded', detail: 'line 1\nline 2' });
    a.updates.next = { available: true, version: '1.3.0' };
    expect(await command(a, 'c6', 'check_update')).toMatchObject({ status: 'succeeded', detail: expect.stringContaining('1.3.0') });
    expect(a.updates.checks).toBe(1);
    expect(await command(a, 'c7', 'reload_ui')).toMatchObject({ status: 'succeeded' });
    expect(await command(a, 'c8', 'restart_app')).toMatchObject({ status: 'succeeded' });
    expect(a.shellCalls).toEqual(expect.arrayContaining(['reloadUi', 'restartApp']));
    expect(await command(a, 'c9', 'reprovision', { wipeCredentials: true })).toMatchObject({ status: 'succeeded' });
    await eventually(() => a.agent.state.kind === 'unprovisioned', 'the activation screen');
    expect(a.secrets.values.size).toBe(0);
  });

  it('runs a re-delivered command once and ignores expired ones', async () => {
    const a = await enrolled();
    await command(a, 'c1', 'reload_ui');
    server.push('command', { id: 'c1', type: 'reload_ui', args: {}, expiresAt: '2026-03-03T00:00:00Z' });
    server.push('command', { id: 'old', type: 'reload_ui', args: {}, expiresAt: '2026-03-01T00:00:00Z' });
    await command(a, 'c2', 'show_message', { text: 'x' });
    expect(a.shellCalls.filter((c) => c === 'reloadUi')).toHaveLength(1);
    expect(server.commandResults.map((r) => r.id)).toEqual(['c1', 'c2']);
  });
});

describe('updates', () => {
  it('installs a downloaded update only in the maintenance window when idle', async () => {
    const a = await enrolled();
    a.updates.next = { available: true, version: '1.3.0' };
    a.clock.set('2026-03-02T10:00:00Z'); // 11:00 Copenhagen: outside 02–05
    a.clock.advance(61_000);
    await a.agent.tick();
    await a.agent.idle();
    expect(a.updates.checks).toBe(1);
    await a.agent.tick();
    expect(a.updates.installs).toBe(0);
    a.clock.set('2026-03-03T02:30:00Z'); // 03:30 Copenhagen
    await a.agent.tick();
    expect(a.updates.installs).toBe(1);
  });
});

describe('bridge host', () => {
  it('refuses off-contract requests and unknown channels with codes', async () => {
    t = createTestAgent({ serverUrl: server.url });
    await t.agent.start();
    expect(await dispatchBridgeCall(t.agent.handlers, 'call:join', { meetingId: '' }, silentLogger)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await dispatchBridgeCall(t.agent.handlers, 'fs:read', {}, silentLogger)).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await dispatchBridgeCall(t.agent.handlers, 'call:join', { meetingId: 'x' }, silentLogger)).toMatchObject({ ok: false, error: { code: 'not_provisioned' } });
    expect(await dispatchBridgeCall(t.agent.handlers, 'app:admin-exit', { pin: '0000' }, silentLogger)).toMatchObject({ ok: false, error: { code: 'invalid_pin' } });
    expect(await dispatchBridgeCall(t.agent.handlers, 'settings:set', { locale: 'en' }, silentLogger)).toMatchObject({ ok: true, response: { locale: 'en', cameraId: null } });
  });
});
