import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startPostgresCluster } from './postgres-cluster';
import { RENDERER_RUN_DIR_ENV } from '../e2e/support/renderer-build';

/**
 * The Playwright run's global setup, as the vitest one does for unit tests: a throwaway PostgreSQL
 * cluster on a loopback port (its URL reaches the test workers as `VDX_TEST_PG_URL`, which
 * `freshDatabaseUrl` reads; set it yourself to use an existing server instead), and a scratch
 * directory for the web UI build that the first test needing it fills (`ensureRendererBuild`).
 * Workers inherit this process's environment.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const runDir = path.resolve('tests/.tmp', `renderer-run-${process.pid}-${Date.now()}`);
  mkdirSync(runDir, { recursive: true });
  process.env[RENDERER_RUN_DIR_ENV] = runDir;
  const cluster = process.env.VDX_TEST_PG_URL ? undefined : await startPostgresCluster();
  if (cluster) process.env.VDX_TEST_PG_URL = cluster.url;
  return async () => {
    await cluster?.stop();
    rmSync(runDir, { recursive: true, force: true });
  };
}
