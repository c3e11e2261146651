import { beforeAll, describe, expect, it } from 'vitest';
import { EnrollResponse } from '../../../src-shared/devices/enrolment.schema';
import { DB_KINDS } from '../../test-support/test-app';
import { useTestApp } from '../../test-support/use-test-app';
import { adminHeaders, createCode, createRoom, deviceToken, enrolBody } from '../device-fleet.test-kit';

describe.each(DB_KINDS)('device enrolment on %s', (kind) => {
  const t = useTestApp(kind);
  let admin: Record<string, string>;
  beforeAll(async () => {
    admin = await adminHeaders(t);
  });

  const enrol = (body: unknown, ip = '10.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/device/v1/enroll', payload: body as object, remoteAddress: ip });

  it('turns a code into a device credential that gets a device token', async () => {
    const room = await createRoom(t, admin, { name: 'Sal A' });
    const { code } = await createCode(t, admin, room.id);
    const res = await enrol(enrolBody(code.toLowerCase().replace(/-/g, ' ')));
    expect(res.statusCode, res.body).toBe(201);
    const body = EnrollResponse.parse(res.json());
    expect(body).toMatchObject({ serverUrl: 'http://vdx.test', room: { id: room.id, name: 'Sal A' }, scope: 'device' });
    const token = await deviceToken(t, body.clientId, body.clientSecret);
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe('device');
    const config = await t.app.inject({
      method: 'GET',
      url: '/device/v1/me/config',
      headers: { authorization: `Bearer ${token.body.access_token}` },
    });
    expect(config.statusCode, config.body).toBe(200);
    expect(config.json()).toMatchObject({ deviceId: body.deviceId, room: { name: 'Sal A' } });
    const codes = await t.app.inject({ method: 'GET', url: `/management/v1/rooms/${room.id}/activation-codes`, headers: admin });
    expect(codes.json()).toEqual([expect.objectContaining({ status: 'used', usedByDeviceId: body.deviceId })]);
  });

  it('refuses a used, an expired, a revoked and an unknown code with distinct codes, storing nothing', async () => {
    const room = await createRoom(t, admin);
    const used = await createCode(t, admin, room.id);
    expect((await enrol(enrolBody(used.code))).statusCode).toBe(201);
    const devicesBefore = (await t.store.db.selectFrom('devices').select('id').execute()).length;
    const clientsBefore = (await t.store.db.selectFrom('api_clients').select('client_id').execute()).length;

    const again = await enrol(enrolBody(used.code));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'activation_code_used' } });

    const expiring = await createCode(t, admin, room.id, { expiresAt: new Date(t.clock.now().getTime() + 60_000).toISOString() });
    const revoked = await createCode(t, admin, room.id);
    await t.app.inject({ method: 'POST', url: `/management/v1/rooms/${room.id}/activation-codes/${revoked.id}/revoke`, headers: admin });
    t.clock.advance(61_000);
    const expired = await enrol(enrolBody(expiring.code));
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ error: { code: 'activation_code_expired' } });
    const rev = await enrol(enrolBody(revoked.code));
    expect(rev.statusCode).toBe(410);
    expect(rev.json()).toMatchObject({ error: { code: 'activation_code_revoked' } });
    const unknown = await enrol(enrolBody('3333-4444-6666'));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: { code: 'activation_code_invalid' } });
    const malformed = await enrol(enrolBody('0OIL-1234'));
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: { code: 'validation_failed' } });

    expect((await t.store.db.selectFrom('devices').select('id').execute()).length).toBe(devicesBefore);
    expect((await t.store.db.selectFrom('api_clients').select('client_id').execute()).length).toBe(clientsBefore);
  });

  it('lets exactly one of two concurrent enrolments with one code win', async () => {
    const room = await createRoom(t, admin);
    const { code } = await createCode(t, admin, room.id);
    const results = await Promise.all([enrol(enrolBody(code)), enrol(enrolBody(code))]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const devices = await t.store.db.selectFrom('devices').select('id').where('room_id', '=', room.id).execute();
    expect(devices).toHaveLength(1);
  });

  it('re-enrolment from the same machine and install revokes the previous credential; a clone is another device', async () => {
    const room = await createRoom(t, admin);
    const first = await createCode(t, admin, room.id);
    const body = enrolBody(first.code);
    const a = EnrollResponse.parse((await enrol(body)).json());
    const tokenA = await deviceToken(t, a.clientId, a.clientSecret);
    expect(tokenA.status).toBe(200);

    const second = await createCode(t, admin, room.id);
    const b = EnrollResponse.parse((await enrol({ ...body, activationCode: second.code })).json());
    expect(b.deviceId).toBe(a.deviceId);
    expect(b.clientId).not.toBe(a.clientId);
    expect((await deviceToken(t, a.clientId, a.clientSecret)).status).toBe(401);
    const oldConfig = await t.app.inject({
      method: 'GET',
      url: '/device/v1/me/config',
      headers: { authorization: `Bearer ${tokenA.body.access_token}` },
    });
    expect(oldConfig.statusCode).toBe(401);
    expect((await deviceToken(t, b.clientId, b.clientSecret)).status).toBe(200);

    const third = await createCode(t, admin, room.id);
    const clone = EnrollResponse.parse((await enrol({ ...body, installId: 'another-install-id', activationCode: third.code })).json());
    expect(clone.deviceId).not.toBe(a.deviceId);
    expect((await deviceToken(t, b.clientId, b.clientSecret)).status).toBe(200);
  });

  it('throttles an address after repeated wrong codes, by the clock, without affecting others', async () => {
    const room = await createRoom(t, admin);
    const ip = '10.9.9.9';
    for (let i = 0; i < 10; i++) expect((await enrol(enrolBody('3333-4444-6666'), ip)).statusCode).toBe(400);
    const { code } = await createCode(t, admin, room.id);
    const blocked = await enrol(enrolBody(code), ip);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ error: { code: 'too_many_attempts' } });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // The valid code was not consumed by the refused attempt, and another address is unaffected.
    const other = await createCode(t, admin, room.id);
    expect((await enrol(enrolBody(other.code), '10.8.8.8')).statusCode).toBe(201);
    t.clock.advance(15 * 60_000 + 1000);
    expect((await enrol(enrolBody(code), ip)).statusCode).toBe(201);
  });

  it('refuses an oversized enrolment body with 413', async () => {
    const res = await enrol({ ...enrolBody('3333-4444-6666'), hostname: 'x'.repeat(20_000) });
    expect(res.statusCode).toBe(413);
  });
});
