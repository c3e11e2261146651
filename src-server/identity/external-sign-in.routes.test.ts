import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffUser } from '../../src-shared/identity/staff-users.schema';
import { ManualClock } from '../../src-shared/platform/clock';
import { startRegionIdp, type RegionAccount, type RegionIdp } from '../../tests/support/region-idp-process';
import { DB_KINDS, createTestAppOn, freshDatabaseUrl, type TestApp } from '../test-support/test-app';
import { authHeader } from '../test-support/tokens';
import { bookMeeting, CookieJar, createOrganisation, createPerson, openSignInPage, PASSWORD, redeem, type BrowserFlow, type StaffTokens } from './staff-sign-in.test-support';

const PUBLIC_URL = 'http://vdx.test';
const CLIENT = { id: 'vdx-room', secret: 'region-idp-client-secret-0123456789' };
const PROVIDERS = ['region', 'other-region'] as const;
const NO_ACCESS_DA = 'Din organisation har ikke givet dig adgang til VDX. Kontakt din IT-afdeling.';

/** The region's people, with the claim names the region uses (region_org, region_roles). */
const person = (username: string, claims: Record<string, unknown>): RegionAccount => ({ username, password: `${username} at the region`, claims });
const ACCOUNTS = [
  person('newdoc', { email: 'New.Doc@Region-H.dk', email_verified: true, name: 'Ny Læge', region_org: 'region-h', region_roles: ['meeting-user'] }),
  person('linked', { email: 'existing@region-h.dk', name: 'Eksisterende', region_org: 'hvidovre', region_roles: 'meeting-user meeting-planner' }),
  person('wantsadmin', { email: 'wants.admin@region-h.dk', region_org: 'region-h', region_roles: ['meeting-user', 'management-admin'] }),
  person('noorg', { email: 'no.org@region-h.dk', region_roles: ['meeting-user'] }),
  person('unknownorg', { email: 'unknown.org@region-h.dk', region_org: 'atlantis', region_roles: ['meeting-user'] }),
  person('norole', { email: 'no.role@region-h.dk', region_org: 'region-h', region_roles: ['doctor'] }),
  person('unverified', { email: 'unverified@region-h.dk', email_verified: false, region_org: 'region-h', region_roles: ['meeting-user'] }),
  person('disabled', { email: 'disabled@region-h.dk', region_org: 'region-h', region_roles: ['meeting-user'] }),
  person('twice', { email: 'twice@region-h.dk', region_org: 'region-h', region_roles: ['meeting-user'] }),
  // The region later gives the address to someone else (a new subject).
  person('newtwice', { email: 'twice@region-h.dk', region_org: 'region-h', region_roles: ['meeting-user'] }),
  person('admin', { email: 'it.admin@region-h.dk', name: 'IT-administrator', region_org: 'region-h', region_roles: ['meeting-user'] }),
];

/**
 * A browser across two sites: our server (answered in process) and the region's IdP (real HTTP to
 * its process), one cookie jar each, following redirects as a browser does.
 */
class TwoSiteBrowser {
  readonly ours = new CookieJar();
  readonly theirs = new CookieJar();
  constructor(private readonly t: TestApp) {}

  async request(url: string, form?: Record<string, string>): Promise<{ status: number; location?: string; body: string; url: string }> {
    const target = new URL(url, PUBLIC_URL);
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const headers: Record<string, string> = form ? { 'content-type': 'application/x-www-form-urlencoded' } : {};
    if (target.origin === PUBLIC_URL) {
      const res = await this.t.app.inject({ method: form ? 'POST' : 'GET', url: target.pathname + target.search, headers: { ...headers, cookie: this.ours.header() }, payload: body });
      this.ours.take(res);
      return { status: res.statusCode, location: res.headers.location as string | undefined, body: res.body, url: target.href };
    }
    const res = await fetch(target, { method: form ? 'POST' : 'GET', headers: { ...headers, cookie: this.theirs.header() }, body, redirect: 'manual' });
    this.theirs.takeLines(res.headers.getSetCookie());
    return { status: res.status, location: res.headers.get('location') ?? undefined, body: await res.text(), url: target.href };
  }

  /** Follows redirects from `url` until a page, or a redirect to `stopAt`. */
  async go(url: string, form?: Record<string, string>, stopAt = `${PUBLIC_URL}/booking/`) {
    let res = await this.request(url, form);
    for (let hops = 0; hops < 15 && res.status >= 300 && res.status < 400 && res.location; hops++) {
      const next = new URL(res.location, res.url).href;
      if (next.startsWith(stopAt)) return res;
      res = await this.request(next);
    }
    return res;
  }
}

let idp: RegionIdp;
beforeAll(async () => {
  idp = await startRegionIdp({ client: { ...CLIENT, redirectUris: PROVIDERS.map((id) => `${PUBLIC_URL}/oidc/federated/${id}/callback`) }, accounts: ACCOUNTS });
});
afterAll(async () => idp?.stop());

describe.each(DB_KINDS)("signing in through the region's IdP (a second OpenID Provider process) on %s", (kind) => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    // The IdP runs on the real clock; ours starts there and does not move.
    const providers = PROVIDERS.map((id) => ({
      id,
      name: id === 'region' ? 'Region Hovedstaden' : 'Anden region',
      issuer: idp.issuer,
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      claims: { email: 'email', organisation: 'region_org', roles: 'region_roles' },
    }));
    t = await createTestAppOn(await freshDatabaseUrl(kind), { VDX_OIDC_PROVIDERS: JSON.stringify(providers), VDX_LOG_LEVEL: 'info' }, new ManualClock(new Date()), {
      logStream: { write: (line) => void lines.push(line) },
    });
    await createOrganisation(t, 'region-h');
    await createOrganisation(t, 'hvidovre', 'region-h');
  });
  afterAll(() => t?.close());

  /** From our sign-in page, through the provider's button and the IdP's login form, back to us. */
  async function signInAtRegion(username: string, provider: (typeof PROVIDERS)[number] = 'region') {
    const browser = new TwoSiteBrowser(t);
    const { flow, interaction } = await openSignInPage(t, browser.ours);
    const page = await browser.request(interaction);
    const button = new RegExp(`href="(/oidc/interaction/[^"]+/federated/${provider}\\?lang=da)"`).exec(page.body)?.[1];
    expect(button, page.body).toBeTruthy();
    const login = await browser.go(button!.replaceAll('&amp;', '&'));
    expect(login.url.startsWith(idp.issuer), login.url).toBe(true);
    expect(login.body).toContain('name="username"');
    const action = /<form method="post" action="([^"]+)"/.exec(login.body)![1]!;
    const account = ACCOUNTS.find((a) => a.username === username)!;
    const back = await browser.go(new URL(action, login.url).href, { username, password: account.password }, flow.redirectUri);
    return { back, flow, browser };
  }
  async function tokensOf(back: { status: number; location?: string }, flow: BrowserFlow): Promise<StaffTokens> {
    expect(back.status, JSON.stringify(back).slice(0, 400)).toBe(303);
    const res = await redeem(t, flow, { headers: { location: back.location } } as never);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as StaffTokens;
  }
  const userByEmail = async (email: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/management/v1/users?q=${encodeURIComponent(email)}`, headers: await authHeader(t, { roles: [], organisation: 'vdx', managementAdmin: true }) });
    return (res.json() as { users: StaffUser[] }).users.find((u) => u.email === email);
  };

  it('offers the region as a button beside the local form', async () => {
    const browser = new TwoSiteBrowser(t);
    const { interaction } = await openSignInPage(t, browser.ours);
    const page = await browser.request(interaction);
    expect(page.body).toContain('Eller log ind med');
    expect(page.body).toContain('>Region Hovedstaden</a>');
    expect(page.body).toContain('name="email"');
  });

  it('creates the person from the claims: e-mail, name, organisation and roles; VDX tokens like a local account', async () => {
    const { back, flow } = await signInAtRegion('newdoc');
    const tokens = await tokensOf(back, flow);
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      iss: PUBLIC_URL,
      'dk:medcom:email': 'new.doc@region-h.dk',
      'dk:medcom:organisation_id': 'region-h',
      'dk:medcom:video:role': ['meeting-user'],
    });
    expect(decodeJwt(tokens.id_token!).amr).toEqual(['fed']);
    expect(await userByEmail('new.doc@region-h.dk')).toMatchObject({ name: 'Ny Læge', organisationCode: 'region-h', roles: ['meeting-user'], externalProvider: 'region', disabled: false });
    const booked = await bookMeeting(t, tokens.access_token, 'Via regionen');
    expect(booked.json()).toMatchObject({ organizedBy: { email: 'new.doc@region-h.dk' } });
  });

  it('links an existing account with the same e-mail; the IdP sets organisation and meeting roles', async () => {
    const local = await createPerson(t, { email: 'existing@region-h.dk', roles: ['meeting-admin'], organisationCode: 'region-h' });
    const { back, flow } = await signInAtRegion('linked');
    const claims = decodeJwt((await tokensOf(back, flow)).access_token);
    expect(claims).toMatchObject({ sub: local.id, 'dk:medcom:organisation_id': 'hvidovre', 'dk:medcom:video:role': ['meeting-user', 'meeting-planner'] });
    const linked = await userByEmail('existing@region-h.dk');
    expect(linked).toMatchObject({ id: local.id, organisationCode: 'hvidovre', roles: ['meeting-user', 'meeting-planner'], externalProvider: 'region' });
  });

  it("links a management-admin's account only once an admin names the provider on it; management-admin stays the admin's", async () => {
    const admin = { authorization: (await authHeader(t, { roles: [], organisation: 'vdx', managementAdmin: true })).authorization };
    const local = await createPerson(t, { email: 'it.admin@region-h.dk', roles: ['meeting-admin', 'management-admin'], organisationCode: 'region-h' });
    // The IdP asserting the admin's e-mail is not enough: no access, the account untouched.
    const refused = await signInAtRegion('admin');
    expect(refused.back.status).toBe(403);
    expect(refused.back.body).toContain(NO_ACCESS_DA);
    expect(await userByEmail('it.admin@region-h.dk')).toMatchObject({ roles: ['meeting-admin', 'management-admin'], externalProvider: null });

    const unknown = await t.app.inject({ method: 'PATCH', url: `/management/v1/users/${local.id}`, headers: admin, payload: { externalProvider: 'atlantis' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: { code: 'unknown_provider' } });
    const named = await t.app.inject({ method: 'PATCH', url: `/management/v1/users/${local.id}`, headers: admin, payload: { externalProvider: 'region' } });
    expect(named.statusCode, named.body).toBe(200);
    expect(named.json()).toMatchObject({ externalProvider: 'region' });

    const { back, flow } = await signInAtRegion('admin');
    const claims = decodeJwt((await tokensOf(back, flow)).access_token);
    expect(claims).toMatchObject({ sub: local.id, 'dk:medcom:video:role': ['meeting-user'], 'management-admin': true });
    expect(await userByEmail('it.admin@region-h.dk')).toMatchObject({ roles: ['meeting-user', 'management-admin'], externalProvider: 'region' });
  });

  it('never takes management-admin from the IdP', async () => {
    const { back, flow } = await signInAtRegion('wantsadmin');
    const tokens = await tokensOf(back, flow);
    const claims = decodeJwt(tokens.access_token);
    expect(claims['management-admin']).toBeUndefined();
    expect(claims['dk:medcom:video:role']).toEqual(['meeting-user']);
    expect((await userByEmail('wants.admin@region-h.dk'))?.roles).toEqual(['meeting-user']);
    const users = await t.app.inject({ method: 'GET', url: '/management/v1/users', headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(users.statusCode).toBe(403);
  });

  for (const [username, what] of [
    ['noorg', 'no organisation claim'],
    ['unknownorg', 'an organisation we do not have'],
    ['norole', 'no VDX role'],
    ['unverified', 'an unverified e-mail'],
  ] as const) {
    it(`gives no access to a person with ${what}, and creates no account`, async () => {
      const { back } = await signInAtRegion(username);
      expect(back.status).toBe(403);
      expect(back.body).toContain(NO_ACCESS_DA);
      expect(back.location).toBeUndefined();
      const email = String(ACCOUNTS.find((a) => a.username === username)!.claims.email).toLowerCase();
      expect(await userByEmail(email)).toBeUndefined();
    });
  }

  it('keeps a disabled account out', async () => {
    const local = await createPerson(t, { email: 'disabled@region-h.dk', roles: ['meeting-user'], organisationCode: 'region-h' });
    await t.app.inject({ method: 'PATCH', url: `/management/v1/users/${local.id}`, headers: await authHeader(t, { roles: [], organisation: 'vdx', managementAdmin: true }), payload: { disabled: true } });
    const { back } = await signInAtRegion('disabled');
    expect(back.status).toBe(403);
    expect(back.body).toContain(NO_ACCESS_DA);
  });

  it('does not let another provider take over an account linked to the first', async () => {
    const first = await signInAtRegion('twice', 'region');
    await tokensOf(first.back, first.flow);
    const other = await signInAtRegion('twice', 'other-region');
    expect(other.back.status).toBe(403);
    expect(other.back.body).toContain(NO_ACCESS_DA);
    expect(await userByEmail('twice@region-h.dk')).toMatchObject({ externalProvider: 'region' });
    // Through the first provider they still get in.
    const again = await signInAtRegion('twice', 'region');
    expect((await tokensOf(again.back, again.flow)).access_token).toBeTruthy();
  });

  it('keeps a linked account for the subject the provider first vouched for, not a later holder of the e-mail', async () => {
    const first = await signInAtRegion('twice', 'region');
    const sub = decodeJwt((await tokensOf(first.back, first.flow)).access_token).sub;
    const stranger = await signInAtRegion('newtwice', 'region');
    expect(stranger.back.status).toBe(403);
    expect(stranger.back.body).toContain(NO_ACCESS_DA);
    const again = await signInAtRegion('twice', 'region');
    expect(decodeJwt((await tokensOf(again.back, again.flow)).access_token).sub).toBe(sub);
  });

  it('refuses a callback without its state cookie or with a forged state, without a 500', async () => {
    const bare = await t.app.inject({ method: 'GET', url: '/oidc/federated/region/callback?code=abc&state=def' });
    expect(bare.statusCode).toBe(400);
    expect(bare.body).toContain('Login via din organisation lykkedes ikke.');
    const forged = await t.app.inject({ method: 'GET', url: '/oidc/federated/region/callback?code=abc&state=def', headers: { cookie: 'vdx_federation=eyJ1aWQiOiJ4In0.forged' } });
    expect(forged.statusCode).toBe(400);
    const unknown = await t.app.inject({ method: 'GET', url: '/oidc/federated/nowhere/callback?code=abc' });
    expect(unknown.statusCode).toBe(400);
  });

  it('has written neither the client secret nor a password to the log', () => {
    const output = lines.join('');
    expect(output).toContain('/oidc/federated/region/callback');
    expect(output).not.toContain(CLIENT.secret);
    for (const account of ACCOUNTS) expect(output).not.toContain(account.password);
    expect(output).not.toContain(PASSWORD);
  });
});
