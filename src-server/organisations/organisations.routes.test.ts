import { beforeAll, describe, expect, it } from 'vitest';
import { Organisation, OrganisationList } from '../../src-shared/organisations/organisations.schema';
import { ApiClients } from '../auth/api-clients.service';
import { bearer } from '../auth/token.test-support';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { getOrganisation, organisationLineage } from './organisations.service';

const BASE = '/management/v1/organisations';

describe.each(DB_KINDS)('organisation management on %s', (kind) => {
  const t = useTestApp(kind);
  let admin: { authorization: string };
  beforeAll(async () => {
    admin = await bearer(t.app);
  });

  const post = (payload: object) => t.app.inject({ method: 'POST', url: BASE, headers: admin, payload });
  const patch = (code: string, payload: object) => t.app.inject({ method: 'PATCH', url: `${BASE}/${code}`, headers: admin, payload });
  const del = (code: string) => t.app.inject({ method: 'DELETE', url: `${BASE}/${code}`, headers: admin });
  const errorCode = (res: { json(): unknown }) => (res.json() as { error: { code: string } }).error.code;

  it('has the bootstrap organisation', async () => {
    const res = await t.app.inject({ method: 'GET', url: `${BASE}/vdx`, headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: 'vdx', parentCode: null });
  });

  it('creates, reads, lists and changes organisations in a tree', async () => {
    const region = await post({ code: 'region-h', name: 'Region Hovedstaden', parentCode: 'vdx', poolSize: 5 });
    expect(region.statusCode).toBe(201);
    expect(Organisation.parse(region.json())).toMatchObject({
      code: 'region-h',
      parentCode: 'vdx',
      poolSize: 5,
      smsSenderName: null,
      smsCallbackUrl: null,
      allowCustomUriWithoutDomain: false,
    });
    const hospital = await post({
      code: 'rh.rigshospitalet',
      name: 'Rigshospitalet',
      parentCode: 'region-h',
      smsSenderName: 'Rigshospit',
      smsCallbackUrl: 'https://sms.example/cb?ref=%reference%&status=%status%',
      allowCustomUriWithoutDomain: true,
    });
    expect(hospital.statusCode).toBe(201);
    expect(hospital.json()).toMatchObject({ smsCallbackUrl: 'https://sms.example/cb?ref=%reference%&status=%status%', allowCustomUriWithoutDomain: true });

    const list = OrganisationList.parse((await t.app.inject({ method: 'GET', url: BASE, headers: admin })).json());
    expect(list.organisations.map((o) => o.code)).toEqual(expect.arrayContaining(['vdx', 'region-h', 'rh.rigshospitalet']));

    const changed = await patch('rh.rigshospitalet', { name: 'Rigshospitalet Blegdamsvej', poolSize: 0, smsSenderName: null });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ name: 'Rigshospitalet Blegdamsvej', poolSize: 0, smsSenderName: null, parentCode: 'region-h' });
    expect(await organisationLineage(t.store.db, 'rh.rigshospitalet')).toEqual(['rh.rigshospitalet', 'region-h', 'vdx']);
    expect(await getOrganisation(t.store.db, 'rh.rigshospitalet')).toMatchObject({ name: 'Rigshospitalet Blegdamsvej' });
    expect(await getOrganisation(t.store.db, 'nowhere')).toBeUndefined();
  });

  it('refuses a parent that does not exist, and any cycle', async () => {
    expect(errorCode(await post({ code: 'orphan', name: 'Orphan', parentCode: 'nowhere' }))).toBe('parent_not_found');
    expect((await post({ code: 'a1', name: 'A1' })).statusCode).toBe(201);
    expect((await post({ code: 'a2', name: 'A2', parentCode: 'a1' })).statusCode).toBe(201);
    expect((await post({ code: 'a3', name: 'A3', parentCode: 'a2' })).statusCode).toBe(201);
    const self = await patch('a1', { parentCode: 'a1' });
    expect([self.statusCode, errorCode(self)]).toEqual([400, 'organisation_cycle']);
    const loop = await patch('a1', { parentCode: 'a3' });
    expect([loop.statusCode, errorCode(loop)]).toEqual([400, 'organisation_cycle']);
    expect((await patch('a1', { parentCode: 'nowhere' })).statusCode).toBe(400);
    // Moving a subtree elsewhere and back to the root is fine.
    expect((await patch('a2', { parentCode: 'vdx' })).json()).toMatchObject({ parentCode: 'vdx' });
    expect((await patch('a2', { parentCode: null })).json()).toMatchObject({ parentCode: null });
    expect(await organisationLineage(t.store.db, 'a3')).toEqual(['a3', 'a2']);
  });

  it('keeps the tree at most 32 levels deep, also when moving a subtree', async () => {
    let parentCode: string | null = null;
    for (let level = 0; level < 32; level++) {
      const res = await post({ code: `deep-${level}`, name: `Level ${level}`, parentCode });
      expect(res.statusCode).toBe(201);
      parentCode = `deep-${level}`;
    }
    const tooDeep = await post({ code: 'deep-32', name: 'Too deep', parentCode });
    expect([tooDeep.statusCode, errorCode(tooDeep)]).toEqual([400, 'organisation_too_deep']);
    // A two-level subtree moved under level 30 would reach 33 levels.
    expect((await post({ code: 'sub-top', name: 'Sub top' })).statusCode).toBe(201);
    expect((await post({ code: 'sub-leaf', name: 'Sub leaf', parentCode: 'sub-top' })).statusCode).toBe(201);
    const moved = await patch('sub-top', { parentCode: 'deep-30' });
    expect([moved.statusCode, errorCode(moved)]).toEqual([400, 'organisation_too_deep']);
    expect((await patch('sub-top', { parentCode: 'deep-29' })).statusCode).toBe(200);
  });

  it('refuses bad fields with 400 validation_failed', async () => {
    const bad = [
      { code: 'Upper', name: 'x' },
      { code: '-lead', name: 'x' },
      { code: 'a'.repeat(65), name: 'x' },
      { code: 'ok', name: '' },
      { code: 'ok', name: 'x', poolSize: -1 },
      { code: 'ok', name: 'x', poolSize: 1.5 },
      { code: 'ok', name: 'x', smsSenderName: 'TwelveChars!' },
      { code: 'ok', name: 'x', smsCallbackUrl: 'not a url' },
      { code: 'ok', name: 'x', smsCallbackUrl: 'ftp://sms.example/cb' },
      { code: 'ok', name: 'x', allowCustomUriWithoutDomain: 'yes' },
      { code: 'ok', name: 'x', unknown: 1 },
    ];
    for (const payload of bad) {
      const res = await post(payload);
      expect({ payload, status: res.statusCode, code: errorCode(res) }).toEqual({ payload, status: 400, code: 'validation_failed' });
    }
    expect((await patch('vdx', {})).statusCode).toBe(400);
    expect((await patch('vdx', { code: 'renamed' })).statusCode).toBe(400);
    expect(await getOrganisation(t.store.db, 'ok')).toBeUndefined();
  });

  it('refuses a duplicate code with 409', async () => {
    expect((await post({ code: 'dup', name: 'Dup' })).statusCode).toBe(201);
    const again = await post({ code: 'dup', name: 'Dup again' });
    expect([again.statusCode, errorCode(again)]).toEqual([409, 'organisation_exists']);
  });

  it('deletes only organisations without children or API clients', async () => {
    expect((await post({ code: 'parent', name: 'Parent' })).statusCode).toBe(201);
    expect((await post({ code: 'child', name: 'Child', parentCode: 'parent' })).statusCode).toBe(201);
    const withChild = await del('parent');
    expect([withChild.statusCode, errorCode(withChild)]).toEqual([409, 'organisation_has_children']);

    await new ApiClients(t.store, t.clock).create({ kind: 'system', name: 'c', organisation: 'child', roles: [], managementAdmin: false, scopes: ['booking'] });
    const withClient = await del('child');
    expect([withClient.statusCode, errorCode(withClient)]).toEqual([409, 'organisation_has_clients']);
    expect((await del('vdx')).statusCode).toBe(409);

    expect((await post({ code: 'leaf', name: 'Leaf', parentCode: 'parent' })).statusCode).toBe(201);
    expect((await del('leaf')).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `${BASE}/leaf`, headers: admin })).statusCode).toBe(404);
    expect((await del('leaf')).statusCode).toBe(404);
  });

  it('audits creations, changes and deletions', async () => {
    await post({ code: 'audited', name: 'Audited' });
    await patch('audited', { poolSize: 3 });
    await del('audited');
    const res = await t.app.inject({ method: 'GET', url: '/management/v1/audit?entityType=organisation&entityId=audited', headers: admin });
    const entries = (res.json() as { entries: Array<{ action: string; before: unknown; after: unknown; actor: string }> }).entries;
    expect(entries.map((e) => e.action).sort()).toEqual(['organisation.create', 'organisation.delete', 'organisation.update']);
    expect(entries.find((e) => e.action === 'organisation.update')).toMatchObject({ before: { poolSize: 0 }, after: { poolSize: 3 }, actor: 'test-admin' });
    expect(entries.find((e) => e.action === 'organisation.delete')).toMatchObject({ before: { code: 'audited' }, after: null });
  });

  it('requires management-admin', async () => {
    const planner = await new ApiClients(t.store, t.clock).create({ kind: 'system', name: 'p', organisation: 'vdx', roles: ['meeting-admin'], managementAdmin: false, scopes: ['booking'] });
    const headers = await bearer(t.app, { clientId: planner.client.clientId, clientSecret: planner.clientSecret });
    expect((await t.app.inject({ method: 'GET', url: BASE, headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: BASE, headers, payload: { code: 'x', name: 'x' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: BASE })).statusCode).toBe(401);
  });
});
