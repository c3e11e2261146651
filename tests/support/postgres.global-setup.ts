import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from './postgres-cluster';

/**
 * Starts a throwaway PostgreSQL cluster on a loopback port for the whole test run and hands its
 * URL to the tests (`inject('pgUrl')`). Storage tests then run against SQLite and this real server.
 * `VDX_TEST_PG_URL` points the tests at an existing server instead.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.VDX_TEST_PG_URL) {
    project.provide('pgUrl', process.env.VDX_TEST_PG_URL);
    return;
  }
  const cluster = await startPostgresCluster();
  project.provide('pgUrl', cluster.url);
  return () => cluster.stop();
}
