import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type BrowserContext, type Page } from '@playwright/test';
import { demoSchedulingTemplate } from '../../../src-shared/booking/demo-scheduling-template';
import type { MeetingDto, SchedulingInfoDto } from '../../../src-shared/booking/booking.schemas';
import { expectNoSeriousA11yViolations } from '../../support/axe';
import { launchChromium, type E2eBrowser } from './chromium';
import { startE2eServer, type E2eServer } from './e2e-server';
import { ensureRendererBuild } from './renderer-build';

/**
 * What the VDX Booking browser tests share: the real server with a default scheduling template,
 * people created through the users API, Chromium contexts at laptop width in Copenhagen time,
 * signing in through the provider's own page, and the booking API as a client would read it.
 */

export const SHOTS = path.resolve('tests/.tmp/screenshots');
export const PASSWORD = 'en lang adgangssætning til test';

export interface Person {
  email: string;
  name: string;
  password: string;
}

export interface BookingHarness {
  server: E2eServer;
  chromium: E2eBrowser;
  /** JSON over HTTP to the server as the bootstrap admin (or `token`); fails on a status not in `expected`. */
  api<T>(method: string, url: string, body?: unknown, options?: { token?: string; expected?: number[] }): Promise<T>;
  person(spec: { email: string; name: string; roles: string[] }): Promise<Person>;
  /** A browser context as a person at a workstation: 1280×800, Danish, Copenhagen time. */
  context(options?: { width?: number }): Promise<BrowserContext>;
  /** Meetings and their scheduling infos as the booking API returns them to the admin. */
  meetingsWithSubject(subject: string): Promise<MeetingDto[]>;
  schedulingInfo(uuid: string): Promise<SchedulingInfoDto>;
  /** An access token of a new API client of the organisation with these VDX roles (a provisioner, say). */
  clientToken(roles: string[]): Promise<string>;
  close(): Promise<void>;
}

export async function startBookingHarness(): Promise<BookingHarness> {
  mkdirSync(SHOTS, { recursive: true });
  const server = await startE2eServer(await ensureRendererBuild());
  const chromium = await launchChromium();
  const contexts: BrowserContext[] = [];

  const api = async <T>(method: string, url: string, body?: unknown, options: { token?: string; expected?: number[] } = {}): Promise<T> => {
    const res = await fetch(`${server.baseUrl}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token ?? (await server.adminToken())}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    expect(options.expected ?? [200, 201, 204], `${method} ${url}: ${res.status} ${text}`).toContain(res.status);
    return (text ? JSON.parse(text) : undefined) as T;
  };

  // The organisation's default template: six-digit addresses, four-digit host and guest PINs.
  await api('POST', '/videoapi/v2/scheduling-templates', demoSchedulingTemplate());

  return {
    server,
    chromium,
    api,
    async person(spec) {
      await api('POST', '/management/v1/users', { ...spec, password: PASSWORD });
      return { email: spec.email, name: spec.name, password: PASSWORD };
    },
    async context(options = {}) {
      const context = await chromium.browser.newContext({
        viewport: { width: options.width ?? 1280, height: 800 },
        locale: 'da-DK',
        timezoneId: 'Europe/Copenhagen',
        permissions: ['clipboard-read', 'clipboard-write'],
        acceptDownloads: true,
      });
      contexts.push(context);
      return context;
    },
    async meetingsWithSubject(subject) {
      return api<MeetingDto[]>('GET', `/videoapi/v2/meetings?subject=${encodeURIComponent(subject)}`);
    },
    async schedulingInfo(uuid) {
      return api<SchedulingInfoDto>('GET', `/videoapi/v2/scheduling-info/${uuid}`);
    },
    async clientToken(roles) {
      const client = await api<{ clientId: string; clientSecret: string }>('POST', '/management/v1/api-clients', { name: `test ${roles.join(' ')}`, roles, scopes: ['booking'] });
      const res = await fetch(`${server.baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await chromium.close();
      await server.close();
    },
  };
}

/** Collects what must never happen on a page: script errors and CSP violations. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && /Content Security Policy/i.test(m.text()) && problems.push(m.text()));
  return problems;
}

/** Opens /booking/, which sends a person without a session to the provider's sign-in page. */
export async function openSignInPage(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/booking/`);
  await page.locator('input[name="email"]').waitFor({ timeout: 15_000 });
}

/** Fills the sign-in page's form (the acceptance interface: name="email", name="password", one submit button). */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
}

/** The whole way in: /booking/ → sign-in page → back on /booking/ with the person's meetings. */
export async function signIn(page: Page, baseUrl: string, person: Person): Promise<void> {
  await openSignInPage(page, baseUrl);
  await submitSignIn(page, person.email, person.password);
  await page.getByTestId('booking-user').waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('booking-user').innerText()).toContain(person.name);
  await page.getByTestId('section-today').waitFor();
}

/** axe-core finds nothing serious, and the page does not scroll sideways at 1024 px. */
export async function expectAccessibleAt1024(page: Page, where: string): Promise<void> {
  await expectNoSeriousA11yViolations(page, where);
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1024, height: size?.height ?? 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `${where} at 1024 px`).toBeLessThanOrEqual(0);
  if (size) await page.setViewportSize(size);
}

/** A Copenhagen date (`YYYY-MM-DD`) a number of days from today. */
export function copenhagenDate(daysAhead: number): string {
  const d = new Date(Date.now() + daysAhead * 24 * 3600_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** The instant of a Copenhagen date and time, as the booking API writes it back (`+01:00`/`+02:00`). */
export function copenhagenInstant(date: string, time: string): number {
  for (const offset of [2, 1]) {
    const instant = Date.parse(`${date}T${time}:00+0${offset}:00`);
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
    if (local === time) return instant;
  }
  throw new Error(`${date} ${time} is no Copenhagen time`);
}
