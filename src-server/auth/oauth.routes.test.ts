import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { TokenResponse } from '../../src-shared/auth/api-clients.schema';
import { ALL_VDX_ROLES, Claims } from '../../src-shared/auth/roles';
import { ManualClock } from '../../src-shared/platform/clock';
import { DB_KINDS, TEST_ADMIN, createTestAppOn, freshDatabaseUrl, type TestApp } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { AccessTokens } from './access-tokens';
import { ApiClients } from './api-clients.service';
import { SigningKeys } from './signing-keys';
import { basicAuth, bearer, issueToken } from './token.test-support';

const TOKEN_URL = '/oauth/token';
const form = 'application/x-www-form-urlencoded';

/** A protected route: listing API clients needs a management-admin token. */
const protectedGet = (t: TestApp, token: string) =>
  t.app.inject({ method: 'GET', url: '/management/v1/api-clients', headers: { authorization: `Bearer ${token}` } });

describe.each(DB_KINDS)('OAuth2 token endpoint on %s', (kind) => {
  const t = useTestApp(kind);
  let clients: ApiClients;
  beforeAll(async () => {
    clients = new ApiClients(t.store, t.clock);
  });

  /** Each test gets its own address so failure counting in one test never affects another. */
  let address = 0;
  const post = (opts: { headers?: Record<string, string>; payload?: string | object }) =>
    t.app.inject({ method: 'POST', url: TOKEN_URL, remoteAddress: `10.0.${kind === 'sqlite' ? 1 : 2}.${++address}`, ...opts });

  const expectOAuthError = (res: Awaited<ReturnType<typeof post>>, status: number, error: string) => {
    expect({ status: res.statusCode, body: res.json() as unknown }).toMatchObject({ status, body: { error } });
    expect(Object.keys(res.json() as object).sort()).toEqual(['error', 'error_description']);
    expect(res.headers['cache-control']).toBe('no-store');
  };

  it('issues a token to HTTP Basic client authentication, with the VDX claims', async () => {
    const res = await post({
      headers: { authorization: basicAuth(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret), 'content-type': form },
      payload: 'grant_type=client_credentials',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = TokenResponse.parse(res.json());
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(body.scope.split(' ').sort()).toEqual(['booking', 'device', 'management', 'provisioning']);

    const jwks = (await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as { keys: JWK[] };
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    const { payload, protectedHeader } = await jwtVerify(body.access_token, createLocalJWKSet(jwks), {
      issuer: 'http://vdx.test',
      currentDate: t.clock.now(),
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload.sub).toBe(TEST_ADMIN.clientId);
    expect(payload[Claims.organisation]).toBe('vdx');
    expect(payload[Claims.email]).toBe('admin@localhost');
    expect([...(payload[Claims.roles] as string[])].sort()).toEqual([...ALL_VDX_ROLES].sort());
    expect(payload[Claims.managementAdmin]).toBe(true);
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('issues a token to client_id/client_secret form fields', async () => {
    const res = await post({
      headers: { 'content-type': form },
      payload: new URLSearchParams({ grant_type: 'client_credentials', ...toForm(TEST_ADMIN) }).toString(),
    });
    expect(res.statusCode).toBe(200);
    expect((await protectedGet(t, TokenResponse.parse(res.json()).access_token)).statusCode).toBe(200);
  });

  it('issues a token to a JSON body', async () => {
    const res = await post({ payload: { grant_type: 'client_credentials', ...toForm(TEST_ADMIN) } });
    expect(res.statusCode).toBe(200);
    TokenResponse.parse(res.json());
  });

  it('ignores parameters it does not know (RFC 6749 §3.2)', async () => {
    const json = await post({ payload: { grant_type: 'client_credentials', ...toForm(TEST_ADMIN), audience: { nested: true }, resource: [1, 2] } });
    expect(json.statusCode).toBe(200);
    const formRes = await post({
      headers: { 'content-type': form },
      payload: `grant_type=client_credentials&client_id=${TEST_ADMIN.clientId}&client_secret=${TEST_ADMIN.clientSecret}&x=1&x=2`,
    });
    expect(formRes.statusCode).toBe(200);
  });

  it('form-urlencodes Basic credentials as RFC 6749 §2.3.1 requires', async () => {
    const clientId = 'system one:ø';
    const clientSecret = 'a+b c%d&e:f/ø=0123456789';
    await clients.create({ kind: 'system', name: 'odd', organisation: 'vdx', roles: [], managementAdmin: false, scopes: ['booking'], clientId, clientSecret });
    const res = await post({ headers: { authorization: basicAuth(clientId, clientSecret) }, payload: { grant_type: 'client_credentials' } });
    expect(res.statusCode).toBe(200);
    // The same secret sent raw (not form-encoded) is a different secret: "+" means a space.
    const raw = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    expectOAuthError(await post({ headers: { authorization: raw }, payload: { grant_type: 'client_credentials' } }), 401, 'invalid_client');
  });

  it('grants a requested subset of scopes and refuses scopes the client does not have', async () => {
    const { client, clientSecret } = await clients.create({
      kind: 'system', name: 'booker', organisation: 'vdx', roles: ['meeting-planner'], managementAdmin: false, scopes: ['booking', 'provisioning'],
    });
    const auth = { authorization: basicAuth(client.clientId, clientSecret) };
    const all = await post({ headers: auth, payload: { grant_type: 'client_credentials' } });
    expect(TokenResponse.parse(all.json()).scope).toBe('booking provisioning');
    const one = await post({ headers: auth, payload: { grant_type: 'client_credentials', scope: 'booking' } });
    expect(TokenResponse.parse(one.json()).scope).toBe('booking');
    expectOAuthError(await post({ headers: auth, payload: { grant_type: 'client_credentials', scope: 'booking management' } }), 400, 'invalid_scope');
    expectOAuthError(await post({ headers: auth, payload: { grant_type: 'client_credentials', scope: 'bo"oking' } }), 400, 'invalid_scope');
  });

  it('answers every token error in the RFC 6749 §5.2 shape', async () => {
    const basic = { authorization: basicAuth(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret) };
    // invalid_request: missing grant_type, repeated parameter, two authentication methods, malformed bodies
    expectOAuthError(await post({ headers: basic, payload: {} }), 400, 'invalid_request');
    expectOAuthError(
      await post({ headers: { ...basic, 'content-type': form }, payload: 'grant_type=client_credentials&grant_type=client_credentials' }),
      400,
      'invalid_request',
    );
    expectOAuthError(
      await post({ headers: basic, payload: { grant_type: 'client_credentials', client_secret: TEST_ADMIN.clientSecret } }),
      400,
      'invalid_request',
    );
    expectOAuthError(await post({ headers: { ...basic, 'content-type': 'application/json' }, payload: '{"grant_type":' }), 400, 'invalid_request');
    expectOAuthError(await post({ headers: { ...basic, 'content-type': 'text/plain' }, payload: 'grant_type=client_credentials' }), 400, 'invalid_request');
    expectOAuthError(await post({ headers: basic, payload: [1, 2] }), 400, 'invalid_request');
    expectOAuthError(await post({ headers: basic, payload: { grant_type: 42 } }), 400, 'invalid_request');
    // unsupported_grant_type
    expectOAuthError(await post({ headers: basic, payload: { grant_type: 'password' } }), 400, 'unsupported_grant_type');
    // authorization_code is the embedded OpenID Provider's (people): without a code it is a bad request.
    expectOAuthError(await post({ payload: { grant_type: 'authorization_code', client_id: 'vdx-web' } }), 400, 'invalid_request');
  });

  it('answers failed client authentication with 401 invalid_client and WWW-Authenticate', async () => {
    const cases: Array<{ headers?: Record<string, string>; payload: object }> = [
      { payload: { grant_type: 'client_credentials' } },
      { headers: { authorization: basicAuth(TEST_ADMIN.clientId, 'wrong-secret') }, payload: { grant_type: 'client_credentials' } },
      { headers: { authorization: basicAuth('no-such-client', TEST_ADMIN.clientSecret) }, payload: { grant_type: 'client_credentials' } },
      { headers: { authorization: 'Basic bm9jb2xvbg==' }, payload: { grant_type: 'client_credentials' } },
      { headers: { authorization: 'Bearer abc' }, payload: { grant_type: 'client_credentials' } },
      { payload: { grant_type: 'client_credentials', client_id: TEST_ADMIN.clientId } },
      { payload: { grant_type: 'client_credentials', client_id: TEST_ADMIN.clientId, client_secret: 'nope' } },
    ];
    for (const c of cases) {
      const res = await post(c);
      expectOAuthError(res, 401, 'invalid_client');
      expect(res.headers['www-authenticate']).toBe('Basic realm="vdx"');
    }
  });

  it('refuses a client without scopes with unauthorized_client', async () => {
    const { client, clientSecret } = await clients.create({ kind: 'system', name: 'none', organisation: 'vdx', roles: [], managementAdmin: false, scopes: [] });
    const res = await post({ headers: { authorization: basicAuth(client.clientId, clientSecret) }, payload: { grant_type: 'client_credentials' } });
    expectOAuthError(res, 400, 'unauthorized_client');
  });

  it('refuses tokens to a revoked client, and its existing tokens at once', async () => {
    const { client, clientSecret } = await clients.create({
      kind: 'system', name: 'to revoke', organisation: 'vdx', roles: [], managementAdmin: true, scopes: ['management'],
    });
    const token = await issueToken(t.app, { clientId: client.clientId, clientSecret });
    expect((await protectedGet(t, token)).statusCode).toBe(200);
    await clients.revoke(client.clientId);
    const refused = await protectedGet(t, token);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: { code: 'token_revoked' } });
    const res = await post({ headers: { authorization: basicAuth(client.clientId, clientSecret) }, payload: { grant_type: 'client_credentials' } });
    expectOAuthError(res, 401, 'invalid_client');
  });

  it('refuses a token once it has expired', async () => {
    const token = await issueToken(t.app);
    expect((await protectedGet(t, token)).statusCode).toBe(200);
    t.clock.advance(3599_000);
    expect((await protectedGet(t, token)).statusCode).toBe(200);
    t.clock.advance(2_000);
    const res = await protectedGet(t, token);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'token_expired' } });
  });

  it('refuses missing, malformed and tampered tokens', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/management/v1/api-clients' })).statusCode).toBe(401);
    expect((await protectedGet(t, 'not-a-jwt')).statusCode).toBe(401);
    const token = await issueToken(t.app);
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, [Claims.organisation]: 'other' })).toString('base64url')}.${s}`;
    expect((await protectedGet(t, forged)).statusCode).toBe(401);
  });

  it('keeps RFC-shaped errors for unknown paths under /oauth/', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/oauth/authorize' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('publishes one metadata document (RFC 8414 and OpenID discovery) for systems and people', async () => {
    const oauth = await t.app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' });
    const openid = await t.app.inject({ method: 'GET', url: '/.well-known/openid-configuration' });
    expect(oauth.statusCode).toBe(200);
    expect(openid.json()).toEqual(oauth.json());
    expect(oauth.json()).toMatchObject({
      issuer: 'http://vdx.test',
      token_endpoint: 'http://vdx.test/oauth/token',
      authorization_endpoint: 'http://vdx.test/oidc/auth',
      jwks_uri: 'http://vdx.test/.well-known/jwks.json',
      grant_types_supported: expect.arrayContaining(['client_credentials', 'authorization_code', 'refresh_token']),
      token_endpoint_auth_methods_supported: expect.arrayContaining(['client_secret_basic', 'client_secret_post', 'none']),
      code_challenge_methods_supported: ['S256'],
      scopes_supported: expect.arrayContaining(['openid', 'booking', 'management', 'device']),
    });
  });
});

describe.each(DB_KINDS)('signing key rotation on %s', (kind) => {
  const t = useTestApp(kind);

  const kids = async () =>
    ((await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as { keys: JWK[] }).keys.map((k) => k.kid);

  it('keeps tokens signed before a rotation valid, and the old key published until they expire', async () => {
    const oldToken = await issueToken(t.app);
    const oldKid = decodeProtectedHeader(oldToken).kid;
    const rotated = await t.app.inject({ method: 'POST', url: '/management/v1/signing-keys/rotate', headers: { authorization: `Bearer ${oldToken}` } });
    expect(rotated.statusCode).toBe(200);
    const newKid = (rotated.json() as { kid: string }).kid;
    expect(newKid).not.toBe(oldKid);

    const newToken = await issueToken(t.app);
    expect(decodeProtectedHeader(newToken).kid).toBe(newKid);
    expect((await protectedGet(t, oldToken)).statusCode).toBe(200);
    expect((await protectedGet(t, newToken)).statusCode).toBe(200);
    expect((await kids()).sort()).toEqual([oldKid, newKid].sort());

    const audit = await t.app.inject({ method: 'GET', url: '/management/v1/audit?entityType=signing_key', headers: { authorization: `Bearer ${newToken}` } });
    expect(audit.json()).toMatchObject({ entries: [{ action: 'signing-key.rotate', entityId: newKid }] });

    // Once every token of the old key has expired, it is no longer published.
    t.clock.advance((3600 + 61) * 1000);
    expect(await kids()).toEqual([newKid]);
  });

  it('verifies at once a token signed with a key another instance has just rotated in', async () => {
    expect((await protectedGet(t, await issueToken(t.app))).statusCode).toBe(200); // keys now cached
    const otherInstanceKeys = new SigningKeys(t.store, t.clock, 3600);
    const otherInstance = new AccessTokens(otherInstanceKeys, t.clock, { issuer: 'http://vdx.test', ttlSeconds: 3600, isClientActive: async () => true });
    const { kid } = await otherInstanceKeys.rotate();
    const { accessToken } = await otherInstance.issue({ clientId: TEST_ADMIN.clientId, organisation: 'vdx', roles: [], managementAdmin: true, scopes: ['management'] });
    expect(decodeProtectedHeader(accessToken).kid).toBe(kid);
    expect((await protectedGet(t, accessToken)).statusCode).toBe(200);
    // A kid nobody published is still refused after the reload it forces.
    const [, payload, signature] = accessToken.split('.');
    const header = Buffer.from(JSON.stringify({ ...decodeProtectedHeader(accessToken), kid: 'made-up' })).toString('base64url');
    expect((await protectedGet(t, `${header}.${payload}.${signature}`)).statusCode).toBe(401);
  });

  it('refuses rotation to a caller without management-admin', async () => {
    const clients = new ApiClients(t.store, t.clock);
    const { client, clientSecret } = await clients.create({ kind: 'system', name: 'planner', organisation: 'vdx', roles: ['meeting-planner'], managementAdmin: false, scopes: ['booking'] });
    const res = await t.app.inject({ method: 'POST', url: '/management/v1/signing-keys/rotate', headers: await bearer(t.app, { clientId: client.clientId, clientSecret }) });
    expect(res.statusCode).toBe(403);
  });
});

describe.each(DB_KINDS)('signing keys across a restart on %s', (kind) => {
  /** A database that outlives one app: a SQLite file, or a new database on the test cluster. */
  async function durableDatabase(): Promise<{ url: string; cleanup: () => Promise<void> }> {
    if (kind === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'vdx-keys-'));
      return { url: `sqlite:${join(dir, 'vdx.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    }
    return { url: await freshDatabaseUrl(kind), cleanup: async () => undefined };
  }

  it('verifies a token issued before the restart with the persisted key', async () => {
    const database = await durableDatabase();
    const clock = new ManualClock('2026-03-02T08:00:00Z');
    // Each start is a server process of its own on the same database (closing one closes its store).
    const start = () => createTestAppOn(database.url, {}, clock);
    try {
      const first = await start();
      const token = await issueToken(first.app);
      await first.close();

      clock.advance(60_000);
      const second = await start();
      try {
        const res = await second.app.inject({ method: 'GET', url: '/management/v1/api-clients', headers: { authorization: `Bearer ${token}` } });
        expect(res.statusCode).toBe(200);
        const again = await issueToken(second.app);
        expect(decodeProtectedHeader(again).kid).toBe(decodeProtectedHeader(token).kid);
      } finally {
        await second.close();
      }
    } finally {
      await database.cleanup();
    }
  });
});

function toForm(c: { clientId: string; clientSecret: string }) {
  return { client_id: c.clientId, client_secret: c.clientSecret };
}
