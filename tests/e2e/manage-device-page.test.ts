/**
 * One device in VDX Management (`/manage/#devices/{id}`) in headless Chromium against the real
 * server: a kiosk enrolled and reporting through the device API; IT opens it from the fleet table,
 * sees its health history as charts (with the figures in words), switches to 7 days, sends
 * "restart the app" and sees the device's answer appear by itself. axe-core, 1024 px, keyboard.
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { heartbeatBody } from '../../src-server/devices/device-fleet.test-kit';
import { SHOTS, expectAccessibleAt1024, startBookingHarness, watchProblems, type BookingHarness } from './support/booking-page';
import { enrolKiosk, signInToManage } from './support/manage-page';

const CPU = [12, 30, 60, 45, 42];

test.describe('a device page in VDX Management', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  let h: BookingHarness;
  let page: Page;
  let problems: string[];
  let deviceId: string;
  let deviceToken: string;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    h = await startBookingHarness();
    const room = await h.api<{ id: string }>('POST', '/management/v1/rooms', { name: 'Mødelokale Bølgen', location: '1. sal' });
    const { code } = await h.api<{ code: string }>('POST', `/management/v1/rooms/${room.id}/activation-codes`, {});
    ({ deviceId, token: deviceToken } = await enrolKiosk(h.server.baseUrl, code, { hostname: 'kiosk-boelgen' }));
    for (const [i, cpu] of CPU.entries()) {
      const inCall = i === CPU.length - 1;
      await h.api(
        'POST',
        '/device/v1/me/heartbeat',
        heartbeatBody({
          cpu: { loadPercent: cpu },
          network: { serverReachable: true, latencyMs: 20 + i * 5 },
          ...(inCall
            ? {
                callState: { state: 'in_call', alias: 'meet.1@vdx.test', participants: 2 },
                callQuality: { packetLossPercent: 1.5, jitterMs: 12, bitrateKbps: 2000, resolution: { width: 1280, height: 720 }, frameRate: 30 },
              }
            : {}),
        }),
        { token: deviceToken },
      );
    }
    const it = await h.person({ email: 'it@vdx.test', name: 'Ivan IT', roles: ['management-admin'] });
    page = await (await h.context()).newPage();
    problems = watchProblems(page);
    await signInToManage(page, h.server.baseUrl, it);
    await page.getByTestId('nav-devices').click();
  });

  test.afterAll(async () => {
    await h?.close();
  });

  test('opens from the fleet table, by keyboard, with its status and version', async () => {
    const open = page.locator(`tr[data-device-id="${deviceId}"]`).getByTestId('device-open');
    await expect(open).toHaveAccessibleName('Åbn Mødelokale Bølgen (kiosk-boelgen)');
    await open.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 2 })).toHaveText('Mødelokale Bølgen – kiosk-boelgen');
    expect(new URL(page.url()).hash).toBe(`#devices/${deviceId}`);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('device-title');
    await expect(page.getByTestId('device-fact-call')).toContainText('I møde · meet.1@vdx.test · 2 deltagere');
    await expect(page.getByTestId('device-fact-version')).toContainText('1.2.3');
  });

  test('shows health history as charts, with the figures in words, for 24 hours and for 7 days', async () => {
    const load = page.getByTestId('chart-load');
    await expect(load.locator('canvas')).toHaveCount(1);
    expect(await load.locator('canvas').evaluate((c: HTMLCanvasElement) => c.width > 0 && c.height > 0)).toBe(true);
    const average = new Intl.NumberFormat('da-DK', { maximumFractionDigits: 1 }).format(CPU.reduce((a, b) => a + b) / CPU.length);
    await expect(load.getByTestId('chart-load-figures').first()).toHaveText(`Processor: senest 42 %, gennemsnit ${average} %, højst 60 %`);
    await expect(load.getByTestId('chart-load-figures').nth(1)).toHaveText('Hukommelse: senest 25 %, gennemsnit 25 %, højst 25 %');
    await expect(page.getByTestId('chart-latency-figures')).toHaveText('Svartid: senest 40 ms, gennemsnit 30 ms, højst 40 ms');
    await expect(page.getByTestId('chart-loss-figures')).toHaveText('Pakketab: senest 1,5 %, gennemsnit 1,5 %, højst 1,5 %');
    await page.getByTestId('range-7d').click();
    await expect(page.getByTestId('range-7d')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('chart-load-figures').first()).toHaveText(`Processor: senest 42 %, gennemsnit ${average} %, højst 60 %`);
    await page.screenshot({ path: path.join(SHOTS, 'manage-device.png'), fullPage: true }).catch(() => undefined);
    await expectAccessibleAt1024(page, 'device page');
  });

  test("sends 'restart the app' and shows the device's result by itself", async () => {
    await page.getByTestId('command-restart_app').click();
    await expect(page.getByTestId('command-done')).toHaveText('Kommandoen »Genstart appen« er sendt. Resultatet vises her, så snart enheden svarer.');
    const row = page.getByTestId('command-row').first();
    await expect(row.getByTestId('command-status')).toHaveText('Venter på enheden');
    const commandId = await row.getAttribute('data-command-id');
    // The kiosk answers (as its agent does after restarting).
    await h.api('POST', `/device/v1/me/commands/${commandId}/result`, { status: 'succeeded', detail: 'Genstartet kl. 10.02' }, { token: deviceToken });
    await expect(row.getByTestId('command-status')).toHaveText('Lykkedes', { timeout: 3000 });
    await row.getByTestId('command-result').locator('summary').click();
    await expect(row.getByTestId('command-result').locator('pre')).toHaveText('Genstartet kl. 10.02');
  });

  test('sends a message for the screen, and goes back to the fleet', async () => {
    await page.getByLabel('Besked til lokalets skærm').fill('Mødet flyttes til 14.00');
    await page.getByTestId('command-show_message').click();
    await expect(page.getByTestId('command-done')).toHaveText(/^Kommandoen »Vis besked« er sendt\./);
    await expect(page.getByTestId('command-row')).toHaveCount(2);
    await page.getByTestId('device-back').click();
    await expect(page.locator(`tr[data-device-id="${deviceId}"]`)).toHaveCount(1);
    expect(problems).toEqual([]);
  });
});
