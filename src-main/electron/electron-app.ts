/**
 * The Electron shell's composition root: builds the device agent on the real platform services
 * (keytar, conf, electron-updater) and one room window on `{server}/room/`, and applies every
 * guard of `window-policy.ts`:
 *
 * - single instance (a second start focuses the first and hands over its `vdxroom://` URL);
 * - kiosk: fullscreen kiosk window, no menu, accidental-exit keys swallowed, close refused, admin
 *   exit = Ctrl+Alt+Shift+Q then the PIN from `VDX_ADMIN_EXIT_PIN`, auto-start at login;
 * - desktop: a normal window; `vdxroom://join?...` links join a call;
 * - sandboxed renderer (contextIsolation, sandbox, no Node), CSP on the room UI's responses,
 *   navigation allow-list, new windows refused, media permissions only for the room UI's and the
 *   conference node's origins, screen share via `setDisplayMediaRequestHandler` + `desktopCapturer`;
 * - the display stays awake during calls (powerSaveBlocker);
 * - a crashed renderer is reloaded (and the agent told that the call it ran is over).
 */
import { join } from 'node:path';
import electron from 'electron';
import type { BrowserWindow as BrowserWindowType, WebContents } from 'electron';
import updaterModule from 'electron-updater';
import { createDeviceAgent, type DeviceAgentHandle } from '../agent/device-agent.factory';
import { parseAppConfig } from '../agent/config/app-config';
import type { ShellControl } from '../agent/platform/platform';
import { parseActivationUrl, parseJoinUrl } from '../agent/provisioning/provisioning';
import { createElectronUpdateDriver, updateFeedUrl } from './electron-updater.adapter';
import { registerBridgeIpc, sendBridgeEvent } from './ipc-bridge';
import {
  contentSecurityPolicy,
  isAdminExitChord,
  isBlockedKioskKey,
  navigationAllowed,
  originsOf,
  permissionAllowed,
  roomWindowOptions,
} from './window-policy';

export const PROTOCOL = 'vdxroom';
/** Wait before reloading a crashed renderer (a crash loop must not spin the CPU). */
export const RELOAD_AFTER_CRASH_MS = 1500;
/** Chromium's net error for a load replaced by another navigation: not a failure to retry. */
const ERR_ABORTED = -3;

export interface ElectronAppOptions {
  env: Record<string, string | undefined>;
  argv: string[];
  /** Directory holding `preload.cjs` (next to the bundled main). */
  bundleDir: string;
}

export interface ElectronAppHandle {
  handle: DeviceAgentHandle;
  window: () => BrowserWindowType | null;
  allowedOrigins: () => string[];
  stop(): Promise<void>;
}

function protocolUrl(argv: readonly string[]): string | null {
  return argv.find((a) => a.startsWith(`${PROTOCOL}:`)) ?? null;
}

export async function runElectronApp(options: ElectronAppOptions): Promise<ElectronAppHandle | null> {
  const { app, BrowserWindow, Menu, ipcMain, session, powerSaveBlocker, desktopCapturer } = electron;
  const config = parseAppConfig(options.env);
  const { argv } = options;
  const mode: 'kiosk' | 'desktop' = argv.includes('--desktop') || config.mode === 'desktop' ? 'desktop' : 'kiosk';

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  if (!app.isDefaultProtocolClient(PROTOCOL)) app.setAsDefaultProtocolClient(PROTOCOL);
  await app.whenReady();
  Menu.setApplicationMenu(null);

  const appDataDir = config.appDataDir ?? app.getPath('userData');
  let win: BrowserWindowType | null = null;
  let quitting = false;

  const shell = electronShellControl(app, powerSaveBlocker, {
    mode,
    appVersion: config.appVersion ?? app.getVersion(),
    window: () => win,
    markQuitting: () => {
      quitting = true;
    },
  });

  // The agent is created before the updater driver can know the feed; the driver asks lazily.
  let handleRef: DeviceAgentHandle | null = null;
  const updates = updateDriverFor(() => handleRef);
  // People sign in in their own browser (decision 0017), never in a window of ours.
  const browser = { open: (url: string) => electron.shell.openExternal(url) };
  const handle = await createDeviceAgent({ appDataDir, config, shell, updates, browser });
  handleRef = handle;
  const { agent, log } = handle;
  const serverUrl = handle.serverUrl;
  if (!serverUrl) throw new Error('No server: set VDX_SERVER_URL or open a vdxroom://activate link.');

  const appOrigin = new URL(serverUrl).origin;
  const roomUrl = `${serverUrl}/room/`;
  /** Room UI + conference node(s): the only origins with media permission and navigation. */
  const allowedOrigins = () => originsOf([serverUrl, agent.state.kind !== 'unprovisioned' && 'room' in agent.state && agent.state.room ? agent.state.room.conferenceBaseUrl : null]);

  guardSession(session.defaultSession, desktopCapturer, { mode, appOrigin, allowedOrigins, log });

  const roomContents = (): WebContents | null => (win && !win.isDestroyed() ? win.webContents : null);
  const unregister = registerBridgeIpc({ ipcMain, agent, log, roomContents, get allowedOrigins() { return allowedOrigins(); } });

  const createWindow = () => {
    win = createRoomWindow(BrowserWindow, {
      mode,
      roomUrl,
      preloadPath: join(options.bundleDir, 'preload.cjs'),
      kioskLock: config.kioskLock,
      uiRetryMs: config.uiRetryMs,
      allowedOrigins,
      log,
      isQuitting: () => quitting,
      onRendererGone: () => agent.rendererGone(),
    });
    win.on('closed', () => {
      win = null;
    });
  };

  const openUrl = (url: string) => {
    if (!parseActivationUrl(url) && !parseJoinUrl(url)) return;
    agent.openUrl(url).catch((err: unknown) => log.warn('could not open link', { error: (err as Error).message, code: 'link_failed' }));
  };
  followAppEvents(app, {
    mode,
    window: () => win,
    openUrl,
    markQuitting: () => {
      quitting = true;
    },
  });

  if (mode === 'kiosk' && config.autoStart) app.setLoginItemSettings({ openAtLogin: true });

  const stopAgent = await handle.run();
  createWindow();
  const first = protocolUrl(argv);
  if (first) openUrl(first);
  log.info('Electron shell started', { mode, server: serverUrl });

  return {
    handle,
    window: () => win,
    allowedOrigins,
    async stop() {
      unregister();
      shell.setCallActive(false);
      await stopAgent();
    },
  };
}

type Log = DeviceAgentHandle['log'];
type Mode = ShellControl['mode'];

/** What the agent may ask of the shell: reload the UI, restart or quit the app, keep the display awake in calls. */
function electronShellControl(
  app: typeof electron.app,
  powerSaveBlocker: typeof electron.powerSaveBlocker,
  opts: { mode: Mode; appVersion: string; window: () => BrowserWindowType | null; markQuitting: () => void },
): ShellControl {
  let blocker: number | null = null;
  return {
    shell: 'electron',
    mode: opts.mode,
    appVersion: opts.appVersion,
    reloadUi: () => opts.window()?.webContents.reloadIgnoringCache(),
    restartApp: () => {
      app.relaunch();
      opts.markQuitting();
      app.exit(0);
    },
    quit: () => {
      opts.markQuitting();
      app.quit();
    },
    setCallActive: (active) => {
      if (active && blocker === null) blocker = powerSaveBlocker.start('prevent-display-sleep');
      if (!active && blocker !== null) {
        powerSaveBlocker.stop(blocker);
        blocker = null;
      }
    },
  };
}

/**
 * The session's guards: media permissions only for the allowed origins, screen share through
 * `desktopCapturer` (the whole screen on a kiosk, the system picker on a desktop), and our CSP on
 * the room UI's responses.
 */
function guardSession(
  ses: Electron.Session,
  desktopCapturer: typeof electron.desktopCapturer,
  { mode, appOrigin, allowedOrigins, log }: { mode: Mode; appOrigin: string; allowedOrigins: () => string[]; log: Log },
): void {
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    const ok = permissionAllowed(permission, details.requestingUrl ?? contents.getURL(), allowedOrigins());
    if (!ok) log.warn('permission refused', { permission, url: details.requestingUrl, code: 'permission_refused' });
    callback(ok);
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin, allowedOrigins()));
  ses.setDisplayMediaRequestHandler(
    (_request, callback) => {
      desktopCapturer
        .getSources({ types: ['screen', 'window'] })
        .then((sources) => {
          // Kiosk: the whole (first) screen; there is no one at a keyboard to pick a window.
          const source = sources.find((s) => s.id.startsWith('screen:')) ?? sources[0];
          callback(source ? { video: source } : {});
        })
        .catch((err: unknown) => {
          log.warn('screen capture failed', { error: (err as Error).message, code: 'screen_share_failed' });
          callback({});
        });
    },
    { useSystemPicker: mode === 'desktop' },
  );
  ses.webRequest.onHeadersReceived({ urls: [`${appOrigin}/room/*`] }, (details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [contentSecurityPolicy(appOrigin, allowedOrigins())],
      },
    });
  });

}

interface RoomWindowOptions {
  mode: Mode;
  roomUrl: string;
  preloadPath: string;
  kioskLock: boolean;
  uiRetryMs: number;
  allowedOrigins: () => string[];
  log: Log;
  /** True once the app is quitting: only then may a kiosk window close. */
  isQuitting: () => boolean;
  onRendererGone: () => void;
}

/**
 * The one room window on the room UI, with the window guards: no new windows or webviews,
 * navigation only to allowed origins, kiosk keys swallowed (the admin-exit chord goes to the UI),
 * a crashed renderer reloaded, a UI that did not load retried, a kiosk window that refuses to close.
 */
function createRoomWindow(BrowserWindow: typeof electron.BrowserWindow, opts: RoomWindowOptions): BrowserWindowType {
  const { mode, roomUrl, log, allowedOrigins } = opts;
  const win = new BrowserWindow(roomWindowOptions({ mode, preloadPath: opts.preloadPath, kioskLock: opts.kioskLock }));
  const contents = win.webContents;
  win.once('ready-to-show', () => win.show());
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('new window refused', { url, code: 'navigation_refused' });
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!navigationAllowed(url, allowedOrigins())) {
      log.warn('navigation refused', { url, code: 'navigation_refused' });
      event.preventDefault();
    }
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('before-input-event', (event, input) => {
    if (mode !== 'kiosk') return;
    if (isAdminExitChord(input)) {
      event.preventDefault();
      sendBridgeEvent(contents, 'app:admin-exit-requested', {}, log);
    } else if (isBlockedKioskKey(input)) event.preventDefault();
  });
  contents.on('render-process-gone', (_event, details) => {
    log.error('renderer gone; reloading', { reason: details.reason, exitCode: details.exitCode, code: 'renderer_gone' });
    opts.onRendererGone();
    setTimeout(() => {
      if (!win.isDestroyed()) win.webContents.reload();
    }, RELOAD_AFTER_CRASH_MS);
  });
  // The server unreachable at start and no offline copy of the UI yet: Chromium's error page
  // never talks to the agent, so load the room UI again until it comes up.
  contents.on('did-fail-load', (_event, errorCode, errorDescription, _url, isMainFrame) => {
    if (!isMainFrame || errorCode === ERR_ABORTED) return;
    log.warn('the room UI did not load; retrying', { errorCode, errorDescription, code: 'ui_not_loaded' });
    setTimeout(() => {
      if (!win.isDestroyed()) void win.loadURL(roomUrl);
    }, opts.uiRetryMs);
  });
  win.on('close', (event) => {
    if (mode === 'kiosk' && !opts.isQuitting()) event.preventDefault();
  });
  void win.loadURL(roomUrl);
  return win;
}

/**
 * The app's own events: a second start focuses this window and hands over its `vdxroom://` link;
 * links opened by the OS go to the agent; closing the last window quits a desktop app (a kiosk's
 * window does not close).
 */
function followAppEvents(
  app: typeof electron.app,
  opts: { mode: Mode; window: () => BrowserWindowType | null; openUrl: (url: string) => void; markQuitting: () => void },
): void {
  app.on('second-instance', (_event, secondArgv) => {
    const win = opts.window();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
    const url = protocolUrl(secondArgv);
    if (url) opts.openUrl(url);
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    opts.openUrl(url);
  });
  app.on('before-quit', opts.markQuitting);
  app.on('window-all-closed', () => {
    if (opts.mode === 'desktop') app.quit();
  });
}

/** electron-updater, fed from the agent's update channel (asked each time: it changes on enrolment). */
function updateDriverFor(handle: () => DeviceAgentHandle | null) {
  return createElectronUpdateDriver(updaterModule.autoUpdater, {
    feedUrl: () => {
      const feed = handle()?.agent.updateFeed;
      return feed ? updateFeedUrl(feed.serverUrl, feed.channel) : null;
    },
    log: { debug() {}, info() {}, warn: (m, f) => handle()?.log.warn(m, f), error: (m, f) => handle()?.log.error(m, f) },
  });
}
