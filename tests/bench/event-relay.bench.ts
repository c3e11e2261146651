/**
 * `npm run bench:relay` — what relaying a domain event between two server instances costs
 * (LISTEN/NOTIFY on a throwaway PostgreSQL cluster, `PgEventRelay` as the server uses it).
 *
 * 1. Baseline in the same run: one `pg_notify` round trip on a plain connection to a listener.
 * 2. Latency: one event emitted on instance A's bus until B's bus has it (one at a time).
 * 3. Burst: N events emitted at once on A until B has them all (the relay batches its NOTIFYs).
 * Prints numbers; asserts nothing. BENCH_EVENTS (default 5000) sizes the burst.
 */
import pg from 'pg';
import { openStore } from '../../src-server/db/database';
import { DomainEventBus } from '../../src-server/events/domain-events';
import { PgEventRelay, RELAY_CHANNEL } from '../../src-server/events/pg-event-relay';
import { startPostgresCluster } from '../support/postgres-cluster';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5000);
const SAMPLES = 300;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(2)} ms`;

/** Sorted times of one-at-a-time deliveries: `send(i)` starts one, `received()` counts arrivals. */
async function sample(send: (i: number) => Promise<unknown> | void, received: () => number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t = performance.now();
    const before = received();
    await send(i);
    while (received() === before) await new Promise((r) => setImmediate(r));
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

async function main() {
  const cluster = await startPostgresCluster();
  try {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('CREATE DATABASE relay_bench');
    await admin.end();
    const url = cluster.url.replace(/\/[^/]*$/, '/relay_bench');

    // 1. Baseline: bare NOTIFY → LISTEN round trip.
    const sender = new pg.Client({ connectionString: url });
    const listener = new pg.Client({ connectionString: url });
    await Promise.all([sender.connect(), listener.connect()]);
    await listener.query('LISTEN bench');
    let heard = 0;
    listener.on('notification', () => void heard++);
    const bare = await sample(
      (i) => sender.query("select pg_notify('bench', $1)", [`{"i":"x","n":"room.changed","p":{"roomId":"r${i}"}}`]),
      () => heard,
    );
    await Promise.all([sender.end(), listener.end()]);

    // 2. + 3. Two relays on one database, as two server instances.
    const [storeA, storeB] = [await openStore(url), await openStore(url)];
    const [busA, busB] = [new DomainEventBus(), new DomainEventBus()];
    const [relayA, relayB] = [new PgEventRelay(storeA, busA), new PgEventRelay(storeB, busB)];
    await relayA.start();
    await relayB.start();
    let got = 0;
    busB.on('room.changed', () => void got++);
    const relayed = await sample(
      (i) => busA.emit('room.changed', { roomId: `r${i}` }),
      () => got,
    );
    got = 0;
    const t0 = performance.now();
    for (let i = 0; i < EVENTS; i++) busA.emit('room.changed', { roomId: `b${i}` });
    const emitMs = performance.now() - t0;
    while (got < EVENTS) await new Promise((r) => setTimeout(r, 2));
    const burstMs = performance.now() - t0;

    console.log(`channel ${RELAY_CHANNEL}, ${SAMPLES} samples each`);
    console.log(`bare pg_notify → listener:  p50 ${ms(pct(bare, 50))}  p95 ${ms(pct(bare, 95))}`);
    console.log(`relay A bus → B bus:       p50 ${ms(pct(relayed, 50))}  p95 ${ms(pct(relayed, 95))}  (${(pct(relayed, 50) / pct(bare, 50)).toFixed(2)}× bare p50)`);
    console.log(`burst of ${EVENTS}: emitted in ${ms(emitMs)} (the emitter never waits), all at B after ${ms(burstMs)} → ${Math.round(EVENTS / (burstMs / 1000))} events/s`);
    await Promise.all([relayA.close(), relayB.close()]);
    await Promise.all([storeA.close(), storeB.close()]);
  } finally {
    await cluster.stop();
  }
}

void main();
