import type { Clock } from '../../src-shared/platform/clock';

/**
 * Counts wrong PINs per conference alias and client address in a sliding window. Once the limit is
 * reached that address is refused for that alias (even with the right PIN, or guessing would go on)
 * until old failures age out; other addresses are not affected.
 */
export class PinRateLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limit = 5,
    private readonly windowMs = 60_000,
  ) {}

  /** Seconds until the address may try again, or 0 when it may try now. */
  blockedFor(alias: string, address: string): number {
    const recent = this.#recent(this.#key(alias, address));
    if (recent.length < this.limit) return 0;
    const oldest = recent[recent.length - this.limit]!;
    return Math.max(1, Math.ceil((oldest + this.windowMs - this.clock.now().getTime()) / 1000));
  }

  recordFailure(alias: string, address: string): void {
    const key = this.#key(alias, address);
    const recent = this.#recent(key);
    recent.push(this.clock.now().getTime());
    this.#failures.set(key, recent);
    // Keep the map from growing without bound under a spray of addresses.
    if (this.#failures.size > 10_000) this.#sweep();
  }

  #key(alias: string, address: string): string {
    return `${alias.toLowerCase()}\u0000${address}`;
  }

  #recent(key: string): number[] {
    const since = this.clock.now().getTime() - this.windowMs;
    const list = (this.#failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, list);
    return list;
  }

  #sweep(): void {
    for (const key of [...this.#failures.keys()]) this.#recent(key);
  }
}
