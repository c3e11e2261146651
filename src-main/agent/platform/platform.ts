/**
 * The platform services the device agent is given. The agent never imports Electron, keytar or
 * conf itself: each shell builds these (Electron: keytar + electron-store/conf + electron-updater;
 * Chromium shell: keytar or a file fallback + conf + no updater) and tests pass in-memory doubles.
 */
import type { HardwareInfo, OsInfo } from '../../../src-shared/devices/enrolment.schema';
import type { UpdateState } from '../../../src-shared/ipc/room-bridge.contract';

/** Where the device credential lives: the OS keychain (keytar). Never anything else secret-free. */
export interface SecretStore {
  /** For the log ("keychain", "file fallback", "memory"). */
  readonly kind: string;
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Non-secret persisted state: settings, install id, cached schedule, outbox (conf / electron-store). */
export interface SettingsStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/** One sample of the machine's health. */
export interface SystemSample {
  cpuLoadPercent: number;
  memory: { totalBytes: number; usedBytes: number };
  disk: { totalBytes: number; freeBytes: number };
  systemUptimeSeconds: number;
}

/** Facts about the machine (Node's `os`, the OS machine id). */
export interface SystemProbe {
  describe(): { hostname: string; os: OsInfo; hardware: HardwareInfo };
  /** The raw OS machine id; the agent hashes it before it leaves the device. */
  machineId(): Promise<string>;
  sample(): Promise<SystemSample>;
}

/** What a shell's updater can do (electron-updater in Electron; nothing in the Chromium shell). */
export interface UpdateDriver {
  readonly supported: boolean;
  /** Looks for an update on the feed and downloads it in the background. */
  check(): Promise<{ available: boolean; version: string | null }>;
  /** Quits and installs the downloaded update. Only called when the update policy allows it. */
  install(): void;
  /** Updater state changes (checking, downloading x %, downloaded, error). */
  onState(listener: (state: UpdateState) => void): void;
}

/** What the agent can ask of the shell around it. */
export interface ShellControl {
  readonly shell: 'electron' | 'chromium';
  readonly mode: 'kiosk' | 'desktop';
  readonly appVersion: string;
  reloadUi(): void;
  restartApp(): void;
  quit(): void;
  /** In a call: keep the display awake (Electron's powerSaveBlocker). */
  setCallActive(active: boolean): void;
}

export type HttpFetch = typeof fetch;

/**
 * The person's own browser (Electron: `shell.openExternal`; Chromium shell: `VDX_BROWSER` or the
 * OS's opener). The desktop signs in there (decision 0017), never in a window of its own.
 */
export interface ExternalBrowser {
  open(url: string): Promise<void>;
}

/** Structured log; fields pass through redaction before they are written. */
export interface AgentLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Sleeps (reconnect backoff). Injected so tests need not wait. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
