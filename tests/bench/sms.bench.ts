/**
 * `npm run bench:sms`: 1,000 SMS Video recipients queued through the real server (20 requests of
 * 50 recipients on POST /sms/v1/meetings), all handed to a local HTTP server speaking GatewayAPI's
 * REST API that injects failures before taking a message (BENCH_FAIL_5XX, default 10 %: 503;
 * BENCH_FAIL_HANG, default 3 %: no answer, the send job's timeout). Prints, per engine: the
 * enqueue latency per request (p50/p99), the time until every message is handed over and the
 * throughput, attempts, and duplicates at the provider (messages it took more than once: must be 0).
 * SQLite in a temporary directory, and PostgreSQL on a throwaway cluster (BENCH_ONLY=sqlite|postgres).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../src-server/main';
import { FakeGatewayApi } from '../../src-server/sms/gatewayapi.test-kit';
import { parseMobileNumber } from '../../src-server/sms/phone-number';
import { startPostgresCluster } from '../support/postgres-cluster';

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 1000);
const PER_REQUEST = 50;
const FAIL_5XX = Number(process.env.BENCH_FAIL_5XX ?? 0.1);
const FAIL_HANG = Number(process.env.BENCH_FAIL_HANG ?? 0.03);
const ONLY = process.env.BENCH_ONLY;
const ADMIN = { id: 'bench-admin', secret: 'bench-admin-secret-0123456789abcdef' };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function run(engine: string, dbUrl: string) {
  const provider = new FakeGatewayApi();
  provider.otherwise = () => {
    const r = Math.random();
    return r < FAIL_5XX ? { status: 503 } : r < FAIL_5XX + FAIL_HANG ? 'hang' : 'ok';
  };
  const url = await provider.start();
  const { app, store, config } = await startServer(
    {
      VDX_HOST: '127.0.0.1',
      VDX_PORT: '0',
      VDX_DB: dbUrl,
      VDX_ADMIN_CLIENT_ID: ADMIN.id,
      VDX_ADMIN_CLIENT_SECRET: ADMIN.secret,
      VDX_LOG_LEVEL: 'silent',
      VDX_SMS_PROVIDER: 'gatewayapi',
      VDX_SMS_GATEWAY_URL: url,
      VDX_SMS_GATEWAY_TOKEN: 'bench-token',
      VDX_SMS_PERSON_HOURLY_LIMIT: '100000',
      VDX_SMS_ORGANISATION_HOURLY_LIMIT: '100000',
    },
    { smsDispatcher: { sendTimeoutMs: 2_000, backoffMs: (n) => 50 * 2 ** (n - 1), pollMs: 50, maxAttempts: 12, concurrency: 16 } },
  );
  try {
    const base = config.publicUrl;
    const tokenRes = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${ADMIN.id}:${ADMIN.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;
    const phones = Array.from({ length: RECIPIENTS }, (_, i) => `+45 21 ${String(100_000 + i).slice(0, 6)}`.replace(/(\d{2})(\d{2})(\d{2})$/, '$1 $2 $3'));
    if (!phones.every((p) => parseMobileNumber(p).ok)) throw new Error('benchmark numbers must be valid');

    const started = performance.now();
    const latencies: number[] = [];
    for (let i = 0; i < RECIPIENTS; i += PER_REQUEST) {
      const t0 = performance.now();
      const res = await fetch(`${base}/sms/v1/meetings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ recipients: phones.slice(i, i + PER_REQUEST).map((phone) => ({ phone })) }),
      });
      latencies.push(performance.now() - t0);
      if (res.status !== 201) throw new Error(`POST /sms/v1/meetings: ${res.status} ${await res.text()}`);
    }
    const queuedAt = performance.now();
    for (;;) {
      const left = await store.db.selectFrom('sms_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'queued').executeTakeFirstOrThrow();
      if (Number(left.n) === 0) break;
      if (performance.now() - started > 120_000) throw new Error(`${left.n} messages still queued after 120 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const done = performance.now();
    const rows = await store.db.selectFrom('sms_messages').select(['status', 'attempts', 'idempotency_key']).execute();
    const taken = new Map<string, number>();
    for (const r of provider.accepted()) taken.set(r.body.userref!, (taken.get(r.body.userref!) ?? 0) + 1);
    const duplicates = [...taken.values()].reduce((a, n) => a + (n - 1), 0);
    const sorted = [...latencies].sort((a, b) => a - b);
    const seconds = (done - started) / 1000;
    console.log(`${engine}:`);
    console.log(`  enqueue: ${latencies.length} requests of ${PER_REQUEST} recipients, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms per request (${(percentile(sorted, 99) / PER_REQUEST).toFixed(2)} ms per recipient at p99)`);
    console.log(`  handed over: ${rows.filter((r) => r.status === 'sent').length}/${RECIPIENTS} sent, ${rows.filter((r) => r.status === 'failed').length} failed, all done ${((done - queuedAt) / 1000).toFixed(2)} s after the last request, ${(RECIPIENTS / seconds).toFixed(0)} messages/s end to end`);
    console.log(`  provider: ${provider.received.length} attempts (${provider.received.length - provider.accepted().length} failed by injection), ${taken.size} distinct messages taken, duplicates ${duplicates}${duplicates === 0 ? '' : '  <-- MUST BE 0'}`);
    return duplicates === 0 && taken.size === RECIPIENTS;
  } finally {
    await app.close();
    await provider.close();
  }
}

async function main() {
  console.log(`SMS benchmark: ${RECIPIENTS} recipients, injected provider failures ${(FAIL_5XX * 100).toFixed(0)} % 503 + ${(FAIL_HANG * 100).toFixed(0)} % no answer; load ${loadavg()[0]!.toFixed(2)}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'vdx-bench-sms-'));
  const cluster = ONLY === 'sqlite' ? undefined : await startPostgresCluster();
  let ok = true;
  try {
    if (ONLY !== 'postgres') ok = (await run('SQLite', `sqlite:${join(dir, 'vdx.db')}`)) && ok;
    if (cluster) ok = (await run('PostgreSQL', cluster.url.replace(/\/[^/]*$/, '/postgres'))) && ok;
  } finally {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  process.exitCode = ok ? 0 : 1;
}

await main();
