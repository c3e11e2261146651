import { beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../../test-support/test-app';
import { useTestApp } from '../../test-support/use-test-app';
import { adminHeaders, enrolDevice, getDevice as getDeviceFromKit, sendHeartbeat, type EnrolledDevice } from '../device-fleet.test-kit';

const FAILED_CAMERA = {
  checkedAt: '2026-03-02T09:58:30.000Z',
  meetingUuid: 'meeting-1',
  alias: 'meet.1@vdx.test',
  camera: { ok: false, detail: 'NotReadableError' },
  microphone: { ok: true, deviceLabel: 'Bordmikrofon' },
  conferenceNode: { ok: true, latencyMs: 42 },
};

describe.each(DB_KINDS)('pre-flight checks reach management on %s', (kind) => {
  const t = useTestApp(kind);
  let admin: Record<string, string>;
  beforeAll(async () => {
    admin = await adminHeaders(t);
  });

  const beat = (d: EnrolledDevice, over: Record<string, unknown> = {}) => sendHeartbeat(t, d, over);
  const getDevice = (id: string) => getDeviceFromKit(t, admin, id);

  it('stores a failing camera pre-flight and shows it on the device until the next pre-flight', async () => {
    const d = await enrolDevice(t, admin);
    expect((await getDevice(d.deviceId)).lastPreflight).toBeNull();

    const res = await beat(d, { preflight: FAILED_CAMERA });
    expect(res.statusCode, res.body).toBe(200);
    const receivedAt = t.clock.now().toISOString();
    const failed = await getDevice(d.deviceId);
    expect(failed.lastPreflight).toEqual({ ...FAILED_CAMERA, receivedAt, ok: false });
    expect(failed).toMatchObject({ status: 'degraded', degradedReasons: ['preflight_failed'] });

    // A regular heartbeat (no pre-flight) keeps the stored result, and the device stays degraded.
    t.clock.advance(30_000);
    expect((await beat(d)).statusCode).toBe(200);
    const still = await getDevice(d.deviceId);
    expect(still.lastPreflight).toMatchObject({ ok: false, camera: { ok: false, detail: 'NotReadableError' } });
    expect(still).toMatchObject({ status: 'degraded', degradedReasons: ['preflight_failed'] });

    // The next pre-flight replaces it; passing, it clears the warning.
    const passed = { ...FAILED_CAMERA, meetingUuid: 'meeting-2', camera: { ok: true } };
    expect((await beat(d, { preflight: passed })).statusCode).toBe(200);
    const healthy = await getDevice(d.deviceId);
    expect(healthy.lastPreflight).toMatchObject({ ok: true, meetingUuid: 'meeting-2', receivedAt: t.clock.now().toISOString() });
    expect(healthy).toMatchObject({ status: 'online', degradedReasons: [] });
  });

  it('refuses a malformed pre-flight with 400 and keeps the stored one', async () => {
    const d = await enrolDevice(t, admin);
    expect((await beat(d, { preflight: FAILED_CAMERA })).statusCode).toBe(200);
    const before = await getDevice(d.deviceId);
    t.clock.advance(30_000);
    const bad = await beat(d, { preflight: { ...FAILED_CAMERA, meetingUuid: 'meeting-9', camera: { ok: 'no' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    const after = await getDevice(d.deviceId);
    expect(after.lastPreflight).toEqual(before.lastPreflight);
    expect(after.lastSeenAt).toBe(before.lastSeenAt);
  });
});
