/** What a shell gives the device agent: the platform services, and the app configuration it read. */
import type { Clock } from '../../src-shared/platform/clock';
import type { AgentLogger, ExternalBrowser, HttpFetch, SecretStore, SettingsStore, ShellControl, Sleep, SystemProbe, UpdateDriver } from './platform/platform';
import type { ActivationRequest } from './provisioning/provisioning';

export interface RoomAgentOptions {
  clock: Clock;
  fetch: HttpFetch;
  secrets: SecretStore;
  settings: SettingsStore;
  system: SystemProbe;
  updates: UpdateDriver;
  shell: ShellControl;
  log: AgentLogger;
  /** `collect_logs`: the newest log lines. */
  collectLogs(options: { sinceMinutes: number; maxLines: number }): string;
  /** Warnings/errors for heartbeats. */
  recentErrors?(): Array<{ at: string; code?: string; message: string }>;
  /** The server the app was started against (`VDX_SERVER_URL`); default for typed codes. */
  defaultServerUrl: string | null;
  /** Zero-touch activation (environment or provisioning.json). */
  zeroTouch?: ActivationRequest | null;
  /** Join this many seconds before the start (default 0). */
  earlyJoinSeconds?: number;
  /** Kiosk admin exit PIN; null disables admin exit. */
  adminExitPin?: string | null;
  /** Join scheduled meetings by itself (default: kiosk mode only). */
  autoJoin?: boolean;
  /** Desktop: where people sign in (the system browser); absent, signing in is refused. */
  browser?: ExternalBrowser;
  sleep?: Sleep;
  random?: () => number;
}
