import type { Selectable } from 'kysely';
import type { Clock, Timers } from '../../src-shared/platform/clock';
import type { Store } from '../db/database';
import { maskPhone } from './phone-number';
import { SmsSendError, type SmsGateway } from './sms-gateway';
import type { SmsMessageTable } from './sms.tables';

export interface SmsDispatcherOptions {
  /** Rows claimed per round, shared among the workers (default 20: each claims ceil(20 / concurrency) at a time). */
  batchSize: number;
  /** Messages in flight at once per instance (default 8). */
  concurrency: number;
  /** How long a claim holds (ms, default 60 s): past it, another instance may try the row again. */
  leaseMs: number;
  /** An attempt the gateway has not answered within this (ms, default 10 s) counts as a timeout. */
  sendTimeoutMs: number;
  /** How often due rows are looked for when nothing kicks the dispatcher (ms, default 5 s). */
  pollMs: number;
  /** Attempts before a message fails for good (default 8: about 21 minutes of backoff). */
  maxAttempts: number;
  /** Wait before attempt `n + 1` after `n` failed (ms). Default 5 s doubling, at most 10 minutes. */
  backoffMs(attempt: number): number;
}

export const DEFAULT_DISPATCHER_OPTIONS: SmsDispatcherOptions = {
  batchSize: 20,
  concurrency: 8,
  leaseMs: 60_000,
  sendTimeoutMs: 10_000,
  pollMs: 5_000,
  maxAttempts: 8,
  backoffMs: (attempt) => Math.min(5_000 * 2 ** (attempt - 1), 600_000),
};

/** What the dispatcher writes to the log (Fastify's logger fits). Numbers appear masked only. */
export interface DispatcherLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

type MessageRow = Selectable<SmsMessageTable>;
/** What an attempt's outcome writes. */
type FinishSet = Partial<Pick<MessageRow, 'status' | 'provider_message_id' | 'sent_at' | 'failure_reason' | 'next_attempt_at'>>;

/**
 * The durable send job. Messages wait in `sms_messages` as `queued`; each round claims due rows
 * (a lease, taken atomically: on PostgreSQL `FOR UPDATE SKIP LOCKED`, so instances sharing the
 * database never claim the same row; SQLite has one writer anyway), hands each to the gateway with
 * its idempotency key, and records the outcome:
 *
 *   queued ──send ok──────────────────────────▶ sent ──delivery report──▶ delivered | failed
 *     │ ▲                                         (reports: the gateway adapter's webhook)
 *     │ └─ timeout / 5xx / connection: next_attempt_at = now + backoff (until maxAttempts)
 *     └──── refusal (4xx), or maxAttempts reached ──────────────────────▶ failed (reason)
 *
 * Nothing is held in memory between rounds, so a restart loses nothing: the next instance to run
 * finds the queued rows, and a row whose instance died mid-send is claimed again when its lease
 * runs out (the idempotency key keeps that from sending it twice where the gateway honours it).
 */
export class SmsDispatcher {
  readonly #o: SmsDispatcherOptions;
  /** Workers running now; attempts made since start (drain answers the difference). */
  #active = 0;
  #attempts = 0;
  #idleWaiters: Array<() => void> = [];
  #cancelPoll: (() => void) | undefined;
  #stopped = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly gateway: SmsGateway,
    private readonly log: DispatcherLog,
    options: Partial<SmsDispatcherOptions> = {},
  ) {
    this.#o = { ...DEFAULT_DISPATCHER_OPTIONS, ...options };
  }

  /** Starts polling for due messages (retries fall due while nobody kicks). */
  start(): void {
    this.#stopped = false;
    this.#armPoll();
    this.kick();
  }

  /** Runs a round soon (after new messages were queued). */
  kick(): void {
    if (this.#stopped) return;
    this.timers.at(this.clock.now(), () => void this.drain());
  }

  /**
   * Sends everything due now and resolves, with how many attempts were made meanwhile, once no
   * worker has anything left. Up to `concurrency` workers each claim a few rows, send them and claim
   * again until nothing is due: a slow or hanging provider call holds up only its own worker, and a
   * call while workers run tops the pool up again (for retries that fell due meanwhile).
   */
  drain(): Promise<number> {
    const before = this.#attempts;
    const idle = new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    this.#fill();
    return idle.then(() => this.#attempts - before);
  }

  /** Stops polling and claiming, and waits for the sends in flight (their rows are written before this resolves). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelPoll?.();
    if (this.#active > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * The health check's SMS part: the queue can be read, and no message has been waiting to be sent
   * longer than `overdueMs` since it was queued (default 5 minutes: the send job is stuck, or the
   * provider has been failing all that while). Throws saying so.
   */
  async health(overdueMs = 5 * 60_000): Promise<void> {
    const before = new Date(this.clock.now().getTime() - overdueMs).toISOString();
    const { n } = await this.store.db
      .selectFrom('sms_messages')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('status', '=', 'queued')
      .where('created_at', '<', before)
      .executeTakeFirstOrThrow();
    if (Number(n) > 0) throw new Error(`${n} text messages queued more than ${Math.round(overdueMs / 60_000)} minutes ago are not sent yet (${this.gateway.name})`);
  }

  #fill(): void {
    const perClaim = Math.max(1, Math.ceil(this.#o.batchSize / this.#o.concurrency));
    if (this.#active === 0 && this.#stopped) return this.#wakeIdle();
    while (this.#active < this.#o.concurrency && !this.#stopped) {
      this.#active++;
      void this.#worker(perClaim).finally(() => {
        if (--this.#active === 0) this.#wakeIdle();
      });
    }
  }

  async #worker(perClaim: number): Promise<void> {
    try {
      while (!this.#stopped) {
        const claimed = await this.#claim(perClaim);
        if (claimed.length === 0) return;
        this.#attempts += claimed.length;
        for (const row of claimed) await this.#sendOne(row);
      }
    } catch (err) {
      this.log.warn({ err: errorText(err) }, 'sms dispatch round failed');
    }
  }

  #wakeIdle(): void {
    const waiters = this.#idleWaiters.splice(0);
    for (const wake of waiters) wake();
  }

  #armPoll(): void {
    if (this.#stopped) return;
    this.#cancelPoll = this.timers.at(new Date(this.clock.now().getTime() + this.#o.pollMs), () => {
      // Tops the pool up and polls again at once: retries fall due while slow sends still run.
      this.#fill();
      this.#armPoll();
    });
  }

  /** Takes a lease on up to `limit` due rows, atomically, and counts the attempt. */
  async #claim(limit: number): Promise<MessageRow[]> {
    const now = this.clock.now().toISOString();
    const leaseUntil = new Date(this.clock.now().getTime() + this.#o.leaseMs).toISOString();
    const postgres = this.store.kind === 'postgres';
    return this.store.db
      .updateTable('sms_messages')
      .set((eb) => ({ lease_until: leaseUntil, attempts: eb('attempts', '+', 1), updated_at: now }))
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('sms_messages')
          .select('id')
          .where('status', '=', 'queued')
          .where('next_attempt_at', '<=', now)
          .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<=', now)]))
          .orderBy('next_attempt_at')
          .limit(limit)
          .$if(postgres, (q) => q.forUpdate().skipLocked()),
      )
      .returningAll()
      .execute();
  }

  async #sendOne(row: MessageRow): Promise<void> {
    const who = { messageId: row.id, to: maskPhone(row.phone), attempt: row.attempts, provider: this.gateway.name };
    let outcome: FinishSet;
    let line: { level: 'info' | 'warn'; obj: object; msg: string };
    try {
      const { providerMessageId } = await this.#attempt(row);
      outcome = { status: 'sent', provider_message_id: providerMessageId, sent_at: this.clock.now().toISOString(), failure_reason: null };
      line = { level: 'info', obj: who, msg: 'sms sent' };
    } catch (err) {
      const retryable = !(err instanceof SmsSendError) || err.retryable;
      const reason = err instanceof SmsSendError ? err.reason : errorText(err);
      if (retryable && row.attempts < this.#o.maxAttempts) {
        const at = new Date(this.clock.now().getTime() + this.#o.backoffMs(row.attempts));
        outcome = { status: 'queued', next_attempt_at: at.toISOString(), failure_reason: reason };
        line = { level: 'warn', obj: { ...who, reason, retryAt: at.toISOString() }, msg: 'sms attempt failed, will retry' };
      } else {
        const why = retryable ? `${reason} (gave up after ${row.attempts} attempts)` : reason;
        outcome = { status: 'failed', failure_reason: why };
        line = { level: 'warn', obj: { ...who, reason: why }, msg: 'sms failed' };
      }
    }
    // Recording is kept apart from sending: a failed write after the gateway took the message must
    // not count as a failed send (that would send it again). The write is tried a few times; if it
    // still fails, the lease runs out and the idempotency key has to catch the second attempt.
    for (let i = 1; ; i++) {
      try {
        await this.#finish(row, outcome);
        break;
      } catch (err) {
        if (i === 3) {
          this.log.warn({ ...who, err: errorText(err) }, 'sms outcome could not be recorded');
          return;
        }
      }
    }
    this.log[line.level](line.obj, line.msg);
  }

  /** One hand-off to the gateway, abandoned (as retryable) after sendTimeoutMs. */
  async #attempt(row: MessageRow): Promise<{ providerMessageId: string }> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new SmsSendError(true, `no answer from ${this.gateway.name} within ${this.#o.sendTimeoutMs} ms`));
      }, this.#o.sendTimeoutMs);
    });
    try {
      const sending = this.gateway.send(
        { messageId: row.id, idempotencyKey: row.idempotency_key, organisation: row.organisation_code, to: row.phone, sender: row.sender_name, text: row.text },
        controller.signal,
      );
      return await Promise.race([sending, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Writes an attempt's outcome and lets go of the lease. */
  async #finish(row: MessageRow, set: FinishSet): Promise<void> {
    await this.store.db
      .updateTable('sms_messages')
      .set({ ...set, provider: this.gateway.name, lease_until: null, updated_at: this.clock.now().toISOString() })
      .where('id', '=', row.id)
      // A delivery report may have overtaken us; never move a row back from a later state.
      .where('status', '=', 'queued')
      .execute();
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
