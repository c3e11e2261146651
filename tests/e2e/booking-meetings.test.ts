/**
 * Booking a meeting in VDX Booking (`/booking/`), real server and headless Chromium: a clinician
 * books from the form (its own checks first), sees the address, PINs, links and the Danish
 * invitation (copied, and as an .ics file), invites a room and a person, moves the meeting,
 * meets a VDX rule as a Danish sentence, cancels, searches, and joins as host in the call view.
 * What the page booked is checked where it counts: the booking API's own answers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { MeetingDto } from '../../src-shared/booking/booking.schemas';
import { demoSchedulingTemplate } from '../../src-shared/booking/demo-scheduling-template';
import { expectNoSeriousA11yViolations } from '../support/axe';
import { waitFor } from './support/chromium';
import {
  SHOTS,
  copenhagenDate,
  copenhagenInstant,
  expectAccessibleAt1024,
  signIn,
  startBookingHarness,
  watchProblems,
  type BookingHarness,
  type Person,
} from './support/booking-page';

const SUBJECT = 'Videokonsultation, knæ';
const MOVED = `${SUBJECT} (flyttet)`;
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
const vdxNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

test.describe('booking meetings in VDX Booking', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  let h: BookingHarness;
  let clinician: Person;
  let page: Page;
  let problems: string[];
  let roomId: string;
  let uuid: string;
  const day = copenhagenDate(1);

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    h = await startBookingHarness();
    clinician = await h.person({ email: 'karen.klinisk@region.test', name: 'Karen Klinisk', roles: ['meeting-user'] });
    roomId = (await h.api<{ id: string }>('POST', '/management/v1/rooms', { name: 'Stue 4, Ortopædkirurgisk', location: 'Afsnit 7' })).id;
    page = await (await h.context()).newPage();
    problems = watchProblems(page);
    await signIn(page, h.server.baseUrl, clinician);
  });

  test.afterAll(async () => {
    await h?.close();
  });

  test('the form says what is missing at the field, with the focus there', async () => {
    await page.getByTestId('book-meeting').click();
    await expect(page.getByRole('heading', { level: 2 })).toHaveText('Book et møde');
    expect(await focusedId(page)).toBe('book-title');
    await expectAccessibleAt1024(page, 'booking form');
    await page.getByTestId('submit-meeting').click();
    await expect(page.locator('#meeting-subject-error')).toHaveText('Skriv et emne for mødet.');
    expect(await focusedId(page)).toBe('meeting-subject');
    await page.getByLabel('Emne').fill(SUBJECT);
    await page.getByLabel('Dato').fill(day);
    await page.getByLabel('Starter').fill('10:00');
    await page.getByLabel('Slutter').fill('09:30');
    await page.getByTestId('submit-meeting').click();
    await expect(page.locator('#meeting-endTime-error')).toHaveText('Mødet skal slutte efter, at det starter.');
    expect(await focusedId(page)).toBe('meeting-endTime');
    await expectAccessibleAt1024(page, 'booking form with an error');
  });

  test('books the meeting and shows its address, host and guest PIN, links and invitation', async () => {
    await page.getByLabel('Beskrivelse').fill('Husk at have medicinlisten klar.');
    await page.getByLabel('Slutter').fill('10:45');
    await page.getByLabel('Gæsternes mikrofon').selectOption('muted');
    await page.getByLabel('Etiketter').fill('Ortopædi, Opfølgning');
    await page.getByLabel('Højst antal deltagere').fill('6');
    await page.getByTestId('submit-meeting').click();
    const meetingPage = page.getByTestId('meeting-page');
    await meetingPage.waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('booking-notice')).toHaveText('Mødet er booket. Send invitationen til gæsterne.');
    uuid = (await meetingPage.getAttribute('data-uuid'))!;

    const info = await h.schedulingInfo(uuid);
    await expect(page.getByTestId('meeting-uri')).toHaveText(info.uriWithDomain);
    await expect(page.getByTestId('host-pin')).toHaveText(String(info.hostPin));
    await expect(page.getByTestId('guest-pin')).toHaveText(String(info.guestPin));
    await expect(page.getByTestId('guest-link')).toHaveText(info.portalLink);
    expect(info.maxParticipants).toBe(6);
    // Its room opens ten minutes before (the template's vMRAvailableBefore): no joining before that.
    await expect(page.getByTestId('opens-at')).toHaveText(/^Mødelokalet åbner \S+ den \d+\. \S+ \d{4} 09\.50\. Derfra kan du deltage som vært\.$/);
    await expect(page.getByTestId('join-as-host')).toHaveCount(0);
    expect(info.hostPin).not.toBeNull();
    await page.screenshot({ path: path.join(SHOTS, 'booking-meeting.png'), fullPage: true }).catch(() => undefined);
    await expectAccessibleAt1024(page, 'meeting page');
  });

  test('is the object GET /videoapi/v2/meetings returns, organised by the person who booked it', async () => {
    const found = await h.meetingsWithSubject(SUBJECT);
    expect(found).toHaveLength(1);
    const m = found[0]!;
    expect(m.uuid).toBe(uuid);
    expect(m.organizedBy.email).toBe(clinician.email);
    expect(m.createdBy.email).toBe(clinician.email);
    expect(Date.parse(m.startTime)).toBe(copenhagenInstant(day, '10:00'));
    expect(Date.parse(m.endTime)).toBe(copenhagenInstant(day, '10:45'));
    expect(m.description).toBe('Husk at have medicinlisten klar.');
    expect(m.labels).toEqual(['Ortopædi', 'Opfølgning']);
    expect(m.guestMicrophone).toBe('muted');
    expect(m.guestPinRequired).toBe(true);
    await expect(page.getByTestId('short-link')).toHaveText(m.shortLink);
    // Nothing else holds the person's token: the page's own cookies do not open the API.
    const own = await page.evaluate(async (id) => (await fetch(`/videoapi/v2/meetings/${id}`)).status, uuid);
    expect(own).toBe(401); // the page's token lives in the session module only, never in a cookie
  });

  test('gives a Danish invitation to copy, without the host PIN, and the meeting as an .ics file', async () => {
    const info = await h.schedulingInfo(uuid);
    const [m] = await h.meetingsWithSubject(SUBJECT);
    const text = await page.getByTestId('invitation-text').inputValue();
    expect(text).toContain(`Du er inviteret til et videomøde: ${SUBJECT}`);
    expect(text).toContain(m!.shortLink);
    expect(text).toContain(`PIN-kode til mødet: ${info.guestPin}`);
    expect(text).toContain(info.uriWithDomain);
    expect(text).not.toContain(String(info.hostPin));
    await page.getByTestId('copy-invitation').click();
    await expect(page.getByText('Kopieret.')).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-ics').click()]);
    expect(download.suggestedFilename()).toBe('Videokonsultation-knae.ics');
    const ics = readFileSync((await download.path())!, 'utf8').replace(/\r\n /g, '');
    expect(ics).toContain('BEGIN:VEVENT');
    expect(ics).toContain(`DTSTART:${new Date(copenhagenInstant(day, '10:00')).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`);
    expect(ics).toContain(`URL:${m!.shortLink}`);
    expect(ics).not.toContain(String(info.hostPin));
  });

  test('invites a room as host — on its calendar — and a person, refusing a wrong mobile number', async () => {
    await page.getByLabel('Mødelokale', { exact: true }).selectOption(roomId);
    await page.getByLabel('Lokalet deltager som').selectOption('host');
    await page.getByTestId('add-room-submit').click();
    await expect(page.getByTestId('participant').filter({ hasText: 'Stue 4, Ortopædkirurgisk' })).toContainText('som vært');
    const [m] = await h.meetingsWithSubject(SUBJECT);
    expect((m as MeetingDto & { rooms: unknown }).rooms).toEqual([{ roomId, role: 'host' }]);
    const calendar = await fetch(`${h.server.baseUrl}/appointments/v1/rooms/${roomId}/calendar.ics`, { headers: { authorization: `Bearer ${await h.server.adminToken()}` } });
    expect((await calendar.text()).replace(/\r\n /g, '')).toContain(`UID:${uuid}@`);

    await page.getByLabel('Navn').fill('Jens Hansen');
    await page.getByLabel('Mobilnummer').fill('1234');
    await page.getByTestId('add-person-submit').click();
    await expect(page.locator('#person-phone-error')).toHaveText('Skriv et mobilnummer med 8 cifre eller med landekode, fx +4512345678.');
    expect(await focusedId(page)).toBe('person-phone');
    await page.getByLabel('Mobilnummer').fill('20 30 40 50');
    await page.getByLabel('E-mail', { exact: true }).fill('jens@example.dk');
    await page.getByTestId('add-person-submit').click();
    await expect(page.getByTestId('participant').filter({ hasText: 'Jens Hansen' })).toContainText('jens@example.dk · +4520304050');
    const { participants } = await h.api<{ participants: Array<{ kind: string; name: string | null; phone: string | null }> }>('GET', `/appointments/v1/meetings/${uuid}/participants`);
    expect(participants.map((p) => [p.kind, p.name, p.phone])).toEqual([
      ['room', null, null],
      ['person', 'Jens Hansen', '+4520304050'],
    ]);
    await expectAccessibleAt1024(page, 'meeting page with participants');
  });

  test('moves the meeting and renames it', async () => {
    await page.getByTestId('edit-meeting').click();
    await expect(page.getByRole('heading', { level: 2 })).toHaveText('Ret eller flyt mødet');
    await expect(page.getByLabel('Starter')).toHaveValue('10:00');
    await expectAccessibleAt1024(page, 'edit form');
    await page.getByLabel('Emne').fill(MOVED);
    await page.getByLabel('Starter').fill('13:00');
    await page.getByLabel('Slutter').fill('13:30');
    await page.getByTestId('submit-meeting').click();
    await expect(page.getByTestId('booking-notice')).toHaveText('Ændringerne er gemt.');
    const [m] = await h.meetingsWithSubject(MOVED);
    expect(Date.parse(m!.startTime)).toBe(copenhagenInstant(day, '13:00'));
    expect(Date.parse(m!.endTime)).toBe(copenhagenInstant(day, '13:30'));
    expect(m!.organizedBy.email).toBe(clinician.email);
  });

  test('a VDX rule becomes a plain Danish sentence: the room was prepared before the cancellation', async () => {
    // A provisioner prepares the meeting's room while the page still shows it as booked.
    const provisioner = await h.clientToken(['meeting-provisioner-user']);
    await h.api('PUT', `/videoapi/v2/scheduling-info/${uuid}`, { provisionStatus: 'PROVISIONED_OK', provisionVmrId: 'vmr-1' }, { token: provisioner });
    await page.getByTestId('cancel-meeting').click();
    await page.getByTestId('confirm-cancel').click();
    await expect(page.getByTestId('cancel-failure')).toHaveText(
      'Mødet kan ikke længere aflyses, fordi mødelokalet allerede er gjort klar. Du kan stadig ændre sluttidspunktet.',
    );
    expect(await page.getByTestId('cancel-failure').innerText()).not.toMatch(/\d/);
    // Reopened, the page knows: only the end time may change now.
    await page.getByTestId('back-to-list').click();
    await page.locator(`[data-uuid="${uuid}"] [data-testid="open-meeting"]`).click();
    await expect(page.getByTestId('meeting-status')).toHaveText('Mødelokalet er klar');
    await page.getByTestId('edit-meeting').click();
    await expect(page.getByText('Mødelokalet er allerede gjort klar. Nu kan kun sluttidspunktet ændres.')).toBeVisible();
    await expect(page.getByLabel('Emne')).toBeDisabled();
    await page.getByLabel('Slutter').fill('14:00');
    await page.getByTestId('submit-meeting').click();
    await expect(page.getByTestId('booking-notice')).toHaveText('Ændringerne er gemt.');
    expect(Date.parse((await h.meetingsWithSubject(MOVED))[0]!.endTime)).toBe(copenhagenInstant(day, '14:00'));
  });

  test('a template without free addresses is refused in words, not a number', async () => {
    const full = await h.api<{ id: number }>('POST', '/videoapi/v2/scheduling-templates', demoSchedulingTemplate({ isDefaultTemplate: false, uriPrefix: 'fuld', uriNumberRangeLow: 500, uriNumberRangeHigh: 501 }));
    await h.api('POST', '/videoapi/v2/meetings', { subject: 'Tager den sidste adresse', startTime: vdxNow(600), endTime: vdxNow(630), schedulingTemplateId: full.id });
    await page.getByTestId('back-to-list').click();
    await page.getByTestId('book-meeting').click();
    await page.getByLabel('Emne').fill('Et møde for meget');
    await page.getByLabel('Dato').fill(day);
    await page.getByLabel('Starter').fill('15:00');
    await page.getByLabel('Slutter').fill('15:30');
    await page.getByLabel('Mødeskabelon').selectOption(String(full.id));
    await page.getByTestId('submit-meeting').click();
    await expect(page.getByTestId('form-failure')).toHaveText('Der er ikke flere ledige mødeadresser i mødeskabelonen. Kontakt jeres VDX-administrator.');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('form-failure');
    await expectAccessibleAt1024(page, 'booking form refused by the server');
    await page.getByRole('button', { name: 'Annuller' }).click();
  });

  test('cancels a meeting that is not prepared yet', async () => {
    const doomed = await h.api<MeetingDto>('POST', '/videoapi/v2/meetings', { subject: 'Aflyses', startTime: vdxNow(2 * 24 * 60), endTime: vdxNow(2 * 24 * 60 + 30), organizedByEmail: clinician.email });
    await page.reload();
    await page.locator(`[data-uuid="${doomed.uuid}"] [data-testid="open-meeting"]`).click({ timeout: 20_000 });
    await page.getByTestId('cancel-meeting').click();
    await expect(page.getByText('Vil du aflyse “Aflyses”? Gæsternes link holder op med at virke.')).toBeVisible();
    await page.getByTestId('confirm-cancel').click();
    await expect(page.getByTestId('booking-notice')).toHaveText('Mødet er aflyst.');
    await h.api('GET', `/videoapi/v2/meetings/${doomed.uuid}`, undefined, { expected: [404] });
    expect(await page.locator(`[data-uuid="${doomed.uuid}"]`).count()).toBe(0);
  });

  test('finds meetings by subject and by label', async () => {
    await page.getByTestId('meeting-search').fill('flyttet');
    await page.getByTestId('meeting-search').press('Enter');
    await expect(page.getByTestId('section-results').locator('[data-testid="meeting-item"]')).toHaveCount(1);
    await page.getByTestId('meeting-search').fill('Ortopædi');
    await page.getByTestId('meeting-search').press('Enter');
    await expect(page.getByTestId('section-results').locator('h3')).toContainText('Søgeresultater for “Ortopædi”');
    await expect(page.getByTestId('section-results').locator('[data-testid="meeting-item"]')).toHaveCount(1);
    await page.getByTestId('meeting-search').fill('findes ikke');
    await page.getByTestId('meeting-search').press('Enter');
    await expect(page.getByText('Ingen møder passer til søgningen.')).toBeVisible();
    await expectAccessibleAt1024(page, 'search results');
    await page.getByRole('button', { name: 'Ryd søgning' }).click();
  });

  test('books an instant meeting in one of the pool rooms where the organisation keeps a pool', async () => {
    // The organisation keeps a pool of one prepared room (a provisioner made it).
    await h.api('PATCH', '/management/v1/organisations/vdx', { poolSize: 1 });
    const [template] = await h.api<Array<{ id: number }>>('GET', '/videoapi/v2/scheduling-templates');
    const provisioner = await h.clientToken(['meeting-provisioner-user']);
    const pooled = await h.api<{ uuid: string; uriWithDomain: string }>(
      'POST',
      '/videoapi/v2/scheduling-info',
      { organizationId: 'vdx', schedulingTemplateId: template!.id, provisionStatus: 'PROVISIONED_OK', provisionVmrId: 'pool-1' },
      { token: provisioner },
    );
    await page.getByTestId('book-meeting').click();
    await page.getByTestId('kind-pool').check();
    await expect(page.getByText('Et straksmøde bruger et af organisationens klargjorte mødelokaler. 1 er ledigt lige nu.')).toBeVisible();
    await expect(page.getByLabel('Dato')).toHaveCount(0);
    await page.getByLabel('Emne').fill('Straksmøde med pårørende');
    // An instant meeting ends today: 20 minutes from now, or at 23:59 late in the evening.
    const clock = (ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
    const end = clock(Date.now() + 20 * 60_000) > clock(Date.now()) ? clock(Date.now() + 20 * 60_000) : '23:59';
    await page.getByLabel('Slutter').fill(end);
    await expectAccessibleAt1024(page, 'instant meeting form');
    await page.getByTestId('submit-meeting').click();
    await page.getByTestId('meeting-page').waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('meeting-uri')).toHaveText(pooled.uriWithDomain);
    await expect(page.getByTestId('meeting-status')).toHaveText('Mødelokalet er klar');
    await page.getByTestId('back-to-list').click();
  });

  test('joins as host from the page: the call view, in the meeting without typing the host PIN', async () => {
    // Starts in three minutes; the template opens the room ten minutes before.
    const soon = await h.api<MeetingDto>('POST', '/videoapi/v2/meetings', { subject: 'Straks', startTime: vdxNow(3), endTime: vdxNow(33), organizedByEmail: clinician.email });
    await page.reload();
    await page.locator(`[data-uuid="${soon.uuid}"] [data-testid="open-meeting"]`).click({ timeout: 20_000 });
    await page.getByTestId('join-as-host').click();
    // "In the call" is the phase plus our own row in the participant list: the list arrives a moment
    // after the call is up, so both are waited for before the role is read.
    type CallWindow = { vdxCall?: { getSnapshot(): { phase: { kind: string }; me?: { isHost: boolean } } } };
    const joined = await waitFor(
      'the host in the call',
      async () => {
        const state = await page.evaluate(() => {
          const snapshot = (window as unknown as CallWindow).vdxCall?.getSnapshot();
          return snapshot ? { kind: snapshot.phase.kind, isHost: snapshot.me?.isHost } : undefined;
        });
        if (state === undefined) return undefined;
        if (state.kind === 'failed' || state.kind === 'pin-required') return state;
        return state.kind === 'in-call' && state.isHost !== undefined ? state : undefined;
      },
      30_000,
    );
    expect(joined).toEqual({ kind: 'in-call', isHost: true });
    await page.getByTestId('call-view').waitFor();
    await expectNoSeriousA11yViolations(page, 'call view (host)');
    await page.getByRole('button', { name: 'Forlad mødet' }).click();
    await page.getByTestId('back-to-meeting').click();
    await expect(page.getByTestId('meeting-page')).toHaveAttribute('data-uuid', soon.uuid);
    expect(problems).toEqual([]);
  });
});
