/**
 * Work the agent starts beside its tick and its handlers (network calls, event reactions): kept
 * until it settles so `idle()` (tests) and `stop()` (shutdown) can wait for it, and never thrown
 * into the void.
 */
import type { AgentLogger } from '../platform/platform';

export class BackgroundWork {
  readonly #running = new Set<Promise<unknown>>();
  readonly #inFlight = new Set<string>();
  #stopped = false;

  constructor(private readonly log: AgentLogger) {}

  get stopped(): boolean {
    return this.#stopped;
  }

  /** No new streams or ticks after this; what runs may finish. */
  stop(): void {
    this.#stopped = true;
  }

  track(work: Promise<unknown>): void {
    const p = work.catch((err: unknown) => this.log.error('background task failed', { error: (err as Error).message }));
    this.#running.add(p);
    void p.finally(() => this.#running.delete(p));
  }

  /**
   * Counts `work` as running until it settles and hands it back: the caller still awaits it and
   * sees its error (so nothing is logged here), while `idle()` and `stop()` wait for it too.
   */
  during<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.#running.add(settled);
    void settled.finally(() => this.#running.delete(settled));
    return work;
  }

  /** Like {@link track}, but at most one of each kind at a time (a slow server must not pile them up). */
  trackOnce(kind: string, start: () => Promise<unknown>): void {
    if (this.#inFlight.has(kind)) return;
    this.#inFlight.add(kind);
    this.track(start().finally(() => this.#inFlight.delete(kind)));
  }

  /** Waits until the work (and the work it started, a few rounds deep) has settled. */
  async idle(): Promise<void> {
    for (let i = 0; i < 20 && this.#running.size > 0; i++) await Promise.allSettled([...this.#running]);
  }

  async settle(): Promise<void> {
    await Promise.allSettled([...this.#running]);
  }
}
