/**
 * The guest page opened before a booked meeting opens (real server, headless Chromium at 360 px,
 * the unmodified SDK): it says when the meeting opens, in Danish (English through the language
 * switch), has no serious accessibility problem (axe-core), waits once the guest is ready, and
 * joins by itself at the opening — not a request before it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { demoSchedulingTemplate } from '../../src-shared/booking/demo-scheduling-template';
import { JoinMeetingSchema } from '../../src-shared/join/join-meeting.schema';
import { launchChromium, waitFor, type E2eBrowser } from './support/chromium';
import { startE2eServer, type E2eServer } from './support/e2e-server';
import { ensureRendererBuild } from './support/renderer-build';
import { expectNoSeriousA11yViolations } from '../support/axe';

const SHOTS = path.resolve('tests/.tmp/screenshots');
/** How far ahead the meeting starts: time to load the page and fill in the name on a loaded machine. */
const LEAD_MS = 20_000;

test.describe('guest page opened before the meeting opens', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  let server: E2eServer;
  let chromium: E2eBrowser;
  let context: BrowserContext;
  let page: Page;
  let shortId: string;
  let opensAt: number;
  const requestTokens: number[] = [];
  const problems: string[] = [];

  async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
    const res = await fetch(`${server.baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${await server.adminToken()}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    mkdirSync(SHOTS, { recursive: true });
    server = await startE2eServer(await ensureRendererBuild());
    chromium = await launchChromium();
    context = await chromium.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'da-DK' });
    page = await context.newPage();
    page.on('pageerror', (e) => e.message !== 'Async Timeout' && problems.push(e.message));
    page.on('request', (r) => r.url().includes('/request_token') && requestTokens.push(Date.now()));
    // Opens at its start (vMRAvailableBefore 0); no PINs, so the guest goes straight in.
    await api('POST', '/videoapi/v2/scheduling-templates', demoSchedulingTemplate({ vMRAvailableBefore: 0, hostPinRequired: false, guestPinRequired: false }));
    const start = new Date(Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000);
    const meeting = await api<{ shortId: string }>('POST', '/videoapi/v2/meetings', {
      subject: 'Samtale med sygeplejerske',
      startTime: start.toISOString().replace(/\.\d{3}/, ''),
      endTime: new Date(start.getTime() + 1800_000).toISOString().replace(/\.\d{3}/, ''),
    });
    shortId = meeting.shortId;
    opensAt = start.getTime();
  });

  test.afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  test('tells the page when the meeting opens, and nothing it must not know', async () => {
    const res = await fetch(`${server.baseUrl}/join-api/v1/meetings/${shortId}`);
    const body = JoinMeetingSchema.parse(await res.json());
    expect(Date.parse(body.opensAt)).toBe(opensAt);
    expect(Math.abs(Date.parse(body.serverTime) - Date.now())).toBeLessThan(5_000);
  });

  test('shows the opening time in Danish (and English) at 360 px, with no serious accessibility problem', async () => {
    await page.goto(`${server.baseUrl}/join/${shortId}`);
    const notice = page.getByTestId('opens-at');
    await notice.waitFor();
    const time = new Intl.DateTimeFormat('da-DK', { hour: '2-digit', minute: '2-digit' }).format(new Date(opensAt));
    expect(await notice.textContent()).toBe(`Mødet åbner kl. ${time}.`);
    expect(await notice.getAttribute('role')).toBe('status');
    await page.getByRole('button', { name: 'English' }).click();
    expect(await notice.textContent()).toMatch(/^The meeting opens at \d\d:\d\d\.$/);
    await page.getByRole('button', { name: 'Dansk' }).click();
    expect(await notice.textContent()).toContain('Mødet åbner');

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectNoSeriousA11yViolations(page);
    await page.screenshot({ path: path.join(SHOTS, 'guest-opens-at-360.png') }).catch(() => undefined);
  });

  test('waits once the guest is ready, and joins by itself at the opening, not before', async () => {
    await page.getByTestId('display-name').fill('Borger Hansen');
    await page.getByTestId('join-button').click();
    await page.getByTestId('waiting-for-opening').waitFor();
    expect(Date.now()).toBeLessThan(opensAt);
    expect(await page.getByTestId('call-view').count()).toBe(0);
    await expectNoSeriousA11yViolations(page);
    await page.screenshot({ path: path.join(SHOTS, 'guest-waiting-360.png') }).catch(() => undefined);

    await page.getByTestId('call-view').waitFor({ timeout: opensAt - Date.now() + 20_000 });
    const inCall = await waitFor('in the call', async () =>
      (await page.evaluate(() => (window as unknown as { vdxCall?: { getSnapshot(): { phase: { kind: string } } } }).vdxCall?.getSnapshot().phase.kind)) === 'in-call' ? true : undefined,
    );
    expect(inCall).toBe(true);
    // The first request_token went out at the opening (by the server's clock, read through the
    // lookup), not before it, so the guest never saw "conference not found".
    expect(requestTokens.length).toBeGreaterThan(0);
    expect(requestTokens[0]!).toBeGreaterThanOrEqual(opensAt);
    expect(problems).toEqual([]);
  });
});
