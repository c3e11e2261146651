import { readdirSync } from 'node:fs';
import path from 'node:path';
import { entryFiles, sizeOf } from '../support/renderer-bundle';
import { spread, type Figure, type StaffProbe, type StaffBenchContext } from './staff-bench';

/**
 * The booking page's figures: its bundle, the sign-in round trip (over HTTP as the page's flow
 * does it, and in the browser as a person sees it), and the time to the first meeting list.
 */

const SIGN_IN_TARGET_MS = 1000;
const FIRST_LIST_TARGET_MS = 1000;

/** What /booking/ downloads before it runs; the call view (lazy, on "join as host") beside it. */
export const bookingBundle: StaffProbe = {
  name: 'booking page bundle',
  async run(ctx) {
    const initial = sizeOf(entryFiles(ctx.webRoot, 'booking'));
    const assets = path.join(ctx.webRoot, 'assets');
    const lazy = sizeOf(readdirSync(assets).filter((f) => /^(HostCall|CallView)-.*\.(js|css)$/.test(f)).map((f) => path.join(assets, f)));
    return [
      { name: 'booking page bundle (initial, gzip)', value: initial.gzip / 1024, unit: 'kB', note: `raw ${(initial.raw / 1024).toFixed(1)} kB` },
      { name: 'call view chunk (lazy, gzip)', value: lazy.gzip / 1024, unit: 'kB', note: `raw ${(lazy.raw / 1024).toFixed(1)} kB; loaded on "join as host"` },
    ];
  },
};

/** A browser's cookies for fetch (names only scoped by this one origin). */
class Jar {
  readonly #cookies = new Map<string, string>();
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const value = pair!.slice(eq + 1);
      if (value) this.#cookies.set(pair!.slice(0, eq), value);
      else this.#cookies.delete(pair!.slice(0, eq));
    }
  }
  get header() {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const b64url = (buf: ArrayBuffer | Uint8Array) => Buffer.from(buf instanceof Uint8Array ? buf : new Uint8Array(buf)).toString('base64url');

/**
 * The code flow with PKCE over loopback HTTP, as the page's session drives it: authorization
 * request → our sign-in page → password → redirect with the code → token request (public client
 * `vdx-web`). Timed from the first request to the tokens.
 */
async function httpSignIn(ctx: StaffBenchContext): Promise<number> {
  const jar = new Jar();
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const redirectUri = `${ctx.baseUrl}/booking/`;
  const get = async (url: string) => {
    const res = await fetch(new URL(url, ctx.baseUrl), { redirect: 'manual', headers: { cookie: jar.header } });
    jar.take(res);
    await res.arrayBuffer();
    return res;
  };
  const started = performance.now();
  const query = new URLSearchParams({ client_id: 'vdx-web', response_type: 'code', redirect_uri: redirectUri, scope: 'openid booking management', code_challenge: challenge, code_challenge_method: 'S256', state: 'bench' });
  let res = await get(`/oidc/auth?${query}`);
  while (res.status >= 300 && res.status < 400 && !res.headers.get('location')!.includes('/oidc/interaction/')) res = await get(res.headers.get('location')!);
  const interaction = new URL(res.headers.get('location')!, ctx.baseUrl).pathname;
  await get(interaction);
  res = await fetch(`${ctx.baseUrl}${interaction}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: ctx.clinician.email, password: ctx.clinician.password }),
  });
  jar.take(res);
  await res.arrayBuffer();
  let location = res.headers.get('location')!;
  while (!location.startsWith(redirectUri)) location = (await get(location)).headers.get('location')!;
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  const token = await fetch(`${ctx.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ctx.baseUrl },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: 'vdx-web', code_verifier: verifier }),
  });
  const body = (await token.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`token request: ${token.status}`);
  return performance.now() - started;
}

export const signInRoundTrip: StaffProbe = {
  name: 'sign-in round trip',
  async run(ctx) {
    const http: number[] = [];
    const browser: number[] = [];
    for (let i = 0; i < ctx.runs; i++) http.push(await httpSignIn(ctx));
    for (let i = 0; i < ctx.runs; i++) {
      const context = await ctx.chromium.browser.newContext({ locale: 'da-DK', timezoneId: 'Europe/Copenhagen' });
      const page = await context.newPage();
      await page.goto(`${ctx.baseUrl}/booking/`);
      await page.locator('input[name="email"]').fill(ctx.clinician.email);
      await page.locator('input[name="password"]').fill(ctx.clinician.password);
      const started = performance.now();
      await page.locator('form button[type="submit"]').click();
      await page.getByTestId('booking-user').waitFor({ timeout: 30_000 });
      browser.push(performance.now() - started);
      await context.close();
    }
    const h = spread(http);
    const b = spread(browser);
    return [
      { name: 'sign-in round trip, HTTP (authorize → password → tokens)', value: h.median, unit: 'ms', target: SIGN_IN_TARGET_MS, note: `max ${Math.round(h.max)} ms` },
      { name: 'sign-in in the browser (submit → signed in on /booking/)', value: b.median, unit: 'ms', target: SIGN_IN_TARGET_MS, note: `max ${Math.round(b.max)} ms` },
    ];
  },
};

/**
 * A signed-in person opens /booking/ (a new tab; the provider session restores the sign-in
 * silently): from the navigation to the first meeting on screen, and to every shown meeting's
 * address (one scheduling-info read each).
 */
export const firstMeetingList: StaffProbe = {
  name: 'first rendered meeting list',
  async run(ctx) {
    const context = await ctx.chromium.browser.newContext({ locale: 'da-DK', timezoneId: 'Europe/Copenhagen' });
    const signIn = await context.newPage();
    await signIn.goto(`${ctx.baseUrl}/booking/`);
    await signIn.locator('input[name="email"]').fill(ctx.clinician.email);
    await signIn.locator('input[name="password"]').fill(ctx.clinician.password);
    await signIn.locator('form button[type="submit"]').click();
    await signIn.getByTestId('booking-user').waitFor({ timeout: 30_000 });
    await signIn.close();
    const list: number[] = [];
    const addresses: number[] = [];
    let shown = 0;
    for (let i = 0; i < ctx.runs; i++) {
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${ctx.baseUrl}/booking/`);
      await page.locator('[data-testid="meeting-item"]').first().waitFor({ timeout: 30_000 });
      list.push(performance.now() - started);
      // Every shown meeting's address in place (checked in the page at each animation frame).
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="meeting-address"]')].every((e) => /@/.test(e.textContent ?? '')), undefined, { timeout: 30_000, polling: 'raf' });
      addresses.push(performance.now() - started);
      shown = await page.locator('[data-testid="meeting-item"]').count();
      await page.close();
    }
    await context.close();
    const l = spread(list);
    const a = spread(addresses);
    return [
      { name: 'first rendered meeting list (navigation → first meeting)', value: l.median, unit: 'ms', target: FIRST_LIST_TARGET_MS, note: `max ${Math.round(l.max)} ms` },
      { name: `… with all ${shown} addresses shown`, value: a.median, unit: 'ms', target: FIRST_LIST_TARGET_MS, note: `max ${Math.round(a.max)} ms` },
    ] satisfies Figure[];
  },
};
