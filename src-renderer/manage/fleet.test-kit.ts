import type { Device } from '../../src-shared/devices/devices.schema';

/** A device record as `GET /management/v1/devices` returns it: online, idle, version 1.2.3. */
export function device(over: Partial<Device> = {}): Device {
  return {
    id: 'd1',
    roomId: 'r1',
    organisationCode: 'org',
    hostname: 'kiosk-1',
    status: 'online',
    degradedReasons: [],
    connected: true,
    lastSeenAt: '2026-03-02T09:00:00.000Z',
    appVersion: '1.2.3',
    os: { platform: 'linux', release: '6.1.0' },
    hardware: {},
    callState: { state: 'idle' },
    callQuality: null,
    updateState: null,
    clientId: 'c1',
    enrolledAt: '2026-03-01T09:00:00.000Z',
    revokedAt: null,
    lastPreflight: null,
    ...over,
  } as Device;
}
