/**
 * VDX Management's KPI area (`/manage/#kpis`) in headless Chromium against the real server: a
 * national IT admin signs in through the staff sign-in, two callers hold a meeting in a fixed VMR
 * through the Pexip client API, and the KPI table's current month shows it (one meeting, two calls,
 * a peak of two) beside the earlier months; the CSV download carries the same figures. Reached by
 * keyboard; axe-core at 1280 and 1024 px.
 */
import { expect, test, type Page } from '@playwright/test';
import { lastMonths } from '../../src-renderer/manage/kpis/kpi-table';
import { expectNoSeriousA11yViolations } from '../support/axe';
import { PASSWORD, expectAccessibleAt1024, startBookingHarness, submitSignIn, watchProblems, type BookingHarness } from './support/booking-page';

const IT = { email: 'it.national@vdx.test', name: 'Nina Drift', roles: ['management-admin'] };

/** The Copenhagen month now, as the table's `data-month`. */
const monthNow = () => lastMonths(new Date(), 1).to;

test.describe('KPIs in VDX Management', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  let h: BookingHarness;
  let page: Page;
  let problems: string[];

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    h = await startBookingHarness();
    await h.api('POST', '/management/v1/users', { ...IT, password: PASSWORD });
    // A meeting in a fixed VMR: two callers join through the Pexip client API, then leave.
    await h.api('POST', '/management/v1/vmrs', { alias: 'kpi-rum', name: 'KPI-rum', hostPin: '1234', guestPin: '5678' });
    const tokens: string[] = [];
    for (const [pin, name] of [['1234', 'Læge'], ['5678', 'Borger']]) {
      const res = await fetch(`${h.server.baseUrl}/api/client/v2/conferences/kpi-rum/request_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', pin: pin! },
        body: JSON.stringify({ display_name: name, call_tag: 'kpi-test' }),
      });
      expect(res.status).toBe(200);
      tokens.push(((await res.json()) as { result: { token: string } }).result.token);
    }
    for (const token of tokens) {
      const res = await fetch(`${h.server.baseUrl}/api/client/v2/conferences/kpi-rum/release_token`, { method: 'POST', headers: { token } });
      expect(res.status).toBe(200);
    }
    // The node writes its call records just after answering: wait until both calls are in.
    await expect
      .poll(async () => (await h.api<{ months: Array<{ calls: number }> }>('GET', `/management/v1/kpis?from=${monthNow()}&to=${monthNow()}`)).months[0]!.calls)
      .toBe(2);
    page = await (await h.context()).newPage();
    problems = watchProblems(page);
  });

  test.afterAll(async () => {
    await h?.close();
  });

  test("shows the last 12 months, this month's meeting counted, reached by keyboard", async () => {
    await page.goto(`${h.server.baseUrl}/manage/`);
    await page.locator('input[name="email"]').waitFor({ timeout: 15_000 });
    await submitSignIn(page, IT.email, PASSWORD);
    await page.getByTestId('manage-user').waitFor({ timeout: 20_000 });
    await page.getByTestId('nav-kpis').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Nøgletal pr. måned' })).toBeFocused();
    await expect(page.getByTestId('kpi-row')).toHaveCount(12);
    const current = page.locator(`tr[data-month="${monthNow()}"]`);
    // The newest month comes first.
    await expect(page.getByTestId('kpi-row').first()).toHaveAttribute('data-month', monthNow());
    await expect(current.getByTestId('kpi-meetings')).toHaveText('1');
    await expect(current.getByTestId('kpi-calls')).toHaveText('2');
    await expect(current.getByTestId('kpi-peakConcurrentParticipants')).toHaveText('2');
    // Too short to judge: no quality figure yet.
    await expect(current.getByTestId('kpi-videoQualityPercent')).toHaveText('–');
    await expect(page.getByTestId('kpi-row').last().getByTestId('kpi-calls')).toHaveText('0');
    await expectAccessibleAt1024(page, 'KPI table');
    await expectNoSeriousA11yViolations(page, 'KPI table at 1280 px');
    expect(problems).toEqual([]);
  });

  test('downloads the same figures as CSV', async () => {
    const download = page.waitForEvent('download');
    await page.getByTestId('kpi-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^vdx-kpi-\d{4}-\d{2}-\d{4}-\d{2}\.csv$/);
    const stream = await file.createReadStream();
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('month,meetings,meetingsBooked,calls,sms,smsDelivered,videoQualityPercent,peakConcurrentParticipants,uptimeInfrastructurePercent,uptimeApiPercent');
    expect(lines).toHaveLength(13);
    expect(lines[12]).toMatch(new RegExp(`^${monthNow()},1,\\d+,2,`));
  });
});
