/**
 * Builds a {@link RoomAgent} on the real Node platform services — the part both shells share.
 * The shell passes what only it knows: its {@link ShellControl} and {@link UpdateDriver}.
 *
 * Environment (documented in README "Room app"):
 * - `VDX_SERVER_URL` — the server to enrol with / load the room UI from;
 * - `VDX_ACTIVATION_CODE` — zero-touch enrolment (with `VDX_SERVER_URL`), or `{appData}/provisioning.json`;
 * - `VDX_APP_DATA_DIR` — where settings, cache, logs (and the credential fallback) live;
 * - `VDX_SECRET_STORE=file` — skip the OS keychain;
 * - `VDX_EARLY_JOIN_SECONDS` — join this much before the start (default 0);
 * - `VDX_ADMIN_EXIT_PIN` — kiosk admin exit PIN (unset: no admin exit);
 * - `VDX_AUTO_JOIN` — `1`/`0` to force auto-join on/off (default: on in kiosk mode);
 * - `VDX_UI_RETRY_SECONDS` — the shells reload a room UI that did not come up after this long (default 30).
 */
import { join } from 'node:path';
import { systemClock, type Clock } from '../../src-shared/platform/clock';
import { RotatingLog } from './logging/rotating-log';
import { openSettingsStore } from './platform/conf-settings-store';
import { openSecretStore } from './platform/keytar-secret-store';
import { createNodeSystemProbe } from './platform/node-system-probe';
import type { ShellControl, UpdateDriver } from './platform/platform';
import { zeroTouchActivation, loadEnrolment } from './provisioning/provisioning';
import { normaliseServerUrl } from './server/device-api';
import { RoomAgent } from './room-agent';

export interface DeviceAgentEnvironment {
  appDataDir: string;
  env: Record<string, string | undefined>;
  shell: ShellControl;
  updates: UpdateDriver;
  clock?: Clock;
  /** Echo the log to stderr. */
  echoLog?: boolean;
}

export interface DeviceAgentHandle {
  agent: RoomAgent;
  log: RotatingLog;
  /** Where the room UI lives: the enrolled server, else `VDX_SERVER_URL`; null when neither is known. */
  serverUrl: string | null;
  /** Starts the agent and its ½-second tick; returns the stop function. */
  run(): Promise<() => Promise<void>>;
}

export const TICK_MS = 500;

export async function createDeviceAgent(options: DeviceAgentEnvironment): Promise<DeviceAgentHandle> {
  const clock = options.clock ?? systemClock;
  const { env, appDataDir } = options;
  const log = new RotatingLog({ dir: join(appDataDir, 'logs'), clock, echo: options.echoLog ?? false, level: env.VDX_LOG_LEVEL === 'debug' ? 'debug' : 'info' });
  const secretForce = env.VDX_SECRET_STORE === 'file' || env.VDX_SECRET_STORE === 'keychain' ? env.VDX_SECRET_STORE : undefined;
  const secrets = await openSecretStore({ appDataDir, log, force: secretForce });
  const settings = openSettingsStore(appDataDir);
  const defaultServerUrl = env.VDX_SERVER_URL ? normaliseServerUrl(env.VDX_SERVER_URL) : null;
  const enrolled = await loadEnrolment(settings, secrets);
  const early = Number(env.VDX_EARLY_JOIN_SECONDS ?? 0);
  const agent = new RoomAgent({
    clock,
    fetch: globalThis.fetch,
    secrets,
    settings,
    system: createNodeSystemProbe({ diskPath: appDataDir }),
    updates: options.updates,
    shell: options.shell,
    log,
    collectLogs: (o) => log.tail(o),
    recentErrors: () => log.recentErrors,
    defaultServerUrl,
    zeroTouch: enrolled ? null : zeroTouchActivation(env, appDataDir),
    earlyJoinSeconds: Number.isFinite(early) && early >= 0 ? early : 0,
    adminExitPin: env.VDX_ADMIN_EXIT_PIN || null,
    ...(env.VDX_AUTO_JOIN ? { autoJoin: env.VDX_AUTO_JOIN === '1' } : {}),
  });
  return {
    agent,
    log,
    serverUrl: enrolled?.record.serverUrl ?? defaultServerUrl,
    async run() {
      await agent.start();
      const timer = setInterval(() => {
        agent.tick().catch((err: unknown) => log.error('tick failed', { error: (err as Error).message }));
      }, TICK_MS);
      return async () => {
        clearInterval(timer);
        await agent.stop();
      };
    },
  };
}
