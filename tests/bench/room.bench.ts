/**
 * `npm run bench:room` — room app figures on this machine, printed with their targets.
 *
 * 1. Renderer bundle: a fresh `vite build` (vite.config.ts) into a temp dir; total and per entry
 *    (room, join: its HTML plus every JS/CSS file it references, shared chunks counted in each),
 *    raw and gzip (node:zlib, default level).
 * 2. Cold start → home screen: the real server in-process (`startE2eServer`: a free loopback port
 *    its public URL names, so the conference node URL the agent is given is reachable) serving
 *    that build, a room and an activation code made through the management API, then the
 *    Chromium shell (`startChromiumShell`, as `npm run app -- --shell=chromium --headless` runs
 *    it) in-process with a fresh app data dir and VDX_ACTIVATION_CODE. Timed from the shell call to the home
 *    screen's room name being rendered, polled over CDP (VDX_CHROMIUM_DEBUG_PORT +
 *    playwright-core `connectOverCDP`). Then a warm start: same data dir, already enrolled.
 * 3. Auto-join: the warm room stays on its home screen; a meeting is booked through the VDX
 *    Booking API starting ~6 s ahead with the room as host (appointments participants API),
 *    timed from that call's answer to the agenda item on the room page (20 ms polling); a
 *    guest (headless Chromium, fake media) joins its alias first. Timed from the scheduled start
 *    to the room page's remote <video> having a decoded frame (getVideoPlaybackQuality, polled
 *    every 20 ms over CDP), then the room renderer's JS heap (CDP Performance.getMetrics) 3 s
 *    into the call. VDX_LOG_ECHO=1 echoes the room agent's log; the wait for the frame is
 *    BENCH_JOIN_TIMEOUT_MS (default 60 s).
 *
 * Prints numbers; asserts nothing. Every wait is bounded; everything is torn down at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startChromiumShell, type ChromiumShell } from '../../src-main/chromium/chromium-shell';
import { launchChromium, type E2eBrowser } from '../e2e/support/chromium';
import { startE2eServer, type E2eServer } from '../e2e/support/e2e-server';
import { demoSchedulingTemplate } from '../../src-shared/booking/demo-scheduling-template';
import { freePort } from '../../src-server/http/free-port';
import { allFiles, buildRenderer, entryFiles, kb, sizeOf } from './support/renderer-bundle';

const TARGET_COLD_START_MS = 3000;
const TARGET_AUTO_JOIN_MS = 2000;
const HOME_TIMEOUT_MS = 60_000;

const ms = (n: number | null) => (n === null ? 'not measured' : `${Math.round(n)} ms`);

/** Starts the shell and returns the time until the home screen shows the room name. */
async function timeToHome(
  appDataDir: string,
  env: Record<string, string | undefined>,
  keep: { page?: Page; browser?: Browser } = {},
): Promise<{ ms: number | null; shell: ChromiumShell | undefined; note: string }> {
  const port = await freePort();
  const started = performance.now();
  let shell: ChromiumShell | undefined;
  let browser: Browser | undefined;
  try {
    shell = await startChromiumShell({
      appDataDir,
      env: { ...env, VDX_CHROMIUM_DEBUG_PORT: String(port), VDX_SECRET_STORE: 'file', VDX_FAKE_MEDIA: '1' },
      headless: true,
      mode: 'kiosk',
      appVersion: '0.0.0-bench',
      print: () => {},
    });
    const deadline = started + HOME_TIMEOUT_MS;
    while (performance.now() < deadline) {
      try {
        browser ??= await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 2000 });
        for (const ctx of browser.contexts()) {
          for (const page of ctx.pages()) {
            const shown = await page
              .locator('[data-testid="room-name"]')
              .isVisible()
              .catch(() => false);
            if (shown) {
              const took = performance.now() - started;
              keep.page = page;
              keep.browser = browser;
              browser = undefined;
              return { ms: took, shell, note: 'CDP: home screen room name visible' };
            }
          }
        }
      } catch {
        // Chromium not listening yet.
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    return { ms: null, shell, note: `home screen not seen within ${HOME_TIMEOUT_MS} ms` };
  } finally {
    await browser?.close().catch(() => {});
  }
}

async function api(server: E2eServer, headers: Record<string, string>, method: string, url: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.baseUrl}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}/, '');

interface JoinFigures {
  /** Room added to the booking (its API call answered) → the meeting on the room's agenda. */
  agendaMs: number | null;
  ms: number | null;
  heap: number | null;
  note: string;
}

/**
 * Books a meeting starting a few seconds ahead with the room as host, times until the room's
 * agenda shows it, lets a guest (fake media) join its alias, and times scheduled start → first
 * decoded frame of the room's remote video.
 */
async function autoJoin(
  server: E2eServer,
  headers: Record<string, string>,
  roomId: string,
  page: Page,
  onGuest: (b: E2eBrowser) => void,
): Promise<JoinFigures> {
  // No PINs: the room joins as host and the guest page needs none either.
  await api(
    server,
    headers,
    'POST',
    '/videoapi/v2/scheduling-templates',
    demoSchedulingTemplate({ uriPrefix: 'room', uriDomain: 'bench.vdx.test', hostPinRequired: false, guestPinRequired: false }),
  );
  const start = new Date(Math.ceil((Date.now() + 6000) / 1000) * 1000);
  const meeting = await api(server, headers, 'POST', '/videoapi/v2/meetings', {
    subject: 'Bench-møde',
    startTime: isoSeconds(start),
    endTime: isoSeconds(new Date(start.getTime() + 1800_000)),
  });
  await api(server, headers, 'POST', `/appointments/v1/meetings/${meeting.uuid as string}/participants`, { kind: 'room', roomId, role: 'host' });
  const booked = performance.now();
  let agendaMs: number | null = null;
  while (performance.now() < booked + 10_000) {
    const shown = await page.getByTestId('agenda-item').filter({ hasText: 'Bench-møde' }).count().catch(() => 0);
    if (shown > 0) {
      agendaMs = performance.now() - booked;
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  // The meeting's VMR: its scheduling info (GET /scheduling-info needs a time window; this needs none).
  const info = (await api(server, headers, 'GET', `/videoapi/v2/scheduling-info/${meeting.uuid as string}`)) as { uriWithDomain: string };
  const alias = info.uriWithDomain;

  const g = await launchChromium();
  onGuest(g);
  const guestPage = await g.browser.newPage();
  await guestPage.goto(`${server.baseUrl}/join?alias=${encodeURIComponent(alias)}&name=${encodeURIComponent('Gæst')}`, { timeout: 20_000 });
  await guestPage.getByTestId('join-button').click({ timeout: 20_000 });

  const deadline = Date.now() + Number(process.env.BENCH_JOIN_TIMEOUT_MS ?? 60_000);
  let seenAt: number | null = null;
  while (Date.now() < deadline) {
    const frames = await page
      .evaluate(() => {
        const v = document.querySelector<HTMLVideoElement>('video[data-testid="remote-video"]');
        return v && v.videoWidth > 0 ? v.getVideoPlaybackQuality().totalVideoFrames : 0;
      })
      .catch(() => 0);
    if (frames > 0) {
      seenAt = Date.now();
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  if (seenAt === null) {
    const text = async (p: Page) => ((await p.evaluate(() => document.body.innerText).catch(() => '')) ?? '').replace(/\s+/g, ' ').slice(0, 160);
    return { agendaMs, ms: null, heap: null, note: `no remote frame on the room page in time; room shows "${await text(page)}"; guest shows "${await text(guestPage)}"` };
  }
  // Let the call settle before reading memory.
  await new Promise((r) => setTimeout(r, 3000));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? null;
  await cdp.detach().catch(() => {});
  return { agendaMs, ms: seenAt - start.getTime(), heap, note: `alias ${alias}; 20 ms polling of getVideoPlaybackQuality` };
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'vdx-bench-room-'));
  const outDir = path.join(scratch, 'renderer');
  let server: E2eServer | undefined;
  let shell: ChromiumShell | undefined;
  let guest: E2eBrowser | undefined;
  const lines: string[] = [];
  try {
    // 1. Bundle size.
    const buildMs = await buildRenderer(outDir);
    const total = sizeOf(allFiles(outDir));
    lines.push(`renderer build                 ${ms(buildMs)}`);
    lines.push(`bundle total (dist/renderer)   raw ${kb(total.raw)}   gzip ${kb(total.gzip)}`);
    for (const entry of ['room', 'join']) {
      const s = sizeOf(entryFiles(outDir, entry));
      lines.push(`bundle entry ${entry.padEnd(5)}             raw ${kb(s.raw)}   gzip ${kb(s.gzip)}`);
    }
    console.log(lines.join('\n'));

    // 2. Cold and warm start.
    server = await startE2eServer(outDir);
    const token = await server.adminToken();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const room = (await (await fetch(`${server.baseUrl}/management/v1/rooms`, { method: 'POST', headers, body: JSON.stringify({ name: 'Mødelokale Bench' }) })).json()) as { id: string };
    const codeRes = await fetch(`${server.baseUrl}/management/v1/rooms/${room.id}/activation-codes`, { method: 'POST', headers, body: '{}' });
    const { code } = (await codeRes.json()) as { code: string };
    const appDataDir = path.join(scratch, 'app-data');
    const env = { VDX_SERVER_URL: server.baseUrl, VDX_ACTIVATION_CODE: code, VDX_LOG_LEVEL: 'info', VDX_LOG_ECHO: process.env.VDX_LOG_ECHO, PATH: process.env.PATH, HOME: process.env.HOME };
    const cold = await timeToHome(appDataDir, env);
    shell = cold.shell;
    await shell?.stop();
    shell = undefined;
    const roomSide: { page?: Page; browser?: Browser } = {};
    const warm = await timeToHome(appDataDir, { ...env, VDX_ACTIVATION_CODE: undefined }, roomSide);
    shell = warm.shell;
    console.log(
      [
        `cold start → home screen      ${ms(cold.ms)}   (target ≤ ${TARGET_COLD_START_MS} ms; ${cold.note}; includes enrolment)`,
        `warm start → home screen      ${ms(warm.ms)}   (target ≤ ${TARGET_COLD_START_MS} ms; ${warm.note})`,
      ].join('\n'),
    );

    // 3. Auto-join: the warm room stays on its home screen; a meeting starts a few seconds ahead.
    let join: JoinFigures = { agendaMs: null, ms: null, heap: null, note: 'room page not available' };
    if (roomSide.page) {
      try {
        join = await autoJoin(server, headers, room.id, roomSide.page, (b) => (guest = b));
      } catch (err) {
        join = { agendaMs: null, ms: null, heap: null, note: `failed: ${(err as Error).message.split('\n')[0]}` };
      }
    }
    await roomSide.browser?.close().catch(() => {});
    console.log(
      [
        `booking → on the agenda       ${ms(join.agendaMs)}   (target ≤ 1000 ms; room added to the booking → agenda item rendered, pushed over the device event stream; 20 ms polling over CDP)`,
        `auto-join latency             ${ms(join.ms)}   (target ≤ ${TARGET_AUTO_JOIN_MS} ms; scheduled start → first decoded remote frame on the room page; ${join.note})`,
        `renderer memory in call       ${join.heap === null ? 'not measured' : `${(join.heap / 1048576).toFixed(1)} MB JS heap used (CDP Performance.getMetrics JSHeapUsedSize)`}`,
      ].join('\n'),
    );
  } finally {
    await guest?.close().catch(() => {});
    await shell?.stop().catch(() => {});
    await server?.close().catch(() => {});
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
