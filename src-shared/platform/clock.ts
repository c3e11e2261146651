/**
 * The one source of "now" for everything that schedules, expires or measures.
 * Injected everywhere time matters so tests move time instead of sleeping.
 */
export interface Clock {
  now(): Date;
}

/**
 * Runs work when a clock reaches an instant. Injected beside the clock, so what must happen at a
 * given time (a booked meeting opening) happens then, and tests make it happen by moving a
 * `ManualClock`.
 */
export interface Timers {
  /** Calls `fn` once when the clock reads `at` or later (at the next chance if it already does). Returns a cancel function. */
  at(at: Date, fn: () => void): () => void;
}

export const systemClock: Clock = { now: () => new Date() };

/** setTimeout's longest delay (about 24.8 days); a later instant is reached in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Timers on the process's real timers, measured against `clock`: a timer that fires early by that
 * clock (a long delay in steps, or a clock that is not the system's) waits again.
 */
export function systemTimers(clock: Clock = systemClock): Timers {
  return {
    at(at, fn) {
      let handle: ReturnType<typeof setTimeout> | undefined;
      const arm = () => {
        const wait = at.getTime() - clock.now().getTime();
        if (wait <= 0) return fn();
        handle = setTimeout(arm, Math.min(wait, MAX_DELAY_MS));
        // A pending timer never keeps the process alive on its own.
        if (typeof handle === 'object' && 'unref' in handle) handle.unref();
      };
      handle = setTimeout(arm, 0);
      if (typeof handle === 'object' && 'unref' in handle) handle.unref();
      return () => clearTimeout(handle);
    },
  };
}

/** A clock tests can set and advance by hand; its timers fire, in time order, as it passes them. */
export class ManualClock implements Clock, Timers {
  #ms: number;
  #timers: Array<{ at: number; seq: number; fn: () => void }> = [];
  #seq = 0;
  constructor(start: Date | string = '2026-01-01T08:00:00Z') {
    this.#ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#ms);
  }
  set(to: Date | string): void {
    this.#ms = new Date(to).getTime();
    this.#fireDue();
  }
  advance(ms: number): void {
    this.#ms += ms;
    this.#fireDue();
  }
  at(at: Date, fn: () => void): () => void {
    const timer = { at: at.getTime(), seq: this.#seq++, fn };
    this.#timers.push(timer);
    // Like a real timer, one that is already due runs soon, not inside the call that set it.
    if (timer.at <= this.#ms) queueMicrotask(() => this.#fireDue());
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }
  #fireDue(): void {
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= this.#ms).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) return;
      this.#timers = this.#timers.filter((t) => t !== due);
      due.fn();
    }
  }
}
