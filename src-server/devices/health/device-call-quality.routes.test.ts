import { beforeAll, describe, expect, it } from 'vitest';
import { Device } from '../../../src-shared/devices/devices.schema';
import { DB_KINDS } from '../../test-support/test-app';
import { useTestApp } from '../../test-support/use-test-app';
import { adminHeaders, enrolDevice, sendHeartbeat, type EnrolledDevice } from '../device-fleet.test-kit';

const IN_CALL = { state: 'in_call', alias: 'meet.7@vdx.test' };
const QUALITY = {
  packetLossPercent: 1.5,
  jitterMs: 12,
  bitrateKbps: 2400,
  resolution: { width: 1280, height: 720 },
  frameRate: 30,
  roundTripMs: 40,
};

describe.each(DB_KINDS)('live call quality on the management device list (%s)', (kind) => {
  const t = useTestApp(kind);
  let admin: Record<string, string>;
  beforeAll(async () => {
    admin = await adminHeaders(t);
  });

  const beat = (d: EnrolledDevice, over: Record<string, unknown> = {}) => sendHeartbeat(t, d, over);
  const listed = async (id: string) => {
    const res = await t.app.inject({ method: 'GET', url: '/management/v1/devices', headers: admin });
    expect(res.statusCode, res.body).toBe(200);
    const device = Device.array().parse(res.json()).find((d) => d.id === id);
    expect(device).toBeDefined();
    return device!;
  };

  it('shows the latest in-call figures, and none once the room is idle', async () => {
    const d = await enrolDevice(t, admin);
    expect((await listed(d.deviceId)).callQuality).toBeNull();

    expect((await beat(d, { callState: IN_CALL, callQuality: QUALITY })).statusCode).toBe(200);
    expect((await listed(d.deviceId)).callQuality).toEqual(QUALITY);

    t.clock.advance(30_000);
    const worse = { ...QUALITY, packetLossPercent: 9, resolution: null };
    expect((await beat(d, { callState: IN_CALL, callQuality: worse })).statusCode).toBe(200);
    expect((await listed(d.deviceId)).callQuality).toEqual(worse);

    t.clock.advance(30_000);
    // A device that hung up may still send its last figures; idle means no live quality.
    expect((await beat(d, { callQuality: QUALITY })).statusCode).toBe(200);
    expect((await listed(d.deviceId)).callQuality).toBeNull();
  });

  it('hides stale figures of a device that went offline in a call', async () => {
    const d = await enrolDevice(t, admin);
    expect((await beat(d, { callState: IN_CALL, callQuality: QUALITY })).statusCode).toBe(200);
    t.clock.advance(91_000);
    const device = await listed(d.deviceId);
    expect(device.status).toBe('offline');
    expect(device.callQuality).toBeNull();
  });
});
