/**
 * The room app's whole story, end to end, with every part real: the server and the room app run
 * as their own processes through their npm scripts (`npm run server`, `npm run app --
 * --shell=chromium --headless`), the app keeps its credential in a real Secret Service (GNOME
 * Keyring on a private D-Bus), media is real WebRTC between Debian Chromium instances, and the
 * guests use the guest page through the unmodified `@pexip/infinity` SDK.
 *
 *  1. fresh server; a room and an activation code through the management API;
 *  2. the app starts with empty state; the code is typed on its activation screen → home screen;
 *  3. a meeting booked through the VDX Booking API with the room as host shows on the agenda;
 *  4. at start time the app joins by itself; a guest joins from the `/join/{shortId}` link with the
 *     guest PIN; video both ways; chat and a raised hand both ways; the guest's screen share shows
 *     on the kiosk; the room (host) locks the meeting and admits a second guest from the waiting room;
 *  5. management shows the device online, in the call, with live quality figures;
 *  6. at `endTime` (moved forward by the planner) the app leaves by itself and returns home;
 *  7. restarted, the app needs no activation; with the server stopped, the cached agenda shows.
 *
 * Process output goes to tests/.tmp/room-story/; a failing step leaves a trace and a screenshot of
 * every page (the kiosk's and both guests') under tests/.tmp/test-results/ (the runner prints
 * the paths).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { launchChromium, waitFor, type E2eBrowser } from './support/chromium';
import { expectChatMessage, expectMovingVideo, joinWithPin, sendChat } from './support/guest';
import { startRoomAppProcess, startServerProcess, type RoomAppProcess, type ServerProcess } from './support/processes';
import { ensureRendererBuild } from './support/renderer-build';
import { startSecretService, type SecretService } from '../support/secret-service';
import { demoSchedulingTemplate } from '../../src-shared/booking/demo-scheduling-template';

const LOGS = path.resolve('tests/.tmp/room-story');
const SHOTS = path.resolve('tests/.tmp/screenshots');
const ADMIN = { clientId: 'story-admin', clientSecret: 'story-admin-secret-0123456789abcdef' };
const ROOM_NAME = 'Mødelokale Stuegang';
const SUBJECT = 'Udskrivningskonference, stue 4';
const LATER_SUBJECT = 'Tværfagligt møde om genoptræning';
/** Seconds between booking and start: time for the agenda check, short of a slow machine's join. */
const START_IN_SECONDS = 20;

const isoSeconds = (at: number) => new Date(Math.ceil(at / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The home screen's text. The later meeting is looked for anywhere on it: near midnight it is
 * tomorrow's, shown as the next meeting but not in today's agenda.
 */
async function homeText(page: Page): Promise<string> {
  return (await page.locator('main, body').first().textContent()) ?? '';
}

test.describe('the room app, end to end', () => {
  test.describe.configure({ mode: 'serial', timeout: 240_000 });
  let scratch: string;
  let keychain: SecretService;
  let server: ServerProcess | undefined;
  let app: RoomAppProcess | undefined;
  let room: Page;
  let browsers: E2eBrowser;
  let guestContext: BrowserContext;
  let guest: Page;
  let token: string;
  let roomId: string;
  let activationCode: string;
  let appDataDir: string;
  const meeting = { uuid: '', shortId: '', guestPin: '', alias: '' };

  async function api<T = Record<string, unknown>>(method: string, url: string, body?: unknown): Promise<T> {
    const res = await fetch(`${server!.baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async function startApp(env: Record<string, string> = {}): Promise<Page> {
    app = await startRoomAppProcess({ appDataDir, logDir: LOGS, env: { VDX_SERVER_URL: server!.baseUrl, VDX_SECRET_STORE: 'keychain', ...keychain.env, ...env } });
    return app.roomPage();
  }

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    mkdirSync(SHOTS, { recursive: true });
    rmSync(LOGS, { recursive: true, force: true });
    scratch = mkdtempSync(path.join(tmpdir(), 'vdx-room-story-'));
    appDataDir = path.join(scratch, 'room-app');
    keychain = await startSecretService(path.join(scratch, 'keychain'));
    const webRoot = await ensureRendererBuild();
    server = await startServerProcess({
      dataDir: scratch,
      webRoot,
      logDir: LOGS,
      env: {
        VDX_ADMIN_CLIENT_ID: ADMIN.clientId,
        VDX_ADMIN_CLIENT_SECRET: ADMIN.clientSecret,
        VDX_LOG_LEVEL: 'warn',
        // Live figures in management within seconds, not the default half minute.
        VDX_DEVICE_HEARTBEAT_SECONDS: '5',
      },
    });
    const res = await fetch(`${server.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ADMIN.clientId, client_secret: ADMIN.clientSecret }),
    });
    expect(res.status).toBe(200);
    token = ((await res.json()) as { access_token: string }).access_token;
    browsers = await launchChromium();
  });

  test.afterAll(async () => {
    await browsers?.close().catch(() => undefined);
    await app?.stop();
    await server?.stop();
    await keychain?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('1. creates a room and an activation code through the management API', async () => {
    const created = await api<{ id: string; name: string }>('POST', '/management/v1/rooms', { name: ROOM_NAME });
    roomId = created.id;
    const code = await api<{ code: string }>('POST', `/management/v1/rooms/${roomId}/activation-codes`, {});
    expect(code.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    activationCode = code.code;
  });

  test('2. activates a fresh app with the code typed on its activation screen', async () => {
    room = await startApp();
    const field = room.getByTestId('activation-code');
    await field.waitFor({ timeout: 30_000 });
    await field.pressSequentially(activationCode.replaceAll('-', '').toLowerCase());
    await field.press('Enter');
    await room.getByTestId('room-name').waitFor({ timeout: 30_000 });
    expect(await room.getByTestId('room-name').textContent()).toBe(ROOM_NAME);
    // The credential went to the OS keychain, not to a file in the app's state.
    expect(existsSync(path.join(appDataDir, 'credentials.json'))).toBe(false);
    const stored = spawnSync(
      process.execPath,
      ['-e', "require('keytar').findCredentials('dk.medcom.vdxroom').then((c) => process.stdout.write(String(c.length)), (e) => { console.error(e.message); process.exit(1); })"],
      { env: { ...process.env, ...keychain.env }, encoding: 'utf8', timeout: 20_000 },
    );
    expect(stored.stderr).toBe('');
    expect(Number(stored.stdout.trim())).toBeGreaterThan(0);
  });

  test('3. shows a meeting booked through the VDX Booking API on the agenda', async () => {
    await api('POST', '/videoapi/v2/scheduling-templates', demoSchedulingTemplate({ uriDomain: 'vdx.test' }));
    const start = Date.now() + START_IN_SECONDS * 1000;
    const booked = await api<{ uuid: string; shortId: string }>('POST', '/videoapi/v2/meetings', {
      subject: SUBJECT,
      startTime: isoSeconds(start),
      endTime: isoSeconds(start + 30 * 60_000),
    });
    const later = await api<{ uuid: string }>('POST', '/videoapi/v2/meetings', {
      subject: LATER_SUBJECT,
      startTime: isoSeconds(start + 40 * 60_000),
      endTime: isoSeconds(start + 70 * 60_000),
    });
    for (const uuid of [booked.uuid, later.uuid]) {
      await api('POST', `/appointments/v1/meetings/${uuid}/participants`, { kind: 'room', roomId, role: 'host' });
    }
    const info = await api<{ uriWithDomain: string; guestPin: string | number | null }>('GET', `/videoapi/v2/scheduling-info/${booked.uuid}`);
    Object.assign(meeting, { uuid: booked.uuid, shortId: booked.shortId, guestPin: String(info.guestPin), alias: info.uriWithDomain });
    // Pushed over the device's event stream: no waiting for a periodic reconcile.
    await waitFor('the booking on the agenda', async () => {
      const items = await room.getByTestId('agenda-item').allTextContents();
      return items.some((text) => text.includes(SUBJECT)) ? true : undefined;
    }, 5_000);
  });

  test('4a. joins by itself at the start time', async () => {
    await room.getByTestId('call-view').waitFor({ timeout: (START_IN_SECONDS + 30) * 1000 });
  });

  test('4b. lets a guest in from the /join link with the guest PIN; video goes both ways', async () => {
    guestContext = await browsers.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'da-DK' });
    guest = await guestContext.newPage();
    await joinWithPin(guest, `${server!.baseUrl}/join/${meeting.shortId}`, 'Borger Hansen', meeting.guestPin);
    await guest.getByTestId('call-view').waitFor({ timeout: 30_000 });
    await expectMovingVideo(guest, 'guest');
    await expectMovingVideo(room, 'room');
  });

  test('4c. carries a chat message and a raised hand both ways', async () => {
    await guest.getByTestId('open-chat').click();
    await sendChat(guest, 'Godmorgen, kan I se mig?');
    await room.getByTestId('open-chat').click();
    await expectChatMessage(room, 'the room', 'Godmorgen, kan I se mig?', 'Borger Hansen');
    await sendChat(room, 'Ja, vi ser dig fint.');
    await expectChatMessage(guest, 'the guest', 'Ja, vi ser dig fint.', ROOM_NAME);

    await guest.getByTestId('toggle-hand').click();
    await room.getByTestId('open-participants').click();
    const guestAtRoom = room.locator('[data-testid="participant"][data-name="Borger Hansen"]');
    await waitFor("the guest's hand at the room", async () => ((await guestAtRoom.getAttribute('data-hand')) === 'true' ? true : undefined));
    await room.getByTestId('toggle-hand').click();
    await guest.getByTestId('open-participants').click();
    const roomAtGuest = guest.locator(`[data-testid="participant"][data-name="${ROOM_NAME}"]`);
    await waitFor("the room's hand at the guest", async () => ((await roomAtGuest.getAttribute('data-hand')) === 'true' ? true : undefined));
    await room.getByTestId('toggle-hand').click();
    await guest.getByTestId('toggle-hand').click();
    await waitFor('both hands lowered', async () =>
      (await guestAtRoom.getAttribute('data-hand')) === 'false' && (await roomAtGuest.getAttribute('data-hand')) === 'false' ? true : undefined,
    );
  });

  test("4d. shows the guest's shared screen on the kiosk", async () => {
    await guest.getByTestId('toggle-share').click();
    await expectMovingVideo(room, 'room', 'presentation-video');
    await room.screenshot({ path: path.join(SHOTS, 'story-room-presentation.png'), timeout: 10_000 }).catch(() => undefined);
    await guest.getByTestId('toggle-share').click();
    await waitFor('the presentation gone from the kiosk', async () => ((await room.getByTestId('presentation-video').count()) === 0 ? true : undefined));
  });

  test('4e. the room locks the meeting and admits a second guest from the waiting room', async () => {
    await room.getByTestId('toggle-lock').click();
    await waitFor('the lock shown to the guest', async () => ((await guest.getByTestId('locked-indicator').count()) === 1 ? true : undefined));
    const lateContext = await browsers.browser.newContext({ viewport: { width: 800, height: 600 }, locale: 'da-DK' });
    const late = await lateContext.newPage();
    late.on('console', (m) => m.type() === 'error' && console.error(`[second guest] ${m.text()}`));
    await joinWithPin(late, `${server!.baseUrl}/join/${meeting.shortId}`, 'Pårørende', meeting.guestPin);
    await late.getByTestId('call-waiting-room').waitFor({ timeout: 30_000 });
    const lateAtRoom = room.locator('[data-testid="participant"][data-name="Pårørende"]');
    await waitFor('the waiting guest at the room', async () => ((await lateAtRoom.getAttribute('data-waiting')) === 'true' ? true : undefined));
    await room.screenshot({ path: path.join(SHOTS, 'story-room-waiting-room.png'), timeout: 10_000 }).catch(() => undefined);
    await lateAtRoom.getByTestId('admit').click();
    await late.getByTestId('call-view').waitFor({ timeout: 30_000 });
    await expectMovingVideo(late, 'second guest');
    await lateContext.close();
    await room.getByTestId('toggle-lock').click();
    await waitFor('the unlock shown to the guest', async () => ((await guest.getByTestId('locked-indicator').count()) === 0 ? true : undefined));
  });

  test('5. management shows the device online and in the call with live quality figures', async () => {
    type DeviceView = {
      status: string;
      degradedReasons: string[];
      connected: boolean;
      callState: { state: string };
      callQuality: { bitrateKbps: number; frameRate: number; packetLossPercent: number } | null;
    };
    const device = await waitFor('live call quality in management', async () => {
      const devices = await api<DeviceView[]>('GET', `/management/v1/devices?roomId=${roomId}`);
      const d = devices[0];
      // Live figures: bits arriving and video frames decoded. Right after a media change (the third
      // participant leaving in step 4) the browser reports no frame rate for a few seconds, which the
      // heartbeat carries as 0 fps, though audio bits already flow.
      return d && d.callState.state === 'in_call' && d.callQuality && d.callQuality.bitrateKbps > 0 && d.callQuality.frameRate > 0 ? d : undefined;
    }, 30_000);
    // Online: its event stream is open and its heartbeats are current. Three browsers and the server
    // on two cores may rightly make it "degraded" (online, with a warning such as cpu_saturated).
    expect(device.connected).toBe(true);
    expect(['online', 'degraded'], `status ${device.status} (${device.degradedReasons.join(', ')})`).toContain(device.status);
    expect(device.callQuality!.packetLossPercent).toBeGreaterThanOrEqual(0);

    // And as IT sees it on the management page, with the meeting's address and the pre-flight
    // check the app ran before joining.
    const itContext = await browsers.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'da-DK' });
    const manage = await itContext.newPage();
    // The API-client sign-in (people sign in through the staff sign-in, tested in manage-rooms),
    // straight into the devices area.
    await manage.goto(`${server!.baseUrl}/manage/?login=api-client#devices`);
    await manage.getByTestId('manage-client-id').fill(ADMIN.clientId);
    await manage.getByTestId('manage-client-secret').fill(ADMIN.clientSecret);
    await manage.getByTestId('manage-sign-in').click();
    const row = manage.locator('tr[data-testid="device-row"]');
    await waitFor('the room in call on the management page', async () =>
      (await row.getByTestId('device-in-call').getAttribute('data-in-call')) === 'true' ? true : undefined,
    );
    expect(await row.innerText()).toContain(ROOM_NAME);
    expect(['online', 'degraded']).toContain(await row.getByTestId('device-status').getAttribute('data-status'));
    expect(await row.getByTestId('device-in-call').innerText()).toContain(meeting.alias);
    expect(await row.getByTestId('device-quality').innerText()).toMatch(/kbit\/s/);
    expect(await row.getByTestId('device-preflight').innerText()).toMatch(/Mødeserver: ok/);
    await manage.screenshot({ path: path.join(SHOTS, 'story-manage-in-call.png'), timeout: 10_000 }).catch(() => undefined);
    await itContext.close();
  });

  test('6. leaves by itself at endTime and returns home', async () => {
    // The planner ends the meeting early: the new end time reaches the room over its event stream.
    await api('PATCH', `/videoapi/v2/meetings/${meeting.uuid}`, { endTime: isoSeconds(Date.now() + 8000) });
    await room.getByTestId('room-name').waitFor({ timeout: 40_000 });
    expect(await room.getByTestId('call-view').count()).toBe(0);
    await waitFor('the ended meeting gone, the later one next', async () => {
      const home = await homeText(room);
      return !home.includes(SUBJECT) && home.includes(LATER_SUBJECT) ? true : undefined;
    }, 10_000);
    await guest.getByTestId('call-ended').waitFor({ timeout: 30_000 });
  });

  test('7. restarts without activation, and shows the cached agenda with the server stopped', async () => {
    await app!.stop();
    room = await startApp();
    await room.getByTestId('room-name').waitFor({ timeout: 30_000 });
    expect(await room.getByTestId('activation-code').count()).toBe(0);

    await app!.stop();
    await server!.stop();
    room = await startApp();
    await room.getByTestId('room-name').waitFor({ timeout: 30_000 });
    expect(await room.getByTestId('room-name').textContent()).toBe(ROOM_NAME);
    await waitFor('the cached agenda', async () => ((await homeText(room)).includes(LATER_SUBJECT) ? true : undefined), 20_000);
    await room.getByTestId('offline-banner').waitFor({ timeout: 30_000 });
    await room.screenshot({ path: path.join(SHOTS, 'story-room-offline.png'), timeout: 10_000 }).catch(() => undefined);
  });
});
