/** Builds a {@link RoomAgent} with in-memory platform doubles and a ManualClock, recording what it emits. */
import { ManualClock } from '../../../src-shared/platform/clock';
import type { BridgeEventName, UpdateState } from '../../../src-shared/ipc/room-bridge.contract';
import { MemorySecretStore, MemorySettingsStore } from '../platform/memory-platform';
import type { ShellControl, SystemProbe, UpdateDriver } from '../platform/platform';
import { silentLogger } from '../logging/rotating-log';
import { RoomAgent, type RoomAgentOptions } from '../room-agent';
import type { ActivationRequest } from '../provisioning/provisioning';

export class FakeUpdates implements UpdateDriver {
  supported = true;
  checks = 0;
  installs = 0;
  next: { available: boolean; version: string | null } = { available: false, version: null };
  #listener: (s: UpdateState) => void = () => {};
  async check() {
    this.checks++;
    if (this.next.available && this.next.version) this.#listener({ kind: 'pending_install', version: this.next.version });
    return this.next;
  }
  install() {
    this.installs++;
  }
  onState(listener: (s: UpdateState) => void) {
    this.#listener = listener;
  }
}

export const fakeSystem: SystemProbe = {
  describe: () => ({ hostname: 'kiosk-7', os: { platform: 'linux', release: '6.1', arch: 'x64' }, hardware: { cpuCores: 2 } }),
  machineId: async () => 'RAW-MACHINE-ID-1234',
  sample: async () => ({ cpuLoadPercent: 12.5, memory: { totalBytes: 8e9, usedBytes: 2e9 }, disk: { totalBytes: 1e11, freeBytes: 5e10 }, systemUptimeSeconds: 1000 }),
};

export interface TestAgent {
  agent: RoomAgent;
  clock: ManualClock;
  secrets: MemorySecretStore;
  settings: MemorySettingsStore;
  updates: FakeUpdates;
  events: Array<{ event: BridgeEventName; payload: unknown }>;
  shellCalls: string[];
  /** Payloads of one event type, in order. */
  of<T = unknown>(event: BridgeEventName): T[];
}

export function createTestAgent(options: {
  serverUrl: string;
  clock?: ManualClock;
  secrets?: MemorySecretStore;
  settings?: MemorySettingsStore;
  mode?: 'kiosk' | 'desktop';
  zeroTouch?: ActivationRequest | null;
  overrides?: Partial<RoomAgentOptions>;
}): TestAgent {
  const clock = options.clock ?? new ManualClock('2026-03-02T09:00:00Z');
  const secrets = options.secrets ?? new MemorySecretStore();
  const settings = options.settings ?? new MemorySettingsStore();
  const updates = new FakeUpdates();
  const events: TestAgent['events'] = [];
  const shellCalls: string[] = [];
  const shell: ShellControl = {
    shell: 'chromium',
    mode: options.mode ?? 'kiosk',
    appVersion: '1.2.3',
    reloadUi: () => shellCalls.push('reloadUi'),
    restartApp: () => shellCalls.push('restartApp'),
    quit: () => shellCalls.push('quit'),
    setCallActive: (a) => shellCalls.push(`callActive:${a}`),
  };
  const agent = new RoomAgent({
    clock,
    fetch: globalThis.fetch,
    secrets,
    settings,
    system: fakeSystem,
    updates,
    shell,
    log: silentLogger,
    collectLogs: () => 'line 1\nline 2',
    defaultServerUrl: options.serverUrl,
    zeroTouch: options.zeroTouch ?? null,
    adminExitPin: '4321',
    // Reconnect at once: tests must not wait for backoff.
    sleep: async (_ms, signal) => {
      if (!signal?.aborted) await new Promise((r) => setTimeout(r, 5));
    },
    ...options.overrides,
  });
  agent.onEvent((event, payload) => events.push({ event, payload }));
  return {
    agent, clock, secrets, settings, updates, events, shellCalls,
    of: <T,>(event: BridgeEventName) => events.filter((e) => e.event === event).map((e) => e.payload as T),
  };
}

/** Polls `check` (for things that cross the loopback network) — bounded, never a timing assertion. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
