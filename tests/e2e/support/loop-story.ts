/**
 * Runs the room story (or another test command) N times in a row and prints pass/fail per run,
 * with the machine's load average beside it: to measure a rare flake, never part of CI.
 *
 *   npx tsx tests/e2e/support/loop-story.ts [runs=30]
 *   STORY_CMD="npx playwright test tests/e2e/room-story.test.ts" npx tsx tests/e2e/support/loop-story.ts 10
 *
 * The output of failed runs goes to tests/.tmp/loop-story/run-N.log.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[2] ?? 30);
const command = process.env.STORY_CMD ?? 'npx playwright test tests/e2e/room-story.test.ts';
const logs = path.resolve('tests/.tmp/loop-story');
mkdirSync(logs, { recursive: true });

let passed = 0;
const failed: number[] = [];
const loads: number[] = [];
for (let run = 1; run <= runs; run++) {
  const started = Date.now();
  const result = spawnSync('sh', ['-c', command], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const load = loadavg()[0]!;
  loads.push(load);
  if (result.status === 0) passed++;
  else {
    failed.push(run);
    writeFileSync(path.join(logs, `run-${run}.log`), `${result.stdout}\n${result.stderr}`);
  }
  console.log(`run ${run}/${runs}: ${result.status === 0 ? 'pass' : 'FAIL'} in ${seconds} s, load average ${load.toFixed(2)} on ${cpus().length} cores`);
}
const mean = loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length);
console.log(`\n${passed}/${runs} passed${failed.length ? `; failed: runs ${failed.join(', ')} (logs in ${logs})` : ''}`);
console.log(`load average after each run: mean ${mean.toFixed(2)}, max ${Math.max(...loads).toFixed(2)} (${cpus().length} cores)`);
process.exit(failed.length ? 1 : 0);
