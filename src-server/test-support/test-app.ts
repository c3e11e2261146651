import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { ManualClock } from '../../src-shared/platform/clock';
import { buildApp } from '../app';
import { loadConfig, type ServerConfig } from '../config/config';
import { openStore, type DbKind, type Store } from '../db/database';

/** Both engines every storage-touching suite runs against. */
export const DB_KINDS: DbKind[] = ['sqlite', 'postgres'];

/** A fresh, empty database of the given kind: in-memory SQLite, or a new database on the test cluster. */
export async function freshStore(kind: DbKind): Promise<Store> {
  if (kind === 'sqlite') return openStore('sqlite::memory:');
  const adminUrl = inject('pgUrl');
  const name = `vdx_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return openStore(adminUrl.replace(/\/[^/]*$/, `/${name}`));
}

export interface TestApp {
  app: FastifyInstance;
  store: Store;
  clock: ManualClock;
  config: ServerConfig;
  close(): Promise<void>;
}

export const TEST_ADMIN = { clientId: 'test-admin', clientSecret: 'test-admin-secret-0123456789' };

/** Builds the real app on a fresh database with a hand-driven clock. */
export async function createTestApp(
  kind: DbKind = 'sqlite',
  env: Record<string, string> = {},
  clock = new ManualClock('2026-03-02T08:00:00Z'),
): Promise<TestApp> {
  const store = await freshStore(kind);
  const config = loadConfig({
    VDX_PUBLIC_URL: 'http://vdx.test',
    VDX_ADMIN_CLIENT_ID: TEST_ADMIN.clientId,
    VDX_ADMIN_CLIENT_SECRET: TEST_ADMIN.clientSecret,
    VDX_LOG_LEVEL: 'silent',
    ...env,
  });
  const app = await buildApp({ config, store, clock, logger: false });
  await app.ready();
  return {
    app,
    store,
    clock,
    config,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
