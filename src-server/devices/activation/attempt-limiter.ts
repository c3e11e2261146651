import type { Clock } from '../../../src-shared/platform/clock';

/**
 * Counts failed attempts per key (client address) in a sliding window, by the injected clock.
 * Bounded: past `maxKeys` the stalest keys are forgotten, so a flood of addresses cannot grow it.
 */
export class AttemptLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Seconds until the key may try again, or 0 when it may try now. */
  retryAfterSeconds(key: string): number {
    const recent = this.#recent(key);
    if (recent.length < this.maxFailures) return 0;
    const oldest = recent[recent.length - this.maxFailures]!;
    return Math.max(1, Math.ceil((oldest + this.windowMs - this.clock.now().getTime()) / 1000));
  }

  fail(key: string): void {
    const recent = this.#recent(key);
    recent.push(this.clock.now().getTime());
    // Re-insert so Map order is least-recently-failed first.
    this.#failures.delete(key);
    this.#failures.set(key, recent.slice(-this.maxFailures));
    while (this.#failures.size > this.maxKeys) this.#failures.delete(this.#failures.keys().next().value!);
  }

  #recent(key: string): number[] {
    const since = this.clock.now().getTime() - this.windowMs;
    return (this.#failures.get(key) ?? []).filter((t) => t > since);
  }
}
