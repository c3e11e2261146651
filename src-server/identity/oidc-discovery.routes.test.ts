import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import * as oidcClient from 'openid-client';
import { describe, expect, it } from 'vitest';
import { DB_KINDS, type TestApp } from '../test-support/test-app';
import { WEB_CLIENT_ID } from './staff-oidc.provider';
import { CookieJar, createPerson, follow, identitySuite, PASSWORD, submitSignIn } from './staff-sign-in.test-support';

/** openid-client's HTTP, answered by the app in process (its URLs are the public URL's). */
function injectFetch(t: TestApp): oidcClient.CustomFetch {
  return async (input, init) => {
    const url = new URL(input);
    const res = await t.app.inject({
      method: init.method as 'GET' | 'POST',
      url: url.pathname + url.search,
      headers: init.headers,
      ...(init.body ? { payload: String(init.body as string | URLSearchParams) } : {}),
    });
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : String(v));
    return new Response(res.statusCode === 204 ? null : res.body, { status: res.statusCode, headers: out });
  };
}

describe.each(DB_KINDS)('the one authorization server (metadata, JWKS) on %s', (kind) => {
  let t: TestApp;
  identitySuite(kind, (built) => ({ t } = built));

  it('publishes one metadata document at both well-known names: authorization, token and JWKS, both grant families', async () => {
    const openid = await t.app.inject({ method: 'GET', url: '/.well-known/openid-configuration' });
    const oauth = await t.app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' });
    expect(openid.statusCode).toBe(200);
    expect(openid.headers['content-type']).toMatch(/^application\/json/);
    expect(oauth.json()).toEqual(openid.json());
    const doc = openid.json() as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: 'http://vdx.test',
      authorization_endpoint: 'http://vdx.test/oidc/auth',
      token_endpoint: 'http://vdx.test/oauth/token',
      jwks_uri: 'http://vdx.test/.well-known/jwks.json',
      revocation_endpoint: 'http://vdx.test/oauth/revoke',
      end_session_endpoint: 'http://vdx.test/oidc/session/end',
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    });
    expect(doc.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
    // Nothing the product does not do is advertised.
    expect(doc.grant_types_supported).not.toContain('implicit');
    expect(doc).not.toHaveProperty('registration_endpoint');
    expect(doc).not.toHaveProperty('userinfo_endpoint');
  });

  it('a certified client library discovers it and signs a person in with PKCE; ID and access tokens verify against the one JWKS', async () => {
    await createPerson(t, { email: 'library@region.dk', roles: ['meeting-planner'], name: 'Libby' });
    const fetchImpl = injectFetch(t);
    const config = await oidcClient.discovery(new URL('http://vdx.test'), WEB_CLIENT_ID, undefined, oidcClient.None(), {
      execute: [oidcClient.allowInsecureRequests],
      [oidcClient.customFetch]: fetchImpl,
    });
    config[oidcClient.customFetch] = fetchImpl;
    const verifier = oidcClient.randomPKCECodeVerifier();
    const state = oidcClient.randomState();
    const redirectUri = 'http://vdx.test/booking/';
    const url = oidcClient.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid',
      code_challenge: await oidcClient.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const jar = new CookieJar();
    const first = await t.app.inject({ method: 'GET', url: url.pathname + url.search });
    jar.take(first);
    const page = await follow(t, jar, first, 'http://vdx.test/oidc/interaction/');
    const posted = await submitSignIn(t, jar, String(page.headers.location), 'library@region.dk', PASSWORD);
    const back = await follow(t, jar, posted, redirectUri);

    const tokens = await oidcClient.authorizationCodeGrant(config, new URL(String(back.headers.location)), { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.claims()).toMatchObject({ iss: 'http://vdx.test', aud: WEB_CLIENT_ID, email: 'library@region.dk', name: 'Libby' });

    const jwks = (await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks), { issuer: 'http://vdx.test' });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(payload).toMatchObject({ 'dk:medcom:email': 'library@region.dk', 'dk:medcom:video:role': ['meeting-planner'], 'dk:medcom:organisation_id': 'vdx' });
    // And a system's client-credentials token is signed by a key of the same set.
    const system = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'test-admin', client_secret: 'test-admin-secret-0123456789' }).toString(),
    });
    await expect(jwtVerify((system.json() as { access_token: string }).access_token, createLocalJWKSet(jwks), { issuer: 'http://vdx.test' })).resolves.toBeTruthy();
  });

  it('refuses an authorization request without PKCE, with an unknown client, or to a redirect it does not know', async () => {
    const base = { client_id: WEB_CLIENT_ID, response_type: 'code', redirect_uri: 'http://vdx.test/booking/', scope: 'openid', state: 's' };
    const noPkce = await t.app.inject({ method: 'GET', url: `/oidc/auth?${new URLSearchParams(base)}` });
    expect(noPkce.statusCode).toBe(303);
    expect(new URL(String(noPkce.headers.location)).searchParams.get('error')).toBe('invalid_request');
    const pkce = { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' };
    for (const params of [
      { ...base, ...pkce, client_id: 'someone-else' },
      { ...base, ...pkce, redirect_uri: 'https://evil.example/booking/' },
    ]) {
      const res = await t.app.inject({ method: 'GET', url: `/oidc/auth?${new URLSearchParams(params)}` });
      expect(res.statusCode, JSON.stringify(params)).toBe(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.body).toContain('Login kunne ikke gennemføres');
    }
  });

  it("takes the desktop app's loopback redirect on any port (RFC 8252), and its sign-in pages may send the browser there", async () => {
    const params = (redirectUri: string) =>
      new URLSearchParams({
        client_id: 'vdx-desktop',
        response_type: 'code',
        redirect_uri: redirectUri,
        scope: 'openid',
        state: 's',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      });
    for (const port of [49152, 61234]) {
      const res = await t.app.inject({ method: 'GET', url: `/oidc/auth?${params(`http://127.0.0.1:${port}/callback`)}` });
      expect(res.statusCode).toBe(303);
      expect(String(res.headers.location)).toMatch(/^\/oidc\/interaction\//);
      expect(String(res.headers['content-security-policy'])).toContain("form-action 'self' http://127.0.0.1:*");
    }
    const elsewhere = await t.app.inject({ method: 'GET', url: `/oidc/auth?${params('http://evil.example:8080/callback')}` });
    expect(elsewhere.statusCode).toBe(400);
  });
});
