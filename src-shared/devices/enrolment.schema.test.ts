import { describe, expect, it } from 'vitest';
import { EnrollRequest } from './enrolment.schema';

const base = {
  activationCode: 'DTXC-PY7G-NF3E',
  machineIdHash: 'a'.repeat(64),
  installId: '3f0e6a8c-1111-4222-8333-944455556666',
  hostname: 'kiosk-1',
  appVersion: '0.1.0',
};

describe('enrolment request', () => {
  it('takes the full os and hardware description the app sends', () => {
    const r = EnrollRequest.parse({ ...base, os: { platform: 'linux', release: '6.1.0', arch: 'x64' }, hardware: { cpuCores: 4 } });
    expect(r.os).toEqual({ platform: 'linux', release: '6.1.0', arch: 'x64' });
    expect(r.hardware).toEqual({ cpuCores: 4 });
  });

  it('accepts plain strings and a missing release from provisioning scripts', () => {
    const r = EnrollRequest.parse({ ...base, os: 'linux', hardware: 'Dell OptiPlex 7000' });
    expect(r.os).toEqual({ platform: 'linux', release: '' });
    expect(r.hardware).toEqual({ model: 'Dell OptiPlex 7000' });
    expect(EnrollRequest.parse({ ...base, os: { platform: 'win32' } }).os).toEqual({ platform: 'win32', release: '' });
    expect(EnrollRequest.parse({ ...base, os: 'linux' }).hardware).toEqual({});
  });

  it('still refuses a missing os, a wrong type or an overlong value', () => {
    expect(EnrollRequest.safeParse({ ...base }).success).toBe(false);
    expect(EnrollRequest.safeParse({ ...base, os: 42 }).success).toBe(false);
    expect(EnrollRequest.safeParse({ ...base, os: 'x'.repeat(201) }).success).toBe(false);
    expect(EnrollRequest.safeParse({ ...base, os: 'linux', hardware: { cpuCores: -1 } }).success).toBe(false);
  });
});
