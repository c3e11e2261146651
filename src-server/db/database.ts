import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, type Migration, type MigrationProvider, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';
import { migrations } from './migrations';
import { preparedStatementName, runPreparedQueriesDirectly } from './prepared-query';
import { SAFETY_NET_PAGES, startCheckpointer } from './sqlite-checkpointer';
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
  /** PostgreSQL only: the connection pool's state now (metrics). */
  poolStats?(): { size: number; max: number; idle: number; waiting: number };
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
  // Checkpoints run in a worker thread, not in the COMMIT of whichever request crossed the mark.
  const checkpointer = path === ':memory:' ? undefined : startCheckpointer(path);
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  const { dialect, runIfFree } = sqliteDialect(sqlite);
  const db = new Kysely<Database>({ dialect });
  runPreparedQueriesDirectly(db, runIfFree);
  return {
    db,
    kind: 'sqlite',
    ping: () => pingDb(db),
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

function openPostgres(url: string): Store {
  const max = 10;
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) });
  return {
    db,
    kind: 'postgres',
    ping: () => pingDb(db),
    close: () => db.destroy(),
    dedicatedClient: (applicationName) => new pg.Client({ connectionString: url, application_name: applicationName }),
    poolStats: () => ({ size: pool.totalCount, max, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}

/**
 * The pool as Kysely sees it, sending the SQL of prepared queries (prepared-query.ts) as named
 * statements: PostgreSQL then parses and plans each once per connection instead of on every call,
 * a large part of its work for the short queries of the hot paths (bench:booking). Other SQL goes
 * as before (unnamed), so ad-hoc queries never pile up as statements in the server.
 *
 * A named statement's plan survives schema changes except one: PostgreSQL refuses to run it when
 * its result columns changed ("cached plan must not change result type" — a `select *` after
 * another instance's migration added a column). The connection then prepares its statements
 * afresh under new names; outside a transaction the query is simply run again, inside one only
 * that transaction fails (it is aborted already).
 */
function withNamedStatements(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let generation = 0;
    const named = (name: string, text: string, values: unknown[] | undefined) => {
      const run = () => client.query({ name: generation === 0 ? name : `${name}_${generation}`, text, values });
      return run().catch((err: unknown) => {
        if (!isStalePlan(err)) throw err;
        generation++;
        if (client.getTransactionStatus() === 'I') return run();
        throw err;
      });
    };
    return {
      // A cursor (streamed query) is passed through as it came.
      query: ((textOrCursor: string | pg.Submittable, values?: unknown[]) => {
        if (typeof textOrCursor !== 'string') return client.query(textOrCursor);
        const name = preparedStatementName(textOrCursor);
        return name ? named(name, textOrCursor, values) : client.query(textOrCursor, values);
      }) as unknown as PostgresPoolClient['query'],
      release: (destroy?: boolean) => client.release(destroy),
    };
  };
  return {
    connect: async () => {
      const client = await pool.connect();
      let ours = wrapped.get(client);
      if (!ours) wrapped.set(client, (ours = wrap(client)));
      return ours;
    },
    end: () => pool.end(),
  };
}

/** PostgreSQL's refusal to run a prepared statement whose result columns changed (SQLSTATE 0A000). */
function isStalePlan(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '');
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
