import type { Clock } from '../../src-shared/platform/clock';

export interface FailureLimit {
  /** Failures allowed inside the window; the next attempt is refused until the oldest ages out. */
  maxFailures: number;
  windowMs: number;
}

/**
 * Counts failed client authentications per key (`client:<id>`, `ip:<address>`) in a sliding window
 * and says when a key must wait. In memory, per server instance: a multi-instance deployment gets
 * the limit per instance, which still bounds guessing to a small multiple — acceptable because
 * generated secrets are 256-bit and the limit mainly protects CPU (scrypt) and the bootstrap
 * admin's operator-chosen secret.
 *
 * Memory is bounded: at most `maxKeys` keys are tracked; beyond that the least recently failing
 * key is forgotten (an attacker spraying client ids is still held by the per-address key).
 */
export class AuthFailureLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: Record<'client' | 'ip', FailureLimit>,
    private readonly maxKeys = 10_000,
  ) {}

  /** Seconds until an attempt with these keys may be made again; 0 when it may be made now. */
  retryAfterSeconds(keys: { client?: string; ip?: string }): number {
    const now = this.clock.now().getTime();
    let waitMs = 0;
    for (const [kind, key] of this.#entries(keys)) {
      const { maxFailures, windowMs } = this.limits[kind];
      const recent = this.#recent(key, now, windowMs);
      if (recent.length >= maxFailures) {
        waitMs = Math.max(waitMs, recent[recent.length - maxFailures]! + windowMs - now);
      }
    }
    return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
  }

  recordFailure(keys: { client?: string; ip?: string }): void {
    const now = this.clock.now().getTime();
    for (const [kind, key] of this.#entries(keys)) {
      const { maxFailures, windowMs } = this.limits[kind];
      const recent = [...this.#recent(key, now, windowMs), now].slice(-maxFailures);
      this.#failures.delete(key); // re-insert: Map order doubles as least-recently-failed order
      this.#failures.set(key, recent);
    }
    while (this.#failures.size > this.maxKeys) {
      const oldest = this.#failures.keys().next().value as string;
      this.#failures.delete(oldest);
    }
  }

  #entries(keys: { client?: string; ip?: string }): Array<['client' | 'ip', string]> {
    const entries: Array<['client' | 'ip', string]> = [];
    if (keys.client !== undefined) entries.push(['client', `client:${keys.client}`]);
    if (keys.ip !== undefined) entries.push(['ip', `ip:${keys.ip}`]);
    return entries;
  }

  #recent(key: string, now: number, windowMs: number): number[] {
    const all = this.#failures.get(key);
    if (!all) return [];
    const recent = all.filter((t) => t > now - windowMs);
    if (recent.length === 0) this.#failures.delete(key);
    return recent;
  }
}
