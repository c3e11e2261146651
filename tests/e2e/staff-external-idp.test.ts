/**
 * People's sign-in pages in headless Chromium against the real server, with "the region's IdP"
 * (tests/support/region-idp.ts) as a second OpenID Provider process: the Danish page and its
 * wrong-password sentence, keyboard use, lockout, the English page, the TOTP step, the reset-link
 * page, and a sign-in through the region's button that ends signed in (the provider session then
 * renews without a page). axe-core finds no serious or critical violation on any of these pages.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { decodeJwt } from 'jose';
import { freePort } from '../../src-server/http/free-port';
import { authorizationRequest as newAuthorizationRequest } from '../../src-server/identity/authorization-request.test-support';
import { totpCode } from '../../src-server/identity/staff-sign-in.service';
import { expectNoSeriousA11yViolations } from '../support/axe';
import { startRegionIdp, type RegionIdp } from '../support/region-idp-process';
import { launchChromium, type E2eBrowser } from './support/chromium';
import { startE2eServer, type E2eServer } from './support/e2e-server';

const PASSWORD = 'en lang og god adgangskode';
const REGION = { username: 'lene', password: 'lene hos regionen', email: 'lene.regional@region-h.dk' };
const CLIENT = { id: 'vdx-room', secret: 'region-idp-client-secret-for-the-browser-test' };

test.describe("people's sign-in pages in Chromium, and the region's IdP", () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  let server: E2eServer;
  let idp: RegionIdp;
  let chromium: E2eBrowser;
  let webRoot: string;
  const problems: string[] = [];

  async function api(method: string, url: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${server.baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${await server.adminToken()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    expect([200, 201], `${method} ${url}: ${res.status} ${text}`).toContain(res.status);
    return text ? JSON.parse(text) : undefined;
  }

  /** What the session module does: an authorization request with PKCE, returning to /booking/. */
  function authorizationRequest(extra: Record<string, string> = {}) {
    const request = newAuthorizationRequest(`${server.baseUrl}/booking/`, extra);
    return { ...request, url: `${server.baseUrl}${request.path}` };
  }

  /** Back at /booking/?code=…: the tokens the session module would get for that code. */
  async function redeem(page: Page, request: ReturnType<typeof authorizationRequest>) {
    await page.waitForURL((url) => url.href.startsWith(request.redirectUri) && url.searchParams.has('code'));
    const back = new URL(page.url());
    expect(back.searchParams.get('state')).toBe(request.state);
    const res = await fetch(`${server.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: request.redirectUri, client_id: 'vdx-web', code_verifier: request.verifier }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { access_token: string };
  }

  async function newPage(): Promise<Page> {
    const context = await chromium.browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'da-DK' });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && /Content Security Policy/i.test(m.text()) && problems.push(m.text()));
    return page;
  }

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    const port = await freePort();
    idp = await startRegionIdp({
      client: { ...CLIENT, redirectUris: [`http://127.0.0.1:${port}/oidc/federated/region/callback`] },
      accounts: [{ username: REGION.username, password: REGION.password, claims: { email: REGION.email, name: 'Lene Regional', org: 'region-h', groups: ['meeting-planner'] } }],
    });
    // The sign-in pages are the server's own HTML: no web UI build is needed.
    webRoot = mkdtempSync(path.join(tmpdir(), 'vdx-no-ui-'));
    const providers = [{ id: 'region', name: 'Region Hovedstaden', issuer: idp.issuer, clientId: CLIENT.id, clientSecret: CLIENT.secret, claims: { email: 'email', organisation: 'org', roles: 'groups' } }];
    server = await startE2eServer(webRoot, { VDX_PORT: String(port), VDX_OIDC_PROVIDERS: JSON.stringify(providers) });
    await api('POST', '/management/v1/organisations', { code: 'region-h', name: 'Region Hovedstaden' });
    for (const email of ['klinik@region-h.dk', 'laast@region-h.dk', 'totp@region-h.dk']) {
      await api('POST', '/management/v1/users', { email, name: email.split('@')[0], organisationCode: 'region-h', roles: ['meeting-user'], password: PASSWORD });
    }
    chromium = await launchChromium();
  });

  test.afterAll(async () => {
    await chromium?.close();
    await server?.close();
    await idp?.stop();
    if (webRoot) rmSync(webRoot, { recursive: true, force: true });
  });

  test('the Danish page: a wrong password gets a Danish sentence, the right one by keyboard signs in', async () => {
    const page = await newPage();
    const request = authorizationRequest();
    await page.goto(request.url);
    await expect(page.getByRole('heading', { name: 'Log ind' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'da');
    await expect(page.locator('input[name="email"]')).toBeFocused();
    await expect(page.locator('form button[type="submit"]')).toHaveCount(1);
    await expectNoSeriousA11yViolations(page);

    await page.getByLabel('E-mail').fill('klinik@region-h.dk');
    await page.getByLabel('Adgangskode').fill('forkert adgangskode');
    await page.getByRole('button', { name: 'Log ind', exact: true }).click();
    await expect(page.getByRole('alert')).toHaveText('Forkert e-mail eller adgangskode.');
    await expect(page.getByLabel('E-mail')).toHaveValue('klinik@region-h.dk');
    await expectNoSeriousA11yViolations(page);

    // Keyboard only: into the password field, type, Enter.
    await page.getByLabel('E-mail').focus();
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Adgangskode')).toBeFocused();
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    const tokens = await redeem(page, request);
    expect(decodeJwt(tokens.access_token)['dk:medcom:email']).toBe('klinik@region-h.dk');
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
    await page.context().close();
  });

  test('five wrong passwords lock the account, with a Danish sentence saying for how long', async () => {
    const page = await newPage();
    await page.goto(authorizationRequest().url);
    for (let i = 0; i < 5; i++) {
      await page.getByLabel('E-mail').fill('laast@region-h.dk');
      await page.getByLabel('Adgangskode').fill(`forkert nummer ${i}`);
      await page.getByRole('button', { name: 'Log ind', exact: true }).click();
      await expect(page.getByRole('alert')).toBeVisible();
    }
    await expect(page.getByRole('alert')).toHaveText('For mange forkerte forsøg. Prøv igen om 15 minutter.');
    await page.getByLabel('Adgangskode').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log ind', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('For mange forkerte forsøg.');
    await page.context().close();
  });

  test('the English page, the TOTP step, the reset-link page and the sign-out page pass axe', async () => {
    const page = await newPage();
    await page.goto(authorizationRequest().url);
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expectNoSeriousA11yViolations(page);

    const users = (await api('GET', '/management/v1/users?q=totp@')) as { users: Array<{ id: string }> };
    const { secret } = (await api('POST', `/management/v1/users/${users.users[0]!.id}/totp`)) as { secret: string };
    await page.getByLabel('E-mail').fill('totp@region-h.dk');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'One-time code' })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await page.getByLabel('Code').fill('000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('alert')).toHaveText('The code is wrong or already used. Try the next code.');
    await expectNoSeriousA11yViolations(page);
    await page.getByLabel('Code').fill(totpCode(secret, new Date()));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.pathname === '/booking/' && url.searchParams.has('code'));

    await page.goto(`${server.baseUrl}/oidc/session/end?client_id=vdx-web`);
    await expect(page.getByRole('heading', { name: 'Log ud' })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    const { url } = (await api('POST', `/management/v1/users/${users.users[0]!.id}/reset-link`)) as { url: string };
    await page.goto(url);
    await expect(page.getByRole('heading', { name: 'Vælg en ny adgangskode' })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await page.getByLabel('Ny adgangskode').fill('for kort');
    await page.getByLabel('Gentag adgangskoden').fill('for kort');
    await page.getByRole('button', { name: 'Gem adgangskode' }).click();
    await expect(page.getByRole('alert')).toHaveText('Adgangskoden skal have mindst 12 tegn.');
    await expectNoSeriousA11yViolations(page);
    await page.context().close();
  });

  test("signs in through the region's button and ends signed in, with the region's organisation and roles", async () => {
    const page = await newPage();
    const request = authorizationRequest();
    await page.goto(request.url);
    await page.getByRole('link', { name: 'Region Hovedstaden' }).click();
    await page.waitForURL((url) => url.href.startsWith(idp.issuer));
    await page.getByLabel('Brugernavn').fill(REGION.username);
    await page.getByLabel('Adgangskode').fill(REGION.password);
    await page.getByRole('button', { name: 'Log ind hos regionen' }).click();
    const tokens = await redeem(page, request);
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      'dk:medcom:email': REGION.email,
      'dk:medcom:organisation_id': 'region-h',
      'dk:medcom:video:role': ['meeting-planner'],
    });

    // Signed in: the next request (as the session module's silent renewal makes it) needs no page.
    const again = authorizationRequest({ prompt: 'none' });
    await page.goto(again.url);
    await redeem(page, again);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
