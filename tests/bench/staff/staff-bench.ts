import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoSchedulingTemplate } from '../../../src-shared/booking/demo-scheduling-template';
import { launchChromium, type E2eBrowser } from '../../e2e/support/chromium';
import { startE2eServer, type E2eServer } from '../../e2e/support/e2e-server';
import { buildRenderer } from '../support/renderer-bundle';

/**
 * The shared ground of `npm run bench:staff`: a fresh web UI build, the real server in-process on
 * loopback (SQLite) serving it, a clinician with meetings, and headless Chromium. Each probe (a
 * file beside this one) measures one thing against it and returns figures; `staff.bench.ts` runs
 * the probes in order and prints every figure beside its target. Add a probe to add a figure.
 */
export interface StaffBenchContext {
  server: E2eServer;
  baseUrl: string;
  /** The built web UIs (`dist/renderer` layout). */
  webRoot: string;
  chromium: E2eBrowser;
  clinician: { email: string; password: string; name: string };
  /** How many times each timing is taken (BENCH_RUNS, default 5). */
  runs: number;
  /** JSON over HTTP as the bootstrap admin. */
  api<T>(method: string, url: string, body?: unknown): Promise<T>;
}

/** One printed figure: a value in its unit, and the target it is held against (if it has one). */
export interface Figure {
  name: string;
  /** null: could not be measured (the note says why). */
  value: number | null;
  unit: 'ms' | 'kB';
  /** The figure should be at most this. */
  target?: number;
  /** Printed after the figure: what else was seen (max of the runs, gzip size, …). */
  note?: string;
}

export interface StaffProbe {
  name: string;
  run(ctx: StaffBenchContext): Promise<Figure[]>;
}

/** The clinician's meetings: a few today, the rest in the coming days (the first list shows them all). */
const MEETINGS_TODAY = 4;
const MEETINGS_LATER = 16;

export async function startStaffBench(): Promise<{ ctx: StaffBenchContext; close(): Promise<void>; buildMs: number }> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'vdx-bench-staff-'));
  const webRoot = path.join(scratch, 'renderer');
  const buildMs = await buildRenderer(webRoot);
  const server = await startE2eServer(webRoot);
  const chromium = await launchChromium();
  const api = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${server.baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${await server.adminToken()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const clinician = { email: 'bench.klinik@region.test', password: 'en lang adgangssætning til bench', name: 'Bench Kliniker' };
  await api('POST', '/videoapi/v2/scheduling-templates', demoSchedulingTemplate());
  await api('POST', '/management/v1/users', { ...clinician, roles: ['meeting-user'] });
  const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (let i = 0; i < MEETINGS_TODAY + MEETINGS_LATER; i++) {
    const start = i < MEETINGS_TODAY ? Date.now() + (i + 1) * 60_000 : Date.now() + (i - MEETINGS_TODAY + 1) * 86_400_000;
    await api('POST', '/videoapi/v2/meetings', { subject: `Bench-møde ${i + 1}`, startTime: at(start), endTime: at(start + 30 * 60_000), organizedByEmail: clinician.email });
  }
  return {
    ctx: { server, baseUrl: server.baseUrl, webRoot, chromium, clinician, runs: Math.max(1, Number(process.env.BENCH_RUNS ?? 5)), api },
    buildMs,
    async close() {
      await chromium.close();
      await server.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Median and max of timings. */
export function spread(values: number[]): { median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor((sorted.length - 1) / 2)]!, max: sorted[sorted.length - 1]! };
}
