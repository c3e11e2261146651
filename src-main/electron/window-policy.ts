/**
 * The Electron shell's security decisions as plain functions (no Electron import), so they are
 * tested directly and applied by `electron-app.ts`:
 * - window options: contextIsolation + sandbox, no Node in the page, no menu, kiosk vs desktop;
 * - the navigation allow-list (the room UI's origin only; anything else is refused, never opened);
 * - media/display-capture permission only for the configured origins (room UI, conference node);
 * - the Content-Security-Policy the room UI is served with.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export interface RoomWindowConfig {
  mode: 'kiosk' | 'desktop';
  preloadPath: string;
  /** Electron's own fullscreen kiosk on top of the kiosk window (off when debugging). */
  kioskLock?: boolean;
}

export function roomWindowOptions(config: RoomWindowConfig): BrowserWindowConstructorOptions {
  const kiosk = config.mode === 'kiosk';
  return {
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    show: false,
    backgroundColor: '#0a1f33',
    title: 'VDX Room',
    autoHideMenuBar: true,
    fullscreen: kiosk,
    kiosk: kiosk && (config.kioskLock ?? true),
    frame: !kiosk,
    closable: !kiosk,
    minimizable: !kiosk,
    webPreferences: {
      preload: config.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // Meetings start while the kiosk shows its idle screen: timers must not be throttled.
      backgroundThrottling: false,
      autoplayPolicy: 'no-user-gesture-required',
    },
  };
}

/** Origins of a list of URLs (invalid ones dropped). */
export function originsOf(urls: Array<string | null | undefined>): string[] {
  const out = new Set<string>();
  for (const u of urls) {
    if (!u) continue;
    try {
      out.add(new URL(u).origin);
    } catch {
      // ignore
    }
  }
  return [...out];
}

/** Whether the room window may navigate to `url` (same-document changes are always fine). */
export function navigationAllowed(url: string, allowedOrigins: readonly string[]): boolean {
  try {
    return allowedOrigins.includes(new URL(url).origin);
  } catch {
    return false;
  }
}

const MEDIA_PERMISSIONS = new Set(['media', 'display-capture', 'speaker-selection', 'fullscreen']);

/** Permission requests: camera/microphone/screen/speaker choice for allowed origins; nothing else, for anyone. */
export function permissionAllowed(permission: string, requestingUrl: string, allowedOrigins: readonly string[]): boolean {
  if (!MEDIA_PERMISSIONS.has(permission)) return false;
  return navigationAllowed(requestingUrl, allowedOrigins);
}

/**
 * The room UI's CSP: scripts only from itself; media/WebSocket/fetch to itself and the conference
 * node(s); no plugins, no framing.
 */
export function contentSecurityPolicy(appOrigin: string, connectOrigins: readonly string[]): string {
  const connect = [...new Set([appOrigin, ...connectOrigins])];
  const ws = connect.map((o) => o.replace(/^http/, 'ws'));
  return [
    `default-src 'self'`,
    `script-src 'self'`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob: ${connect.join(' ')}`,
    `media-src 'self' blob: mediastream:`,
    `connect-src 'self' ${[...connect, ...ws].join(' ')}`,
    `font-src 'self' data:`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `frame-ancestors 'none'`,
    `form-action 'none'`,
  ].join('; ');
}

/** The kiosk admin exit key: Ctrl+Alt+Shift+Q (no single key a passer-by hits by accident). */
export function isAdminExitChord(input: { type: string; key: string; control: boolean; alt: boolean; shift: boolean }): boolean {
  return input.type === 'keyDown' && input.control && input.alt && input.shift && input.key.toLowerCase() === 'q';
}

/** Keys a kiosk swallows so nobody leaves or reloads it by accident. */
export function isBlockedKioskKey(input: { type: string; key: string; control: boolean; alt: boolean; meta: boolean }): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  if (input.alt && key === 'f4') return true;
  if ((input.control || input.meta) && ['w', 'q', 'r', 'n', 't'].includes(key)) return true;
  if (key === 'f5' || key === 'f11' || key === 'f12') return true;
  return false;
}
