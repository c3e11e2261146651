/**
 * VDX Management's devices area (`/manage/#devices`) in headless Chromium against the real server,
 * with 120 kiosks enrolled through the device API in 12 rooms of two regions: the table keeps only
 * the rows in view in the DOM (virtualised) yet reaches the last; search, the status, organisation,
 * version and channel filters and the sortable columns narrow and order it at once; the CSV export
 * holds exactly the rows shown; nothing scrolls sideways at 1280 or 1024 px; all by keyboard too.
 * axe-core finds nothing serious.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { heartbeatBody } from '../../src-server/devices/device-fleet.test-kit';
import { expectNoSeriousA11yViolations } from '../support/axe';
import { SHOTS, startBookingHarness, watchProblems, type BookingHarness } from './support/booking-page';
import { enrolKiosk, signInToManage } from './support/manage-page';

const DEVICES = 120;
const ROOMS = 12;
const FAILED_CAMERA = {
  checkedAt: new Date().toISOString(),
  alias: 'meet.42@vdx.test',
  camera: { ok: false, detail: 'NotReadableError' },
  microphone: { ok: true },
  conferenceNode: { ok: true, latencyMs: 42 },
};

test.describe('devices in VDX Management', () => {
  test.describe.configure({ mode: 'serial', timeout: 180_000 });
  let h: BookingHarness;
  let page: Page;
  let problems: string[];
  const rows = () => page.locator('tr[data-testid="device-row"]');
  const caption = () => page.locator('#fleet-caption');

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    h = await startBookingHarness();
    for (const code of ['region-h', 'region-s']) await h.api('POST', '/management/v1/organisations', { code, name: code });
    const base = h.server.baseUrl;
    for (let r = 0; r < ROOMS; r++) {
      const room = await h.api<{ id: string }>('POST', '/management/v1/rooms', {
        name: `Lokale ${String(r + 1).padStart(2, '0')}`,
        organisationCode: r % 2 === 0 ? 'region-h' : 'region-s',
        updateChannel: r < 3 ? 'beta' : 'stable',
      });
      for (let d = 0; d < DEVICES / ROOMS; d++) {
        const n = r * (DEVICES / ROOMS) + d + 1;
        const { code } = await h.api<{ code: string }>('POST', `/management/v1/rooms/${room.id}/activation-codes`, {});
        const kiosk = await enrolKiosk(base, code, { hostname: `kiosk-${String(n).padStart(3, '0')}`, appVersion: n % 3 === 0 ? '1.3.0' : '1.2.3' });
        // Five kiosks of the first room report a failed camera check: degraded.
        if (r === 0 && d < 5) {
          await h.api('POST', '/device/v1/me/heartbeat', heartbeatBody({ preflight: FAILED_CAMERA, appVersion: n % 3 === 0 ? '1.3.0' : '1.2.3' }), { token: kiosk.token });
        }
      }
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

  test('lists all 120 devices but keeps only the rows in view in the page, and reaches the last by scrolling', async () => {
    await expect(caption()).toHaveText(`Mødelokalernes enheder (${DEVICES})`);
    const inDom = await rows().count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(DEVICES);
    expect(await page.locator('table.manage-fleet-table').getAttribute('aria-rowcount')).toBe(String(DEVICES + 1));
    await page.getByTestId('fleet-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    // Sorted by room, then host name: Lokale 12's last kiosk is the last row.
    await expect(page.locator('tr[data-testid="device-row"] th').last()).toContainText('kiosk-120');
    await page.getByTestId('fleet-scroll').evaluate((el) => el.scrollTo(0, 0));
    await expect(rows().first().locator('th')).toContainText('kiosk-001');
  });

  test('fits the window without sideways scrolling at 1280 and 1024 px, and has no serious accessibility problem', async () => {
    for (const width of [1280, 1024]) {
      await page.setViewportSize({ width, height: 800 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `page at ${width} px`).toBeLessThanOrEqual(0);
      const table = await page.getByTestId('fleet-scroll').evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(table, `table at ${width} px`).toBeLessThanOrEqual(0);
      // The pre-flight column is there in full: its header and the degraded rows' checks are visible.
      await expect(page.getByRole('columnheader', { name: 'Tjek før møde' })).toBeInViewport();
    }
    await page.screenshot({ path: path.join(SHOTS, 'manage-devices-1024.png') }).catch(() => undefined);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: path.join(SHOTS, 'manage-devices.png') }).catch(() => undefined);
    await expectNoSeriousA11yViolations(page, 'devices');
  });

  test('searches and filters by status, organisation, version and channel, and clears the filters', async () => {
    await page.getByLabel('Søg').fill('kiosk-007');
    await expect(rows()).toHaveCount(1);
    await expect(caption()).toHaveText(`Mødelokalernes enheder (1 af ${DEVICES})`);
    await page.getByLabel('Søg').fill('');

    await page.getByLabel('Status').selectOption({ label: 'Nedsat drift' });
    await expect(rows()).toHaveCount(5);
    for (const status of await page.getByTestId('device-status').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))) expect(status).toBe('degraded');
    await page.getByLabel('Status').selectOption('');

    await page.getByLabel('Organisation', { exact: true }).selectOption('region-s');
    await expect(caption()).toHaveText(`Mødelokalernes enheder (60 af ${DEVICES})`);
    await page.getByLabel('Version', { exact: true }).selectOption('1.3.0');
    await expect(caption()).toHaveText(`Mødelokalernes enheder (20 af ${DEVICES})`);
    for (const v of await page.getByTestId('device-version').allInnerTexts()) expect(v).toContain('1.3.0');
    await page.getByLabel('Kanal').selectOption('beta');
    // Beta rooms are 1–3; of those, region-s has room 2 (kiosks 11–20), a third of them on 1.3.0.
    await expect(caption()).toHaveText(`Mødelokalernes enheder (3 af ${DEVICES})`);
    expect(await page.locator('tr[data-testid="device-row"] th .manage-room').allInnerTexts()).toEqual(['Lokale 02', 'Lokale 02', 'Lokale 02']);
    await expectNoSeriousA11yViolations(page, 'filtered devices');
    await page.getByTestId('fleet-clear').click();
    await expect(caption()).toHaveText(`Mødelokalernes enheder (${DEVICES})`);
  });

  test('sorts by a column header, the other way round on a second press, by keyboard', async () => {
    await page.getByTestId('sort-version').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('columnheader', { name: /Version/ })).toHaveAttribute('aria-sort', 'ascending');
    await expect(rows().first().getByTestId('device-version')).toContainText('1.2.3');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('columnheader', { name: /Version/ })).toHaveAttribute('aria-sort', 'descending');
    await expect(rows().first().getByTestId('device-version')).toContainText('1.3.0');
    // Status: worst first (the kiosks that never sent a heartbeat are offline), then best first
    // (nothing is fully online here: the degraded five lead).
    await page.getByTestId('sort-status').click();
    await expect(rows().first().getByTestId('device-status')).toHaveAttribute('data-status', 'offline');
    await page.getByTestId('sort-status').click();
    await expect(rows().first().getByTestId('device-status')).toHaveAttribute('data-status', 'degraded');
    await page.getByTestId('sort-room').click();
  });

  test('follows changes live: a kiosk revoked elsewhere shows as revoked within seconds', async () => {
    const devices = await h.api<Array<{ id: string; hostname: string }>>('GET', '/management/v1/devices');
    const target = devices.find((d) => d.hostname === 'kiosk-120')!;
    await expect(page.getByTestId('manage-updated-at')).toContainText('ændringer vises, så snart de sker');
    // The search stays as the rows change under it.
    await page.getByLabel('Søg').fill('kiosk-120');
    await expect(rows()).toHaveCount(1);
    await h.api('POST', `/management/v1/devices/${target.id}/revoke`);
    // Without the stream the next read would be 30 s away.
    await expect(page.locator(`tr[data-device-id="${target.id}"] [data-testid="device-status"]`)).toHaveAttribute('data-revoked', 'true', { timeout: 4000 });
    await page.getByLabel('Søg').fill('');
  });

  test('exports exactly the rows shown as CSV', async () => {
    await page.getByLabel('Organisation', { exact: true }).selectOption('region-h');
    await page.getByLabel('Kanal').selectOption('beta');
    await expect(caption()).toHaveText(`Mødelokalernes enheder (20 af ${DEVICES})`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('fleet-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^vdx-enheder-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('"Lokale";"Placering";"Værtsnavn";"Organisation";"Status";"Møde";"Tjek før møde";"Version";"Opdateringskanal";"Sidst set"');
    expect(lines).toHaveLength(21);
    for (const line of lines.slice(1)) expect(line).toMatch(/^"Lokale 0[13]";"";"kiosk-\d{3}";"region-h";.*;"Beta";"(\d{4}-[^"]+)?"$/);
    // Rooms 1 and 3: kiosks 1–10 and 21–30, in the table's order.
    const hosts = lines.slice(1).map((l) => l.split(';')[2]!.replace(/"/g, ''));
    expect(hosts).toEqual([...Array.from({ length: 10 }, (_, i) => i + 1), ...Array.from({ length: 10 }, (_, i) => i + 21)].map((n) => `kiosk-${String(n).padStart(3, '0')}`));
    await expect(page.getByTestId('fleet-exported')).toHaveText(/^20 enheder er gemt i vdx-enheder-/);
    await page.getByTestId('fleet-clear').click();
    expect(problems).toEqual([]);
  });
});
