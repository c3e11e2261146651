/**
 * The desktop's staff sign-in against the real server and its embedded OpenID Provider (built by
 * createTestApp, served on 127.0.0.1): the agent opens the sign-in page in "the system browser"
 * (a double that signs in over HTTP like a person would), the provider redirects to the agent's
 * loopback listener, the agent redeems the code with PKCE. The server's clock stands at the real
 * time (the provider stamps its tokens with `Date`); the agent has its own clock, which the tests
 * move to make renewals and time-outs due — the server never sees time jump.
 */
import { expect, test } from '@playwright/test';
import { ORG, call, callers, templateBody } from '../../src-server/booking/booking.test-support';
import { freePort } from '../../src-server/http/free-port';
import { createTestApp, type TestApp } from '../../src-server/test-support/test-app';
import { authHeader } from '../../src-server/test-support/tokens';
import { createTestAgent, type TestAgent } from '../../src-main/agent/test-support/test-agent';
import { REFRESH_TOKEN_KEY, SIGN_IN_TIMEOUT_MS } from '../../src-main/agent/staff/staff-session.controller';
import { MemorySecretStore, MemorySettingsStore } from '../../src-main/agent/platform/memory-platform';
import { ManualClock } from '../../src-shared/platform/clock';
import type { AppState, CallCommand } from '../../src-shared/ipc/room-bridge.contract';
import { SystemBrowserDouble } from './support/system-browser-double';

const PASSWORD = 'correct horse battery staple';
const CLINICIAN = { email: 'anne.jensen@region-h.dk', name: 'Anne Jensen' };
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

let t: TestApp | undefined;
const agents: TestAgent[] = [];
let serverUrl: string;

test.afterEach(async () => {
  for (const a of agents.splice(0)) await a.agent.stop();
  await t?.close();
  t = undefined;
});

async function startServer(): Promise<TestApp> {
  const port = await freePort();
  serverUrl = `http://127.0.0.1:${port}`;
  t = await createTestApp('sqlite', { VDX_PUBLIC_URL: serverUrl }, new ManualClock(new Date()));
  await t.app.listen({ host: '127.0.0.1', port });
  const admin = await authHeader(t, { roles: [], organisation: t.config.bootstrapOrganisation, managementAdmin: true });
  const c = await callers(t);
  expect((await call(t, c.admin, 'POST', 'scheduling-templates', templateBody())).statusCode).toBe(200);
  for (const person of [CLINICIAN, { email: 'bo@region-h.dk', name: 'Bo' }]) {
    const res = await t.app.inject({ method: 'POST', url: '/management/v1/users', headers: admin, payload: { ...person, organisationCode: ORG, roles: ['meeting-user'], password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(201);
  }
  return t;
}

/** A meeting booked by a planner for `email`, starting `inMinutes` from now. */
async function bookFor(email: string, subject: string, inMinutes: number): Promise<{ uuid: string }> {
  const c = await callers(t!);
  const start = new Date(t!.clock.now().getTime() + inMinutes * 60_000);
  const res = await call(t!, c.planner, 'POST', 'meetings', { subject, startTime: iso(start), endTime: iso(new Date(start.getTime() + 30 * 60_000)), organizedByEmail: email });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { uuid: string };
}

function desktopAgent(browser: SystemBrowserDouble, o: { secrets?: MemorySecretStore; settings?: MemorySettingsStore; fetch?: typeof fetch } = {}): TestAgent {
  const a = createTestAgent({
    serverUrl,
    clock: new ManualClock(new Date()),
    mode: 'desktop',
    ...(o.secrets ? { secrets: o.secrets } : {}),
    ...(o.settings ? { settings: o.settings } : {}),
    overrides: { browser, ...(o.fetch ? { fetch: o.fetch } : {}) },
  });
  agents.push(a);
  return a;
}

const appState = (a: TestAgent) => a.agent.handlers['app:state']({});

/** A refresh-token grant at the server's token endpoint, as an attacker holding a copy would try. */
async function refreshAtServer(refreshToken: string): Promise<number> {
  const res = await fetch(`${serverUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'vdx-desktop' }),
  });
  return res.status;
}

test.describe('desktop staff sign-in ⇄ real server', () => {
  test('starts signed out, signs in through the system browser, keeps the refresh token in the keychain only', async () => {
    await startServer();
    const browser = new SystemBrowserDouble({ email: CLINICIAN.email, password: PASSWORD });
    const a = desktopAgent(browser);
    await a.agent.start();
    expect(a.agent.state).toEqual({ kind: 'signed_out' });
    expect((await appState(a)).staff).toEqual({ kind: 'signed_out', lastError: null });

    const session = await a.agent.handlers['staff:sign-in']({});
    expect(session).toEqual({ kind: 'signed_in', person: { name: CLINICIAN.name, email: CLINICIAN.email, organisation: ORG } });
    // The system browser went to the provider's authorization endpoint with PKCE and a loopback redirect …
    const auth = new URL(browser.opened[0]!);
    expect(`${auth.origin}${auth.pathname}`).toBe(`${serverUrl}/oidc/auth`);
    expect(auth.searchParams.get('client_id')).toBe('vdx-desktop');
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    // … and the person reads the outcome there, in Danish.
    const page = await browser.last();
    expect(page.status).toBe(200);
    expect(page.text).toContain('Du er logget ind');

    // Ready, as the person: their name is what the others in a call will see.
    expect(a.agent.state).toMatchObject({ kind: 'ready', room: { roomName: CLINICIAN.name, conferenceBaseUrl: serverUrl } });
    const refreshToken = await a.secrets.get(REFRESH_TOKEN_KEY);
    expect(refreshToken).toBeTruthy();
    // No token ever crossed the bridge.
    const everything = JSON.stringify(a.events);
    expect(everything).not.toContain(refreshToken!);
    expect(everything).not.toMatch(/eyJ[\w-]+\.eyJ/);
    expect([...a.settings.values.keys()].join()).not.toMatch(/token/i);
  });

  test('lists my meetings today (not tomorrow’s, not a colleague’s) and joins one as host with the host PIN', async () => {
    await startServer();
    const mine = await bookFor(CLINICIAN.email, 'Stuegang', 1);
    // Tomorrow in Copenhagen, whatever the hour now: 26 h ahead is always another day.
    await bookFor(CLINICIAN.email, 'I morgen', 26 * 60);
    await bookFor('bo@region-h.dk', 'Bos møde', 2);
    const a = desktopAgent(new SystemBrowserDouble({ email: CLINICIAN.email, password: PASSWORD }));
    await a.agent.start();
    await expect(a.agent.handlers['staff:meetings-today']({})).rejects.toMatchObject({ code: 'signed_out' });
    await a.agent.handlers['staff:sign-in']({});

    const { meetings } = await a.agent.handlers['staff:meetings-today']({});
    const info = (await call(t!, (await callers(t!)).admin, 'GET', `scheduling-info/${mine.uuid}`)).json() as { uriWithDomain: string; hostPin: number };
    // Near Copenhagen midnight "in a minute" may be tomorrow; then the list is rightly empty.
    const todayInCopenhagen = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: 'Europe/Copenhagen' });
    const now = t!.clock.now();
    if (todayInCopenhagen(now) !== todayInCopenhagen(new Date(now.getTime() + 60_000))) test.info().annotations.push({ type: 'note', description: 'booked across midnight' });
    else {
      expect(meetings.map((m) => m.subject)).toEqual(['Stuegang']);
      expect(meetings[0]).toMatchObject({ id: mine.uuid, alias: info.uriWithDomain, hostPinRequired: true });
      expect(JSON.stringify(meetings)).not.toContain(String(info.hostPin));
    }

    const join = (await a.agent.handlers['staff:join-as-host']({ meetingId: mine.uuid })) as Extract<CallCommand, { action: 'join' }>;
    expect(join).toMatchObject({ action: 'join', alias: info.uriWithDomain, pin: String(info.hostPin), displayName: CLINICIAN.name, conferenceBaseUrl: serverUrl, meetingId: mine.uuid });
    expect(a.agent.state).toMatchObject({ kind: 'joining', call: { alias: info.uriWithDomain } });
    // A colleague's meeting is not the person's to host.
    const bos = await bookFor('bo@region-h.dk', 'Bos andet møde', 3);
    await a.agent.handlers['call:failed']({ alias: info.uriWithDomain, error: { code: 'offline', message: 'test' } });
    await expect(a.agent.handlers['staff:join-as-host']({ meetingId: bos.uuid })).rejects.toMatchObject({ code: 'meeting_not_found' });
  });

  test('renews the access token before it expires (the refresh token rotates), and a restart stays signed in', async () => {
    await startServer();
    const secrets = new MemorySecretStore();
    const settings = new MemorySettingsStore();
    const a = desktopAgent(new SystemBrowserDouble({ email: CLINICIAN.email, password: PASSWORD }), { secrets, settings });
    await a.agent.start();
    await a.agent.handlers['staff:sign-in']({});
    const first = await secrets.get(REFRESH_TOKEN_KEY);

    // 14 minutes on (tokens live 15): nothing asked the agent for anything, it renews by itself.
    a.clock.advance(14 * 60_000);
    await a.agent.tick();
    await a.agent.idle();
    const second = await secrets.get(REFRESH_TOKEN_KEY);
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    // The renewed access token is the one in use: the API answers without another refresh.
    await expect(a.agent.handlers['staff:meetings-today']({})).resolves.toMatchObject({ meetings: [] });
    expect(await secrets.get(REFRESH_TOKEN_KEY)).toBe(second);

    // The app restarts: the sign-in is restored from the keychain, no browser.
    await a.agent.stop();
    const browser = new SystemBrowserDouble(null);
    const again = desktopAgent(browser, { secrets, settings });
    await again.agent.start();
    expect((await appState(again)).staff).toEqual({ kind: 'signed_in', person: expect.objectContaining({ email: CLINICIAN.email }) });
    expect(again.agent.state).toMatchObject({ kind: 'ready' });
    expect(browser.opened).toEqual([]);
    // Rotated: the first refresh token is spent (and presenting it again ends the grant, as the
    // provider rules for a token that may have been stolen).
    expect(await refreshAtServer(first!)).toBe(400);
  });

  test('signs out: the refresh token is revoked at the server and deleted here', async () => {
    await startServer();
    const a = desktopAgent(new SystemBrowserDouble({ email: CLINICIAN.email, password: PASSWORD }));
    await a.agent.start();
    await a.agent.handlers['staff:sign-in']({});
    const refreshToken = (await a.secrets.get(REFRESH_TOKEN_KEY))!;

    expect(await a.agent.handlers['staff:sign-out']({})).toEqual({ kind: 'signed_out', lastError: null });
    expect(await a.secrets.get(REFRESH_TOKEN_KEY)).toBeNull();
    expect(a.settings.values.has('staffSession')).toBe(false);
    expect(await refreshAtServer(refreshToken)).toBe(400);
    expect(a.agent.state).toEqual({ kind: 'signed_out' });
    await expect(a.agent.handlers['staff:meetings-today']({})).rejects.toMatchObject({ code: 'signed_out' });
  });

  test('says so clearly when the server cannot be reached, and recovers by itself', async () => {
    await startServer();
    let down = false;
    const network: typeof fetch = (input, init) => (down ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init));
    const a = desktopAgent(new SystemBrowserDouble({ email: CLINICIAN.email, password: PASSWORD }), { fetch: network });
    await a.agent.start();

    down = true;
    await expect(a.agent.handlers['staff:sign-in']({})).rejects.toMatchObject({ code: 'offline' });
    let app: AppState = await appState(a);
    expect(app.staff).toMatchObject({ kind: 'signed_out', lastError: { code: 'offline' } });
    expect(app.online).toBe(false);

    down = false;
    await a.agent.handlers['staff:sign-in']({});
    down = true;
    await expect(a.agent.handlers['staff:meetings-today']({})).rejects.toMatchObject({ code: 'offline' });
    app = await appState(a);
    expect(app.staff).toMatchObject({ kind: 'unreachable', person: { email: CLINICIAN.email } });
    expect(app.online).toBe(false);
    // Still the person's desktop: join by address keeps working from what it has.
    expect(a.agent.state).toMatchObject({ kind: 'ready' });

    down = false;
    a.clock.advance(20_000);
    await a.agent.tick();
    await a.agent.idle();
    app = await appState(a);
    expect(app.staff).toMatchObject({ kind: 'signed_in' });
    expect(app.online).toBe(true);
  });

  test('gives up on a sign-in the browser never finished, and a refused refresh signs the person out', async () => {
    await startServer();
    const browser = new SystemBrowserDouble(null);
    const a = desktopAgent(browser);
    await a.agent.start();
    const pending = a.agent.handlers['staff:sign-in']({});
    await expect.poll(async () => (await appState(a)).staff?.kind).toBe('signing_in');
    a.clock.advance(SIGN_IN_TIMEOUT_MS + 1000);
    await a.agent.tick();
    await expect(pending).rejects.toMatchObject({ code: 'sign_in_failed' });
    expect((await appState(a)).staff).toMatchObject({ kind: 'signed_out', lastError: { code: 'sign_in_failed' } });

    browser.person = { email: CLINICIAN.email, password: PASSWORD };
    await a.agent.handlers['staff:sign-in']({});
    // IT disables the person: the next renewal is refused and the desktop shows the sign-in again.
    const admin = await authHeader(t!, { roles: [], organisation: t!.config.bootstrapOrganisation, managementAdmin: true });
    const users = (await t!.app.inject({ method: 'GET', url: '/management/v1/users', headers: admin })).json() as { users: Array<{ id: string; email: string }> };
    const id = users.users.find((u) => u.email === CLINICIAN.email)!.id;
    expect((await t!.app.inject({ method: 'PATCH', url: `/management/v1/users/${id}`, headers: admin, payload: { disabled: true } })).statusCode).toBe(200);
    a.clock.advance(14 * 60_000);
    await a.agent.tick();
    await a.agent.idle();
    expect((await appState(a)).staff).toMatchObject({ kind: 'signed_out', lastError: { code: 'signed_out' } });
    expect(a.agent.state).toEqual({ kind: 'signed_out' });
    expect(await a.secrets.get(REFRESH_TOKEN_KEY)).toBeNull();
  });
});
