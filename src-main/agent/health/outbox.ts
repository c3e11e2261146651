/**
 * Reports that must reach the server even if it is unreachable when they happen: heartbeats, call
 * summaries and command results. Kept in order in the settings store (so a restart loses nothing)
 * and sent oldest first when the server answers again.
 *
 * Bounds: at most {@link MAX_HEARTBEATS} heartbeats (older ones are dropped — the latest state
 * matters most, and 1 h of history is plenty for the time series) and {@link MAX_OTHERS} others.
 * An item the server refuses with a 4xx is dropped (it will never be accepted); 5xx and offline
 * keep it for the next try.
 */
import type { CommandResult } from '../../../src-shared/devices/commands.schema';
import type { CallSummary, Heartbeat } from '../../../src-shared/devices/heartbeat.schema';
import type { AgentLogger, SettingsStore } from '../platform/platform';
import { ServerCallError, type DeviceApi } from '../server/device-api';

export const MAX_HEARTBEATS = 120;
export const MAX_OTHERS = 200;
const KEY = 'outbox';

export type OutboxItem =
  | { kind: 'heartbeat'; body: Heartbeat }
  | { kind: 'call_summary'; body: CallSummary }
  | { kind: 'command_result'; commandId: string; body: CommandResult };

export class Outbox {
  #items: OutboxItem[];
  #flushing: Promise<number> | null = null;

  constructor(
    private readonly store: SettingsStore,
    private readonly log: AgentLogger,
  ) {
    const saved = store.get(KEY);
    this.#items = Array.isArray(saved) ? (saved as OutboxItem[]) : [];
  }

  get size(): number {
    return this.#items.length;
  }

  items(): readonly OutboxItem[] {
    return this.#items;
  }

  add(item: OutboxItem): void {
    this.#items.push(item);
    const heartbeats = this.#items.filter((i) => i.kind === 'heartbeat').length;
    if (heartbeats > MAX_HEARTBEATS) {
      const idx = this.#items.findIndex((i) => i.kind === 'heartbeat');
      this.#items.splice(idx, 1);
    }
    const others = this.#items.length - Math.min(heartbeats, MAX_HEARTBEATS);
    if (others > MAX_OTHERS) {
      const idx = this.#items.findIndex((i) => i.kind !== 'heartbeat');
      this.#items.splice(idx, 1);
    }
    this.#save();
  }

  clear(): void {
    this.#items = [];
    this.#save();
  }

  /** Sends everything it can, oldest first; resolves with how many were delivered. */
  flush(api: DeviceApi): Promise<number> {
    this.#flushing ??= this.#flush(api).finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  async #flush(api: DeviceApi): Promise<number> {
    let sent = 0;
    while (this.#items.length > 0) {
      const item = this.#items[0]!;
      try {
        if (item.kind === 'heartbeat') await api.heartbeat(item.body);
        else if (item.kind === 'call_summary') await api.callSummary(item.body);
        else await api.commandResult(item.commandId, item.body);
        sent++;
      } catch (err) {
        if (err instanceof ServerCallError && err.kind === 'http' && err.status !== null && err.status >= 400 && err.status < 500 && err.status !== 429) {
          this.log.warn('server refused a buffered report; dropping it', { kind: item.kind, status: err.status, code: err.code });
        } else {
          throw err;
        }
      }
      this.#items.shift();
      this.#save();
    }
    return sent;
  }

  #save(): void {
    this.store.set(KEY, this.#items);
  }
}
