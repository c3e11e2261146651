/**
 * `npm run bench:booking` — how fast the VDX Booking API books and reads meetings, as a fraction
 * of what this machine can do at all.
 *
 * 1. The ceiling: a bare Fastify route that validates the same CreateMeeting body (same zod
 *    schema) and inserts one row into SQLite with a prepared statement, plus a bare read by key.
 * 2. The real server (`startServer`, as `npm run server` runs it) on a SQLite file in a temp dir,
 *    then on a throwaway PostgreSQL cluster; a real token from POST /oauth/token (bootstrap admin
 *    client); autocannon creates meetings (POST /videoapi/v2/meetings) and reads one
 *    (GET /videoapi/v2/meetings/{uuid}).
 * autocannon runs in a worker thread, so load generator and server share the machine's 2 cores as
 * the issue's reference figures did. Prints numbers; asserts nothing. Runs in about 1.5 minutes.
 * BENCH_SECONDS (default 8) and BENCH_CONNECTIONS (default 10) tune a run.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import { CreateMeeting } from '../../src-shared/booking/booking.schemas';
import { startServer } from '../../src-server/main';
import { startPostgresCluster } from '../support/postgres-cluster';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ADMIN = { id: 'bench-admin', secret: 'bench-admin-secret-0123456789abcdef' };

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

interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(name: string, opts: { url: string; method?: 'GET' | 'POST'; body?: unknown; token?: string }): Promise<Figures> {
  const result = await autocannon({
    url: opts.url,
    method: opts.method ?? 'GET',
    connections: CONNECTIONS,
    duration: SECONDS,
    workers: 1,
    headers: {
      ...(opts.body ? { 'content-type': 'application/json' } : {}),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    ...(opts.body ? { body: JSON.stringify(opts.body) } : {}),
  });
  const figures = {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
  console.log(`  ${name.padEnd(34)} ${figures.rps.toFixed(0).padStart(7)} req/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms${figures.non2xx || figures.errors ? `  (non-2xx ${figures.non2xx}, errors ${figures.errors})` : ''}`);
  return figures;
}

/** The ceiling: validation with the same schema and one prepared insert / select. */
async function bareRoutes(dir: string) {
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
  return { base, close: async () => { await app.close(); db.close(); } };
}

async function ourServer(label: string, dbUrl: string): Promise<{ create: Figures; read: Figures }> {
  const { app } = await startServer({
    VDX_HOST: '127.0.0.1',
    VDX_PORT: '0',
    VDX_DB: dbUrl,
    VDX_PUBLIC_URL: 'http://bench.vdx.test',
    VDX_ADMIN_CLIENT_ID: ADMIN.id,
    VDX_ADMIN_CLIENT_SECRET: ADMIN.secret,
    VDX_LOG_LEVEL: 'warn',
    VDX_ARTIFACTS_DIR: join(dbUrl.startsWith('sqlite:') ? dbUrl.slice(7, dbUrl.lastIndexOf('/')) : tmpdir(), 'artifacts'),
  });
  try {
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
    const create = await load(`${label}: create meeting`, { url: `${base}/videoapi/v2/meetings`, method: 'POST', body: MEETING, token });
    const read = await load(`${label}: read meeting`, { url: `${base}/videoapi/v2/meetings/${meeting.uuid}`, token });
    // Requests the load left queued finish before the store closes (else they log 500s).
    await fetch(`${base}/readyz`);
    await new Promise((r) => setTimeout(r, 500));
    return { create, read };
  } finally {
    await app.close();
  }
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

const pct = (ours: number, ceiling: number) => `${((100 * ours) / ceiling).toFixed(0)} %`;

async function main() {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'vdx-bench-booking-'));
  const cluster = await startPostgresCluster();
  try {
    console.log(`Booking benchmark: ${CONNECTIONS} connections, ${SECONDS} s per run, autocannon in a worker thread\n`);
    const bare = await bareRoutes(dir);
    let ceilingCreate: Figures;
    let ceilingRead: Figures;
    try {
      const seed = await (await fetch(`${bare.base}/bare/meetings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(MEETING) })).json() as { uuid: string };
      ceilingCreate = await load('ceiling: bare validate + insert', { url: `${bare.base}/bare/meetings`, method: 'POST', body: MEETING });
      ceilingRead = await load('ceiling: bare select by key', { url: `${bare.base}/bare/meetings/${seed.uuid}` });
    } finally {
      await bare.close();
    }

    const sqlite = await ourServer('sqlite', `sqlite:${join(dir, 'vdx.db')}`);
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('CREATE DATABASE vdx_bench');
    await admin.end();
    const postgres = await ourServer('postgres', cluster.url.replace(/\/[^/]*$/, '/vdx_bench'));

    console.log('\nAs a fraction of the ceiling (req/s; p50 / p99 latency, lower is better):');
    for (const [label, r] of [['sqlite', sqlite], ['postgres', postgres]] as const) {
      console.log(`  ${label.padEnd(9)} create ${pct(r.create.rps, ceilingCreate.rps).padStart(5)} of req/s, p50 ${r.create.p50} vs ${ceilingCreate.p50} ms, p99 ${r.create.p99} vs ${ceilingCreate.p99} ms`);
      console.log(`  ${''.padEnd(9)} read   ${pct(r.read.rps, ceilingRead.rps).padStart(5)} of req/s, p50 ${r.read.p50} vs ${ceilingRead.p50} ms, p99 ${r.read.p99} vs ${ceilingRead.p99} ms`);
    }
    console.log('\nTargets (issue 2): creations ≥ 50 % of the bare route at p99 ≤ 20 ms; reads ≥ 50 %.');
    console.log(`Total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await cluster.stop();
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
