import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, vi } from 'vitest';
import type { StaffRole, StaffUser } from '../../src-shared/identity/staff-users.schema';
import { ManualClock } from '../../src-shared/platform/clock';
import type { DbKind } from '../db/database';
import type { TestApp, TestAppDeps } from '../test-support/test-app';
import { authHeader } from '../test-support/tokens';
import { useTestApp } from '../test-support/use-test-app';
import { authorizationRequest } from './authorization-request.test-support';
import { WEB_CLIENT_ID } from './staff-oidc.provider';

/**
 * A `ManualClock` that also moves `Date`. oidc-provider stamps and checks its tokens, codes and
 * sessions with `Date.now()` and offers no way to inject a clock, while our code (the adapter's
 * expiry, lockouts, reset links, token verification) reads the injected one; in production both
 * are the system clock. Tests that move time therefore move both: `Date` is faked (only `Date`,
 * timers stay real) and follows this clock. Build it in `beforeAll` (a `describe.each` body runs
 * at collection time, for every database, before any test) and `restore()` it in `afterAll`.
 */
export class WallClock extends ManualClock {
  constructor(start: Date | string = '2026-03-02T08:00:00Z') {
    super(start);
    vi.useFakeTimers({ toFake: ['Date'], now: this.now() });
  }

  override set(to: Date | string): void {
    vi.setSystemTime(new Date(to));
    super.set(to);
  }

  override advance(ms: number): void {
    vi.setSystemTime(this.now().getTime() + ms);
    super.advance(ms);
  }

  restore(): void {
    vi.useRealTimers();
  }
}

/** A browser's cookies for `app.inject` (name → value; path scoping ignored, which is harmless here). */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  take(res: LightMyRequestResponse): void {
    const header = res.headers['set-cookie'];
    this.takeLines(Array.isArray(header) ? header : header ? [header] : []);
  }

  /** `Set-Cookie` lines as they came (a fetch Response's `headers.getSetCookie()`). */
  takeLines(lines: readonly string[]): void {
    for (const line of lines) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  has(name: string): boolean {
    return this.#cookies.has(name);
  }
}

/**
 * The suite's app on `kind` (`useTestApp`) with a `WallClock`, built in `beforeAll` (handed to
 * `use`) and closed in `afterAll`, after which `Date` is real again.
 */
export function identitySuite(
  kind: DbKind,
  use: (built: { t: TestApp; clock: WallClock }) => void,
  env: Record<string, string> = {},
  deps: TestAppDeps = {},
): void {
  let clock: WallClock | undefined;
  // Registered before the app's hooks, so it runs after the app has closed.
  afterAll(() => clock?.restore());
  const t = useTestApp(kind, () => ({ env, clock: (clock = new WallClock()), deps }));
  beforeAll(() => use({ t, clock: clock! }));
}

export const PASSWORD = 'correct horse battery staple';

/** Creates a person through the users API as a national admin. */
export async function createPerson(
  t: TestApp,
  spec: { email: string; roles: StaffRole[]; organisationCode?: string; name?: string; password?: string | null },
): Promise<StaffUser> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/management/v1/users',
    headers: await authHeader(t, { roles: [], organisation: t.config.bootstrapOrganisation, managementAdmin: true }),
    payload: {
      email: spec.email,
      name: spec.name ?? spec.email.split('@')[0],
      roles: spec.roles,
      ...(spec.organisationCode ? { organisationCode: spec.organisationCode } : {}),
      ...(spec.password === null ? {} : { password: spec.password ?? PASSWORD }),
    },
  });
  if (res.statusCode !== 201) throw new Error(`create person: ${res.statusCode} ${res.body}`);
  return res.json() as StaffUser;
}

export interface BrowserFlow {
  jar: CookieJar;
  verifier: string;
  state: string;
  redirectUri: string;
}

/** Starts an authorization request like the session module does; returns the response (usually a redirect to our sign-in page). */
export async function authorize(
  t: TestApp,
  flow: Partial<BrowserFlow> & { prompt?: string; uiLocales?: string } = {},
): Promise<{ flow: BrowserFlow; res: LightMyRequestResponse }> {
  const jar = flow.jar ?? new CookieJar();
  const { path, verifier, state, redirectUri } = authorizationRequest(flow.redirectUri ?? `${t.config.publicUrl}/booking/`, {
    ...(flow.prompt ? { prompt: flow.prompt } : {}),
    ...(flow.uiLocales ? { ui_locales: flow.uiLocales } : {}),
  });
  const res = await t.app.inject({ method: 'GET', url: path, headers: { cookie: jar.header() } });
  jar.take(res);
  return { flow: { jar, verifier, state, redirectUri }, res };
}

/** Follows same-origin redirects with the jar, stopping at the client's redirect URI or a page. */
export async function follow(t: TestApp, jar: CookieJar, res: LightMyRequestResponse, stopAt: string): Promise<LightMyRequestResponse> {
  let current = res;
  for (let hops = 0; hops < 10 && current.statusCode >= 300 && current.statusCode < 400; hops++) {
    const location = new URL(String(current.headers.location), t.config.publicUrl);
    if (location.href.startsWith(stopAt)) return current;
    current = await t.app.inject({ method: 'GET', url: location.pathname + location.search, headers: { cookie: jar.header() } });
    jar.take(current);
  }
  return current;
}

/** Submits the sign-in form of the interaction a redirect points at. */
export async function submitSignIn(t: TestApp, jar: CookieJar, interactionUrl: string, email: string, password: string, ip = '10.9.0.1', lang?: string) {
  const path = new URL(interactionUrl, t.config.publicUrl).pathname;
  const res = await t.app.inject({
    method: 'POST',
    url: `${path}/login`,
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ email, password, ...(lang ? { lang } : {}) }).toString(),
    remoteAddress: ip,
  });
  jar.take(res);
  return res;
}

/** Submits the TOTP step's form (the page the password answered with). */
export async function submitTotp(t: TestApp, jar: CookieJar, totpPage: LightMyRequestResponse, code: string, ip = '10.9.0.1') {
  const action = /<form method="post" action="([^"]+)"/.exec(totpPage.body)?.[1];
  const pending = /name="pending" value="([^"]+)"/.exec(totpPage.body)?.[1];
  if (!action || !pending) throw new Error(`no TOTP form in ${totpPage.statusCode} ${totpPage.body.slice(0, 200)}`);
  const res = await t.app.inject({
    method: 'POST',
    url: action.replaceAll('&amp;', '&'),
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ pending: pending.replaceAll('&amp;', '&'), totp: code }).toString(),
    remoteAddress: ip,
  });
  jar.take(res);
  return res;
}

/** An authorization request followed to our sign-in page: the flow and the interaction's URL. */
export async function openSignInPage(t: TestApp, jar = new CookieJar()): Promise<{ flow: BrowserFlow; interaction: string }> {
  const { flow, res } = await authorize(t, { jar });
  const page = await follow(t, jar, res, `${t.config.publicUrl}/oidc/interaction/`);
  const interaction = String(page.headers.location);
  if (!interaction.includes('/oidc/interaction/')) throw new Error(`no sign-in page: ${page.statusCode} ${interaction}`);
  return { flow, interaction };
}

/** A password attempt on a fresh sign-in page (what one person typing once amounts to). */
export async function tryPassword(t: TestApp, email: string, password: string, ip = '10.9.0.1'): Promise<LightMyRequestResponse> {
  const { flow, interaction } = await openSignInPage(t);
  return submitSignIn(t, flow.jar, interaction, email, password, ip);
}

export interface StaffTokens {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in: number;
  token_type: string;
  scope?: string;
}

/** Exchanges the code in a redirect to the client for tokens (public client + PKCE). */
export async function redeem(t: TestApp, flow: BrowserFlow, redirect: LightMyRequestResponse): Promise<LightMyRequestResponse> {
  const location = new URL(String(redirect.headers.location));
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`no code in ${location.href}`);
  if (location.searchParams.get('state') !== flow.state) throw new Error('state mismatch');
  return t.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: flow.redirectUri, client_id: WEB_CLIENT_ID, code_verifier: flow.verifier }).toString(),
  });
}

export async function refresh(t: TestApp, refreshToken: string): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: WEB_CLIENT_ID }).toString(),
  });
}

/** What a page's hidden-iframe renewal (`prompt=none`) gets back: tokens, or the provider's `error`. */
export async function silentRenew(t: TestApp, jar: CookieJar): Promise<{ tokens?: StaffTokens; error?: string }> {
  const { flow, res } = await authorize(t, { jar, prompt: 'none', redirectUri: `${t.config.publicUrl}/oidc/silent-callback` });
  const back = await follow(t, jar, res, flow.redirectUri);
  const location = new URL(String(back.headers.location));
  if (!location.href.startsWith(flow.redirectUri)) throw new Error(`renewal ended at ${back.statusCode} ${location.href}`);
  const error = location.searchParams.get('error');
  if (error) return { error };
  const tokens = await redeem(t, flow, back);
  if (tokens.statusCode !== 200) throw new Error(`token: ${tokens.statusCode} ${tokens.body}`);
  return { tokens: tokens.json() as StaffTokens };
}

/** Follows a successful form post back to the client and redeems the code: the person's tokens. */
export async function finishSignIn(t: TestApp, flow: BrowserFlow, posted: LightMyRequestResponse): Promise<StaffTokens> {
  if (posted.statusCode !== 303) throw new Error(`sign-in: ${posted.statusCode} ${posted.body.slice(0, 300)}`);
  const back = await follow(t, flow.jar, posted, flow.redirectUri);
  const tokenRes = await redeem(t, flow, back);
  if (tokenRes.statusCode !== 200) throw new Error(`token: ${tokenRes.statusCode} ${tokenRes.body}`);
  return tokenRes.json() as StaffTokens;
}

/** The whole browser round trip: authorize → sign-in page → password → code → tokens. */
export async function signIn(
  t: TestApp,
  email: string,
  options: { password?: string; ip?: string; jar?: CookieJar } = {},
): Promise<{ tokens: StaffTokens; flow: BrowserFlow }> {
  const { flow, interaction } = await openSignInPage(t, options.jar);
  const posted = await submitSignIn(t, flow.jar, interaction, email, options.password ?? PASSWORD, options.ip);
  return { tokens: await finishSignIn(t, flow, posted), flow };
}

/** Books a 30-minute meeting starting in two hours (by the app's clock) with a person's access token. */
export function bookMeeting(t: TestApp, accessToken: string, subject: string, extra: object = {}): Promise<LightMyRequestResponse> {
  const start = new Date(t.clock.now().getTime() + 2 * 3600_000);
  const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return t.app.inject({
    method: 'POST',
    url: '/videoapi/v2/meetings',
    headers: { authorization: `Bearer ${accessToken}` },
    payload: { subject, startTime: iso(start), endTime: iso(new Date(start.getTime() + 1800_000)), ...extra },
  });
}

/** An organisation created through the management API by the national admin. */
export async function createOrganisation(t: TestApp, code: string, parentCode?: string): Promise<void> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/management/v1/organisations',
    headers: await authHeader(t, { roles: [], organisation: t.config.bootstrapOrganisation, managementAdmin: true }),
    payload: { code, name: code, ...(parentCode ? { parentCode } : {}) },
  });
  if (res.statusCode !== 201) throw new Error(`create organisation: ${res.statusCode} ${res.body}`);
}
