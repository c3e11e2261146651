import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ApiClientList, ApiClientWithSecret } from '../../src-shared/auth/api-clients.schema';
import { Claims } from '../../src-shared/auth/roles';
import { ManualClock } from '../../src-shared/platform/clock';
import { buildApp } from '../app';
import { loadConfig } from '../config/config';
import { DB_KINDS, TEST_ADMIN, freshStore } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { basicAuth, bearer, issueToken } from './token.test-support';

const BASE = '/management/v1/api-clients';

describe.each(DB_KINDS)('API client management on %s', (kind) => {
  const t = useTestApp(kind);
  let admin: { authorization: string };
  beforeAll(async () => {
    admin = await bearer(t.app);
  });

  const create = async (body: object = {}) => {
    const res = await t.app.inject({
      method: 'POST',
      url: BASE,
      headers: admin,
      payload: { name: 'Region booking system', roles: ['meeting-planner'], scopes: ['booking'], ...body },
    });
    expect(res.statusCode).toBe(201);
    return ApiClientWithSecret.parse(res.json());
  };
  const tokenRequest = (clientId: string, clientSecret: string) =>
    t.app.inject({ method: 'POST', url: '/oauth/token', headers: { authorization: basicAuth(clientId, clientSecret) }, payload: { grant_type: 'client_credentials' } });
  const auditOf = async (entityId: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/management/v1/audit?entityType=api_client&entityId=${encodeURIComponent(entityId)}`, headers: admin });
    expect(res.statusCode).toBe(200);
    return (res.json() as { entries: Array<{ action: string; before: unknown; after: unknown }> }).entries;
  };

  it('creates a client, shows its secret once, and the secret gets a token with the granted claims', async () => {
    const created = await create({ email: 'booking@region.example', roles: ['meeting-planner', 'meeting-user'] });
    expect(created).toMatchObject({ kind: 'system', organisation: 'vdx', managementAdmin: false, email: 'booking@region.example', revokedAt: null });
    expect(created.clientSecret.length).toBeGreaterThanOrEqual(43);

    const fetched = await t.app.inject({ method: 'GET', url: `${BASE}/${created.clientId}`, headers: admin });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.body).not.toContain(created.clientSecret);
    expect(fetched.json()).not.toHaveProperty('clientSecret');
    ApiClient.parse(fetched.json());

    const token = await tokenRequest(created.clientId, created.clientSecret);
    expect(token.statusCode).toBe(200);
    const claims = decodeJwt((token.json() as { access_token: string }).access_token);
    expect(claims[Claims.roles]).toEqual(['meeting-planner', 'meeting-user']);
    expect(claims[Claims.email]).toBe('booking@region.example');
    expect(claims[Claims.managementAdmin]).toBeUndefined();
  });

  it('lists clients, filters them, and never includes secrets', async () => {
    const created = await create({ name: 'Listed' });
    const res = await t.app.inject({ method: 'GET', url: BASE, headers: admin });
    expect(res.statusCode).toBe(200);
    const list = ApiClientList.parse(res.json());
    expect(list.clients.map((c) => c.clientId)).toEqual(expect.arrayContaining([TEST_ADMIN.clientId, created.clientId]));
    expect(res.body).not.toContain(created.clientSecret);
    expect(res.body).not.toContain('scrypt');
    const devices = ApiClientList.parse((await t.app.inject({ method: 'GET', url: `${BASE}?kind=device`, headers: admin })).json());
    expect(devices.clients.every((c) => c.kind === 'device')).toBe(true);
  });

  it('changes roles and scopes for tokens issued from then on', async () => {
    const created = await create();
    const res = await t.app.inject({
      method: 'PATCH',
      url: `${BASE}/${created.clientId}`,
      headers: admin,
      payload: { roles: ['meeting-admin'], managementAdmin: true, scopes: ['booking', 'management'], name: 'Renamed' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ roles: ['meeting-admin'], managementAdmin: true, scopes: ['booking', 'management'], name: 'Renamed' });
    const token = await tokenRequest(created.clientId, created.clientSecret);
    const claims = decodeJwt((token.json() as { access_token: string }).access_token);
    expect(claims[Claims.roles]).toEqual(['meeting-admin']);
    expect(claims[Claims.managementAdmin]).toBe(true);
    expect(claims.scope).toBe('booking management');
  });

  it('rotates a secret: the new one is shown once, the old one stops working', async () => {
    const created = await create();
    const res = await t.app.inject({ method: 'POST', url: `${BASE}/${created.clientId}/rotate-secret`, headers: admin });
    expect(res.statusCode).toBe(200);
    const rotated = ApiClientWithSecret.parse(res.json());
    expect(rotated.clientSecret).not.toBe(created.clientSecret);
    expect((await tokenRequest(created.clientId, created.clientSecret)).statusCode).toBe(401);
    expect((await tokenRequest(created.clientId, rotated.clientSecret)).statusCode).toBe(200);
  });

  it('revokes a client: no new tokens, and the tokens it holds are refused', async () => {
    const created = await create({ managementAdmin: true, scopes: ['management'] });
    const token = await issueToken(t.app, created);
    const asClient = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ method: 'GET', url: BASE, headers: asClient })).statusCode).toBe(200);

    const res = await t.app.inject({ method: 'POST', url: `${BASE}/${created.clientId}/revoke`, headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ revokedAt: t.clock.now().toISOString() });
    expect((await t.app.inject({ method: 'GET', url: BASE, headers: asClient })).statusCode).toBe(401);
    const again = await tokenRequest(created.clientId, created.clientSecret);
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ error: 'invalid_client' });
    // Revoked clients are hidden from the default list and cannot be changed.
    const list = ApiClientList.parse((await t.app.inject({ method: 'GET', url: BASE, headers: admin })).json());
    expect(list.clients.map((c) => c.clientId)).not.toContain(created.clientId);
    const all = ApiClientList.parse((await t.app.inject({ method: 'GET', url: `${BASE}?includeRevoked=true`, headers: admin })).json());
    expect(all.clients.map((c) => c.clientId)).toContain(created.clientId);
    const patch = await t.app.inject({ method: 'PATCH', url: `${BASE}/${created.clientId}`, headers: admin, payload: { name: 'x' } });
    expect(patch.statusCode).toBe(409);
    expect(patch.json()).toMatchObject({ error: { code: 'api_client_revoked' } });
  });

  it('audits every write, without secrets', async () => {
    const created = await create({ name: 'Audited' });
    await t.app.inject({ method: 'PATCH', url: `${BASE}/${created.clientId}`, headers: admin, payload: { roles: ['meeting-user'] } });
    const rotated = ApiClientWithSecret.parse(
      (await t.app.inject({ method: 'POST', url: `${BASE}/${created.clientId}/rotate-secret`, headers: admin })).json(),
    );
    await t.app.inject({ method: 'POST', url: `${BASE}/${created.clientId}/revoke`, headers: admin });
    const entries = await auditOf(created.clientId);
    expect(entries.map((e) => e.action).sort()).toEqual(['api-client.create', 'api-client.revoke', 'api-client.rotate-secret', 'api-client.update']);
    expect(entries.find((e) => e.action === 'api-client.update')).toMatchObject({ before: { roles: ['meeting-planner'] }, after: { roles: ['meeting-user'] } });
    const rows = JSON.stringify(await t.store.db.selectFrom('audit_log').selectAll().execute());
    expect(rows).not.toContain(created.clientSecret);
    expect(rows).not.toContain(rotated.clientSecret);
    expect(rows).not.toContain('scrypt$');
  });

  it('answers bad input and unknown ids with our error shape, never a 500', async () => {
    const bad = [
      { name: '' },
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['everything'] },
      { name: 'x', scopes: ['booking'], roles: ['root'] },
      { name: 'x', scopes: ['booking'], clientSecret: 'chosen' },
      { name: 'x', scopes: ['booking'], email: 'not-an-email' },
    ];
    for (const payload of bad) {
      const res = await t.app.inject({ method: 'POST', url: BASE, headers: admin, payload });
      expect({ payload, status: res.statusCode }).toEqual({ payload, status: 400 });
      expect(res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    const unknownOrg = await t.app.inject({ method: 'POST', url: BASE, headers: admin, payload: { name: 'x', scopes: ['booking'], organisation: 'nowhere' } });
    expect(unknownOrg.statusCode).toBe(400);
    expect(unknownOrg.json()).toMatchObject({ error: { code: 'organisation_not_found' } });
    for (const [method, url] of [
      ['GET', `${BASE}/nope`],
      ['POST', `${BASE}/nope/revoke`],
      ['POST', `${BASE}/nope/rotate-secret`],
      ['PATCH', `${BASE}/nope`],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: admin, ...(method === 'PATCH' ? { payload: { name: 'n' } } : {}) });
      expect({ url, status: res.statusCode, body: res.json() as unknown }).toMatchObject({ url, status: 404, body: { error: { code: 'api_client_not_found' } } });
    }
    const empty = await t.app.inject({ method: 'PATCH', url: `${BASE}/${TEST_ADMIN.clientId}`, headers: admin, payload: {} });
    expect(empty.statusCode).toBe(400);
  });

  it('requires management-admin', async () => {
    const planner = await create({ roles: ['meeting-admin'], managementAdmin: false });
    const asPlanner = await bearer(t.app, planner);
    for (const [method, url] of [
      ['GET', BASE],
      ['POST', BASE],
      ['GET', `${BASE}/${planner.clientId}`],
      ['POST', `${BASE}/${planner.clientId}/rotate-secret`],
      ['GET', '/management/v1/audit'],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: asPlanner, ...(method === 'POST' && url === BASE ? { payload: { name: 'x', scopes: ['booking'] } } : {}) });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 403 });
    }
    expect((await t.app.inject({ method: 'GET', url: BASE })).statusCode).toBe(401);
  });
});

describe('secrets in the logs', () => {
  it('never writes a client secret or token to the log output', async () => {
    const lines: string[] = [];
    const store = await freshStore('sqlite');
    const config = loadConfig({
      VDX_PUBLIC_URL: 'http://vdx.test',
      VDX_ADMIN_CLIENT_ID: TEST_ADMIN.clientId,
      VDX_ADMIN_CLIENT_SECRET: TEST_ADMIN.clientSecret,
      VDX_LOG_LEVEL: 'trace',
    });
    const { app } = await buildApp({ config, store, clock: new ManualClock('2026-03-02T08:00:00Z'), logStream: { write: (line) => void lines.push(line) } });
    try {
      const secrets: string[] = [TEST_ADMIN.clientSecret];
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: TEST_ADMIN.clientId, client_secret: TEST_ADMIN.clientSecret });
      const issued = await app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() });
      expect(issued.statusCode).toBe(200);
      const token = (issued.json() as { access_token: string }).access_token;
      secrets.push(token);
      const admin = { authorization: `Bearer ${token}` };
      // A secret in the query string (a mistake callers make) and a wrong secret.
      await app.inject({ method: 'POST', url: `/oauth/token?client_secret=${TEST_ADMIN.clientSecret}`, payload: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      await app.inject({ method: 'POST', url: '/oauth/token', headers: { authorization: basicAuth(TEST_ADMIN.clientId, 'wrong-but-secret-0123') }, payload: { grant_type: 'client_credentials' } });
      secrets.push('wrong-but-secret-0123');
      const created = await app.inject({ method: 'POST', url: BASE, headers: admin, payload: { name: 'Logged', scopes: ['booking'] } });
      const client = ApiClientWithSecret.parse(created.json());
      secrets.push(client.clientSecret);
      const rotated = ApiClientWithSecret.parse((await app.inject({ method: 'POST', url: `${BASE}/${client.clientId}/rotate-secret`, headers: admin })).json());
      secrets.push(rotated.clientSecret);
      await app.inject({ method: 'POST', url: BASE, headers: admin, payload: { name: 'bad', scopes: ['booking'], clientSecret: 'my-own-secret-value' } });
      secrets.push('my-own-secret-value');

      const output = lines.join('');
      expect(lines.length).toBeGreaterThan(10);
      expect(output).toContain('/oauth/token');
      for (const secret of secrets) expect(output).not.toContain(secret);
      expect(output).not.toContain(Buffer.from(`${TEST_ADMIN.clientId}:wrong-but-secret-0123`).toString('base64'));
    } finally {
      await app.close();
      await store.close();
    }
  });
});
