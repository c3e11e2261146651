/**
 * The desktop app as a clinician's own tool, end to end: the real server, the room app as its own
 * process (`npm run app -- --shell=chromium --headless --desktop`) with its refresh token in a real
 * Secret Service, and "the system browser" — the app opens the sign-in page through `VDX_BROWSER`,
 * a script that hands the URL to this test, which opens it in a separate Chromium context as the
 * person's own browser would.
 *
 *  1. the app starts signed out (no activation code) and says how to sign in (Danish, English);
 *  2. sign-in in the browser → the browser's page says "go back", the app shows the person;
 *  3. a meeting booked for them today appears under "Mine møder i dag" with its address;
 *  4. one click joins it as host (no PIN typed); a guest from the /join link sees their video;
 *  5. sign-out: back to the sign-in screen, the refresh token gone from the keychain.
 * axe-core finds nothing serious or critical on the app's screens or the browser's outcome page.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from '../support/axe';
import { startSecretService, type SecretService } from '../support/secret-service';
import { startBookingHarness, submitSignIn, type BookingHarness, type Person } from './support/booking-page';
import { waitFor } from './support/chromium';
import { expectMovingVideo, joinWithPin } from './support/guest';
import { startRoomAppProcess, type RoomAppProcess } from './support/processes';

const LOGS = path.resolve('tests/.tmp/desktop-clinician');
const SUBJECT = 'Videokonsultation, opfølgning';
const iso = (at: number) => new Date(Math.ceil(at / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** How many refresh tokens the app keeps in the keychain (keytar run against the test's Secret Service). */
function keychainEntries(keychain: SecretService): number {
  const out = spawnSync(
    process.execPath,
    ['-e', "require('keytar').findCredentials('dk.medcom.vdxroom').then((c) => process.stdout.write(String(c.filter((x) => /staff/.test(x.account)).length)), (e) => { console.error(e.message); process.exit(1); })"],
    { env: { ...process.env, ...keychain.env }, encoding: 'utf8', timeout: 20_000 },
  );
  expect(out.stderr).toBe('');
  return Number(out.stdout.trim());
}

test.describe('the desktop app for clinicians', () => {
  test.describe.configure({ mode: 'serial', timeout: 180_000 });
  let h: BookingHarness;
  let scratch: string;
  let keychain: SecretService;
  let app: RoomAppProcess | undefined;
  let desk: Page;
  let clinician: Person;
  let openedUrls: string;
  const meeting = { uuid: '', shortId: '', alias: '', guestPin: '' };

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    scratch = mkdtempSync(path.join(tmpdir(), 'vdx-desktop-'));
    keychain = await startSecretService(path.join(scratch, 'keychain'));
    h = await startBookingHarness();
    clinician = await h.person({ email: 'anne.jensen@vdx.test', name: 'Anne Jensen', roles: ['meeting-user'] });
    // The "system browser": whatever the app opens is appended to a file the test reads.
    openedUrls = path.join(scratch, 'opened-urls');
    const browser = path.join(scratch, 'browser.sh');
    writeFileSync(browser, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${openedUrls}'\n`);
    chmodSync(browser, 0o755);
    app = await startRoomAppProcess({
      appDataDir: path.join(scratch, 'desktop-app'),
      logDir: LOGS,
      args: ['--desktop'],
      env: { VDX_SERVER_URL: h.server.baseUrl, VDX_SECRET_STORE: 'keychain', VDX_BROWSER: browser, ...keychain.env },
    });
    desk = await app.roomPage();
  });

  test.afterAll(async () => {
    await app?.stop();
    await h?.close();
    await keychain?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('1. starts signed out, without asking for an activation code', async () => {
    await desk.getByTestId('staff-sign-in-screen').waitFor({ timeout: 30_000 });
    await expect(desk.getByTestId('activation-code')).toHaveCount(0);
    await expect(desk.getByRole('button', { name: 'Log ind' })).toBeVisible();
    await expectNoSeriousA11yViolations(desk, 'desktop sign-in screen');
    await desk.getByRole('button', { name: 'English' }).click();
    await expect(desk.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await desk.getByRole('button', { name: 'Dansk' }).click();
    await expect(desk.getByRole('button', { name: 'Log ind' })).toBeVisible();
  });

  test('2. signs in in the system browser and shows who is signed in', async () => {
    await desk.getByTestId('staff-sign-in').click();
    await expect(desk.getByText('Log ind i det browservindue, der er åbnet')).toBeVisible();
    const url = await waitFor('the app to open the sign-in page', async () => (existsSync(openedUrls) ? readFileSync(openedUrls, 'utf8').trim().split('\n').at(-1) : undefined));
    expect(url.startsWith(`${h.server.baseUrl}/oidc/auth?`)).toBe(true);

    const browser = await (await h.context()).newPage();
    await browser.goto(url);
    await browser.locator('input[name="email"]').waitFor();
    await submitSignIn(browser, clinician.email, clinician.password);
    await expect(browser.getByRole('heading', { name: 'Du er logget ind' })).toBeVisible({ timeout: 20_000 });
    expect(new URL(browser.url()).hostname).toBe('127.0.0.1');
    await expectNoSeriousA11yViolations(browser, 'the loopback page after signing in');

    await expect(desk.getByTestId('staff-person')).toHaveText('Logget ind som Anne Jensen', { timeout: 20_000 });
    expect(keychainEntries(keychain)).toBe(1);
  });

  test('3. shows the meeting booked for the clinician today, with its address', async () => {
    const planner = await h.clientToken(['meeting-planner']);
    const start = Date.now() + 60_000;
    const booked = await h.api<{ uuid: string; shortId: string }>('POST', '/videoapi/v2/meetings', { subject: SUBJECT, startTime: iso(start), endTime: iso(start + 30 * 60_000), organizedByEmail: clinician.email }, { token: planner });
    const info = await h.schedulingInfo(booked.uuid);
    Object.assign(meeting, { uuid: booked.uuid, shortId: booked.shortId, alias: info.uriWithDomain, guestPin: String(info.guestPin) });
    // The list is read every minute; a reload of the UI reads it at once, as a person would press F5.
    await desk.reload();
    const item = desk.locator(`[data-testid="staff-meeting"][data-alias="${meeting.alias}"]`);
    await item.waitFor({ timeout: 20_000 });
    await expect(item).toContainText(SUBJECT);
    await expect(item).toContainText(meeting.alias);
    await expect(desk.getByRole('heading', { name: 'Mine møder i dag' })).toBeVisible();
    await expectNoSeriousA11yViolations(desk, 'desktop home with my meetings');
  });

  test('4. joins as host in one click; a guest sees the clinician', async () => {
    await desk.getByRole('button', { name: `Deltag som vært: ${SUBJECT}` }).click();
    await desk.getByTestId('call-view').waitFor({ timeout: 30_000 });
    await expect(desk.getByTestId('pin-prompt')).toHaveCount(0);

    const guestContext = await h.context({ width: 390 });
    const guest = await guestContext.newPage();
    await joinWithPin(guest, `${h.server.baseUrl}/join/${meeting.shortId}`, 'Borger Hansen', meeting.guestPin);
    await guest.getByTestId('call-view').waitFor({ timeout: 30_000 });
    await expectMovingVideo(guest, 'the guest seeing the clinician');
    await expectMovingVideo(desk, 'the clinician seeing the guest');
    await expectNoSeriousA11yViolations(desk, 'desktop in a call');
    await guestContext.close();
  });

  test('5. signs out: back to the sign-in screen, nothing left in the keychain', async () => {
    await desk.getByTestId('leave').click();
    await desk.getByTestId('staff-sign-out').click({ timeout: 30_000 });
    await desk.getByTestId('staff-sign-in-screen').waitFor({ timeout: 20_000 });
    expect(keychainEntries(keychain)).toBe(0);
  });
});
