/**
 * `npm run bench:opening` — how late a booked meeting opens after its due instant
 * (start − vMRAvailableBefore; decision 0012), on the real server with the real clock.
 *
 * Meetings with vMRAvailableBefore 0 are booked through the VDX Booking API, one per whole second
 * a few seconds ahead. Per meeting one of two things is measured:
 *  - timer: nobody dials it; from the due instant to the provisioner's PROVISIONED_OK report
 *    (the `scheduling-info.changed` event on the bus of the instance that claimed it);
 *  - join: a client sends `request_token` (what the SDK sends first) at the due instant by the
 *    system clock and repeats it at once while it answers 404; from the due instant to the first
 *    200 answer received — what a guest joining on time waits.
 * 1. SQLite, one instance. 2. PostgreSQL (throwaway cluster), two instances on one database:
 *    meetings booked through A; A opens them by its timer; joins go to B, which never heard of
 *    them (its poll set to an hour), so B opens them on demand.
 * Prints numbers beside the target; asserts nothing. BENCH_MEETINGS (default 8) per kind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { systemClock } from '../../src-shared/platform/clock';
import { demoSchedulingTemplate } from '../../src-shared/booking/demo-scheduling-template';
import { buildApp } from '../../src-server/app';
import { loadConfig } from '../../src-server/config/config';
import { openStore, type Store } from '../../src-server/db/database';
import { startPostgresCluster } from '../support/postgres-cluster';

const TARGET_MS = 100;
const MEETINGS = Number(process.env.BENCH_MEETINGS ?? 8);
const ADMIN = { clientId: 'bench-admin', clientSecret: 'bench-admin-secret-0123456789' };

interface Instance {
  app: FastifyInstance;
  store: Store;
  url: string;
  /** Wall-clock times (ms) at which this instance reported a scheduling info PROVISIONED_OK. */
  provisioned: Map<string, number>;
  close(): Promise<void>;
}

async function instance(databaseUrl: string, env: Record<string, string> = {}): Promise<Instance> {
  const store = await openStore(databaseUrl);
  const config = loadConfig({
    VDX_PUBLIC_URL: 'http://127.0.0.1',
    VDX_ADMIN_CLIENT_ID: ADMIN.clientId,
    VDX_ADMIN_CLIENT_SECRET: ADMIN.clientSecret,
    VDX_LOG_LEVEL: 'silent',
    ...env,
  });
  const { app, handles } = await buildApp({ config, store, clock: systemClock, logger: false, conferenceMedia: null });
  const provisioned = new Map<string, number>();
  handles.domainEvents.on('scheduling-info.changed', (e) => {
    if (e.provisionStatus === 'PROVISIONED_OK') provisioned.set(e.uuid, Date.now());
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    app,
    store,
    url,
    provisioned,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

async function adminToken(i: Instance): Promise<string> {
  const res = await fetch(`${i.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ADMIN.clientId, client_secret: ADMIN.clientSecret }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function api<T>(i: Instance, token: string, method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(`${i.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}/, '');

interface Booked {
  uuid: string;
  alias: string;
  due: number;
}

/** Books `n` meetings opening at their start, one per whole second from ~3 s ahead, spaced `gapMs`. */
async function bookMeetings(i: Instance, token: string, n: number, gapMs = 1000): Promise<Booked[]> {
  const first = Math.ceil((Date.now() + 3000) / 1000) * 1000;
  const booked: Booked[] = [];
  for (let k = 0; k < n; k++) {
    const due = first + k * gapMs;
    const m = await api<{ uuid: string }>(i, token, 'POST', '/videoapi/v2/meetings', { subject: `Åbning ${k}`, startTime: iso(due), endTime: iso(due + 1800_000) });
    const info = await api<{ uriWithDomain: string; uuid: string }>(i, token, 'GET', `/videoapi/v2/scheduling-info/${m.uuid}`);
    booked.push({ uuid: info.uuid, alias: info.uriWithDomain, due });
  }
  if (booked[0]!.due <= Date.now()) throw new Error('booking took longer than the lead time; raise it');
  return booked;
}

/** At `due`, request_token until it answers 200: ms from `due` to that answer, and how many 404s came first. */
async function joinAtDue(i: Instance, b: Booked): Promise<{ ms: number; refused: number }> {
  await new Promise((r) => setTimeout(r, Math.max(0, b.due - Date.now())));
  while (Date.now() < b.due) await new Promise((r) => setImmediate(r));
  let refused = 0;
  for (;;) {
    const res = await fetch(`${i.url}/api/client/v2/conferences/${encodeURIComponent(b.alias)}/request_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ display_name: 'Bench' }),
    });
    await res.arrayBuffer();
    if (res.status === 200) return { ms: Date.now() - b.due, refused };
    if (res.status !== 404) throw new Error(`request_token ${res.status}`);
    refused++;
  }
}

/** ms from each meeting's due instant to its PROVISIONED_OK on any of the instances. */
async function timerDelays(instances: Instance[], meetings: Booked[]): Promise<number[]> {
  const deadline = meetings.at(-1)!.due + 10_000;
  const reported = (b: Booked) => instances.map((i) => i.provisioned.get(b.uuid)).find((t) => t !== undefined);
  while (Date.now() < deadline && meetings.some((b) => reported(b) === undefined)) await new Promise((r) => setTimeout(r, 20));
  return meetings.map((b) => (reported(b) ?? Number.NaN) - b.due);
}

function line(label: string, values: number[], extra = ''): string {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const missing = values.length - sorted.length;
  if (!sorted.length) return `${label.padEnd(44)} no sample completed`;
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  const max = sorted.at(-1)!;
  return `${label.padEnd(44)} n=${sorted.length}  p50 ${at(50)} ms  p95 ${at(95)} ms  max ${max} ms  (target ≤ ${TARGET_MS} ms: ${max <= TARGET_MS ? 'met' : 'MISSED'})${missing ? `  ${missing} never opened` : ''}${extra}`;
}

/** Half the meetings are left to the timer, the others dialled at their due instant. */
async function measure(bookThrough: Instance, instances: Instance[], joinThrough: Instance): Promise<string[]> {
  const token = await adminToken(bookThrough);
  await api(bookThrough, token, 'POST', '/videoapi/v2/scheduling-templates', demoSchedulingTemplate({ vMRAvailableBefore: 0, hostPinRequired: false, guestPinRequired: false }));
  const meetings = await bookMeetings(bookThrough, token, MEETINGS * 2, 500);
  const timed = meetings.filter((_, k) => k % 2 === 0);
  const dialled = meetings.filter((_, k) => k % 2 === 1);
  const joins = await Promise.all(dialled.map((b) => joinAtDue(joinThrough, b)));
  const timers = await timerDelays(instances, timed);
  const refused = joins.reduce((n, j) => n + j.refused, 0);
  return [
    line('  due → PROVISIONED_OK (timer, nobody dials)', timers),
    line('  due → request_token 200 (join at due)', joins.map((j) => j.ms), `  404s before it: ${refused}`),
  ];
}

async function main() {
  const out: string[] = [`bench:opening — ${MEETINGS} meetings per measure, vMRAvailableBefore 0, real clock`];

  const dir = mkdtempSync(path.join(tmpdir(), 'vdx-opening-'));
  try {
    const single = await instance(`sqlite:${path.join(dir, 'vdx.db')}`);
    try {
      out.push('SQLite, one instance');
      out.push(...(await measure(single, [single], single)));
    } finally {
      await single.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const cluster = await startPostgresCluster();
  try {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('CREATE DATABASE opening_bench');
    await admin.end();
    const url = cluster.url.replace(/\/[^/]*$/, '/opening_bench');
    const a = await instance(url);
    // B hears no event and never polls in the run: it can only open a meeting on demand.
    const b = await instance(url, { VDX_PROVISION_POLL_MS: '3600000' });
    try {
      out.push('PostgreSQL, two instances: booked through A, joins through B');
      out.push(...(await measure(a, [a, b], b)));
    } finally {
      await b.close();
      await a.close();
    }
  } finally {
    await cluster.stop();
  }
  console.log(out.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
