import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Claims } from '../../src-shared/auth/roles';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';

const EXTERNAL_ISSUER = 'https://idp.test/realms/vdx';

/** A stand-in for an external IdP (e.g. Keycloak): its own key set, served over loopback HTTP. */
async function startIdp(): Promise<{ server: Server; jwksUrl: string; privateKey: CryptoKey; requests: () => number }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'idp-key-1', alg: 'RS256', use: 'sig' };
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    if (req.url === '/certs') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, jwksUrl: `http://127.0.0.1:${port}/certs`, privateKey: privateKey as CryptoKey, requests: () => requests };
}

describe.each(DB_KINDS)('tokens from an external issuer on %s', (kind) => {
  let idp: Awaited<ReturnType<typeof startIdp>>;
  beforeAll(async () => {
    idp = await startIdp();
  });
  afterAll(async () => {
    await new Promise((resolve) => idp.server.close(resolve));
  });
  // The app trusts the IdP started above (its hooks run after those, and close before them).
  const t = useTestApp(kind, () => ({ env: { VDX_JWKS_URL: idp.jwksUrl, VDX_ISSUER: EXTERNAL_ISSUER } }));

  const sign = (opts: { issuer?: string; key?: CryptoKey; kid?: string; managementAdmin?: boolean; expiresInS?: number } = {}) => {
    const now = Math.floor(t.clock.now().getTime() / 1000);
    return new SignJWT({
      [Claims.roles]: ['meeting-admin'],
      [Claims.organisation]: 'vdx',
      [Claims.email]: 'it@region.example',
      ...(opts.managementAdmin === false ? {} : { [Claims.managementAdmin]: true }),
    })
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'idp-key-1' })
      .setIssuer(opts.issuer ?? EXTERNAL_ISSUER)
      .setSubject('user-1234')
      .setIssuedAt(now)
      .setExpirationTime(now + (opts.expiresInS ?? 300))
      .sign(opts.key ?? idp.privateKey);
  };
  const get = (token: string) =>
    t.app.inject({ method: 'GET', url: '/management/v1/api-clients', headers: { authorization: `Bearer ${token}` } });

  it('accepts a token the external issuer signed with VDX claims', async () => {
    const res = await get(await sign());
    expect(res.statusCode).toBe(200);
    expect(idp.requests()).toBeGreaterThan(0);
  });

  it('applies the same role rules to external tokens', async () => {
    expect((await get(await sign({ managementAdmin: false }))).statusCode).toBe(403);
  });

  it('refuses a token with an issuer it does not trust', async () => {
    const res = await get(await sign({ issuer: 'https://evil.test/realms/vdx' }));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'token_invalid' } });
  });

  it('refuses a token signed with a key the issuer does not publish', async () => {
    const { privateKey: otherKey } = await generateKeyPair('RS256');
    expect((await get(await sign({ key: otherKey as CryptoKey, kid: 'unknown-kid' }))).statusCode).toBe(401);
    // Right kid, wrong key: the signature does not verify.
    expect((await get(await sign({ key: otherKey as CryptoKey }))).statusCode).toBe(401);
  });

  it('refuses an expired external token', async () => {
    const token = await sign({ expiresInS: 60 });
    t.clock.advance(61_000);
    const res = await get(token);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'token_expired' } });
  });
});
