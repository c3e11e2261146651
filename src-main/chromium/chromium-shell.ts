/**
 * The Chromium shell's composition root: the device agent + the loopback bridge + system Chromium
 * showing `{server}/room/` (used where Electron is not installed — thin clients, CI, and the
 * end-to-end tests). It cannot update itself; updates are the OS package manager's job there.
 *
 * Chromium is restarted if it dies (at most {@link MAX_RESTARTS_PER_MINUTE} times a minute), which
 * is also how `reload_ui` works — without DevTools the shell has no other handle on the page.
 */
import type { ChildProcess } from 'node:child_process';
import type { UpdateState } from '../../src-shared/ipc/room-bridge.contract';
import { createDeviceAgent, type DeviceAgentHandle } from '../agent/device-agent.factory';
import { parseAppConfig } from '../agent/config/app-config';
import type { ShellControl, UpdateDriver } from '../agent/platform/platform';
import { startBridgeServer, type BridgeServer } from './bridge-server';
import { launchChromium, type ChromiumLaunchOptions } from './chromium-launcher';

export const MAX_RESTARTS_PER_MINUTE = 5;

export interface ChromiumShellOptions {
  appDataDir: string;
  env: Record<string, string | undefined>;
  headless: boolean;
  mode: 'kiosk' | 'desktop';
  appVersion: string;
  /** Start the agent and bridge only, no browser (tests drive the page themselves). */
  noBrowser?: boolean;
  executable?: string;
  /** Lines for the console (one-line status, Chromium's DevTools URL). */
  print?: (line: string) => void;
}

export interface ChromiumShell {
  handle: DeviceAgentHandle;
  bridge: BridgeServer;
  /** The room UI URL including the bridge fragment. */
  roomUrl: string;
  stop(): Promise<void>;
}

const noUpdates: UpdateDriver = {
  supported: false,
  check: async () => ({ available: false, version: null }),
  install: () => {},
  onState: (_l: (s: UpdateState) => void) => {},
};

export async function startChromiumShell(options: ChromiumShellOptions): Promise<ChromiumShell> {
  const print = options.print ?? ((line: string) => console.log(line));
  let browser: ChildProcess | null = null;
  let stopping = false;
  const restarts: number[] = [];
  let relaunch: () => void = () => {};

  const shell: ShellControl = {
    shell: 'chromium',
    mode: options.mode,
    appVersion: options.appVersion,
    reloadUi: () => relaunch(),
    restartApp: () => relaunch(),
    quit: () => void stop().then(() => process.exit(0)),
    setCallActive: () => {},
  };
  const config = parseAppConfig(options.env);
  const handle = await createDeviceAgent({ appDataDir: options.appDataDir, config, shell, updates: noUpdates, echoLog: config.logEcho });
  const serverUrl = handle.serverUrl;
  if (!serverUrl) {
    throw new Error('No server: set VDX_SERVER_URL (the room UI and the device API live there).');
  }
  const origin = new URL(serverUrl).origin;
  const bridge = await startBridgeServer({
    agent: handle.agent,
    log: handle.log,
    allowedOrigins: [origin],
    onAllClosed: () => handle.agent.rendererGone(),
  });
  const roomUrl = `${serverUrl}/room/${bridge.fragment}`;
  const stopAgent = await handle.run();

  const launchOptions: ChromiumLaunchOptions = {
    url: roomUrl,
    appDataDir: options.appDataDir,
    display: options.mode === 'kiosk' && !options.headless ? 'kiosk' : 'app',
    headless: options.headless,
    fakeMedia: config.fakeMedia,
    remoteDebuggingPort: config.chromiumDebugPort,
    ...(options.executable ? { executable: options.executable } : {}),
  };
  let launchedAt = 0;
  const start = () => {
    if (stopping || options.noBrowser) return;
    launchedAt = Date.now();
    browser = launchChromium(launchOptions, (line) => {
      if (line.includes('DevTools listening on')) print(line.trim());
      else handle.log.debug('chromium', { line: line.slice(0, 500) });
    });
    const mine = browser;
    mine.on('exit', (code, signal) => {
      if (stopping || browser !== mine) return;
      handle.log.warn('Chromium exited; restarting it', { exitCode: code, signal, code: 'renderer_gone' });
      handle.agent.rendererGone();
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && restarts[0]! < now - 60_000) restarts.shift();
      if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
        handle.log.error('Chromium keeps crashing; giving up', { code: 'renderer_crash_loop' });
        print('Chromium keeps crashing; see the log in ' + options.appDataDir);
        return;
      }
      start();
    });
  };
  // The old Chromium must be gone before the new one opens the same profile directory (a second
  // Chromium on a profile in use hands over to the first and exits), and before stop() returns.
  let exiting: Promise<void> = Promise.resolve();
  relaunch = () => {
    exiting = exiting.then(async () => {
      const old = browser;
      browser = null;
      await terminate(old);
      start();
    });
  };
  start();
  // A page that has not been connected to the bridge for a while is Chromium's error page (the
  // server was unreachable at launch, no offline copy of the UI): relaunch until the UI comes up.
  const retryMs = config.uiRetryMs;
  let uiSeenAt = 0;
  const uiWatch = setInterval(() => {
    if (bridge.clients() > 0) uiSeenAt = Date.now();
    if (stopping || !browser || Date.now() - Math.max(launchedAt, uiSeenAt) < retryMs) return;
    handle.log.warn('the room UI did not come up; relaunching Chromium', { code: 'ui_not_loaded' });
    relaunch();
  }, Math.min(retryMs, 5000));
  print(`VDX Room (Chromium shell, ${options.mode}${options.headless ? ', headless' : ''}) → ${serverUrl}/room/ · state in ${options.appDataDir}`);

  async function stop(): Promise<void> {
    if (stopping) return;
    stopping = true;
    clearInterval(uiWatch);
    const b = browser;
    browser = null;
    await exiting;
    await terminate(b);
    await stopAgent();
    await bridge.close();
  }
  return { handle, bridge, roomUrl, stop };
}

/** Ends a Chromium process: SIGTERM, then SIGKILL after 3 s; resolves once it has exited. */
async function terminate(b: ChildProcess | null): Promise<void> {
  if (!b || b.exitCode !== null || b.signalCode !== null) return;
  const exited = new Promise<void>((r) => b.once('exit', () => r()));
  b.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 3000).unref())]);
  if (b.exitCode === null && b.signalCode === null) {
    b.kill('SIGKILL');
    await exited;
  }
}
