/**
 * Signing in to VDX Booking (`/booking/`) in headless Chromium against the real server: a first
 * visit goes straight to the provider's Danish sign-in page; a wrong password gets a Danish
 * sentence; repeated failures lock the account; the right password brings the person back to
 * their meetings, each with its address; signing out says so. axe-core on every page on the way.
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { MeetingDto, SchedulingInfoDto } from '../../src-shared/booking/booking.schemas';
import { expectNoSeriousA11yViolations } from '../support/axe';
import {
  SHOTS,
  expectAccessibleAt1024,
  openSignInPage,
  signIn,
  startBookingHarness,
  submitSignIn,
  watchProblems,
  type BookingHarness,
  type Person,
} from './support/booking-page';

test.describe('signing in to VDX Booking', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  let h: BookingHarness;
  let clinician: Person;
  let page: Page;
  let problems: string[];
  const booked: Array<{ meeting: MeetingDto; info: SchedulingInfoDto }> = [];

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    h = await startBookingHarness();
    clinician = await h.person({ email: 'karen.klinisk@region.test', name: 'Karen Klinisk', roles: ['meeting-user'] });
    // Two meetings of hers (today and next week) and one of someone else's, booked through the API.
    // "Today" starts in a few minutes, so it is today whenever the test runs (but 23:5x).
    const at = (days: number, hours: number) => new Date(Date.now() + days * 86_400_000 + hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const [subject, days, organizedByEmail] of [
      ['Samtale om genoptræning', 0, clinician.email],
      ['Opfølgning efter operation', 7, clinician.email],
      ['En kollegas møde', 1, 'kollega@region.test'],
    ] as const) {
      const meeting = await h.api<MeetingDto>('POST', '/videoapi/v2/meetings', { subject, startTime: at(days, 0.05), endTime: at(days, 0.55), organizedByEmail });
      booked.push({ meeting, info: await h.schedulingInfo(meeting.uuid) });
    }
    page = await (await h.context()).newPage();
    problems = watchProblems(page);
  });

  test.afterAll(async () => {
    await h?.close();
  });

  test('a first visit goes straight to the Danish sign-in page, which has no serious accessibility problem', async () => {
    await openSignInPage(page, h.server.baseUrl);
    expect(new URL(page.url()).pathname).toMatch(/^\/oidc\/interaction\//);
    expect(await page.locator('html').getAttribute('lang')).toBe('da');
    expect(await page.locator('h1').innerText()).toBe('Log ind');
    expect(await page.locator('form button[type="submit"]').count()).toBe(1);
    await expectNoSeriousA11yViolations(page, 'sign-in page');
  });

  test('refuses a wrong password with a Danish sentence', async () => {
    await submitSignIn(page, clinician.email, 'forkert adgangskode her');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toBe('Forkert e-mail eller adgangskode.');
    // The e-mail stays, so only the password needs typing again.
    expect(await page.locator('input[name="email"]').inputValue()).toBe(clinician.email);
    await expectNoSeriousA11yViolations(page, 'sign-in page with an error');
  });

  test('locks an account after repeated failures, even against the right password', async () => {
    const victim = await h.person({ email: 'laast@region.test', name: 'Låst Person', roles: ['meeting-user'] });
    const other = await (await h.context()).newPage();
    await openSignInPage(other, h.server.baseUrl);
    for (let i = 0; i < 5; i++) {
      await submitSignIn(other, victim.email, `forkert nummer ${i} igen`);
      await other.getByRole('alert').waitFor();
    }
    await submitSignIn(other, victim.email, victim.password);
    const alert = other.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/^For mange forkerte forsøg\. Prøv igen om \d+ minutter\.$/);
    expect(await other.getByTestId('booking-user').count()).toBe(0);
    await other.close();
  });

  test("signs in and lists the person's own meetings — today and upcoming — each with its address", async () => {
    await submitSignIn(page, clinician.email, clinician.password);
    await page.getByTestId('booking-user').waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe('/booking/');
    // The code of the redirect is gone from the address bar.
    expect(new URL(page.url()).search).toBe('');
    expect(await page.getByTestId('booking-user').innerText()).toContain('Karen Klinisk');

    const mine = booked.filter((b) => b.meeting.organizedBy.email === clinician.email);
    for (const { meeting, info } of mine) {
      const item = page.locator(`[data-testid="meeting-item"][data-uuid="${meeting.uuid}"]`);
      await expect(item.getByTestId('meeting-address')).toHaveText(info.uriWithDomain);
      expect(await item.innerText()).toContain(meeting.subject);
    }
    await expect(page.getByTestId('section-today').locator('[data-testid="meeting-item"]')).toHaveCount(1);
    await expect(page.getByTestId('section-upcoming').locator('[data-testid="meeting-item"]')).toHaveCount(1);
    // A meeting-user never sees a colleague's meeting.
    expect(await page.getByText('En kollegas møde').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'booking-list.png') }).catch(() => undefined);
    await expectAccessibleAt1024(page, 'meeting list');
  });

  test('the language switch turns the page English and back', async () => {
    await page.getByRole('button', { name: 'English – EN' }).click();
    await expect(page.getByRole('heading', { level: 2 })).toHaveText('My meetings');
    await expect(page.getByTestId('section-today').locator('h3')).toContainText('Today');
    await page.getByRole('button', { name: 'Dansk – DA' }).click();
    await expect(page.getByRole('heading', { level: 2 })).toHaveText('Mine møder');
  });

  test('a reload keeps the sign-in (silently renewed, nothing in web storage)', async () => {
    await page.reload();
    await page.getByTestId('booking-user').waitFor({ timeout: 20_000 });
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored).not.toMatch(/eyJ/); // no JWT anywhere
  });

  test('signs out and says so, without sending the person back to the sign-in page', async () => {
    await page.getByTestId('sign-out').click();
    await expect(page.getByTestId('signed-out-notice')).toHaveText('Du er logget ud.');
    expect(new URL(page.url()).pathname).toBe('/booking/');
    await expectNoSeriousA11yViolations(page, 'signed out');
    // After signing out, the provider session is gone too: signing in asks for the password.
    await page.getByTestId('sign-in').click();
    await page.locator('input[name="password"]').waitFor({ timeout: 15_000 });
    expect(problems).toEqual([]);
  });

  test('a planner is signed in the same way and sees the whole organisation', async () => {
    const planner = await h.person({ email: 'peter.planner@region.test', name: 'Peter Planlægger', roles: ['meeting-user', 'meeting-planner'] });
    const p = await (await h.context()).newPage();
    await signIn(p, h.server.baseUrl, planner);
    await expect(p.getByRole('heading', { level: 2 })).toHaveText('Organisationens møder');
    await expect(p.getByText('En kollegas møde')).toBeVisible();
    await p.close();
  });
});
