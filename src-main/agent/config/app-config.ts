/**
 * The room app's whole configuration, read once from the environment by the shell that starts it
 * (Electron, the Chromium shell, `npm run app`). Every key is documented here, listed in
 * `.env.example` and in README "Room app"; a bad value stops the app with a message naming the key
 * (a mistyped `VDX_EARLY_JOIN_SECONDS` used to become 0 without a word). Empty values count as unset.
 * Keys the server reads (`VDX_PORT`, `VDX_DB` …) may share the environment and are ignored here.
 */
import { z } from 'zod';
import { normaliseActivationCode } from '../../../src-shared/devices/activation.schema';
import { normaliseServerUrl } from '../server/device-api';

const unsetIfEmpty = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <S extends z.ZodType>(schema: S) => z.preprocess(unsetIfEmpty, schema.optional());
const flag = (fallback: boolean) =>
  z.preprocess(unsetIfEmpty, z.enum(['0', '1'], { error: 'must be 1 (on) or 0 (off)' }).optional()).transform((v) => (v === undefined ? fallback : v === '1'));
const seconds = (min: number, max: number, fallback: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number({ error: 'must be a number of seconds' }).int(`must be whole seconds`).min(min).max(max).optional()).transform((v) => v ?? fallback);

const AppEnvironment = z.object({
  /** The server to enrol with and to load the room UI from (unset: only a `vdxroom://activate` link can say). */
  VDX_SERVER_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  /** Zero-touch enrolment at first start (with `VDX_SERVER_URL`); else `{appData}/provisioning.json`, else the screen. */
  VDX_ACTIVATION_CODE: optional(z.string()),
  /** Where settings, the schedule cache, logs (and the credential file fallback) live. Default: the shell's own. */
  VDX_APP_DATA_DIR: optional(z.string()),
  /** `file` skips the OS keychain (thin clients without one); `keychain` insists on it. Default: keychain, file as fallback. */
  VDX_SECRET_STORE: optional(z.enum(['file', 'keychain'])),
  /** Join scheduled meetings this long before their start (0–3600, default 0). */
  VDX_EARLY_JOIN_SECONDS: seconds(0, 3600, 0),
  /** Kiosk admin exit PIN (Ctrl+Alt+Shift+Q); unset: no admin exit. */
  VDX_ADMIN_EXIT_PIN: optional(z.string()),
  /** `1`/`0` forces auto-join on/off; unset: on in kiosk mode, off on desktops. */
  VDX_AUTO_JOIN: optional(z.enum(['0', '1'], { error: 'must be 1 (on) or 0 (off)' })),
  /**
   * The shells load the room UI again when it did not come up after this long (1–3600, default
   * 30): the server was unreachable at start and there is no offline copy yet, so the window shows
   * Chromium's error page, which never talks to the agent. Soon enough for a meeting, rare enough
   * not to hammer a recovering server.
   */
  VDX_UI_RETRY_SECONDS: seconds(1, 3600, 30),
  /** `debug` logs debug lines; any other level logs from info up (the server's levels, as the two may share an environment). */
  VDX_LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  /** Chromium shell: echo the log to stderr. */
  VDX_LOG_ECHO: flag(false),
  /** Chromium shell: expose Chromium's DevTools on this loopback port (end-to-end tests). */
  VDX_CHROMIUM_DEBUG_PORT: optional(z.coerce.number({ error: 'must be a port number' }).int().min(1).max(65535)),
  /** Chromium shell: a fake camera and microphone (tests, demos without devices). */
  VDX_FAKE_MEDIA: flag(false),
  /**
   * Desktop: the program that opens the staff sign-in page (the URL is its one argument; decision
   * 0017). Default: Electron's `shell.openExternal`, else the OS's opener (`xdg-open`, `open`).
   */
  VDX_BROWSER: optional(z.string()),
  /** Electron: `desktop` for a clinician's own computer (as `--desktop`); default kiosk. */
  VDX_MODE: optional(z.enum(['kiosk', 'desktop'])),
  /** The version the app reports (heartbeats, enrolment); default the package's. */
  VDX_APP_VERSION: optional(z.string()),
  /** Electron kiosk: lock the window (full screen, no leaving it); default on. */
  VDX_KIOSK_LOCK: flag(true),
  /** Electron kiosk: start at login; default on. */
  VDX_AUTO_START: flag(true),
});

export interface AppConfig {
  serverUrl: string | null;
  activationCode: string | null;
  appDataDir: string | null;
  secretStore: 'file' | 'keychain' | null;
  earlyJoinSeconds: number;
  adminExitPin: string | null;
  /** null: the mode decides. */
  autoJoin: boolean | null;
  uiRetryMs: number;
  logLevel: 'debug' | 'info';
  logEcho: boolean;
  chromiumDebugPort: number | null;
  fakeMedia: boolean;
  mode: 'kiosk' | 'desktop' | null;
  /** null: the shell's or the OS's way to open a link. */
  browser: string | null;
  appVersion: string | null;
  kioskLock: boolean;
  autoStart: boolean;
}

export class AppConfigError extends Error {}

/** Never echoed in an error message. */
const SECRET_KEYS = new Set(['VDX_ADMIN_EXIT_PIN', 'VDX_ACTIVATION_CODE']);

/** Parses the environment; throws {@link AppConfigError} naming the first bad key. */
export function parseAppConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = AppEnvironment.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? 'environment');
    const value = env[key];
    throw new AppConfigError(`Invalid room app configuration: ${key}: ${issue.message}${value !== undefined && !SECRET_KEYS.has(key) ? ` (got "${String(value).slice(0, 80)}")` : ''}`);
  }
  const e = parsed.data;
  return {
    serverUrl: e.VDX_SERVER_URL ? normaliseServerUrl(e.VDX_SERVER_URL) : null,
    activationCode: e.VDX_ACTIVATION_CODE ? normaliseActivationCode(e.VDX_ACTIVATION_CODE) : null,
    appDataDir: e.VDX_APP_DATA_DIR ?? null,
    secretStore: e.VDX_SECRET_STORE ?? null,
    earlyJoinSeconds: e.VDX_EARLY_JOIN_SECONDS,
    adminExitPin: e.VDX_ADMIN_EXIT_PIN ?? null,
    autoJoin: e.VDX_AUTO_JOIN === undefined ? null : e.VDX_AUTO_JOIN === '1',
    uiRetryMs: e.VDX_UI_RETRY_SECONDS * 1000,
    logLevel: e.VDX_LOG_LEVEL === 'debug' ? 'debug' : 'info',
    logEcho: e.VDX_LOG_ECHO,
    chromiumDebugPort: e.VDX_CHROMIUM_DEBUG_PORT ?? null,
    fakeMedia: e.VDX_FAKE_MEDIA,
    mode: e.VDX_MODE ?? null,
    browser: e.VDX_BROWSER ?? null,
    appVersion: e.VDX_APP_VERSION ?? null,
    kioskLock: e.VDX_KIOSK_LOCK,
    autoStart: e.VDX_AUTO_START,
  };
}

/** Every key the room app reads (for docs and the test that keeps `.env.example` complete). */
export const APP_CONFIG_KEYS = Object.keys(AppEnvironment.shape) as Array<keyof typeof AppEnvironment.shape>;
