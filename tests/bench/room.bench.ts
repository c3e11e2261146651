/**
 * `npm run bench:room` — room app figures on this machine, printed with their targets.
 *
 * 1. Renderer bundle: a fresh `vite build` (vite.config.ts) into a temp dir; total and per entry
 *    (room, join: its HTML plus every JS/CSS file it references, shared chunks counted in each),
 *    raw and gzip (node:zlib, default level).
 * 2. Cold start → home screen: the real server in-process on 127.0.0.1:0 serving that build, a
 *    room and an activation code made through the management API, then the Chromium shell
 *    (`startChromiumShell`, as `npm run app -- --shell=chromium --headless` runs it) in-process
 *    with a fresh app data dir and VDX_ACTIVATION_CODE. Timed from the shell call to the home
 *    screen's room name being rendered, polled over CDP (VDX_CHROMIUM_DEBUG_PORT +
 *    playwright-core `connectOverCDP`). Then a warm start: same data dir, already enrolled.
 * 3. Auto-join latency and in-call renderer memory: not measured yet (printed as such).
 *
 * Prints numbers; asserts nothing. Every wait is bounded; everything is torn down at the end.
 */
import { readFileSync, readdirSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { startChromiumShell, type ChromiumShell } from '../../src-main/chromium/chromium-shell';
import { startE2eServer, type E2eServer } from '../e2e/support/e2e-server';

const TARGET_COLD_START_MS = 3000;
const TARGET_AUTO_JOIN_MS = 2000;
const HOME_TIMEOUT_MS = 60_000;

interface Size {
  raw: number;
  gzip: number;
}

function sizeOf(files: string[]): Size {
  let raw = 0;
  let gzip = 0;
  for (const f of new Set(files)) {
    const buf = readFileSync(f);
    raw += buf.length;
    gzip += gzipSync(buf).length;
  }
  return { raw, gzip };
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

/** An entry's HTML plus the JS/CSS it pulls in, following static imports between chunks. */
function entryFiles(outDir: string, entry: string): string[] {
  const html = path.join(outDir, entry, 'index.html');
  const seen = new Set<string>([html]);
  const queue = [html];
  while (queue.length > 0) {
    const file = queue.pop()!;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/["'(]([^"'()\s]*?\/?assets\/[^"'()\s]+?\.(?:js|css))["')]/g)) {
      const ref = m[1]!;
      const abs = ref.startsWith('/') ? path.join(outDir, ref) : path.resolve(path.dirname(file), ref);
      if (!seen.has(abs) && statSync(abs, { throwIfNoEntry: false })) {
        seen.add(abs);
        queue.push(abs);
      }
    }
  }
  return [...seen];
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
const ms = (n: number | null) => (n === null ? 'not measured' : `${Math.round(n)} ms`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts the shell and returns the time until the home screen shows the room name. */
async function timeToHome(appDataDir: string, env: Record<string, string | undefined>): Promise<{ ms: number | null; shell: ChromiumShell | undefined; note: string }> {
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
            if (shown) return { ms: performance.now() - started, shell, note: 'CDP: home screen room name visible' };
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

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'vdx-bench-room-'));
  const outDir = path.join(scratch, 'renderer');
  let server: E2eServer | undefined;
  let shell: ChromiumShell | undefined;
  const lines: string[] = [];
  try {
    // 1. Bundle size.
    const { build } = await import('vite');
    const t0 = performance.now();
    await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    const buildMs = performance.now() - t0;
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
    const env = { VDX_SERVER_URL: server.baseUrl, VDX_ACTIVATION_CODE: code, VDX_LOG_LEVEL: 'info', PATH: process.env.PATH, HOME: process.env.HOME };
    const cold = await timeToHome(appDataDir, env);
    shell = cold.shell;
    await shell?.stop();
    shell = undefined;
    const warm = await timeToHome(appDataDir, { ...env, VDX_ACTIVATION_CODE: undefined });
    shell = warm.shell;
    await shell?.stop();
    shell = undefined;
    const more = [
      `cold start → home screen      ${ms(cold.ms)}   (target ≤ ${TARGET_COLD_START_MS} ms; ${cold.note}; includes enrolment)`,
      `warm start → home screen      ${ms(warm.ms)}   (target ≤ ${TARGET_COLD_START_MS} ms; ${warm.note})`,
      `auto-join latency             not measured   (target ≤ ${TARGET_AUTO_JOIN_MS} ms)`,
      `renderer memory in call       not measured`,
    ];
    console.log(more.join('\n'));
  } finally {
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
