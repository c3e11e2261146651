import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { freePort } from '../../../src-server/http/free-port';
import { waitFor } from './chromium';

/**
 * The product as separate processes, started through its own npm scripts — `npm run server` and
 * `npm run app -- --shell=chromium --headless` — configured only through their documented
 * environment. Each process's output goes to a log file under `logDir` for whoever investigates.
 */

const STOP_TIMEOUT_MS = 10_000;

export interface RunningProcess {
  readonly child: ChildProcess;
  /** SIGTERM and wait (the product's graceful shutdown); SIGKILL to the group if it hangs. */
  stop(): Promise<void>;
}

/** `npm run <script> -- <args>` in its own process group, output appended to `{logDir}/{name}.log`. */
function npmRun(name: string, script: string, args: string[], env: Record<string, string>, logDir: string): RunningProcess {
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), STOP_TIMEOUT_MS))]);
        if (!done) {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // Already gone.
          }
          await exited;
        }
      }
      // Whatever the script left behind in its group (a browser it started) goes too.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Nothing left.
      }
      log.end();
    },
  };
}

export interface ServerProcess extends RunningProcess {
  baseUrl: string;
}

/** `npm run server` on a free loopback port, a fresh SQLite file, serving `webRoot`. */
export async function startServerProcess(options: { dataDir: string; webRoot: string; logDir: string; env: Record<string, string> }): Promise<ServerProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const running = npmRun(
    'server',
    'server',
    [],
    {
      VDX_HOST: '127.0.0.1',
      VDX_PORT: String(port),
      VDX_DB: `sqlite:${path.join(options.dataDir, 'vdx.db')}`,
      VDX_WEB_ROOT: options.webRoot,
      VDX_ARTIFACTS_DIR: path.join(options.dataDir, 'artifacts'),
      ...options.env,
    },
    options.logDir,
  );
  try {
    await waitFor('the server to answer /readyz', async () => {
      if (running.child.exitCode !== null) throw new Error(`server exited with ${running.child.exitCode}`);
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
      return res.ok ? true : undefined;
    }, 60_000);
  } catch (err) {
    await running.stop();
    throw err;
  }
  return { ...running, baseUrl };
}

export interface RoomAppProcess extends RunningProcess {
  /** The room UI page in the app's Chromium (over CDP), once it shows. */
  roomPage(): Promise<Page>;
}

/**
 * `npm run app -- --shell=chromium --headless` (plus `args`, e.g. `--desktop`) with its state in `appDataDir`. The test reaches
 * the app's Chromium over the DevTools port the shell exposes (`VDX_CHROMIUM_DEBUG_PORT`).
 */
export async function startRoomAppProcess(options: { appDataDir: string; logDir: string; env: Record<string, string>; args?: string[] }): Promise<RoomAppProcess> {
  const debugPort = await freePort();
  const running = npmRun(
    'room-app',
    'app',
    ['--shell=chromium', '--headless', ...(options.args ?? [])],
    { VDX_APP_DATA_DIR: options.appDataDir, VDX_FAKE_MEDIA: '1', VDX_CHROMIUM_DEBUG_PORT: String(debugPort), ...options.env },
    options.logDir,
  );
  let browser: Browser | undefined;
  return {
    child: running.child,
    async roomPage() {
      return waitFor('the room UI in the app', async () => {
        if (running.child.exitCode !== null) throw new Error(`room app exited with ${running.child.exitCode}`);
        browser ??= await chromium.connectOverCDP(`http://127.0.0.1:${debugPort}`, { timeout: 5000 });
        const page = browser.contexts().flatMap((c) => c.pages()).find((p) => new URL(p.url()).pathname === '/room/');
        return page;
      }, 60_000);
    },
    async stop() {
      await browser?.close().catch(() => undefined);
      browser = undefined;
      await running.stop();
    },
  };
}
