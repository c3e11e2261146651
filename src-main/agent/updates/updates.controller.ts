/**
 * Updates: checks the feed every {@link UPDATE_CHECK_HOURS} (and on `check_update`), follows the
 * shell's updater through download, and installs only when `update-policy.ts` allows it — idle,
 * in the maintenance window, no meeting soon.
 */
import type { MaintenanceWindow } from '../../../src-shared/devices/common.schema';
import type { UpdateState as HeartbeatUpdateState } from '../../../src-shared/devices/heartbeat.schema';
import type { UpdateState } from '../../../src-shared/ipc/room-bridge.contract';
import type { CallPhase } from '../calls/calls.controller';
import type { UpdateDriver } from '../platform/platform';
import type { AgentContext } from '../runtime/agent-context';
import type { ScheduledMeeting } from '../schedule/room-schedule';
import { decideInstall, type InstallDecision } from './update-policy';

export const UPDATE_CHECK_HOURS = 4;
/** After connecting, the first check waits this long (start-up has enough to do). */
const FIRST_CHECK_DELAY_MS = 60_000;

export interface UpdatesOptions {
  driver: UpdateDriver;
  callPhase(): CallPhase;
  maintenanceWindow(): MaintenanceWindow;
  meetings(): readonly ScheduledMeeting[];
  earlyJoinSeconds: number;
  /** The update state changed (the UI shows it). */
  changed(): void;
}

export class UpdatesController {
  #state: UpdateState;
  #downloadedVersion: string | null = null;
  #lastDecision: InstallDecision | null = null;
  #lastCheckAt: Date | null = null;
  #nextCheckAt = 0;

  constructor(
    private readonly ctx: AgentContext,
    private readonly o: UpdatesOptions,
  ) {
    this.#state = o.driver.supported ? { kind: 'idle' } : { kind: 'unsupported' };
    o.driver.onState((s) => this.#setState(s));
  }

  get state(): UpdateState {
    return this.#state;
  }

  get supported(): boolean {
    return this.o.driver.supported;
  }

  /** A device that just connected checks a minute later. */
  connected(): void {
    this.#nextCheckAt = this.ctx.clock.now().getTime() + FIRST_CHECK_DELAY_MS;
  }

  tick(now: Date): void {
    const t = now.getTime();
    if (this.o.driver.supported && t >= this.#nextCheckAt) {
      this.#nextCheckAt = t + UPDATE_CHECK_HOURS * 3600_000;
      this.ctx.work.track(this.check().catch(() => undefined));
    }
    this.#maybeInstall(now);
  }

  async check(): Promise<{ available: boolean; version: string | null }> {
    this.#lastCheckAt = this.ctx.clock.now();
    try {
      const found = await this.o.driver.check();
      this.ctx.log.info('update check', { available: found.available, version: found.version });
      return found;
    } catch (err) {
      this.ctx.log.warn('update check failed', { error: (err as Error).message, code: 'update_error' });
      this.#setState({ kind: 'error', message: (err as Error).message });
      throw err;
    }
  }

  /** The heartbeat's `update` (deferred, with the reason, when the policy holds a download back). */
  heartbeatState(): HeartbeatUpdateState | null {
    const u = this.#state;
    const lastCheckAt = this.#lastCheckAt ? { lastCheckAt: this.#lastCheckAt.toISOString() } : {};
    switch (u.kind) {
      case 'unsupported':
        return null;
      case 'idle':
      case 'checking':
        return { state: u.kind, ...lastCheckAt };
      case 'downloading':
        return { state: 'downloading', version: u.version, progressPercent: u.percent, ...lastCheckAt };
      case 'pending_install': {
        const d = this.#lastDecision;
        return d && !d.install && d.reason !== 'nothing_downloaded'
          ? { state: 'deferred', version: u.version, deferredReason: d.reason, ...lastCheckAt }
          : { state: 'downloaded', version: u.version, ...lastCheckAt };
      }
      case 'installing':
        return { state: 'installing', version: u.version, ...lastCheckAt };
      case 'error':
        return { state: 'error', error: u.message.slice(0, 1000), ...lastCheckAt };
    }
  }

  #maybeInstall(now: Date): void {
    if (!this.#downloadedVersion || this.#state.kind === 'installing') return;
    const decision = decideInstall({
      now,
      downloadedVersion: this.#downloadedVersion,
      callPhase: this.o.callPhase(),
      maintenanceWindow: this.o.maintenanceWindow(),
      meetings: this.o.meetings(),
      earlyJoinSeconds: this.o.earlyJoinSeconds,
    });
    this.#lastDecision = decision;
    if (!decision.install) return;
    this.ctx.log.info('installing update', { version: this.#downloadedVersion });
    this.#setState({ kind: 'installing', version: this.#downloadedVersion });
    this.o.driver.install();
  }

  #setState(state: UpdateState): void {
    this.#state = state;
    if (state.kind === 'pending_install') this.#downloadedVersion = state.version;
    this.o.changed();
  }
}
