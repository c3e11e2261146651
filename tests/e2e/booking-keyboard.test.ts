/**
 * VDX Booking by keyboard alone (real server, headless Chromium): sign in, book a meeting with
 * the native date and time inputs, read its PINs, invite a room and cancel the meeting — only
 * Tab, Shift+Tab, typing, arrows, Space and Enter; never a click. Each step also checks that the
 * focus lands where a keyboard user needs it.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  copenhagenDate,
  copenhagenInstant,
  openSignInPage,
  startBookingHarness,
  watchProblems,
  type BookingHarness,
  type Person,
} from './support/booking-page';

const SUBJECT = 'Tastaturmøde';

/** What has the focus: its test id, id or text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el?.getAttribute('data-testid') ?? el?.id ?? el?.textContent?.trim() ?? '';
  });

/** Presses Tab until `target` (a test id or element id) has the focus; fails after `max` presses. */
async function tabTo(page: Page, target: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    if ((await focused(page)) === target) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target} (last: ${await focused(page)})`);
}

/**
 * The keys that type `date` (YYYY-MM-DD) into this browser's date inputs: the segment order is
 * learnt on a scratch page of the same browser (typing 01, 02, 2030 and reading what it became).
 */
async function dateKeys(page: Page, date: string): Promise<string> {
  const probe = await page.context().newPage();
  await probe.setContent('<input type="date" id="d">');
  await probe.focus('#d');
  await probe.keyboard.type('01022030');
  const monthFirst = (await probe.inputValue('#d')) === '2030-01-02';
  await probe.close();
  const [y, m, d] = date.split('-');
  return monthFirst ? `${m}${d}${y}` : `${d}${m}${y}`;
}

test.describe('VDX Booking by keyboard alone', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  let h: BookingHarness;
  let person: Person;
  let page: Page;
  let problems: string[];
  let roomId: string;
  const day = copenhagenDate(3);

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    h = await startBookingHarness();
    person = await h.person({ email: 'tastatur@region.test', name: 'Tove Tastatur', roles: ['meeting-user'] });
    roomId = (await h.api<{ id: string }>('POST', '/management/v1/rooms', { name: 'Mødelokale Tasten', location: 'Stuen' })).id;
    page = await (await h.context()).newPage();
    problems = watchProblems(page);
  });

  test.afterAll(async () => {
    await h?.close();
  });

  test('signs in: the e-mail field has the focus, Tab to the password, Enter', async () => {
    await openSignInPage(page, h.server.baseUrl);
    expect(await focused(page)).toBe('email');
    await page.keyboard.type(person.email);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('password');
    await page.keyboard.type(person.password);
    await page.keyboard.press('Enter');
    await page.getByTestId('booking-user').waitFor({ timeout: 20_000 });
    await expect.poll(() => focused(page)).toBe('meetings-title');
  });

  test('books a meeting with typed date and times', async () => {
    await tabTo(page, 'book-meeting');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('book-title');
    await tabTo(page, 'meeting-subject');
    await page.keyboard.type(SUBJECT);
    await tabTo(page, 'meeting-date');
    // A native date input types its day, month and year segments in the order of the browser's
    // own language (headless Chromium: month first), as its user knows it.
    await page.keyboard.type(await dateKeys(page, day));
    await expect(page.locator('#meeting-date')).toHaveValue(day);
    await tabTo(page, 'meeting-startTime');
    // A 12-hour browser (headless Chromium's en-US) has an AM/PM segment after the minutes; a
    // 24-hour one ignores the letter. Both times are before noon.
    await page.keyboard.type('1015A');
    await expect(page.locator('#meeting-startTime')).toHaveValue('10:15');
    await tabTo(page, 'meeting-endTime');
    await page.keyboard.type('1100A');
    await expect(page.locator('#meeting-endTime')).toHaveValue('11:00');
    await tabTo(page, 'meeting-guestPinRequired');
    await page.keyboard.press('Space'); // no guest PIN
    await expect(page.locator('#meeting-guestPinRequired')).not.toBeChecked();
    await tabTo(page, 'meeting-guestMicrophone');
    await page.keyboard.press('ArrowDown'); // "muted when the guest joins"
    await expect(page.locator('#meeting-guestMicrophone')).toHaveValue('muted');
    await tabTo(page, 'meeting-labels');
    await page.keyboard.type('Tastatur');
    await tabTo(page, 'submit-meeting');
    await page.keyboard.press('Enter');
    await page.getByTestId('meeting-page').waitFor({ timeout: 15_000 });
    await expect.poll(() => focused(page)).toBe('meeting-title');

    const [booked] = await h.meetingsWithSubject(SUBJECT);
    expect(booked!.organizedBy.email).toBe(person.email);
    expect(Date.parse(booked!.startTime)).toBe(copenhagenInstant(day, '10:15'));
    expect(Date.parse(booked!.endTime)).toBe(copenhagenInstant(day, '11:00'));
    expect(booked!.guestPinRequired).toBe(false);
    expect(booked!.guestMicrophone).toBe('muted');
    expect(booked!.labels).toEqual(['Tastatur']);
    const info = await h.schedulingInfo(booked!.uuid);
    await expect(page.getByTestId('host-pin')).toHaveText(String(info.hostPin));
    // The template draws guest PINs; "no guest PIN" cleared this one.
    expect(info.guestPin).toBeNull();
    await expect(page.getByTestId('guest-pin-none')).toHaveText('Gæster skal ikke bruge PIN-kode.');
  });

  test('invites a room as host', async () => {
    await tabTo(page, 'add-room-role');
    await page.keyboard.press('ArrowDown');
    await expect(page.locator('#add-room-role')).toHaveValue('host');
    await tabTo(page, 'add-room-submit');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('participant')).toContainText('Mødelokale Tasten');
    const [booked] = await h.meetingsWithSubject(SUBJECT);
    expect((booked as unknown as { rooms: unknown }).rooms).toEqual([{ roomId, role: 'host' }]);
  });

  test('cancels it: Enter, the focus on "yes", Enter', async () => {
    // Back up the page to the cancel button (it comes before the invitation and participants).
    for (let i = 0; i < 60 && (await focused(page)) !== 'cancel-meeting'; i++) await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('cancel-meeting');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('confirm-cancel');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('booking-notice')).toHaveText('Mødet er aflyst.');
    await expect.poll(() => focused(page)).toBe('meetings-title');
    expect(await h.meetingsWithSubject(SUBJECT)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
