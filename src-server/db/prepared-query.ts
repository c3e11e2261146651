import { createHash } from 'node:crypto';
import { createQueryId, type Compilable, type CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema';

/**
 * A query of a fixed shape that Kysely builds and compiles once instead of on every request
 * (docs/decisions/0016). Building and compiling cost more CPU than SQLite needs to run a short
 * query (bench:booking), so the hot paths of booking and authentication use these.
 *
 * `build` is called with stand-ins for the parameters: every value it puts into the query must be
 * a bound parameter (`where(col, '=', p.x)`, `values(p.row)`, `set(p.changes)`); a parameter the
 * query does not bind as a value (used in `is null`, `sql.raw`, a branch) is a programming error
 * reported on first use. Constants written into `build` stay constants. The compiled SQL is kept
 * per dialect and per parameter shape (the keys of an object parameter, the length of an array),
 * so `values(row)` with a different set of defined columns compiles once more; keys whose value is
 * `undefined` are left out, as Kysely does. Runs through the given Kysely instance or transaction,
 * so it takes part in the transaction and in the SQLite connection's serialisation as any query.
 */
export interface PreparedQuery<P, R> {
  /** All rows. */
  rows(db: Kysely<Database>, params: P): Promise<R[]>;
  /** The first row, or undefined. */
  first(db: Kysely<Database>, params: P): Promise<R | undefined>;
  /** Runs a write; answers the affected row count. */
  run(db: Kysely<Database>, params: P): Promise<number>;
}

/**
 * The SQL of every compiled prepared query and its statement name. PostgreSQL runs these as named
 * prepared statements (database.ts): each connection parses and plans one once, not per call.
 * Bounded by the prepared queries and their shapes.
 */
const statementNames = new Map<string, string>();

/** The statement name of SQL compiled by a prepared query, or undefined for any other SQL. */
export function preparedStatementName(sql: string): string | undefined {
  return statementNames.get(sql);
}

/** Runs a query outside any transaction at once, or answers undefined to have Kysely queue it. */
export type DirectRunner = <R>(compiledQuery: CompiledQuery) => QueryResult<R> | undefined;

/** Per database handle (never a transaction's), how its prepared queries may run directly. */
const directRunners = new WeakMap<object, DirectRunner>();

/** Lets prepared queries on `db` itself (not in a transaction) run through `runner` (database.ts, SQLite). */
export function runPreparedQueriesDirectly(db: Kysely<Database>, runner: DirectRunner): void {
  directRunners.set(db, runner);
}

/** A stand-in the builder receives for one parameter value. */
class Slot {
  constructor(readonly path: readonly string[]) {}
}

interface Compiled {
  /** The stand-ins it was compiled with: the shape of parameters it serves (see `fits`). */
  shape: unknown;
  sql: string;
  query: CompiledQuery['query'];
  /** Per bound parameter: where to read it from the caller's params, or the constant. */
  binds: ({ path: readonly string[] } | { constant: unknown })[];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** The shape of a parameter value: which stand-ins `build` needs to see. */
function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(shapeOf).join(',')}]`;
  if (isPlainObject(value)) {
    let s = '{';
    for (const key in value) if (value[key] !== undefined) s += `${key}:${shapeOf(value[key])};`;
    return `${s}}`;
  }
  return '.';
}

/**
 * Whether `value` has the shape the stand-ins were made for — the same test as comparing
 * `shapeOf` strings, without building one (a booking's rows have some twenty-five keys each).
 */
function fits(shape: unknown, value: unknown): boolean {
  if (shape instanceof Slot) return !Array.isArray(value) && !isPlainObject(value);
  if (Array.isArray(shape)) return Array.isArray(value) && value.length === shape.length && shape.every((s, i) => fits(s, value[i]));
  if (!isPlainObject(value)) return false;
  const keys = shape as Record<string, unknown>;
  let count = 0;
  for (const key in value) {
    if (value[key] === undefined) continue;
    if (!Object.hasOwn(keys, key) || !fits(keys[key], value[key])) return false;
    count++;
  }
  return count === Object.keys(keys).length;
}

function standIns(value: unknown, path: string[]): unknown {
  if (Array.isArray(value)) return value.map((v, i) => standIns(v, [...path, String(i)]));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key in value) if (value[key] !== undefined) out[key] = standIns(value[key], [...path, key]);
    return out;
  }
  return new Slot(path);
}

function valueAt(params: unknown, path: readonly string[]): unknown {
  let v = params;
  for (const key of path) v = (v as Record<string, unknown>)[key];
  return v;
}

export function preparedQuery<P extends Record<string, unknown>, R = unknown>(
  build: (db: Kysely<Database>, params: P) => Compilable<R>,
): PreparedQuery<P, R> {
  // Per dialect adapter (a transaction shares its database's), then per parameter shape.
  const byAdapter = new WeakMap<object, Map<string, Compiled>>();

  // The shape last used per dialect adapter: calls of one query almost always have the same one.
  const lastUsed = new WeakMap<object, Compiled>();

  const compiledFor = (db: Kysely<Database>, params: P): Compiled => {
    const adapter = db.getExecutor().adapter;
    const last = lastUsed.get(adapter);
    if (last && fits(last.shape, params)) return last;
    let byShape = byAdapter.get(adapter);
    if (!byShape) byAdapter.set(adapter, (byShape = new Map()));
    const key = shapeOf(params);
    let entry = byShape.get(key);
    if (!entry) byShape.set(key, (entry = compile(db, params)));
    lastUsed.set(adapter, entry);
    return entry;
  };

  const compile = (db: Kysely<Database>, params: P): Compiled => {
    const shape = standIns(params, []);
    const compiled = build(db, shape as P).compile();
    const slots = new Set<string>();
    const binds = compiled.parameters.map((p) => {
      if (p instanceof Slot) {
        slots.add(p.path.join('.'));
        return { path: p.path };
      }
      return { constant: p };
    });
    const wanted = leafPaths(params, []);
    const unbound = wanted.filter((p) => !slots.has(p));
    if (unbound.length > 0) throw new Error(`preparedQuery: ${unbound.join(', ')} not bound as a parameter in: ${compiled.sql}`);
    const entry = { shape, sql: compiled.sql, query: compiled.query, binds };
    if (!statementNames.has(compiled.sql)) statementNames.set(compiled.sql, `vdx_${createHash('sha256').update(compiled.sql).digest('hex').slice(0, 24)}`);
    return entry;
  };

  const execute = (db: Kysely<Database>, params: P): Promise<QueryResult<R>> => {
    const c = compiledFor(db, params);
    const parameters = c.binds.map((b) => ('path' in b ? valueAt(params, b.path) : b.constant));
    const query = { sql: c.sql, query: c.query, parameters, queryId: createQueryId() };
    const direct = directRunners.get(db);
    if (direct) {
      try {
        const result = direct<R>(query);
        if (result) return Promise.resolve(result);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return db.executeQuery<R>(query);
  };

  return {
    rows: async (db, params) => (await execute(db, params)).rows,
    first: async (db, params) => (await execute(db, params)).rows[0],
    run: async (db, params) => Number((await execute(db, params)).numAffectedRows ?? 0n),
  };
}

function leafPaths(value: unknown, path: string[]): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leafPaths(v, [...path, String(i)]));
  if (isPlainObject(value)) {
    return Object.keys(value).flatMap((k) => (value[k] === undefined ? [] : leafPaths(value[k], [...path, k])));
  }
  return [path.join('.')];
}
