import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeviceConfig } from '../../src-shared/devices/devices.schema';
import { FleetSummary } from '../../src-shared/devices/health.schema';
import { DB_KINDS, createTestApp } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { adminHeaders, createRoom, deviceToken, enrolDevice, getDevice as getDeviceFromKit, heartbeatBody, sendHeartbeat, type EnrolledDevice } from './device-fleet.test-kit';

describe.each(DB_KINDS)('devices, heartbeats and health on %s', (kind) => {
  const t = useTestApp(kind);
  let admin: Record<string, string>;
  beforeAll(async () => {
    admin = await adminHeaders(t);
  });
  // Tests move the clock by days; a fresh admin token keeps each test independent of that.
  beforeEach(async () => {
    admin = await adminHeaders(t);
  });

  const beat = (d: EnrolledDevice, over: Record<string, unknown> = {}) => sendHeartbeat(t, d, over);
  const getDevice = (id: string) => getDeviceFromKit(t, admin, id);

  it('serves the device its config: room, theme, node URL, window, channel, interval, locale, privacy', async () => {
    const theme = await t.app.inject({
      method: 'POST',
      url: '/management/v1/themes',
      headers: admin,
      payload: { name: 'T', colours: { primary: '#123456', background: '#ffffff', text: '#000000' }, welcomeText: { da: 'Hej', en: 'Hi' } },
    });
    const room = await createRoom(t, admin, { name: 'Konf 3', themeId: theme.json().id, showSubjects: false, updateChannel: 'beta' });
    const d = await enrolDevice(t, admin, room.id);
    const res = await t.app.inject({ method: 'GET', url: '/device/v1/me/config', headers: d.headers });
    expect(res.statusCode).toBe(200);
    const config = DeviceConfig.parse(res.json());
    expect(config).toMatchObject({
      deviceId: d.deviceId,
      room: { id: room.id, name: 'Konf 3' },
      theme: { name: 'T', welcomeText: { da: 'Hej' } },
      conferenceNodeUrl: 'http://vdx.test',
      updateChannel: 'beta',
      heartbeatIntervalSeconds: 30,
      locale: 'da',
      privacy: { showSubjects: false },
      maintenanceWindow: { timeZone: 'Europe/Copenhagen' },
    });
    expect((await t.app.inject({ method: 'GET', url: '/device/v1/me/config' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/device/v1/me/config', headers: admin })).statusCode).toBe(403);
  });

  it('derives online, degraded and offline from heartbeats and the clock', async () => {
    const d = await enrolDevice(t, admin);
    expect((await getDevice(d.deviceId)).status).toBe('offline');
    const ok = await beat(d, { appVersion: '1.3.0', callState: { state: 'in_call', alias: 'meet.1@vdx.test' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ nextHeartbeatSeconds: 30 });
    let dev = await getDevice(d.deviceId);
    expect(dev).toMatchObject({ status: 'online', appVersion: '1.3.0', callState: { state: 'in_call', alias: 'meet.1@vdx.test' } });
    expect(dev.lastSeenAt).toBe(t.clock.now().toISOString());

    await beat(d, {
      callState: { state: 'in_call', alias: 'meet.1@vdx.test' },
      callQuality: { packetLossPercent: 7.5, jitterMs: 10, bitrateKbps: 1200, resolution: { width: 1280, height: 720 }, frameRate: 25 },
      peripherals: { cameras: [], microphones: [{ id: 'm', label: 'm', selected: true }], speakers: [{ id: 's', label: 's', selected: true }] },
      disk: { totalBytes: 100, freeBytes: 2 },
    });
    dev = await getDevice(d.deviceId);
    expect(dev.status).toBe('degraded');
    expect(dev.degradedReasons).toEqual(['packet_loss', 'no_camera', 'disk_full']);

    t.clock.advance(89_000);
    expect((await getDevice(d.deviceId)).status).toBe('degraded');
    t.clock.advance(2_000);
    expect((await getDevice(d.deviceId)).status).toBe('offline');
    await beat(d);
    expect((await getDevice(d.deviceId)).status).toBe('online');
  });

  it('refuses malformed and oversized heartbeats and stores nothing', async () => {
    const d = await enrolDevice(t, admin);
    const count = async () =>
      (await t.store.db.selectFrom('device_heartbeats').select('id').where('device_id', '=', d.deviceId).execute()).length;
    for (const over of [
      { cpu: { loadPercent: 170 } },
      { callState: { state: 'dancing' } },
      { callState: { state: 'in_call' } },
      { appVersion: 'latest' },
      { peripherals: null },
      { network: { serverReachable: 'yes', latencyMs: 1 } },
    ]) {
      const res = await beat(d, over);
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/device/v1/me/heartbeat',
      headers: { ...d.headers, 'content-type': 'application/json' },
      payload: '{"appVersion":',
    });
    expect(notJson.statusCode).toBe(400);
    const huge = await beat(d, { recentErrors: [{ at: t.clock.now().toISOString(), message: 'x'.repeat(1000) }], padding: 'y'.repeat(70_000) });
    expect(huge.statusCode).toBe(413);
    expect(await count()).toBe(0);
    expect((await getDevice(d.deviceId)).lastSeenAt).toBeNull();
  });

  it('serves the health time series and prunes it after the retention period', async () => {
    const d = await enrolDevice(t, admin);
    const start = t.clock.now().getTime();
    for (let i = 0; i < 3; i++) {
      await beat(d, { cpu: { loadPercent: 10 + i } });
      t.clock.advance(30_000);
    }
    const res = await t.app.inject({
      method: 'GET',
      url: `/management/v1/devices/${d.deviceId}/health?from=${new Date(start - 1000).toISOString()}&to=${t.clock.now().toISOString()}`,
      headers: admin,
    });
    expect(res.statusCode, res.body).toBe(200);
    const health = res.json() as { points: { cpuPercent: number; diskPercent: number }[]; latest: { appVersion: string } };
    expect(health.points.map((p) => p.cpuPercent)).toEqual([10, 11, 12]);
    expect(health.points[0]!.diskPercent).toBeCloseTo(40);
    expect(health.latest.appVersion).toBe('1.2.3');
    const bad = await t.app.inject({ method: 'GET', url: `/management/v1/devices/${d.deviceId}/health?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`, headers: admin });
    expect(bad.statusCode).toBe(400);

    t.clock.advance(31 * 24 * 3600_000);
    const token = await deviceToken(t, d.clientId, d.clientSecret); // the old one expired meanwhile
    const later = { ...d, headers: { authorization: `Bearer ${token.body.access_token}` } };
    expect((await beat(later)).statusCode).toBe(200); // pruning piggy-backs on heartbeats
    const rows = await t.store.db.selectFrom('device_heartbeats').select('at').where('device_id', '=', d.deviceId).execute();
    expect(rows).toHaveLength(1);
  });

  it('stores call summaries once and reports the video-quality KPI in the fleet summary', async () => {
    const fresh = await createTestApp(kind);
    try {
      const a = await adminHeaders(fresh);
      const d = await enrolDevice(fresh, a);
      const now = fresh.clock.now().getTime();
      const summary = (callId: string, over: Record<string, unknown> = {}) => ({
        callId,
        alias: 'meet.1@vdx.test',
        startedAt: new Date(now - 600_000).toISOString(),
        endedAt: new Date(now - 1000).toISOString(),
        durationSeconds: 600,
        averages: { packetLossPercent: 0.5, jitterMs: 8, bitrateKbps: 1500, frameRate: 29 },
        freezes: { count: 1, totalSeconds: 2 },
        ...over,
      });
      const post = (body: unknown) =>
        fresh.app.inject({ method: 'POST', url: '/device/v1/me/call-summaries', headers: d.headers, payload: body as object });
      const first = await post(summary('call-good-1'));
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json()).toMatchObject({ goodQuality: true });
      expect((await post(summary('call-good-1'))).statusCode).toBe(200);
      expect((await post(summary('call-bad-01', { averages: { packetLossPercent: 6, jitterMs: 8, bitrateKbps: 900, frameRate: 20 } }))).json()).toMatchObject({ goodQuality: false });
      expect((await post(summary('call-frozen', { freezes: { count: 9, totalSeconds: 30 } }))).json()).toMatchObject({ goodQuality: false });
      expect((await post(summary('call-short1', { durationSeconds: 10 }))).statusCode).toBe(201);
      expect((await post({ ...summary('call-broken'), durationSeconds: -1 })).statusCode).toBe(400);

      await fresh.app.inject({ method: 'POST', url: '/device/v1/me/heartbeat', headers: d.headers, payload: heartbeatBody({ appVersion: '2.0.0' }) });
      await enrolDevice(fresh, a);
      const res = await fresh.app.inject({ method: 'GET', url: '/management/v1/fleet/summary', headers: a });
      expect(res.statusCode, res.body).toBe(200);
      const fleet = FleetSummary.parse(res.json());
      expect(fleet).toMatchObject({
        total: 2,
        byStatus: { online: 1, offline: 1, degraded: 0 },
        byVersion: { '2.0.0': 1, '1.2.3': 1 },
        byCallState: { idle: 2, in_call: 0 },
        videoQuality: { calls: 3, goodCalls: 1, percent: 33.3 },
      });
    } finally {
      await fresh.close();
    }
  });

  it('takes the heartbeat interval from configuration, for config and offline detection', async () => {
    const fresh = await createTestApp(kind, { VDX_DEVICE_HEARTBEAT_SECONDS: '10' });
    try {
      const a = await adminHeaders(fresh);
      const d = await enrolDevice(fresh, a);
      const config = await fresh.app.inject({ method: 'GET', url: '/device/v1/me/config', headers: d.headers });
      expect(config.json()).toMatchObject({ heartbeatIntervalSeconds: 10 });
      await fresh.app.inject({ method: 'POST', url: '/device/v1/me/heartbeat', headers: d.headers, payload: heartbeatBody() });
      fresh.clock.advance(29_000);
      const online = await fresh.app.inject({ method: 'GET', url: `/management/v1/devices/${d.deviceId}`, headers: a });
      expect(online.json()).toMatchObject({ status: 'online' });
      fresh.clock.advance(2_000);
      const offline = await fresh.app.inject({ method: 'GET', url: `/management/v1/devices/${d.deviceId}`, headers: a });
      expect(offline.json()).toMatchObject({ status: 'offline' });
    } finally {
      await fresh.close();
    }
  });

  it('lists devices with filters by room, organisation, status and version', async () => {
    const room = await createRoom(t, admin);
    const a = await enrolDevice(t, admin, room.id);
    const b = await enrolDevice(t, admin, room.id);
    await beat(a, { appVersion: '3.1.0' });
    const list = async (q: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/management/v1/devices?${q}`, headers: admin });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { id: string }[]).map((d) => d.id).sort();
    };
    expect(await list(`roomId=${room.id}`)).toEqual([a.deviceId, b.deviceId].sort());
    expect(await list(`roomId=${room.id}&status=online`)).toEqual([a.deviceId]);
    expect(await list(`roomId=${room.id}&status=offline`)).toEqual([b.deviceId]);
    expect(await list(`roomId=${room.id}&version=3.1.0`)).toEqual([a.deviceId]);
    expect(await list(`roomId=${room.id}&organisationCode=${t.config.bootstrapOrganisation}`)).toHaveLength(2);
    expect(await list(`roomId=${room.id}&organisationCode=other`)).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/management/v1/devices?status=sleepy', headers: admin })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/management/v1/devices/nope', headers: admin })).statusCode).toBe(404);
  });

  it('revokes a device: no new token, existing tokens refused with 401, audited', async () => {
    const d = await enrolDevice(t, admin);
    const res = await t.app.inject({ method: 'POST', url: `/management/v1/devices/${d.deviceId}/revoke`, headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: d.deviceId });
    expect(res.json().revokedAt).not.toBeNull();
    expect((await deviceToken(t, d.clientId, d.clientSecret)).status).toBe(401);
    const hb = await beat(d);
    expect(hb.statusCode).toBe(401);
    const audit = await t.store.db.selectFrom('audit_log').select('action').where('entity_id', '=', d.deviceId).execute();
    expect(audit.map((x) => x.action)).toContain('device.revoke');
    const listed = await t.app.inject({ method: 'GET', url: `/management/v1/devices?roomId=${d.roomId}`, headers: admin });
    expect(listed.json()).toEqual([]);
    const withRevoked = await t.app.inject({ method: 'GET', url: `/management/v1/devices?roomId=${d.roomId}&includeRevoked=true`, headers: admin });
    expect(withRevoked.json()).toHaveLength(1);
  });

  it('rotates a device secret: the old secret stops working, the new one works', async () => {
    const d = await enrolDevice(t, admin);
    const res = await t.app.inject({ method: 'POST', url: `/management/v1/devices/${d.deviceId}/rotate`, headers: admin });
    expect(res.statusCode, res.body).toBe(200);
    const rotated = res.json() as { clientId: string; clientSecret: string };
    expect(rotated.clientSecret).not.toBe(d.clientSecret);
    expect((await deviceToken(t, d.clientId, d.clientSecret)).status).toBe(401);
    expect((await deviceToken(t, rotated.clientId, rotated.clientSecret)).status).toBe(200);
    const audit = await t.store.db.selectFrom('audit_log').select(['action', 'after']).where('entity_id', '=', d.deviceId).execute();
    expect(JSON.stringify(audit)).not.toContain(rotated.clientSecret);
  });

  it('deletes a device with its credential and health series', async () => {
    const d = await enrolDevice(t, admin);
    await beat(d);
    const res = await t.app.inject({ method: 'DELETE', url: `/management/v1/devices/${d.deviceId}`, headers: admin });
    expect(res.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/management/v1/devices/${d.deviceId}`, headers: admin })).statusCode).toBe(404);
    expect((await deviceToken(t, d.clientId, d.clientSecret)).status).toBe(401);
    expect((await beat(d)).statusCode).toBe(401);
    const rows = await t.store.db.selectFrom('device_heartbeats').select('id').where('device_id', '=', d.deviceId).execute();
    expect(rows).toHaveLength(0);
  });
});
