/**
 * VDX Management's rooms (`/manage/`) in headless Chromium against the real server: an IT person
 * of a region signs in through the staff sign-in (the provider's own page) and sees only their
 * organisation's rooms; creates a room by keyboard alone, edits its theme, channel, fixed VMR and
 * maintenance window, makes an activation code (text, QR code, `vdxroom://activate` link, expiry),
 * a kiosk enrols with it, another code is revoked and then refused; a room with a device cannot be
 * deleted, an empty one can. A person without management-admin is told so. axe-core on the way,
 * at 1280 and 1024 px.
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import QRCode from 'qrcode';
import { enrolBody } from '../../src-server/devices/device-fleet.test-kit';
import type { Room } from '../../src-shared/devices/rooms.schema';
import { ACTIVATION_QR_OPTIONS } from '../../src-renderer/manage/rooms/activation-qr';
import { expectNoSeriousA11yViolations } from '../support/axe';
import { PASSWORD, SHOTS, expectAccessibleAt1024, startBookingHarness, submitSignIn, watchProblems, type BookingHarness } from './support/booking-page';

const ORG = 'region-nord';
const IT = { email: 'it.nord@region.test', name: 'Ida IT', roles: ['management-admin'], organisationCode: ORG };

/** What has the focus: its test id, id or text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el?.getAttribute('data-testid') ?? el?.id ?? el?.textContent?.trim() ?? '';
  });

test.describe('rooms in VDX Management', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  let h: BookingHarness;
  let page: Page;
  let problems: string[];
  let fjorden: Room;
  let themeId: string;
  const row = (name: string) => page.locator('tr[data-testid="room-row"]', { has: page.getByTestId('room-name').getByText(name, { exact: true }) });

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    h = await startBookingHarness();
    await h.api('POST', '/management/v1/organisations', { code: ORG, name: 'Region Nord' });
    await h.api('POST', '/management/v1/organisations', { code: 'region-syd', name: 'Region Syd' });
    await h.api('POST', '/management/v1/users', { ...IT, password: PASSWORD });
    fjorden = await h.api<Room>('POST', '/management/v1/rooms', { name: 'Mødelokale Fjorden', location: 'Bygning 3', organisationCode: ORG });
    await h.api('POST', '/management/v1/rooms', { name: 'Lokale i Syd', organisationCode: 'region-syd' });
    themeId = (
      await h.api<{ id: string }>('POST', '/management/v1/themes', {
        name: 'Nordtema',
        organisationCode: ORG,
        colours: { primary: '#0a4d8c', background: '#10202f', text: '#ffffff' },
      })
    ).id;
    page = await (await h.context()).newPage();
    problems = watchProblems(page);
  });

  test.afterAll(async () => {
    await h?.close();
  });

  test("signs in through the staff sign-in and lists only the organisation's rooms, by name", async () => {
    await page.goto(`${h.server.baseUrl}/manage`);
    await page.locator('input[name="email"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('html').getAttribute('lang')).toBe('da');
    await submitSignIn(page, IT.email, PASSWORD);
    await page.getByTestId('manage-user').waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe('/manage/');
    expect(new URL(page.url()).search).toBe('');
    expect(await page.getByTestId('manage-user').innerText()).toContain(IT.name);
    await expect(page.getByTestId('room-name')).toHaveText(['Mødelokale Fjorden']);
    await expect(page.getByRole('table').locator('caption')).toHaveText('Organisationens lokaler (1)');
    // The list's heading has the focus once it is there.
    await expect.poll(() => focused(page)).toBe('rooms-title');
    await expectAccessibleAt1024(page, 'room list');
  });

  test('creates a room by keyboard alone; a missing name is said at the field first', async () => {
    // Tab from the heading to "Opret lokale".
    for (let i = 0; i < 5 && (await focused(page)) !== 'room-create'; i++) await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('room-create');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('room-form-title');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('room-name');
    await page.keyboard.press('Enter');
    await expect(page.locator('#room-name-error')).toHaveText('Skriv lokalets navn.');
    await expect.poll(() => focused(page)).toBe('room-name');
    await page.keyboard.type('Mødelokale Havet');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2. sal');
    await expectNoSeriousA11yViolations(page, 'room form');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('rooms-done')).toHaveText('Lokalet Mødelokale Havet er oprettet.');
    await expect(row('Mødelokale Havet')).toHaveCount(1);
    expect(await row('Mødelokale Havet').locator('th').innerText()).toContain('2. sal');
    // Defaults: standard theme, stable, every night 02–05.
    await expect(row('Mødelokale Havet').getByTestId('room-channel')).toHaveText('Stabil');
    await expect(row('Mødelokale Havet').getByTestId('room-window')).toHaveText('Alle dage 02:00–05:00');
    await expect.poll(() => focused(page)).toBe('room-create');
  });

  test("edits a room's theme, channel, fixed VMR and maintenance window", async () => {
    await row('Mødelokale Fjorden').getByTestId('room-edit').click();
    const form = page.getByTestId('room-form');
    await expect(form.getByRole('heading')).toHaveText('Rediger Mødelokale Fjorden');
    await form.getByLabel('Tema').selectOption({ label: 'Nordtema' });
    await form.getByLabel('Opdateringskanal').selectOption('beta');
    await form.getByLabel('Fast virtuelt mødelokale').fill('afd 12');
    await form.getByTestId('room-save').click();
    await expect(page.locator('#room-vmr-error')).toHaveText('Skriv adressen som navn@domæne, fx afd-12@vdx.dk.');
    await form.getByLabel('Fast virtuelt mødelokale').fill('afd-12@vdx.dk');
    // Weekends only, 22:00 to 02:00 (past midnight).
    const slot = form.getByTestId('window-slot');
    for (const day of ['man', 'tir', 'ons', 'tor', 'fre']) await slot.getByLabel(day, { exact: true }).uncheck();
    await slot.getByLabel('Fra').fill('22:00');
    await slot.getByLabel('Til').fill('02:00');
    await form.getByTestId('room-save').click();
    await expect(page.getByTestId('rooms-done')).toHaveText('Ændringerne af Mødelokale Fjorden er gemt.');
    // The table is read again after the save is confirmed: its row follows a moment later.
    const r = row('Mødelokale Fjorden');
    await expect(r.getByTestId('room-theme')).toHaveText('Nordtema');
    await expect(r.getByTestId('room-channel')).toHaveText('Beta');
    await expect(r.getByTestId('room-vmr')).toHaveText('afd-12@vdx.dk');
    await expect(r.getByTestId('room-window')).toHaveText('lør, søn 22:00–02:00');
    // The focus is back on the button that opened the form.
    await expect.poll(() => focused(page)).toBe('room-edit');
    // And the server has it.
    const stored = await h.api<Room>('GET', `/management/v1/rooms/${fjorden.id}`);
    expect(stored).toMatchObject({
      themeId,
      updateChannel: 'beta',
      fixedVmrAlias: 'afd-12@vdx.dk',
      maintenanceWindow: { timeZone: 'Europe/Copenhagen', slots: [{ days: ['sat', 'sun'], start: '22:00', end: '02:00' }] },
    });
  });

  test('shows a new activation code as text, QR code and vdxroom:// link with its expiry; a kiosk enrols with it', async () => {
    await row('Mødelokale Fjorden').getByTestId('room-codes').click();
    const panel = page.getByTestId('codes-panel');
    await expect(panel.getByRole('heading', { level: 3 })).toHaveText('Aktiveringskoder for Mødelokale Fjorden');
    await expect(panel.getByText('Lokalet har ingen aktiveringskoder endnu.')).toBeVisible();
    await panel.getByLabel('Gyldig i').selectOption({ label: '30 dage' });
    await panel.getByLabel('Note').fill('Skærmen ved vinduet');
    await panel.getByTestId('code-create').click();

    const code = (await panel.getByTestId('activation-code').innerText()).trim();
    expect(code).toMatch(/^[346789ACDEFGHJKMNPQRTWXY]{4}-[346789ACDEFGHJKMNPQRTWXY]{4}-[346789ACDEFGHJKMNPQRTWXY]{4}$/);
    const link = await panel.getByTestId('activation-link').getAttribute('href');
    expect(link).toBe(`vdxroom://activate?server=${encodeURIComponent(h.server.baseUrl)}&code=${code}`);
    expect(await panel.getByTestId('activation-link').innerText()).toBe(link);
    // The QR image is exactly the QR code of that link.
    const qr = page.getByTestId('activation-qr');
    expect(await qr.getAttribute('alt')).toBe('QR-kode til aktivering af en enhed i Mødelokale Fjorden');
    const expected = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(await QRCode.toString(link!, ACTIVATION_QR_OPTIONS))}`;
    expect(await qr.getAttribute('src')).toBe(expected);
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    // Expires in 30 days (Copenhagen date as the page writes it, dd.mm.yyyy).
    const in30 = new Intl.DateTimeFormat('da-DK', { dateStyle: 'short', timeZone: 'Europe/Copenhagen' }).format(new Date(Date.now() + 30 * 86_400_000));
    expect(await panel.getByTestId('activation-expiry').innerText()).toContain(`Udløber ${in30}`);
    await expect(panel.locator('[data-testid="code-row"]')).toHaveCount(1);
    expect(await panel.getByTestId('code-status').innerText()).toBe('Aktiv');
    await page.screenshot({ path: path.join(SHOTS, 'manage-activation-code.png') }).catch(() => undefined);
    await expectAccessibleAt1024(page, 'activation code');

    // A kiosk types the code it shows (lower case, spaces: the same code).
    const enrol = await fetch(`${h.server.baseUrl}/device/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(enrolBody(code.toLowerCase().replace(/-/g, ' '), { hostname: 'kiosk-fjorden' })),
    });
    expect(enrol.status).toBe(201);
    await panel.getByTestId('codes-close').click();
    await row('Mødelokale Fjorden').getByTestId('room-codes').click();
    await expect(page.getByTestId('code-status')).toHaveText(['Brugt']);
  });

  test('revokes an unused code, after which a kiosk is refused', async () => {
    const panel = page.getByTestId('codes-panel');
    await panel.getByTestId('code-create').click();
    const code = (await panel.getByTestId('activation-code').innerText()).trim();
    await expect(panel.locator('[data-testid="code-row"][data-status="active"]')).toHaveCount(1);
    await panel.locator('[data-testid="code-row"][data-status="active"]').getByTestId('code-revoke').click();
    await expect(panel.getByTestId('codes-done')).toContainText('er tilbagekaldt og kan ikke længere bruges.');
    // The code shown once is gone from the page with its revocation.
    await expect(panel.getByTestId('new-code')).toHaveCount(0);
    await expect(panel.getByTestId('code-status')).toHaveText(['Tilbagekaldt', 'Brugt']);
    const enrol = await fetch(`${h.server.baseUrl}/device/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(enrolBody(code)),
    });
    expect(enrol.status).toBeGreaterThanOrEqual(400);
    expect(enrol.status).toBeLessThan(500);
    await panel.getByTestId('codes-close').click();
  });

  test("sends a message to a room's screens, saying how many show it", async () => {
    await row('Mødelokale Fjorden').getByTestId('room-message').click();
    const panel = page.getByTestId('message-panel');
    await expect(panel.getByRole('heading', { level: 3 })).toHaveText('Besked til skærmene i Mødelokale Fjorden');
    await panel.getByTestId('message-send').click();
    await expect(page.locator('#message-text-error')).toHaveText('Skriv beskeden.');
    await panel.getByLabel('Besked', { exact: true }).fill('Kantinen lukker kl. 13 i dag');
    await panel.getByLabel('Slags').selectOption('warning');
    await panel.getByLabel('Vises i').selectOption({ label: '4 timer' });
    await panel.getByTestId('message-send').click();
    // The kiosk enrolled above has no event stream open (no app runs in this test).
    await expect(panel.getByTestId('message-done')).toHaveText(/^Beskeden er sendt\. Ingen af lokalets skærme er forbundet lige nu/);
    await expectAccessibleAt1024(page, 'room message');
    await panel.getByTestId('message-close').click();
    await expect.poll(() => focused(page)).toBe('room-message');
  });

  test('refuses to delete a room with an enrolled device, saying why; deletes an empty one after confirmation', async () => {
    await row('Mødelokale Fjorden').getByTestId('room-delete').click();
    await page.getByTestId('room-delete-confirm').click();
    await expect(page.getByTestId('rooms-error')).toHaveText('Lokalet har tilmeldte enheder. Tilbagekald eller flyt dem først.');
    await expect(row('Mødelokale Fjorden')).toHaveCount(1);

    await row('Mødelokale Havet').getByTestId('room-delete').click();
    await expect(row('Mødelokale Havet').getByRole('group')).toHaveAccessibleName('Slet lokalet Mødelokale Havet?');
    // The confirmation has the focus: Enter confirms.
    await expect.poll(() => focused(page)).toBe('room-delete-confirm');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('rooms-done')).toHaveText('Lokalet Mødelokale Havet er slettet.');
    await expect(page.getByTestId('room-name')).toHaveText(['Mødelokale Fjorden']);
  });

  test('shows a room another admin creates within seconds, without a reload (management event stream)', async () => {
    await expect(page.getByTestId('manage-live')).toHaveAttribute('data-connected', 'true');
    await h.api('POST', '/management/v1/rooms', { name: 'Mødelokale Skoven', organisationCode: ORG });
    // The rooms area never polls: only the stream can bring it (3 s is well below any timer here).
    await expect(row('Mødelokale Skoven')).toHaveCount(1, { timeout: 3000 });
    // Another region's new room is not announced to this admin, and not listed.
    await h.api('POST', '/management/v1/rooms', { name: 'Endnu et lokale i Syd', organisationCode: 'region-syd' });
    const skoven = (await h.api<Room[]>('GET', '/management/v1/rooms')).find((r) => r.name === 'Mødelokale Skoven')!;
    await h.api('DELETE', `/management/v1/rooms/${skoven.id}`);
    await expect(row('Mødelokale Skoven')).toHaveCount(0, { timeout: 3000 });
    expect(await page.getByText('Endnu et lokale i Syd').count()).toBe(0);
  });

  test('speaks English on request, and the devices area shows the enrolled kiosk', async () => {
    await page.getByRole('button', { name: 'English – EN' }).click();
    await expect(page.getByRole('heading', { level: 2 })).toHaveText('Rooms');
    await expect(row('Mødelokale Fjorden').getByTestId('room-window')).toHaveText('Sat, Sun 22:00–02:00');
    await page.getByRole('button', { name: 'Dansk – DA' }).click();
    await page.getByTestId('nav-devices').click();
    await expect(page.locator('tr[data-testid="device-row"] th')).toContainText(['kiosk-fjorden']);
    expect(new URL(page.url()).hash).toBe('#devices');
    await expectNoSeriousA11yViolations(page, 'devices');
    await page.getByTestId('nav-rooms').click();
    await expect(page.getByTestId('room-name')).toHaveText(['Mødelokale Fjorden']);
  });

  test('signs out; the signed-out page offers the staff sign-in and, behind a link, the API-client sign-in', async () => {
    await page.getByTestId('manage-sign-out').click();
    await expect(page.getByTestId('signed-out-notice')).toHaveText('Du er logget ud.');
    await expectNoSeriousA11yViolations(page, 'signed out');
    await page.getByTestId('api-client-sign-in-link').click();
    await page.getByTestId('manage-client-id').waitFor();
    expect(new URL(page.url()).search).toBe('?login=api-client');
    expect(problems).toEqual([]);
  });

  test('tells a person without management-admin that they have no access', async () => {
    const clinician = await h.person({ email: 'karen@region.test', name: 'Karen Klinisk', roles: ['meeting-user'] });
    const other = await (await h.context()).newPage();
    await other.goto(`${h.server.baseUrl}/manage/`);
    await other.locator('input[name="email"]').waitFor({ timeout: 15_000 });
    await submitSignIn(other, clinician.email, clinician.password);
    await expect(other.getByTestId('manage-no-access')).toContainText('Kontoen karen@region.test har ikke rollen som administrator af mødelokaler.');
    expect(await other.getByTestId('room-row').count()).toBe(0);
    await other.close();
  });
});
