/**
 * The room UI in headless Chromium, served by the real server, with a test double of the shell's
 * bridge: activation screen → home screen, language switch, messages from IT, keyboard access,
 * and no Content-Security-Policy violations. Screenshots go to tests/.tmp/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { launchChromium, waitFor, type E2eBrowser } from './support/chromium';
import { startE2eServer, type E2eServer } from './support/e2e-server';
import { fakeRoomBridgeScript } from './support/fake-room-bridge';
import { ensureRendererBuild } from './support/renderer-build';

const SHOTS = path.resolve('tests/.tmp/screenshots');

test.describe('room UI (kiosk) in Chromium', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  let server: E2eServer;
  let chromium: E2eBrowser;
  let page: Page;
  const problems: string[] = [];

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    mkdirSync(SHOTS, { recursive: true });
    server = await startE2eServer(await ensureRendererBuild());
    chromium = await launchChromium();
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'da-DK', timezoneId: 'Europe/Copenhagen' });
    // The agenda lists today's meetings in the room's time zone, so the page's clock stands at a
    // fixed late morning: run in the evening, the meeting two hours ahead would fall on tomorrow.
    await context.clock.setFixedTime(new Date('2026-03-02T10:00:00+01:00'));
    await context.addInitScript(
      fakeRoomBridgeScript({
        roomName: 'Mødelokale 3.14',
        meetingsInMinutes: [
          [-90, -60, 'Morgenmøde'],
          [25, 55, 'Tværfagligt møde om udskrivelse'],
          [120, 150, 'Videokonsultation, ortopædkirurgi'],
        ],
      }),
    );
    page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
  });

  test.afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  test('shows the activation screen and formats the code in 4-4-4 groups as it is typed', async () => {
    await page.goto(`${server.baseUrl}/room/`);
    const field = page.getByTestId('activation-code');
    await field.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('activation-code');
    await field.pressSequentially('7kqm3xwpht9c');
    expect(await field.inputValue()).toBe('7KQM-3XWP-HT9C');
    await page.screenshot({ path: path.join(SHOTS, 'room-activation.png'), timeout: 10_000 }).catch(() => undefined);
  });

  test('explains a malformed code without asking the agent', async () => {
    const field = page.getByTestId('activation-code');
    await field.fill('7KQM');
    await page.getByTestId('activate').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('12 tegn');
    const calls = await page.evaluate(() => (window as unknown as { __bridgeCalls: { channel: string }[] }).__bridgeCalls);
    expect(calls.filter((c) => c.channel === 'provisioning:activate')).toHaveLength(0);
  });

  test('activates with the typed code and shows the home screen with agenda and countdown', async () => {
    const field = page.getByTestId('activation-code');
    await field.fill('');
    await field.pressSequentially('7kqm 3xwp ht9c');
    await field.press('Enter');
    await page.getByTestId('room-name').waitFor();
    const calls = await page.evaluate(() => (window as unknown as { __bridgeCalls: { channel: string; request: unknown }[] }).__bridgeCalls);
    expect(calls.find((c) => c.channel === 'provisioning:activate')?.request).toEqual({ code: '7KQM-3XWP-HT9C' });
    expect(await page.getByTestId('room-name').textContent()).toBe('Mødelokale 3.14');
    // The finished morning meeting is gone; the two coming ones are listed in order.
    const items = await page.getByTestId('agenda-item').allTextContents();
    expect(items).toHaveLength(2);
    expect(items[0]).toContain('Tværfagligt møde om udskrivelse');
    expect(items[1]).toContain('Videokonsultation');
    expect(await page.getByTestId('countdown').textContent()).toMatch(/^Starter om (2[45]|25) min$/);
    expect(await page.getByTestId('join-next').count()).toBe(0); // more than 10 minutes away
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'room-home.png'), timeout: 10_000 }).catch(() => undefined);
  });

  test('switches to English and back', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('#next-title').textContent()).toBe('Next meeting');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('button', { name: 'Dansk' }).click();
    await expect.poll(() => page.locator('#next-title').textContent()).toBe('Næste møde');
  });

  test('shows a message from IT until it is dismissed', async () => {
    await page.evaluate(() =>
      (window as unknown as { __bridgeEmit(e: string, p: unknown): void }).__bridgeEmit('message:show', {
        id: 'msg-1',
        text: 'Skærmen genstartes kl. 22',
        severity: 'info',
        expiresAt: null,
      }),
    );
    const banner = page.getByTestId('it-message');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Skærmen genstartes kl. 22');
    await page.screenshot({ path: path.join(SHOTS, 'room-home-message.png'), timeout: 10_000 }).catch(() => undefined);
    await banner.getByRole('button').click();
    await waitFor('banner gone', async () => ((await banner.count()) === 0 ? true : undefined));
    const calls = await page.evaluate(() => (window as unknown as { __bridgeCalls: { channel: string; request: unknown }[] }).__bridgeCalls);
    expect(calls.find((c) => c.channel === 'message:dismiss')?.request).toEqual({ id: 'msg-1' });
  });

  test('is reachable by keyboard with a visible focus ring, and every control is at least 44 px', async () => {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return { tag: el.tagName, outline: style.outlineStyle, width: style.outlineWidth };
    });
    expect(focused.tag).toBe('BUTTON');
    expect(focused.outline).toBe('solid');
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('button, input, select, a')]
        .map((el) => el.getBoundingClientRect())
        .filter((r) => r.width > 0 && (r.height < 44 || r.width < 44)).length,
    );
    expect(small).toBe(0);
  });

  test('reported the peripherals and raised no console errors or CSP violations', async () => {
    const calls = await page.evaluate(() => (window as unknown as { __bridgeCalls: { channel: string; request: { cameras?: unknown[] } }[] }).__bridgeCalls);
    const devices = calls.find((c) => c.channel === 'media:report-devices');
    expect(devices?.request.cameras?.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});
