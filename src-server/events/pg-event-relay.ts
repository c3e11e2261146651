import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';
import { z } from 'zod';
import type { Store } from '../db/database';
import { isRelayedEvent, type DomainEventBus, type DomainEvents, type RelayedEventName } from './domain-events';

/** The one channel every instance of a database listens on. */
export const RELAY_CHANNEL = 'vdx_domain_events';

/**
 * PostgreSQL refuses a NOTIFY payload of 8000 bytes or more ("payload string too long"); we stay
 * below it with room to spare for the envelope.
 */
export const MAX_NOTIFY_BYTES = 7999;

/** Notifications sent in one statement at most (bounds one statement's size to ~800 kB). */
const NOTIFY_BATCH = 100;

/** What travels in one NOTIFY: the sending instance, the event's name and its payload. */
const Envelope = z.object({
  /** The sender's random id: an instance hears its own notifications too and drops them. */
  i: z.string().min(1).max(64),
  n: z.string().min(1).max(64),
  p: z.record(z.string(), z.unknown()),
});

/** The NOTIFY text of an event, or undefined when it would be too long for PostgreSQL. */
export function notificationText(
  instanceId: string,
  name: RelayedEventName,
  payload: DomainEvents[RelayedEventName],
): string | undefined {
  const text = JSON.stringify({ i: instanceId, n: name, p: payload } satisfies z.input<typeof Envelope>);
  return Buffer.byteLength(text, 'utf8') <= MAX_NOTIFY_BYTES ? text : undefined;
}

export interface PgEventRelayOptions {
  /** First reconnect delay after the listening connection drops; doubles up to `reconnectMaxMs`. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** Counters for tests and diagnostics. */
export interface RelayStats {
  sent: number;
  received: number;
  /** Our own notifications heard back and dropped. */
  ownIgnored: number;
  /** Notifications that were not ours, not valid or not a relayed event. */
  rejected: number;
  reconnects: number;
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Joins this instance's `DomainEventBus` to the other server instances on the same PostgreSQL
 * database. Local emits of `RELAYED_EVENTS` are sent with `NOTIFY` (through the pool, so sending
 * works while the listener reconnects; in emit order, batched); a dedicated connection outside the pool
 * `LISTEN`s and emits what other instances sent with origin `relay`.
 *
 * Notifications are fire-and-forget: one sent while an instance is not listening is lost for it.
 * So when the listening connection drops, the relay reconnects with exponential backoff and then
 * emits the local `relay.resynced` signal, on which device streams catch up from the database.
 *
 *   stopped ──start()──▶ connecting ──ok──▶ listening ──error/end──▶ waiting(backoff) ──▶ connecting
 *                            │ fail                                        ▲
 *                            └─────────────────────────────────────────────┘
 *   any ──close()──▶ closed
 */
export class PgEventRelay {
  /** This instance's id in the envelope. */
  readonly instanceId = randomBytes(8).toString('hex');
  readonly stats: RelayStats = { sent: 0, received: 0, ownIgnored: 0, rejected: 0, reconnects: 0 };
  #client?: pg.Client;
  #pid?: number;
  #listening = false;
  /** Set while not listening after start(): whatever was sent meanwhile never reached us. */
  #missedSome = false;
  #closed = false;
  #retryTimer?: NodeJS.Timeout;
  #retryMs: number;
  /** NOTIFY texts waiting to be sent, oldest first; one drain loop sends them in batches. */
  #outbox: string[] = [];
  #draining?: Promise<void>;
  #detach?: () => void;
  readonly #minMs: number;
  readonly #maxMs: number;
  readonly #log: NonNullable<PgEventRelayOptions['log']>;

  constructor(
    private readonly store: Store,
    private readonly bus: DomainEventBus,
    options: PgEventRelayOptions = {},
  ) {
    if (!store.dedicatedClient) throw new Error('the event relay needs a PostgreSQL store');
    this.#minMs = options.reconnectMinMs ?? 200;
    this.#maxMs = options.reconnectMaxMs ?? 10_000;
    this.#retryMs = this.#minMs;
    this.#log = options.log ?? silent;
  }

  /** True while the listening connection is up. */
  get listening(): boolean {
    return this.#listening;
  }

  /** The listening connection's server process id (tests terminate it to prove reconnection). */
  get listenerPid(): number | undefined {
    return this.#pid;
  }

  /**
   * Starts sending local events and listens. Resolves after the first attempt; if that failed,
   * retries go on in the background (the instance still serves its own streams meanwhile).
   */
  async start(): Promise<void> {
    this.#detach = this.bus.relayTo((name, payload) => this.#send(name, payload));
    await this.#connect();
  }

  /** Stops listening and sending; waits for notifications already handed to the pool. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#detach?.();
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    const client = this.#client;
    this.#client = undefined;
    this.#listening = false;
    await Promise.all([this.#draining, client?.end().catch(() => undefined)]);
  }

  #send(name: RelayedEventName, payload: DomainEvents[RelayedEventName]): void {
    const text = notificationText(this.instanceId, name, payload);
    if (text === undefined) {
      // A payload grew beyond what NOTIFY carries: a programming error the relay test guards.
      // Other instances miss this event; say so loudly rather than fail the request that emitted it.
      this.#log.error({ event: name }, 'domain event too large to relay; other instances miss it');
      return;
    }
    if (this.#closed) return;
    this.#outbox.push(text);
    this.#draining ??= this.#drain();
  }

  /**
   * Sends the outbox in emit order (a revocation must not overtake the command it follows): one
   * statement at a time, each with what has queued meanwhile — a burst costs a few round trips,
   * not one per event. PostgreSQL delivers one transaction's notifications in the order sent
   * (and folds identical ones into one: harmless, a relayed fact repeated says nothing new).
   */
  async #drain(): Promise<void> {
    while (this.#outbox.length > 0 && !this.#closed) {
      const batch = this.#outbox.splice(0, NOTIFY_BATCH);
      try {
        await sql`select pg_notify(${RELAY_CHANNEL}, t) from unnest(${batch}::text[]) as t`.execute(this.store.db);
        this.stats.sent += batch.length;
      } catch (err) {
        this.#log.warn({ err, events: batch.length }, 'could not relay domain events to other instances');
      }
    }
    this.#draining = undefined;
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const client = this.store.dedicatedClient!('vdx-event-relay');
    this.#client = client;
    let dropped = false;
    const drop = (err?: unknown) => {
      if (dropped) return;
      dropped = true;
      this.#listening = false;
      this.#missedSome = true;
      this.#pid = undefined;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (this.#closed || this.#client !== client) return;
      this.#client = undefined;
      this.#log.warn({ err, retryInMs: this.#retryMs }, 'event relay lost its listening connection; reconnecting');
      this.#scheduleRetry();
    };
    // An error on an idle client (server restart, terminated backend) must not reach the process.
    client.on('error', (err) => drop(err));
    client.on('end', () => drop());
    client.on('notification', (msg) => {
      if (msg.channel === RELAY_CHANNEL) this.#receive(msg.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${RELAY_CHANNEL}`);
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      if (dropped || this.#closed) return;
      this.#pid = rows[0]?.pid;
      this.#listening = true;
      this.#retryMs = this.#minMs;
      if (this.#missedSome) {
        this.#missedSome = false;
        this.stats.reconnects++;
        this.#log.info({}, 'event relay listening again; device streams catch up');
        this.bus.emit('relay.resynced', {});
      }
    } catch (err) {
      drop(err);
    }
  }

  #scheduleRetry(): void {
    if (this.#closed || this.#retryTimer) return;
    const delay = this.#retryMs;
    this.#retryMs = Math.min(this.#maxMs, this.#retryMs * 2);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#connect();
    }, delay);
    this.#retryTimer.unref();
  }

  #receive(text: string | undefined): void {
    let envelope: z.infer<typeof Envelope>;
    try {
      envelope = Envelope.parse(JSON.parse(text ?? ''));
    } catch {
      this.stats.rejected++;
      return;
    }
    if (envelope.i === this.instanceId) {
      this.stats.ownIgnored++;
      return;
    }
    if (!isRelayedEvent(envelope.n)) {
      // A newer instance relaying an event this one does not know (rolling upgrade): skip it.
      this.stats.rejected++;
      return;
    }
    this.stats.received++;
    this.bus.emitRelayed(envelope.n, envelope.p as DomainEvents[RelayedEventName]);
  }
}
