import { randomBytes } from 'node:crypto';
import type { TestApp } from '../test-support/test-app';
import { adminAuth } from '../updates/test-tokens';

/**
 * Test-only builders over the real APIs: a room through management, a device through a one-time
 * activation code and enrolment, and its access token through `POST /oauth/token` — the same path
 * a kiosk takes, so tests of the schedule exercise the whole chain.
 */
export async function createRoom(t: TestApp, body: Record<string, unknown> = {}): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/management/v1/rooms',
    headers: await adminAuth(t),
    payload: { name: `Rum ${randomBytes(3).toString('hex')}`, ...body },
  });
  if (res.statusCode !== 201) throw new Error(`room: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}

export interface EnrolledDevice {
  deviceId: string;
  clientId: string;
  clientSecret: string;
  token: string;
}

export async function enrolDevice(t: TestApp, roomId: string): Promise<EnrolledDevice> {
  const code = await t.app.inject({ method: 'POST', url: `/management/v1/rooms/${roomId}/activation-codes`, headers: await adminAuth(t), payload: {} });
  if (code.statusCode !== 201) throw new Error(`activation code: ${code.statusCode} ${code.body}`);
  const enrol = await t.app.inject({
    method: 'POST',
    url: '/device/v1/enroll',
    payload: {
      activationCode: (code.json() as { code: string }).code,
      machineIdHash: randomBytes(16).toString('hex'),
      installId: randomBytes(8).toString('hex'),
      hostname: 'kiosk-test',
      os: { platform: 'linux', release: '6.1.0' },
      appVersion: '1.0.0',
    },
  });
  if (enrol.statusCode !== 201) throw new Error(`enrol: ${enrol.statusCode} ${enrol.body}`);
  const device = enrol.json() as { deviceId: string; clientId: string; clientSecret: string };
  const token = await t.app.inject({
    method: 'POST',
    url: '/oauth/token',
    payload: { grant_type: 'client_credentials', client_id: device.clientId, client_secret: device.clientSecret, scope: 'device' },
  });
  if (token.statusCode !== 200) throw new Error(`token: ${token.statusCode} ${token.body}`);
  return { ...device, token: (token.json() as { access_token: string }).access_token };
}
