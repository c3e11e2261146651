import type SQLite from 'better-sqlite3';
import {
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

/**
 * Kysely's SQLite dialect with our driver: prepared statements are cached, and transactions are
 * committed in groups.
 *
 * **Group commit.** SQLite has one writer, and in WAL mode a COMMIT appends every page the
 * transaction changed to the WAL. A booking touches some twenty pages (three tables and their
 * indexes), most of them the same pages as the next booking's, so committing each on its own
 * writes most pages again and again: COMMIT was the largest share of a booking's SQL time
 * (bench:booking). Here a transaction that starts while another's commit is still pending joins it:
 *
 * - The first transaction opens an outer transaction (BEGIN); each transaction — a *unit* — runs
 *   in its own SAVEPOINT inside it, alone on the connection, as before.
 * - A unit that succeeds RELEASEs its savepoint and hands the connection on, but its commit does
 *   not resolve yet: it resolves when the outer transaction has committed. So nobody acts on (or
 *   answers with) a unit's writes before they are stored, exactly as with a COMMIT of its own.
 * - A unit that fails is rolled back to its savepoint: only its own writes go, the units before
 *   it in the group keep theirs. One request's failure never undoes another's.
 * - The group commits on the next turn of the event loop (`setImmediate`: every unit that was
 *   already waiting for the connection joins first), after `MAX_UNITS` units, or before a write
 *   outside a transaction (which must be stored when it returns, as it always was).
 * - If the outer COMMIT fails (disk full, I/O error), every unit of the group fails with that
 *   error; if SQLite itself aborts the outer transaction while a unit runs (the same kind of
 *   error), the group's released units fail with it too. Nothing is reported stored that is not.
 *
 * Isolation: units run one after another, each seeing the writes of those before it, as they
 * would serially. A read outside a transaction runs inside the open group and may see a released
 * unit's writes a moment before their COMMIT; only when that COMMIT then fails (disk full) has it
 * seen something that was never stored — the same thing the units' own callers are then told by
 * their error. Nothing else changes for readers: they never see a unit's writes while it runs.
 *
 * The connection itself is handed out in arrival order (a FIFO lock; Kysely's own mutex wakes
 * every waiter on each release).
 */
export function sqliteDialect(sqlite: SQLite.Database): {
  dialect: Dialect;
  /**
   * Runs a query outside any transaction at once if the connection is free, skipping Kysely's
   * round of promises per query (a tenth of a meeting read's CPU in a profile); undefined when
   * the connection is busy — then run it through Kysely, which queues it. Same rules as there.
   */
  runIfFree: <R>(compiledQuery: CompiledQuery) => QueryResult<R> | undefined;
} {
  const driver = new GroupCommitSqliteDriver(sqlite);
  return {
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => driver,
      createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
    runIfFree: (compiledQuery) => driver.runIfFree(compiledQuery),
  };
}

/** Units in one group at most: bounds how long other readers and writers wait for the connection. */
const MAX_UNITS = 64;
/** Prepared statements kept (our SQL comes from a fixed set of query shapes). */
const STATEMENT_CACHE_SIZE = 2000;
const UNIT = 'vdx_group_unit';

/** The units of one outer transaction whose commits wait for it. */
interface Group {
  units: number;
  waiting: { resolve(): void; reject(err: unknown): void }[];
}

/** One `acquireConnection`: Kysely's connection object for one query or one transaction. */
class Lease implements DatabaseConnection {
  inUnit = false;
  /** The connection was handed on already (a released unit waiting for its group's commit). */
  handedOn = false;
  lastError: unknown;

  constructor(private readonly driver: GroupCommitSqliteDriver) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return Promise.resolve(this.driver.run<R>(this, compiledQuery));
    } catch (err) {
      this.lastError = err;
      return Promise.reject(err);
    }
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const stmt = this.driver.statementFor(this, compiledQuery.sql);
    for (const row of stmt.iterate(compiledQuery.parameters as unknown[])) yield { rows: [row as R] };
  }
}

class GroupCommitSqliteDriver implements Driver {
  readonly #lock = new FifoLock();
  readonly #statements = new Map<string, SQLite.Statement>();
  #group?: Group;

  constructor(private readonly sqlite: SQLite.Database) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.acquire();
    return new Lease(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (this.#group && this.#group.units >= MAX_UNITS) this.#commitGroup();
    if (!this.#group) {
      this.#exec('begin');
      const group: Group = { units: 0, waiting: [] };
      this.#group = group;
      setImmediate(() => this.#commitWhenFree(group));
    }
    this.#exec(`savepoint ${UNIT}`);
    this.#group.units++;
    lease.inUnit = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    const group = this.#group!;
    try {
      this.#exec(`release ${UNIT}`);
    } catch (err) {
      // RELEASE fails only when the outer transaction is gone (or its savepoint): the group failed.
      lease.inUnit = false;
      this.#failGroup(err);
      throw err;
    }
    lease.inUnit = false;
    const committed = new Promise<void>((resolve, reject) => group.waiting.push({ resolve, reject }));
    lease.handedOn = true;
    this.#lock.release();
    await committed;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    lease.inUnit = false;
    if (!this.sqlite.inTransaction) {
      // The error that made this unit fail made SQLite roll back the whole outer transaction, so
      // the units released before it in this group are lost with it.
      this.#failGroup(new Error('The group transaction was rolled back by SQLite', { cause: lease.lastError }));
      return;
    }
    try {
      this.#exec(`rollback to ${UNIT}`);
      this.#exec(`release ${UNIT}`);
    } catch (err) {
      this.#failGroup(err);
      throw err;
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (!(connection as Lease).handedOn) this.#lock.release();
  }

  async destroy(): Promise<void> {
    await this.#lock.acquire();
    try {
      if (this.#group) this.#commitGroup();
    } finally {
      this.#lock.release();
      this.sqlite.close();
    }
  }

  readonly #outside = new Lease(this);

  runIfFree<R>(compiledQuery: CompiledQuery): QueryResult<R> | undefined {
    if (!this.#lock.tryAcquire()) return undefined;
    try {
      return this.run<R>(this.#outside, compiledQuery);
    } finally {
      this.#lock.release();
    }
  }

  /** Runs one statement for a lease that holds the connection. */
  run<R>(lease: Lease, compiledQuery: CompiledQuery): QueryResult<R> {
    const stmt = this.statementFor(lease, compiledQuery.sql);
    const parameters = compiledQuery.parameters as unknown[];
    if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  /**
   * The cached prepared statement for `sql` (preparing is a large share of a short query's cost).
   * A write outside a transaction commits the open group first, so it is stored when it returns.
   */
  statementFor(lease: Lease, sql: string): SQLite.Statement {
    let stmt = this.#statements.get(sql);
    if (!stmt || stmt.busy) {
      // A statement still busy in a streamed query is never handed out twice.
      const fresh = this.sqlite.prepare(sql);
      if (!stmt) {
        if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.delete(this.#statements.keys().next().value!);
        this.#statements.set(sql, fresh);
      }
      stmt = fresh;
    }
    if (!lease.inUnit && this.#group && !stmt.readonly) this.#commitGroup();
    return stmt;
  }

  /** Commits `group` unless it has been already; waits for the connection if someone holds it. */
  #commitWhenFree(group: Group): void {
    if (this.#group !== group) return;
    const commit = () => {
      try {
        if (this.#group === group) this.#commitGroup();
      } finally {
        this.#lock.release();
      }
    };
    if (this.#lock.tryAcquire()) commit();
    else void this.#lock.acquire().then(commit);
  }

  /** COMMIT of the outer transaction; called holding the connection with no unit running. */
  #commitGroup(): void {
    const group = this.#group!;
    this.#group = undefined;
    try {
      this.#exec('commit');
    } catch (err) {
      if (this.sqlite.inTransaction) this.#exec('rollback');
      for (const w of group.waiting) w.reject(err);
      return;
    }
    for (const w of group.waiting) w.resolve();
  }

  /** The outer transaction is lost: roll back what is left of it and fail its released units. */
  #failGroup(cause: unknown): void {
    const group = this.#group;
    this.#group = undefined;
    if (this.sqlite.inTransaction) this.#exec('rollback');
    for (const w of group?.waiting ?? []) w.reject(cause);
  }

  #exec(sql: string): void {
    let stmt = this.#statements.get(sql);
    if (!stmt) this.#statements.set(sql, (stmt = this.sqlite.prepare(sql)));
    stmt.run();
  }
}

/** A lock handed to waiters in arrival order. */
class FifoLock {
  #held = false;
  readonly #waiters: (() => void)[] = [];

  tryAcquire(): boolean {
    if (this.#held) return false;
    this.#held = true;
    return true;
  }

  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Hands the lock to the next waiter, or frees it. */
  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#held = false;
  }
}
