/**
 * `npm run bench:booking` — how fast the VDX Booking API books and reads meetings, as a fraction
 * of what this machine can do at all.
 *
 * Three servers run side by side in this process:
 * 1. the ceiling: a bare Fastify route that validates the same CreateMeeting body (same zod
 *    schema) and inserts one row into SQLite with a prepared statement, plus a bare read by key;
 * 2. the real server (`startServer`, as `npm run server` runs it) on a SQLite file in a temp dir;
 * 3. the real server on a throwaway PostgreSQL cluster.
 * A real token comes from POST /oauth/token (bootstrap admin client); autocannon creates meetings
 * (POST /videoapi/v2/meetings) and reads one (GET /videoapi/v2/meetings/{uuid}).
 *
 * The machine is shared, so its load changes while we measure. The three take turns, round after
 * round (ceiling, SQLite, PostgreSQL for creates, then the same for reads; the order rotates each
 * round), and every figure is the median of the rounds: a load change hits all three alike, and
 * the fraction of the ceiling is taken per round before the median. autocannon runs in a worker
 * thread, so load generator and server share the machine's cores as the issue's figures did.
 * Prints numbers beside the targets; asserts nothing. About 1.5 minutes with the defaults.
 * BENCH_ROUNDS (default 3), BENCH_SECONDS per run (default 4) and BENCH_CONNECTIONS (default 10)
 * tune a run; BENCH_ONLY=sqlite or =postgres leaves the other engine out.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import { CreateMeeting } from '../../src-shared/booking/booking.schemas';
import { startServer } from '../../src-server/main';
import { startPostgresCluster } from '../support/postgres-cluster';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ONLY = process.env.BENCH_ONLY;
const ADMIN = { id: 'bench-admin', secret: 'bench-admin-secret-0123456789abcdef' };

/** The issue's targets: share of the ceiling's req/s, and the p99 a create may take. */
const TARGETS = {
  sqlite: { share: 0.5, p99Ms: 20 },
  postgres: { share: 0.3, p99Ms: 20 },
} as const;

const MEETING = {
  subject: 'Videokonsultation',
  description: 'Opfølgning efter udskrivelse',
  startTime: '2027-03-10T09:00:00Z',
  endTime: '2027-03-10T09:30:00Z',
  labels: ['bench'],
};
const TEMPLATE = {
  conferencingSysId: 1,
  uriPrefix: 'b',
  uriDomain: 'bench.vdx.test',
  uriNumberRangeLow: 1_000_000,
  uriNumberRangeHigh: 100_000_000,
  hostPinRequired: true,
  hostPinRangeLow: 1000,
  hostPinRangeHigh: 10000,
  guestPinRequired: false,
  vMRAvailableBefore: 15,
  maxParticipants: 10,
  endMeetingOnEndTime: false,
  isDefaultTemplate: true,
};

type Engine = 'ceiling' | 'sqlite' | 'postgres';
type Operation = 'create' | 'read';

/** What autocannon is pointed at for one engine and operation. */
interface Target {
  url: string;
  method: 'GET' | 'POST';
  body?: unknown;
  token?: string;
}

/** One engine under test: where to send each operation, and how to stop it. */
interface Subject {
  engine: Engine;
  targets: Record<Operation, Target>;
  close(): Promise<void>;
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(target: Target, seconds: number): Promise<Figures> {
  const result = await autocannon({
    url: target.url,
    method: target.method,
    connections: CONNECTIONS,
    duration: seconds,
    workers: 1,
    headers: {
      ...(target.body ? { 'content-type': 'application/json' } : {}),
      ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
    },
    ...(target.body ? { body: JSON.stringify(target.body) } : {}),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** The ceiling: validation with the same schema and one prepared insert / select. */
async function bareRoutes(dir: string): Promise<Subject> {
  const db = new SQLite(join(dir, 'bare.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table meetings (uuid text primary key, subject text not null, description text, start_time text not null, end_time text not null, labels text not null, created_at text not null)');
  const insert = db.prepare('insert into meetings values (?, ?, ?, ?, ?, ?, ?)');
  const select = db.prepare('select * from meetings where uuid = ?');
  const app = Fastify({ logger: false });
  app.post('/bare/meetings', async (request, reply) => {
    const parsed = CreateMeeting.safeParse(request.body);
    if (!parsed.success) return reply.status(400).send({ error: parsed.error.issues[0]?.message });
    const m = parsed.data;
    const row = {
      uuid: randomUUID(),
      subject: m.subject,
      description: m.description ?? null,
      startTime: m.startTime.toISOString(),
      endTime: m.endTime.toISOString(),
      labels: JSON.stringify(m.labels ?? []),
      createdAt: new Date().toISOString(),
    };
    insert.run(row.uuid, row.subject, row.description, row.startTime, row.endTime, row.labels, row.createdAt);
    return row;
  });
  app.get<{ Params: { uuid: string } }>('/bare/meetings/:uuid', async (request, reply) => {
    const row = select.get(request.params.uuid);
    return row ?? reply.status(404).send({});
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const seed = (await (await fetch(`${base}/bare/meetings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(MEETING) })).json()) as { uuid: string };
  return {
    engine: 'ceiling',
    targets: {
      create: { url: `${base}/bare/meetings`, method: 'POST', body: MEETING },
      read: { url: `${base}/bare/meetings/${seed.uuid}`, method: 'GET' },
    },
    close: async () => {
      await app.close();
      db.close();
    },
  };
}

async function ourServer(engine: 'sqlite' | 'postgres', dbUrl: string, artifactsDir: string): Promise<Subject> {
  const { app } = await startServer({
    VDX_HOST: '127.0.0.1',
    VDX_PORT: '0',
    VDX_DB: dbUrl,
    VDX_PUBLIC_URL: 'http://bench.vdx.test',
    VDX_ADMIN_CLIENT_ID: ADMIN.id,
    VDX_ADMIN_CLIENT_SECRET: ADMIN.secret,
    VDX_LOG_LEVEL: 'error',
    VDX_ARTIFACTS_DIR: artifactsDir,
  });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const token = await realToken(base);
  const json = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ uuid: string }>;
  };
  await json('POST', '/videoapi/v2/scheduling-templates', TEMPLATE);
  const meeting = await json('POST', '/videoapi/v2/meetings', MEETING);
  return {
    engine,
    targets: {
      create: { url: `${base}/videoapi/v2/meetings`, method: 'POST', body: MEETING, token },
      read: { url: `${base}/videoapi/v2/meetings/${meeting.uuid}`, method: 'GET', token },
    },
    close: async () => {
      // Requests the load left queued finish before the store closes (else they log 500s).
      await fetch(`${base}/readyz`);
      await new Promise((r) => setTimeout(r, 500));
      await app.close();
    },
  };
}

/** A token the way an external client gets one; minted by the app only if OAuth is absent. */
async function realToken(base: string): Promise<string> {
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${ADMIN.id}:${ADMIN.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  if (!res.ok) throw new Error(`POST /oauth/token → ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const pct = (share: number) => `${(100 * share).toFixed(0)} %`;
const load1 = () => loadavg()[0]!.toFixed(1);

/** Every round's figures per engine and operation. */
type Results = Map<string, Figures[]>;
const key = (engine: Engine, op: Operation) => `${engine} ${op}`;

async function rounds(subjects: Subject[]): Promise<Results> {
  const results: Results = new Map();
  // JIT, statement caches and the first pages of each database warm up outside the rounds.
  for (const s of subjects) for (const op of ['create', 'read'] as const) await load(s.targets[op], 1);
  for (let round = 1; round <= ROUNDS; round++) {
    const order = subjects.map((_, i) => subjects[(i + round - 1) % subjects.length]!);
    for (const op of ['create', 'read'] as const) {
      const line: string[] = [];
      for (const s of order) {
        const f = await load(s.targets[op], SECONDS);
        const list = results.get(key(s.engine, op)) ?? [];
        list.push(f);
        results.set(key(s.engine, op), list);
        const trouble = f.non2xx || f.errors ? ` (non-2xx ${f.non2xx}, errors ${f.errors})` : '';
        line.push(`${s.engine} ${f.rps.toFixed(0)}/s p99 ${f.p99}${trouble}`);
      }
      console.log(`  round ${round} ${op.padEnd(6)} ${line.join(' · ')}   load ${load1()}`);
    }
  }
  return results;
}

function report(results: Results, engines: ('sqlite' | 'postgres')[]): void {
  console.log('\nMedians of the rounds; share = ours / ceiling, taken per round (p50 / p99 in ms):');
  console.log(`  ${'engine'.padEnd(9)} ${'op'.padEnd(7)} ${'req/s'.padStart(7)} ${'share'.padStart(6)} ${'target'.padStart(7)} ${'p50'.padStart(4)} ${'p99'.padStart(4)} ${'target'.padStart(7)}  met`);
  for (const op of ['create', 'read'] as const) {
    const c = results.get(key('ceiling', op))!;
    console.log(`  ${'ceiling'.padEnd(9)} ${op.padEnd(7)} ${median(c.map((f) => f.rps)).toFixed(0).padStart(7)} ${''.padStart(6)} ${''.padStart(7)} ${String(median(c.map((f) => f.p50))).padStart(4)} ${String(median(c.map((f) => f.p99))).padStart(4)}`);
  }
  for (const engine of engines) {
    for (const op of ['create', 'read'] as const) {
      const ours = results.get(key(engine, op))!;
      const ceiling = results.get(key('ceiling', op))!;
      const share = median(ours.map((f, i) => f.rps / ceiling[i]!.rps));
      const p99 = median(ours.map((f) => f.p99));
      const target = TARGETS[engine];
      const met = share >= target.share && p99 <= target.p99Ms;
      console.log(
        `  ${engine.padEnd(9)} ${op.padEnd(7)} ${median(ours.map((f) => f.rps)).toFixed(0).padStart(7)} ${pct(share).padStart(6)} ${`≥ ${pct(target.share)}`.padStart(7)} ${String(median(ours.map((f) => f.p50))).padStart(4)} ${String(p99).padStart(4)} ${`≤ ${target.p99Ms}`.padStart(7)}  ${met ? 'yes' : 'NO'}`,
      );
    }
  }
  console.log('Targets (issue 9 §5): creates and reads ≥ 50 % of the ceiling at p99 ≤ 20 ms on SQLite, ≥ 30 % on PostgreSQL.');
}

async function main() {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'vdx-bench-booking-'));
  const engines = (['sqlite', 'postgres'] as const).filter((e) => !ONLY || ONLY === e);
  const cluster = engines.includes('postgres') ? await startPostgresCluster() : undefined;
  const subjects: Subject[] = [];
  try {
    console.log(`Booking benchmark: ${ROUNDS} rounds of ${SECONDS} s per run, ${CONNECTIONS} connections, autocannon in a worker thread; load ${load1()}\n`);
    subjects.push(await bareRoutes(dir));
    if (engines.includes('sqlite')) subjects.push(await ourServer('sqlite', `sqlite:${join(dir, 'vdx.db')}`, join(dir, 'artifacts-sqlite')));
    if (cluster) {
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query('CREATE DATABASE vdx_bench');
      await admin.end();
      subjects.push(await ourServer('postgres', cluster.url.replace(/\/[^/]*$/, '/vdx_bench'), join(dir, 'artifacts-pg')));
    }
    report(await rounds(subjects), [...engines]);
    console.log(`Total ${((Date.now() - started) / 1000).toFixed(0)} s, load ${load1()}`);
  } finally {
    for (const s of subjects) await s.close();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
