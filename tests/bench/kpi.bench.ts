/**
 * `npm run bench:kpi` — how long one month of the KPI table takes to compute at VDX's volume.
 *
 * Seeds one calendar month (March 2026, Copenhagen) as MedCom reports it: 100,000 meetings with
 * 240,000 calls (call records), 100,000 booked meetings, 40,000 SMS and the prober's 30 s uptime
 * samples of both components, spread over 20 organisations; then times `monthlyKpis` for the whole
 * service and for one organisation (BENCH_RUNS runs, median, max as a note). Target ≤ 2 s each.
 * SQLite in a temporary directory and PostgreSQL on a throwaway cluster (BENCH_ONLY=sqlite|postgres).
 * Prints numbers; asserts nothing.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src-server/db/database';
import { monthlyKpis, monthStart } from '../../src-server/operations/kpis';
import { startPostgresCluster } from '../support/postgres-cluster';

const MEETINGS = Number(process.env.BENCH_MEETINGS ?? 100_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 240_000);
const SMS = 40_000;
const ORGANISATIONS = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ONLY = process.env.BENCH_ONLY;
const TARGET_MS = 2000;
const BATCH = 1000;

const start = monthStart(2026, 3).getTime();
const end = monthStart(2026, 4).getTime();
const org = (i: number) => `org-${i % ORGANISATIONS}`;
const at = (i: number, of: number) => new Date(start + Math.floor(((end - start - 3600_000) * i) / of)).toISOString();

async function insertAll<T>(rows: Iterable<T>, insert: (batch: T[]) => Promise<unknown>) {
  let batch: T[] = [];
  for (const r of rows) {
    batch.push(r);
    if (batch.length === BATCH) {
      await insert(batch);
      batch = [];
    }
  }
  if (batch.length) await insert(batch);
}

function* callRows() {
  // Every meeting has two calls; the first CALLS − 2·MEETINGS meetings a third.
  const third = CALLS - 2 * MEETINGS;
  for (let m = 0; m < MEETINGS; m++) {
    const joined = Date.parse(at(m, MEETINGS));
    for (let c = 0; c < (m < third ? 3 : 2); c++) {
      yield {
        id: randomUUID(),
        session_id: `booked:${m}`,
        room_id: `booked:${m}`,
        room_kind: 'booked' as const,
        meeting_uuid: null,
        organisation_code: org(m),
        excluded: 0,
        participant_uuid: randomUUID(),
        caller_key: randomUUID(),
        role: c === 0 ? ('HOST' as const) : ('GUEST' as const),
        client_kind: 'sdk',
        node_id: 'bench',
        joined_at: new Date(joined + c * 60_000).toISOString(),
        left_at: new Date(joined + 1800_000).toISOString(),
        samples: 180,
        loss_sum: 36,
        jitter_sum: 1440,
        video_samples: 180,
        fps_sum: 4500,
        frozen_samples: 0,
        low_resolution_samples: 0,
        quality_good: (m * 7 + c) % 60 === 0 ? 0 : 1,
      };
    }
  }
}

function* meetingRows() {
  for (let m = 0; m < MEETINGS; m++) {
    const uuid = randomUUID();
    yield {
      uuid,
      organisation_code: org(m),
      organizer_email: 'planner@example.dk',
      subject: 'Møde',
      description: null,
      project_code: null,
      start_time: at(m, MEETINGS),
      end_time: at(m + 1, MEETINGS),
      short_id: `b${m.toString(36).padStart(7, '0')}`,
      guest_microphone: 'on',
      guest_pin_required: 0,
      labels: '[]',
      additional_information: '[]',
      external_id: null,
      created_by_org: org(m),
      created_by_email: null,
      updated_by_org: null,
      updated_by_email: null,
      created_at: at(m, MEETINGS),
      updated_at: null,
    };
  }
}

function* smsRows() {
  for (let i = 0; i < SMS; i++) {
    const id = randomUUID();
    const sent = at(i, SMS);
    yield {
      id,
      organisation_code: org(i),
      sender_subject: 'email:laege@example.dk',
      sender_email: 'laege@example.dk',
      meeting_uuid: null,
      phone: '+4520000000',
      recipient_name: null,
      text: 'Video: https://vdx.example.dk/l#x',
      sender_name: 'Hospital',
      status: 'delivered' as const,
      failure_reason: null,
      idempotency_key: id,
      attempts: 1,
      next_attempt_at: sent,
      lease_until: null,
      provider: 'outbox',
      provider_message_id: id,
      created_at: sent,
      updated_at: sent,
      sent_at: sent,
      delivered_at: sent,
    };
  }
}

function* uptimeRows() {
  for (let t = start; t < end; t += 30_000) {
    const slot = new Date(t).toISOString();
    const day = slot.slice(0, 10);
    for (const component of ['conference-node', 'booking-api']) yield { component, slot_at: slot, day, ok: 1, response_ms: 10, message: null };
  }
}

async function seed(store: Store) {
  const db = store.db;
  const created = new Date(start).toISOString();
  await db
    .insertInto('organisations')
    .values(Array.from({ length: ORGANISATIONS }, (_, i) => ({
      code: org(i),
      name: `Organisation ${i}`,
      parent_code: null,
      pool_size: 0,
      sms_sender_name: null,
      sms_callback_url: null,
      allow_custom_uri_without_domain: 0,
      created_at: created,
      updated_at: created,
    })))
    .execute();
  await insertAll(callRows(), (b) => db.insertInto('conference_calls').values(b).execute());
  await insertAll(meetingRows(), (b) => db.insertInto('booking_meetings').values(b).execute());
  await insertAll(smsRows(), (b) => db.insertInto('sms_messages').values(b).execute());
  await insertAll(uptimeRows(), (b) => db.insertInto('uptime_samples').values(b).execute());
}

async function time(f: () => Promise<unknown>): Promise<{ median: number; max: number }> {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, max: ms[ms.length - 1]! };
}

const line = (name: string, r: { median: number; max: number }) =>
  `  ${name.padEnd(44)} ${`${Math.round(r.median)} ms`.padStart(9)}   target ≤ ${TARGET_MS} ms  ${r.median <= TARGET_MS ? 'ok' : 'OVER'}   (max ${Math.round(r.max)} ms)`;

async function run(engine: string, url: string) {
  const store = await openStore(url);
  try {
    const t0 = performance.now();
    await seed(store);
    console.log(`${engine}: seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const now = new Date(end + 86_400_000);
    const whole = await monthlyKpis(store, { from: '2026-03', to: '2026-03', now });
    const m = whole[0]!;
    console.log(`  March 2026: ${m.meetings} meetings, ${m.calls} calls, ${m.sms} SMS, quality ${m.videoQualityPercent} %, peak ${m.peakConcurrentParticipants}, uptime ${m.uptimeInfrastructurePercent} / ${m.uptimeApiPercent} %`);
    console.log(line('one month, whole service', await time(() => monthlyKpis(store, { from: '2026-03', to: '2026-03', now }))));
    console.log(line('one month, one organisation', await time(() => monthlyKpis(store, { from: '2026-03', to: '2026-03', organisations: ['org-3'], now }))));
  } finally {
    await store.close();
  }
}

async function main() {
  console.log(`KPI benchmark: ${MEETINGS} meetings, ${CALLS} calls, ${SMS} SMS in one month; ${RUNS} runs; load ${loadavg()[0]!.toFixed(2)}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'vdx-bench-kpi-'));
  const cluster = ONLY === 'sqlite' ? undefined : await startPostgresCluster();
  try {
    if (ONLY !== 'postgres') await run('SQLite', `sqlite:${join(dir, 'vdx.db')}`);
    if (cluster) await run('PostgreSQL', cluster.url.replace(/\/[^/]*$/, '/postgres'));
  } finally {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
