/**
 * The public status page (`/status`) in headless Chromium against the real server: no sign-in,
 * Danish by default, an incident an admin opened shown with its update, readable on a phone
 * (360 px) and at 1024 px without sideways scrolling, keyboard to English, no serious axe-core
 * violation in either language.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from '../support/axe';
import { launchChromium, type E2eBrowser } from './support/chromium';
import { startE2eServer, type E2eServer } from './support/e2e-server';
import { ensureRendererBuild } from './support/renderer-build';

test.describe('public status page in Chromium', () => {
  test.describe.configure({ mode: 'serial', timeout: 60_000 });
  let server: E2eServer;
  let chromium: E2eBrowser;
  let page: Page;

  test.beforeAll(async () => {
    server = await startE2eServer(await ensureRendererBuild());
    chromium = await launchChromium();
    const res = await fetch(`${server.baseUrl}/management/v1/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await server.adminToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Forsinkede SMS-invitationer', status: 'identified', componentIds: ['sms'], message: 'Vores SMS-udbyder svarer langsomt; beskederne kommer frem.' }),
    });
    expect(res.status).toBe(201);
    page = await chromium.browser.newPage({ viewport: { width: 360, height: 740 } });
  });
  test.afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  const sidewaysScroll = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  test('a citizen on a phone sees each part of VDX and the incident, in Danish', async () => {
    await page.goto(`${server.baseUrl}/status`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'da');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Driftsstatus for VDX');
    for (const name of ['Booking-API (VDX Booking)', 'Videomøder', 'Mødelokaler og enheder', 'Log ind', 'SMS-invitationer']) {
      await expect(page.getByRole('heading', { level: 3, name, exact: true })).toBeVisible();
    }
    // The incident's component shows as disturbed, and the page says so at the top.
    await expect(page.getByRole('status')).toHaveText('Der er forstyrrelser i VDX lige nu.');
    await expect(page.getByText('Forsinkede SMS-invitationer – Årsag fundet')).toBeVisible();
    await expect(page.getByText('Vores SMS-udbyder svarer langsomt; beskederne kommer frem.')).toBeVisible();
    expect(await sidewaysScroll()).toBeLessThanOrEqual(0);
    await expectNoSeriousA11yViolations(page, 'status page (da, 360 px)');
  });

  test('works at 1024 px and by keyboard to English', async () => {
    await page.setViewportSize({ width: 1024, height: 800 });
    expect(await sidewaysScroll()).toBeLessThanOrEqual(0);
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'English' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('VDX service status');
    await expect(page.getByText('Forsinkede SMS-invitationer – Identified')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'status page (en, 1024 px)');
  });
});
