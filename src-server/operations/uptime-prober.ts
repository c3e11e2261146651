import type { FastifyBaseLogger } from 'fastify';
import { copenhagenParts } from '../../src-shared/booking/vdx-time';
import type { Clock, Timers } from '../../src-shared/platform/clock';
import type { Store } from '../db/database';
import type { ComponentId } from '../../src-shared/operations/status.schema';
import { runProbe, type HealthProbe } from './healthcheck';

/** How often every component is probed; also the width of one uptime sample. */
export const SAMPLE_INTERVAL_MS = 30_000;
/** Samples are kept this long: 13 months of monthly uptime figures, and some to spare. */
export const RETENTION_DAYS = 400;
const DAY_MS = 24 * 3600_000;
/** A probe slower than this fails its sample (the component did not serve in time). */
const PROBE_TIMEOUT_MS = 10_000;

/** The start of the 30-second slot an instant falls in. */
export const slotOf = (at: Date): Date => new Date(Math.floor(at.getTime() / SAMPLE_INTERVAL_MS) * SAMPLE_INTERVAL_MS);

/**
 * Probes every status-page component once per 30-second slot and stores the result, so uptime can
 * be reported afterwards (today's status, 90 days of daily bars, months for the KPIs). Every
 * instance runs one; the first to write a slot's row wins (primary key, insert-or-ignore), so each
 * slot holds one sample whatever the number of instances. A slot nobody wrote — every instance was
 * down — counts as downtime where uptime is computed: a prober cannot record its own outage.
 */
export class UptimeProber {
  #cancel?: () => void;
  #running?: Promise<void>;
  #stopped = false;

  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      timers: Timers;
      probes: Record<ComponentId, HealthProbe>;
      log: FastifyBaseLogger;
    },
  ) {}

  start(): void {
    this.#stopped = false;
    this.#scheduleNext();
  }

  /** Stops probing and waits for a round in flight (before the store closes). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancel?.();
    await this.#running;
  }

  /** Probes every component for the slot `at` falls in and stores what it found. */
  async probeOnce(at: Date = this.deps.clock.now()): Promise<void> {
    const slot = slotOf(at);
    const day = copenhagenParts(slot).date;
    const rows = await Promise.all(
      (Object.entries(this.deps.probes) as [ComponentId, HealthProbe][]).map(async ([component, probe]) => {
        const result = await runProbe(probe, PROBE_TIMEOUT_MS);
        return { component, slot_at: slot.toISOString(), day, ok: result.ok ? 1 : 0, response_ms: result.ms, message: result.message?.slice(0, 200) ?? null };
      }),
    );
    await this.deps.store.db
      .insertInto('uptime_samples')
      .values(rows)
      .onConflict((oc) => oc.columns(['component', 'slot_at']).doNothing())
      .execute();
    // Once a day (the slot at midnight UTC) samples past what any report needs are removed.
    if (slot.getTime() % DAY_MS === 0) {
      await this.deps.store.db
        .deleteFrom('uptime_samples')
        .where('slot_at', '<', new Date(slot.getTime() - RETENTION_DAYS * DAY_MS).toISOString())
        .execute();
    }
  }

  #scheduleNext(): void {
    if (this.#stopped) return;
    const next = new Date(slotOf(this.deps.clock.now()).getTime() + SAMPLE_INTERVAL_MS);
    this.#cancel = this.deps.timers.at(next, () => {
      this.#running = this.probeOnce(next)
        .catch((err: unknown) => this.deps.log.warn({ err }, 'uptime probe round could not be stored'))
        .finally(() => {
          this.#running = undefined;
          this.#scheduleNext();
        });
    });
  }
}
