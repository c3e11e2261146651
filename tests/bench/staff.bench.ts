/**
 * `npm run bench:staff` — what people who sign in wait for, on loopback, printed beside targets.
 *
 * Ground (staff/staff-bench.ts): a fresh `vite build`, the real server in-process (SQLite) serving
 * it, a clinician with 20 meetings, headless Chromium. Probes, in order (BENCH_RUNS timings each,
 * median with the max as a note):
 * - booking page bundle: what /booking/ downloads before it runs (gzip, raw as a note), and the
 *   lazily loaded call view;
 * - sign-in round trip: the code flow with PKCE over HTTP (authorize → password → tokens), and in
 *   the browser from "submit" on the provider's page to signed in on /booking/ — target ≤ 1 s;
 * - first rendered meeting list: a signed-in person opens /booking/ in a new tab, to the first
 *   meeting on screen and to every address shown — target ≤ 1 s.
 * - the desktop app (staff/desktop-app.probes.ts): the agent's sign-in round trip through a browser
 *   double and its first "my meetings today" answer — target ≤ 1 s each.
 * Add a probe (a `StaffProbe` in staff/) to PROBES to print more.
 * Prints numbers; asserts nothing.
 */
import { loadavg } from 'node:os';
import { bookingBundle, firstMeetingList, signInRoundTrip } from './staff/booking-page.probes';
import { desktopApp } from './staff/desktop-app.probes';
import { startStaffBench, type Figure, type StaffProbe } from './staff/staff-bench';

const PROBES: StaffProbe[] = [bookingBundle, signInRoundTrip, firstMeetingList, desktopApp];

function line(f: Figure): string {
  const value = f.value === null ? 'not measured' : f.unit === 'ms' ? `${Math.round(f.value)} ms` : `${f.value.toFixed(1)} kB`;
  const target = f.target === undefined ? '' : `target ≤ ${f.target} ${f.unit}  ${f.value !== null && f.value <= f.target ? 'ok' : 'OVER'}`;
  return `  ${f.name.padEnd(62)} ${value.padStart(12)}   ${target.padEnd(24)} ${f.note ?? ''}`.trimEnd();
}

async function main(): Promise<void> {
  const bench = await startStaffBench();
  try {
    // The machine's load beside the figures: on a shared 2-core box a busy neighbour doubles them.
    console.log(`staff bench: SQLite, loopback ${bench.ctx.baseUrl}, ${bench.ctx.runs} runs per timing (renderer build ${Math.round(bench.buildMs)} ms, load average ${loadavg()[0]!.toFixed(1)})`);
    for (const probe of PROBES) {
      try {
        for (const f of await probe.run(bench.ctx)) console.log(line(f));
      } catch (err) {
        console.log(line({ name: probe.name, value: null, unit: 'ms', note: `failed: ${(err as Error).message.split('\n')[0]}` }));
      }
    }
  } finally {
    await bench.close();
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
