import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';
import { migrations } from './migrations';
import { sqliteDialect } from './sqlite-driver';

export type DbKind = 'sqlite' | 'postgres';

/**
 * One handle to the store, whichever engine is behind it.
 *
 * Portability rules every table follows so the same Kysely code runs on both engines:
 * timestamps are ISO-8601 UTC strings in `text` columns (they sort correctly as text),
 * booleans are `integer` 0/1, structured values are JSON in `text`, ids are `text`.
 */
export interface Store {
  db: Kysely<Database>;
  kind: DbKind;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /**
   * PostgreSQL only: a new, unconnected client outside the pool, for a session that holds its
   * connection (LISTEN). The caller connects and ends it.
   */
  dedicatedClient?(applicationName: string): pg.Client;
}

/** Opens `sqlite:<path>` / `sqlite::memory:` or a `postgres://` URL and runs pending migrations. */
export async function openStore(url: string): Promise<Store> {
  const store = url.startsWith('sqlite:') ? openSqlite(url.slice('sqlite:'.length)) : openPostgres(url);
  try {
    await migrate(store.db);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

function openSqlite(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL lets readers proceed during a write; foreign keys are off by default in SQLite.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: sqliteDialect(sqlite) });
  return {
    db,
    kind: 'sqlite',
    ping: () => pingDb(db),
    close: () => db.destroy(),
  };
}

function openPostgres(url: string): Store {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    ping: () => pingDb(db),
    close: () => db.destroy(),
    dedicatedClient: (applicationName) => new pg.Client({ connectionString: url, application_name: applicationName }),
  };
}

async function pingDb(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

class InCodeMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

async function migrate(db: Kysely<Database>): Promise<void> {
  // Numbers are ranges per capability (migrations.ts), so a new capability's migration can sort
  // before ones an existing database already ran: run whatever has not run yet, in name order.
  const migrator = new Migrator({ db, provider: new InCodeMigrations(), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
