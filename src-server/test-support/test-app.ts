import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { ManualClock } from '../../src-shared/platform/clock';
import { buildApp, type AppDeps, type AppHandles } from '../app';
import { loadConfig, type ServerConfig } from '../config/config';
import { openStore, type DbKind, type Store } from '../db/database';

/** Both engines every storage-touching suite runs against. */
export const DB_KINDS: DbKind[] = ['sqlite', 'postgres'];

/** A fresh, empty database of the given kind: in-memory SQLite, or a new database on the test cluster. */
export async function freshStore(kind: DbKind): Promise<Store> {
  return openStore(await freshDatabaseUrl(kind));
}

/**
 * The URL of a fresh, empty database: `sqlite::memory:` (a new one each time it is opened), or a
 * new database on the test cluster (open it as often as needed: several instances, one database).
 */
export async function freshDatabaseUrl(kind: DbKind): Promise<string> {
  if (kind === 'sqlite') return 'sqlite::memory:';
  const adminUrl = await testClusterUrl();
  const name = `vdx_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return adminUrl.replace(/\/[^/]*$/, `/${name}`);
}

/**
 * The test cluster's superuser URL: `VDX_TEST_PG_URL` (set by the Playwright global setup, or by
 * whoever points the tests at an existing server), else what vitest's global setup provides. vitest
 * is imported only then, so browser tests under Playwright never load it.
 */
async function testClusterUrl(): Promise<string> {
  if (process.env.VDX_TEST_PG_URL) return process.env.VDX_TEST_PG_URL;
  const { inject } = await import('vitest');
  return inject('pgUrl');
}

export interface TestApp {
  app: FastifyInstance;
  /** What the app's capabilities expose past HTTP (token issuer, domain events, conference node ...). */
  handles: AppHandles;
  store: Store;
  clock: ManualClock;
  config: ServerConfig;
  /** Where its store is; `createTestAppOn` builds another instance on the same PostgreSQL database. */
  databaseUrl: string;
  close(): Promise<void>;
}

export const TEST_ADMIN = { clientId: 'test-admin', clientSecret: 'test-admin-secret-0123456789' };

/** Builds the real app on a fresh database with a hand-driven clock. */
export async function createTestApp(
  kind: DbKind = 'sqlite',
  env: Record<string, string> = {},
  clock = new ManualClock('2026-03-02T08:00:00Z'),
  deps: TestAppDeps = {},
): Promise<TestApp> {
  return createTestAppOn(await freshDatabaseUrl(kind), env, clock, deps);
}

/** App options a test may add (`AppDeps`), and test-only routes registered before the app is ready. */
export type TestAppDeps = Pick<AppDeps, 'eventRelay' | 'conferenceMedia' | 'logStream'> & {
  setup?: (app: FastifyInstance) => void | Promise<void>;
};

/**
 * Builds the real app on the database at `databaseUrl` (migrated if needed), with its own store
 * (connection pool) like a separate server process: two of these on one PostgreSQL database are
 * two instances of the server. `deps` adds app options (e.g. `eventRelay`; `logStream` turns the
 * log on, into that stream, at `VDX_LOG_LEVEL`).
 */
export async function createTestAppOn(
  databaseUrl: string,
  env: Record<string, string> = {},
  clock = new ManualClock('2026-03-02T08:00:00Z'),
  { setup, ...deps }: TestAppDeps = {},
): Promise<TestApp> {
  const store = await openStore(databaseUrl);
  const config = loadConfig({
    VDX_PUBLIC_URL: 'http://vdx.test',
    VDX_ADMIN_CLIENT_ID: TEST_ADMIN.clientId,
    VDX_ADMIN_CLIENT_SECRET: TEST_ADMIN.clientSecret,
    VDX_LOG_LEVEL: 'silent',
    ...env,
  });
  const { app, handles } = await buildApp({ config, store, clock, timers: clock, logger: deps.logStream !== undefined, ...deps });
  await setup?.(app);
  await app.ready();
  return {
    app,
    handles,
    store,
    clock,
    config,
    databaseUrl,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
