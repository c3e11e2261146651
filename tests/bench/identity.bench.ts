/**
 * `npm run bench:identity` — what authentication costs.
 *
 * The real server (`startServer`) on a SQLite file in a temp dir, loaded with autocannon in a
 * worker thread (load generator and server share the machine's cores):
 * 1. `GET /healthz` — no authentication: this machine's ceiling for a trivial route.
 * 2. `GET /management/v1/organisations/vdx` with a Bearer token — JWT verification (cached JWKS),
 *    the per-request revocation lookup and one read — as a fraction of (1).
 * 3. `POST /oauth/token` — client authentication is one scrypt hash per request by design, so
 *    this is far slower; the number says how many token requests one instance absorbs.
 * Prints numbers; asserts nothing. BENCH_SECONDS (default 5) and BENCH_CONNECTIONS (default 10).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startServer } from '../../src-server/main';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ADMIN = { id: 'bench-admin', secret: 'bench-admin-secret-0123456789abcdef' };

interface Figures {
  rps: number;
  p50: number;
  p99: number;
}

async function load(name: string, opts: { url: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }): Promise<Figures> {
  const result = await autocannon({
    url: opts.url,
    method: opts.method ?? 'GET',
    connections: CONNECTIONS,
    duration: SECONDS,
    workers: 1,
    headers: opts.headers ?? {},
    ...(opts.body ? { body: opts.body } : {}),
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  console.log(
    `  ${name.padEnd(40)} ${result.requests.average.toFixed(0).padStart(7)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms${bad ? `  (failed ${bad})` : ''}`,
  );
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'vdx-identity-bench-'));
  const { app } = await startServer({
    VDX_HOST: '127.0.0.1',
    VDX_PORT: '0',
    VDX_DB: `sqlite:${join(dir, 'vdx.db')}`,
    VDX_ADMIN_CLIENT_ID: ADMIN.id,
    VDX_ADMIN_CLIENT_SECRET: ADMIN.secret,
    VDX_LOG_LEVEL: 'warn',
  });
  try {
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const tokenBody = new URLSearchParams({ grant_type: 'client_credentials', client_id: ADMIN.id, client_secret: ADMIN.secret }).toString();
    const tokenRes = await fetch(`${base}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: tokenBody });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };

    console.log(`identity bench: SQLite, ${CONNECTIONS} connections, ${SECONDS} s each`);
    const ceiling = await load('GET /healthz (no auth)', { url: `${base}/healthz` });
    const authed = await load('GET organisation with Bearer token', {
      url: `${base}/management/v1/organisations/vdx`,
      headers: { authorization: `Bearer ${token}` },
    });
    await load('POST /oauth/token (scrypt per request)', {
      url: `${base}/oauth/token`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenBody,
    });
    console.log(`  authenticated read / unauthenticated ceiling: ${((authed.rps / ceiling.rps) * 100).toFixed(0)} %`);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
