import * as tokenV from '@pexip/infinity-api/dist/token/validation.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { LiveConferenceList, Vmr, VmrList } from '../../src-shared/conference/vmr.schema';
import { DB_KINDS } from '../test-support/test-app';
import { useForSuite } from '../test-support/use-test-app';
import { adminHeaders, createConferenceTestApp } from './conference.test-support';

describe.each(DB_KINDS)('fixed VMRs and live conferences on %s', (kind) => {
  const t = useForSuite(() => createConferenceTestApp(kind));
  let admin: Record<string, string>;
  beforeAll(async () => {
    admin = await adminHeaders(t);
  });

  const requestToken = (alias: string, pin?: string) =>
    t.app.inject({ method: 'POST', url: `/api/client/v2/conferences/${alias}/request_token`, headers: pin ? { pin } : {}, payload: { display_name: 'Test' } });

  it('creates a VMR that is joinable at once, and audits it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/management/v1/vmrs',
      headers: admin,
      payload: { alias: 'Akut-Rum', name: 'Akutrummet', hostPin: '1234', guestPin: '5678' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const vmr = Vmr.parse(res.json());
    expect(vmr).toMatchObject({ alias: 'akut-rum', directMedia: 'best_effort', guestsCanPresent: true, lockedByDefault: false, maxParticipants: null });
    const joined = await requestToken('akut-rum', '5678');
    expect(joined.statusCode).toBe(200);
    expect(tokenV.validateRequestToken200(joined.json())).toBe(true);
    expect(joined.json().result).toMatchObject({ role: 'GUEST', conference_name: 'Akutrummet' });
    const audit = await t.store.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'vmr').execute();
    expect(audit.map((a) => a.action)).toContain('vmr.create');
    // PINs never reach the audit log.
    expect(JSON.stringify(audit)).not.toContain('5678');
  });

  it('lists, reads, changes and deletes VMRs; deleting ends the live conference', async () => {
    await t.app.inject({ method: 'POST', url: '/management/v1/vmrs', headers: admin, payload: { alias: 'lille', name: 'Lille', hostPin: '1111' } });
    const list = VmrList.parse((await t.app.inject({ method: 'GET', url: '/management/v1/vmrs', headers: admin })).json());
    expect(list.vmrs.map((v) => v.alias)).toEqual(expect.arrayContaining(['akut-rum', 'lille']));
    expect((await t.app.inject({ method: 'GET', url: '/management/v1/vmrs/lille', headers: admin })).json()).toMatchObject({ hostPin: '1111', guestPin: null });

    const patched = await t.app.inject({ method: 'PATCH', url: '/management/v1/vmrs/lille', headers: admin, payload: { hostPin: '2222', guestPin: '3333', lockedByDefault: true, directMedia: 'never' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ hostPin: '2222', guestPin: '3333', lockedByDefault: true, directMedia: 'never' });
    expect((await requestToken('lille', '1111')).json()).toEqual({ status: 'failed', result: 'Invalid PIN' });
    const host = await requestToken('lille', '2222');
    expect(host.json().result).toMatchObject({ role: 'HOST', direct_media: false });
    const guest = await requestToken('lille', '3333');
    expect(guest.json().result.current_service_type).toBe('waiting_room');

    const live = LiveConferenceList.parse((await t.app.inject({ method: 'GET', url: '/management/v1/conferences', headers: admin })).json());
    const lille = live.conferences.find((c) => c.alias === 'lille')!;
    expect(lille).toMatchObject({ mediaMode: 'server', locked: true, source: 'vmr' });
    expect(lille.participants.map((p) => [p.role, p.serviceType]).sort()).toEqual([
      ['GUEST', 'waiting_room'],
      ['HOST', 'conference'],
    ]);

    expect((await t.app.inject({ method: 'DELETE', url: '/management/v1/vmrs/lille', headers: admin })).statusCode).toBe(204);
    const refresh = await t.app.inject({ method: 'POST', url: '/api/client/v2/conferences/lille/refresh_token', headers: { token: host.json().result.token } });
    expect(refresh.json()).toEqual({ status: 'failed', result: 'Invalid token' });
    expect((await requestToken('lille', '2222')).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/management/v1/vmrs/lille', headers: admin })).statusCode).toBe(404);
  });

  it('refuses duplicates, bad input and non-admins', async () => {
    const dup = await t.app.inject({ method: 'POST', url: '/management/v1/vmrs', headers: admin, payload: { alias: 'AKUT-RUM', name: 'x', hostPin: '1234' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ error: { code: 'alias_taken' } });
    for (const payload of [
      { alias: 'has space', name: 'x', hostPin: '1234' },
      { alias: 'ok', name: 'x', hostPin: '12' },
      { alias: 'ok', name: 'x', hostPin: '1234', guestPin: '1234' },
      { alias: 'ok', name: 'x', hostPin: '1234', directMedia: 'sometimes' },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/management/v1/vmrs', headers: admin, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const notAdmin = await adminHeaders(t, false);
    expect((await t.app.inject({ method: 'GET', url: '/management/v1/vmrs', headers: notAdmin })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/management/v1/conferences' })).statusCode).toBe(401);
  });

  it('keeps VMRs across a restart of the node', async () => {
    const { loadVmrs } = await import('./vmr.routes');
    const { ConferenceRegistry } = await import('./conference-registry');
    const fresh = new ConferenceRegistry(t.clock);
    expect(await loadVmrs(t.store, fresh)).toBeGreaterThan(0);
    expect(fresh.openRoom('akut-rum')?.name).toBe('Akutrummet');
  });
});
