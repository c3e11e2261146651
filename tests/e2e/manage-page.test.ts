/**
 * The fleet management page (`/manage/`, its devices area) in headless Chromium against the real
 * server: IT signs in with a management API client (`?login=api-client`, a wrong secret first), a room device enrolled and reporting through
 * the real device API shows up with its status, call, call quality and pre-flight result, the page
 * follows the device by itself, shows a revocation, ends an expired session and keeps the token out
 * of web storage. Screenshots go to tests/.tmp/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { enrolBody, heartbeatBody } from '../../src-server/devices/device-fleet.test-kit';
import { launchChromium, waitFor, type E2eBrowser } from './support/chromium';
import { E2E_ADMIN, startE2eServer, type E2eServer } from './support/e2e-server';
import { ensureRendererBuild } from './support/renderer-build';

const SHOTS = path.resolve('tests/.tmp/screenshots');
const ROOM_NAME = 'Mødelokale Havet, 2. sal';
const IN_CALL = { state: 'in_call', alias: 'meet.42@vdx.test', participants: 3 };
const QUALITY = { packetLossPercent: 1.5, jitterMs: 12, bitrateKbps: 2400, resolution: { width: 1280, height: 720 }, frameRate: 30 };
const FAILED_CAMERA = {
  checkedAt: new Date().toISOString(),
  alias: 'meet.42@vdx.test',
  camera: { ok: false, detail: 'NotReadableError' },
  microphone: { ok: true, deviceLabel: 'Bordmikrofon' },
  conferenceNode: { ok: true, latencyMs: 42 },
};

test.describe('fleet management page in Chromium', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  let server: E2eServer;
  let chromium: E2eBrowser;
  let page: Page;
  let deviceId: string;
  let deviceToken: string;
  const problems: string[] = [];

  /** JSON over HTTP to the real server; fails the test on an unexpected status. */
  async function api(method: string, url: string, body?: unknown, token?: string, expected = [200, 201]): Promise<unknown> {
    const res = await fetch(`${server.baseUrl}${url}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    expect(expected, `${method} ${url}: ${res.status} ${text}`).toContain(res.status);
    return text ? JSON.parse(text) : undefined;
  }

  const heartbeat = (over: Record<string, unknown>) => api('POST', '/device/v1/me/heartbeat', heartbeatBody(over), deviceToken);
  const row = (): Locator => page.locator(`tr[data-testid="device-row"][data-device-id="${deviceId}"]`);
  const cellText = (testId: string) => row().getByTestId(testId).innerText();

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    mkdirSync(SHOTS, { recursive: true });
    server = await startE2eServer(await ensureRendererBuild());
    chromium = await launchChromium();
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'da-DK', timezoneId: 'Europe/Copenhagen' });
    page = await context.newPage();
    // A failed sign-in logs "Failed to load resource: 401" — expected; script errors and CSP
    // violations are not.
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && /Content Security Policy/i.test(m.text()) && problems.push(m.text()));

    // A room with a device enrolled through the public APIs, exactly as a kiosk does it.
    const admin = await server.adminToken();
    const room = (await api('POST', '/management/v1/rooms', { name: ROOM_NAME, location: 'Hovedbygningen' }, admin)) as { id: string };
    const code = (await api('POST', `/management/v1/rooms/${room.id}/activation-codes`, {}, admin)) as { code: string };
    const enrolled = (await api('POST', '/device/v1/enroll', enrolBody(code.code, { hostname: 'kiosk-havet' }))) as {
      deviceId: string;
      clientId: string;
      clientSecret: string;
    };
    deviceId = enrolled.deviceId;
    const res = await fetch(`${server.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: enrolled.clientId, client_secret: enrolled.clientSecret, scope: 'device' }),
    });
    expect(res.status).toBe(200);
    deviceToken = ((await res.json()) as { access_token: string }).access_token;
    await heartbeat({ callState: IN_CALL, callQuality: QUALITY, preflight: FAILED_CAMERA });
  });

  test.afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  test('refuses a wrong secret with a Danish message and clears the secret field', async () => {
    // The API-client sign-in, straight into the devices area.
    await page.goto(`${server.baseUrl}/manage/?login=api-client#devices`);
    expect(new URL(page.url()).pathname).toBe('/manage/');
    // The form has the keyboard focus from the start.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('manage-client-id');
    await page.getByTestId('manage-client-id').fill(E2E_ADMIN.clientId);
    await page.getByTestId('manage-client-secret').fill('not-the-secret');
    // Keyboard: Enter in the secret field submits the form.
    await page.getByTestId('manage-client-secret').press('Enter');
    const error = page.getByRole('alert');
    await error.waitFor();
    expect(await error.innerText()).toBe('Forkert klient-id eller klienthemmelighed.');
    expect(await page.getByTestId('manage-client-secret').inputValue()).toBe('');
    expect(await page.getByTestId('manage-client-id').inputValue()).toBe(E2E_ADMIN.clientId);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('manage-client-secret');
  });

  test('tells a client without management access so, and stays on the sign-in form', async () => {
    const client = (await api(
      'POST',
      '/management/v1/api-clients',
      { name: 'Booking-integration', scopes: ['booking'], roles: ['meeting-planner'] },
      await server.adminToken(),
    )) as { clientId: string; clientSecret: string };
    await page.getByTestId('manage-client-id').fill(client.clientId);
    await page.getByTestId('manage-client-secret').fill(client.clientSecret);
    await page.getByTestId('manage-sign-in').click();
    const notice = page.getByTestId('manage-notice');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.innerText()).toBe('Klienten har ikke administratoradgang til mødelokalerne.');
    expect(await row().count()).toBe(0);
  });

  test('signs in and shows the enrolled room in a call, with its quality, and degraded by its failed pre-flight', async () => {
    await page.getByTestId('manage-client-id').fill(E2E_ADMIN.clientId);
    await page.getByTestId('manage-client-secret').fill(E2E_ADMIN.clientSecret);
    await page.getByTestId('manage-sign-in').click();
    await row().waitFor({ timeout: 15_000 });
    // Focus moves from the vanished form to the overview.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('summary-title');

    expect(await row().locator('th').innerText()).toContain(ROOM_NAME);
    expect(await row().locator('th').innerText()).toContain('kiosk-havet');
    expect(await cellText('device-status')).toContain('Nedsat drift: tjek før møde fejlede');
    expect(await row().getByTestId('device-status').getAttribute('data-status')).toBe('degraded');
    expect(await cellText('device-in-call')).toContain('I møde · meet.42@vdx.test · 3 deltagere');
    expect(await row().getByTestId('device-in-call').getAttribute('data-in-call')).toBe('true');
    const quality = await cellText('device-quality');
    for (const figure of ['Pakketab 1,5 %', 'Jitter 12 ms', '2.400 kbit/s', '1280×720', '30 fps']) expect(quality).toContain(figure);
    const preflight = await cellText('device-preflight');
    expect(preflight).toContain('Fejlet');
    expect(preflight).toContain('Kamera: fejl (NotReadableError)');
    expect(preflight).toContain('Mødeserver: ok (42 ms)');
    expect(await page.getByRole('table').locator('caption').innerText()).toBe('Mødelokalernes enheder (1)');
    expect(await page.getByTestId('summary-degraded').innerText()).toContain('1');
    expect(await page.getByTestId('summary-in-call').innerText()).toContain('1');

    // Laptop widths: the page itself never scrolls sideways (a narrow screen scrolls the table only).
    await page.screenshot({ path: path.join(SHOTS, 'manage-fleet.png'), timeout: 10_000 }).catch(() => undefined);
    for (const width of [1280, 1024]) {
      await page.setViewportSize({ width, height: 800 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `at ${width} px`).toBeLessThanOrEqual(0);
    }
    await page.screenshot({ path: path.join(SHOTS, 'manage-fleet-1024.png'), timeout: 10_000 }).catch(() => undefined);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('keeps the access token out of web storage and cookies', async () => {
    const stored = await page.evaluate(() => ({
      local: Object.keys(localStorage).filter((k) => k !== 'vdx.language'),
      session: sessionStorage.length,
      cookies: document.cookie,
    }));
    expect(stored).toEqual({ local: [], session: 0, cookies: '' });
  });

  test('follows the device by itself: the call ends and the figures go', async () => {
    await heartbeat({});
    await waitFor('the row to show the room idle', async () => ((await cellText('device-in-call')) === 'Ledig' ? true : undefined), 20_000);
    expect(await row().getByTestId('device-in-call').getAttribute('data-in-call')).toBe('false');
    expect(await cellText('device-quality')).toBe('Ingen målinger');
    // The pre-flight result stays until the next check.
    expect(await cellText('device-preflight')).toContain('Fejlet');
  });

  test('shows a revocation after a refresh, and in English on request', async () => {
    await api('POST', `/management/v1/devices/${deviceId}/revoke`, undefined, await server.adminToken());
    await page.getByTestId('manage-refresh').click();
    await waitFor('the row to show the revocation', async () =>
      (await cellText('device-status')).includes('Adgang tilbagekaldt') ? true : undefined,
    );
    expect(await row().getByTestId('device-status').getAttribute('data-revoked')).toBe('true');

    await page.getByRole('button', { name: 'English' }).click();
    expect(await cellText('device-status')).toContain('Access revoked');
    expect(await page.getByRole('table').locator('caption').innerText()).toBe('Meeting room devices (1)');
    await page.getByRole('button', { name: 'Dansk' }).click();
  });

  test('forgets the session on reload and sends an expired session back to sign-in with a message', async () => {
    await page.reload();
    await page.getByTestId('manage-client-id').waitFor();
    expect(await row().count()).toBe(0);

    await page.clock.install();
    await page.getByTestId('manage-client-id').fill(E2E_ADMIN.clientId);
    await page.getByTestId('manage-client-secret').fill(E2E_ADMIN.clientSecret);
    await page.getByTestId('manage-sign-in').click();
    await row().waitFor({ timeout: 15_000 });
    // Access tokens live an hour: jump past it.
    await page.clock.fastForward(61 * 60_000);
    const notice = page.getByTestId('manage-notice');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.innerText()).toBe('Din session er udløbet. Log ind igen.');
    expect(await page.getByTestId('manage-client-secret').inputValue()).toBe('');
    expect(problems).toEqual([]);
  });
});
