/**
 * Builds a {@link RoomAgent} on the real Node platform services — the part both shells share.
 * The shell passes what only it knows: its {@link ShellControl} and {@link UpdateDriver}.
 * The configuration comes parsed ({@link AppConfig}, `config/app-config.ts`; README "Room app").
 */
import { join } from 'node:path';
import { systemClock, type Clock } from '../../src-shared/platform/clock';
import type { AppConfig } from './config/app-config';
import { RotatingLog } from './logging/rotating-log';
import { openSettingsStore } from './platform/conf-settings-store';
import { openSecretStore } from './platform/keytar-secret-store';
import { createNodeSystemProbe } from './platform/node-system-probe';
import type { ExternalBrowser, ShellControl, UpdateDriver } from './platform/platform';
import { systemBrowser } from './platform/system-browser';
import { zeroTouchActivation, loadEnrolment } from './provisioning/provisioning';
import { RoomAgent } from './room-agent';

export interface DeviceAgentEnvironment {
  appDataDir: string;
  config: AppConfig;
  shell: ShellControl;
  updates: UpdateDriver;
  clock?: Clock;
  /** Where people sign in (desktop); default `VDX_BROWSER`, else the OS's opener. */
  browser?: ExternalBrowser;
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
  const { config, appDataDir } = options;
  const log = new RotatingLog({ dir: join(appDataDir, 'logs'), clock, echo: options.echoLog ?? false, level: config.logLevel });
  const secrets = await openSecretStore({ appDataDir, log, force: config.secretStore ?? undefined });
  const settings = openSettingsStore(appDataDir);
  const defaultServerUrl = config.serverUrl;
  const enrolled = await loadEnrolment(settings, secrets);
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
    browser: options.browser && !config.browser ? options.browser : systemBrowser(config.browser),
    zeroTouch: enrolled ? null : zeroTouchActivation(config, appDataDir),
    earlyJoinSeconds: config.earlyJoinSeconds,
    adminExitPin: config.adminExitPin,
    ...(config.autoJoin !== null ? { autoJoin: config.autoJoin } : {}),
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
