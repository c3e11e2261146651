/**
 * Health: the heartbeat (machine, network, peripherals, call, update state) every
 * `heartbeatIntervalSeconds`, and the {@link Outbox} that keeps every report — heartbeats, call
 * summaries, command results — until the server has taken it.
 */
import {
  DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
  type Heartbeat,
  type UpdateState as HeartbeatUpdateState,
} from '../../../src-shared/devices/heartbeat.schema';
import type { Peripherals, Settings } from '../../../src-shared/ipc/room-bridge.contract';
import { OK, type BridgeHandlers } from '../bridge/agent-handlers';
import type { ShellControl, SystemProbe } from '../platform/platform';
import type { AgentContext } from '../runtime/agent-context';
import type { ServerLink } from '../provisioning/provisioning.controller';
import { Outbox, type OutboxItem } from './outbox';

const EMPTY_PERIPHERALS: Peripherals = { cameras: [], microphones: [], speakers: [] };

export interface HealthOptions {
  system: SystemProbe;
  shell: ShellControl;
  server: ServerLink;
  /** The locally chosen camera/microphone/speaker (marked `selected`). */
  settings(): Settings;
  call(): Pick<Heartbeat, 'callState' | 'callQuality'>;
  update(): HeartbeatUpdateState | null;
  /** Warnings/errors from the log. */
  recentErrors?(): Array<{ at: string; code?: string; message: string }>;
}

export class HealthController {
  readonly #outbox: Outbox;
  readonly #startedAt: Date;
  #peripherals: Peripherals = EMPTY_PERIPHERALS;
  #latencyMs: number | null = null;
  #intervalSeconds = DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
  #nextHeartbeatAt = 0;

  constructor(
    private readonly ctx: AgentContext,
    private readonly o: HealthOptions,
  ) {
    this.#outbox = new Outbox(ctx.settings, ctx.log);
    this.#startedAt = ctx.clock.now();
  }

  readonly handlers = {
    'media:report-devices': async (request) => {
      // Management should see a changed camera/microphone now, not at the next interval.
      if (JSON.stringify(request) !== JSON.stringify(this.#peripherals)) this.heartbeatNow();
      this.#peripherals = request;
      return OK;
    },
  } satisfies Pick<BridgeHandlers, 'media:report-devices'>;

  /** From the device config. */
  setInterval(seconds: number): void {
    this.#intervalSeconds = seconds;
  }

  /** The next tick sends a heartbeat. */
  heartbeatNow(): void {
    this.#nextHeartbeatAt = 0;
  }

  tick(now: Date): void {
    const t = now.getTime();
    if (t < this.#nextHeartbeatAt) return;
    this.#nextHeartbeatAt = t + this.#intervalSeconds * 1000;
    // Beside the tick: a black-holed server (15 s timeouts) must never delay the next join or leave.
    this.ctx.work.trackOnce('heartbeat', () => this.#sendHeartbeat());
  }

  /** Queues a report; {@link flush} sends it. */
  queue(item: OutboxItem): void {
    this.#outbox.add(item);
  }

  /** Queues a report and sends it in the background. */
  report(item: OutboxItem): void {
    this.#outbox.add(item);
    this.ctx.work.track(this.flush());
  }

  async flush(): Promise<void> {
    const api = this.o.server.api;
    if (!api || this.#outbox.size === 0) return;
    try {
      await this.#outbox.flush(api);
      this.o.server.setOnline(true);
    } catch (err) {
      await this.o.server.serverError(err, 'reports');
    }
  }

  /** The enrolment is gone: its reports go nowhere. */
  forget(): void {
    this.#outbox.clear();
  }

  async buildHeartbeat(): Promise<Heartbeat> {
    const { os } = this.o.system.describe();
    const sample = await this.o.system.sample();
    const settings = this.o.settings();
    const mark = <T extends { id: string }>(list: T[], selected: string | null) =>
      list.map((d, i) => ({ ...d, selected: selected ? d.id === selected : i === 0 }));
    const now = this.ctx.clock.now();
    const update = this.o.update();
    return {
      sentAt: now.toISOString(),
      appVersion: this.o.shell.appVersion,
      os,
      uptimeSeconds: Math.max(0, (now.getTime() - this.#startedAt.getTime()) / 1000),
      systemUptimeSeconds: sample.systemUptimeSeconds,
      cpu: { loadPercent: Math.min(100, Math.max(0, sample.cpuLoadPercent)) },
      memory: sample.memory,
      disk: sample.disk,
      network: { serverReachable: this.o.server.online, latencyMs: this.#latencyMs },
      peripherals: {
        cameras: mark(this.#peripherals.cameras, settings.cameraId),
        microphones: mark(this.#peripherals.microphones, settings.microphoneId),
        speakers: mark(this.#peripherals.speakers, settings.speakerId),
      },
      ...this.o.call(),
      ...(update ? { update } : {}),
      recentErrors: (this.o.recentErrors?.() ?? []).slice(-20),
    };
  }

  async #sendHeartbeat(): Promise<void> {
    if (!this.o.server.api) return;
    this.#outbox.add({ kind: 'heartbeat', body: await this.buildHeartbeat() });
    const started = performance.now();
    await this.flush();
    if (this.o.server.online) this.#latencyMs = Math.round(performance.now() - started);
  }
}
