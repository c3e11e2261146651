/**
 * A planner in VDX Booking (real server, headless Chromium): sees the organisation's meetings,
 * books one on behalf of a colleague (`organizedByEmail`), and the colleague — signed in in their
 * own browser — finds it among their meetings, with its address.
 */
import { expect, test, type Page } from '@playwright/test';
import type { MeetingDto } from '../../src-shared/booking/booking.schemas';
import {
  copenhagenDate,
  copenhagenInstant,
  expectAccessibleAt1024,
  signIn,
  startBookingHarness,
  watchProblems,
  type BookingHarness,
  type Person,
} from './support/booking-page';

const SUBJECT = 'Forundersøgelse, hjerteambulatoriet';

test.describe('a planner books for a colleague', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  let h: BookingHarness;
  let planner: Person;
  let colleague: Person;
  let page: Page;
  let problems: string[];
  const day = copenhagenDate(2);

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    h = await startBookingHarness();
    planner = await h.person({ email: 'sekretaer@region.test', name: 'Susanne Sekretær', roles: ['meeting-user', 'meeting-planner'] });
    colleague = await h.person({ email: 'overlaege@region.test', name: 'Ole Overlæge', roles: ['meeting-user'] });
    page = await (await h.context()).newPage();
    problems = watchProblems(page);
    await signIn(page, h.server.baseUrl, planner);
  });

  test.afterAll(async () => {
    await h?.close();
  });

  test("books on the colleague's behalf: the colleague organises it, the planner created it", async () => {
    await page.getByTestId('book-meeting').click();
    await page.getByLabel('Emne').fill(SUBJECT);
    await page.getByLabel('Dato').fill(day);
    await page.getByLabel('Starter').fill('08:30');
    await page.getByLabel('Slutter').fill('09:00');
    await page.getByLabel('Book på vegne af (e-mail)').fill('ikke en adresse');
    await page.getByTestId('submit-meeting').click();
    await expect(page.locator('#meeting-organizerEmail-error')).toHaveText('Skriv en gyldig e-mailadresse, fx navn@region.dk.');
    await expectAccessibleAt1024(page, 'planner booking form');
    await page.getByLabel('Book på vegne af (e-mail)').fill(colleague.email);
    await page.getByTestId('submit-meeting').click();
    await page.getByTestId('meeting-page').waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('meeting-organizer')).toHaveText(colleague.email);

    const [m] = await h.meetingsWithSubject(SUBJECT);
    expect(m!.organizedBy.email).toBe(colleague.email);
    expect(m!.createdBy.email).toBe(planner.email);
    expect(Date.parse(m!.startTime)).toBe(copenhagenInstant(day, '08:30'));
  });

  test("lists it among the organisation's meetings, with its organiser, and narrows to the planner's own", async () => {
    await page.getByTestId('back-to-list').click();
    const [m] = await h.meetingsWithSubject(SUBJECT);
    const item = page.locator(`[data-testid="meeting-item"][data-uuid="${m!.uuid}"]`);
    await expect(item).toContainText(`Arrangør: ${colleague.email}`);
    await page.getByLabel('Vis kun møder, jeg er arrangør af').check();
    await expect(item).toHaveCount(0);
    await page.getByLabel('Vis kun møder, jeg er arrangør af').uncheck();
    await expect(item).toHaveCount(1);
    await expectAccessibleAt1024(page, "organisation's meetings");
  });

  test('the colleague signs in and finds the meeting, with its address, among their own', async () => {
    const [m] = await h.meetingsWithSubject(SUBJECT);
    const info = await h.schedulingInfo(m!.uuid);
    const theirs = await (await h.context()).newPage();
    await signIn(theirs, h.server.baseUrl, colleague);
    await expect(theirs.getByRole('heading', { level: 2 })).toHaveText('Mine møder');
    const item = theirs.locator(`[data-testid="meeting-item"][data-uuid="${m!.uuid}"]`);
    await expect(item.getByTestId('meeting-address')).toHaveText(info.uriWithDomain);
    await item.getByTestId('open-meeting').click();
    await expect(theirs.getByTestId('host-pin')).toHaveText(String(info.hostPin));
    await theirs.close();
  });

  test("moves the colleague's meeting, which stays the colleague's", async () => {
    const [m] = await h.meetingsWithSubject(SUBJECT);
    await page.locator(`[data-uuid="${m!.uuid}"] [data-testid="open-meeting"]`).click();
    await page.getByTestId('edit-meeting').click();
    await expect(page.getByLabel('Book på vegne af (e-mail)')).toHaveValue(colleague.email);
    await page.getByLabel('Starter').fill('09:30');
    await page.getByLabel('Slutter').fill('10:00');
    await page.getByTestId('submit-meeting').click();
    await expect(page.getByTestId('booking-notice')).toHaveText('Ændringerne er gemt.');
    const moved = (await h.api<MeetingDto>('GET', `/videoapi/v2/meetings/${m!.uuid}`));
    expect(Date.parse(moved.startTime)).toBe(copenhagenInstant(day, '09:30'));
    expect(moved.organizedBy.email).toBe(colleague.email);
    expect(moved.updatedBy?.email).toBe(planner.email);
    expect(problems).toEqual([]);
  });
});
