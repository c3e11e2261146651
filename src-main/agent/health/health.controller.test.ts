import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Heartbeat } from '../../../src-shared/devices/heartbeat.schema';
import type { ShellControl } from '../platform/platform';
import type { ServerLink } from '../provisioning/provisioning.controller';
import { DeviceApi } from '../server/device-api';
import { controllerContext } from '../test-support/controller-context';
import { FakeDeviceServer } from '../test-support/fake-device-server';
import { fakeSystem } from '../test-support/test-agent';
import { HealthController } from './health.controller';

let server: FakeDeviceServer;
beforeEach(async () => {
  server = await new FakeDeviceServer().start();
});
afterEach(async () => {
  await server.stop().catch(() => {});
});

function setup() {
  const ctx = controllerContext('2026-03-02T09:00:00Z');
  const api = new DeviceApi(server.url, { deviceId: 'dev-1', clientId: 'client-1', clientSecret: 'very-secret-value' }, globalThis.fetch, ctx.clock);
  const link = {
    api, online: true as boolean,
    setOnline(online: boolean) {
      link.online = online;
    },
    async serverError() {
      link.online = false;
    },
  } satisfies ServerLink & { online: boolean };
  const health = new HealthController(ctx, {
    system: fakeSystem, shell: { appVersion: '1.2.3' } as ShellControl, server: link,
    settings: () => ({ cameraId: 'cam-2', microphoneId: null, speakerId: null, locale: null }),
    call: () => ({ callState: { state: 'idle' }, callQuality: null }),
    update: () => null,
  });
  const tickAt = async (iso: string) => {
    ctx.clock.set(iso);
    health.tick(ctx.clock.now());
    await ctx.work.idle();
  };
  return { ctx, health, link, tickAt };
}


describe('health', () => {
  it('sends a heartbeat at once, then every interval, and sooner when asked', async () => {
    const s = setup();
    s.health.setInterval(60);
    await s.tickAt('2026-03-02T09:00:00Z');
    await s.tickAt('2026-03-02T09:00:59Z');
    expect(server.heartbeats).toHaveLength(1);
    await s.tickAt('2026-03-02T09:01:00Z');
    expect(server.heartbeats).toHaveLength(2);
    s.health.heartbeatNow();
    await s.tickAt('2026-03-02T09:01:01Z');
    expect(server.heartbeats).toHaveLength(3);
    expect(Heartbeat.safeParse(server.heartbeats[0]).success).toBe(true);
  });

  it('marks the chosen camera and asks for a heartbeat when the peripherals change', async () => {
    const s = setup();
    await s.tickAt('2026-03-02T09:00:00Z');
    const cameras = [{ id: 'cam-1', label: 'Intern', selected: true }, { id: 'cam-2', label: 'Logitech', selected: false }];
    await s.health.handlers['media:report-devices']({ cameras, microphones: [], speakers: [] });
    await s.tickAt('2026-03-02T09:00:01Z');
    expect(server.heartbeats).toHaveLength(2);
    expect((server.heartbeats[1] as Heartbeat).peripherals.cameras.map((c) => [c.id, c.selected])).toEqual([['cam-1', false], ['cam-2', true]]);
    // The same list again is no news.
    await s.health.handlers['media:report-devices']({ cameras, microphones: [], speakers: [] });
    await s.tickAt('2026-03-02T09:00:02Z');
    expect(server.heartbeats).toHaveLength(2);
  });

  it('keeps reports while the server is unreachable and sends them, oldest first, when it answers', async () => {
    const s = setup();
    await server.stop();
    s.health.queue({ kind: 'command_result', commandId: 'c1', body: { status: 'succeeded' } });
    await s.tickAt('2026-03-02T09:00:00Z');
    expect(s.link.online).toBe(false);
    await server.restart();
    await s.health.flush();
    expect(server.commandResults.map((r) => r.id)).toEqual(['c1']);
    expect(server.heartbeats).toHaveLength(1);
    expect(s.link.online).toBe(true);
  });

  it('forgets what it had to send when the enrolment goes', async () => {
    const s = setup();
    s.health.queue({ kind: 'command_result', commandId: 'c1', body: { status: 'succeeded' } });
    s.health.forget();
    await s.health.flush();
    expect(server.commandResults).toEqual([]);
  });
});
