import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DB_KINDS, freshDatabaseUrl, freshStore } from '../test-support/test-app';
import { openStore, type Store } from './database';
import { preparedQuery } from './prepared-query';

const NOW = '2026-03-02T08:00:00.000Z';
const orgByCode = preparedQuery((db, p: { code: string }) => db.selectFrom('organisations').select(['code', 'name']).where('code', '=', p.code));
const insertOrg = preparedQuery((db, p: { row: { code: string; name: string; parent_code?: string | null; created_at: string } }) =>
  db.insertInto('organisations').values({ pool_size: 0, allow_custom_uri_without_domain: 0, updated_at: NOW, ...p.row }),
);
const renameOrg = preparedQuery((db, p: { code: string; name: string }) => db.updateTable('organisations').set({ name: p.name }).where('code', '=', p.code));
const orgsIn = preparedQuery((db, p: { codes: string[] }) => db.selectFrom('organisations').select('code').where('code', 'in', p.codes).orderBy('code'));

describe.each(DB_KINDS)('prepared queries on %s', (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await freshStore(kind);
  });
  afterEach(async () => store.close());

  it('answers each call with its own parameters, as the same query built afresh would', async () => {
    await insertOrg.run(store.db, { row: { code: 'a1', name: 'Region A', created_at: NOW } });
    await insertOrg.run(store.db, { row: { code: 'b2', name: 'Region B', created_at: NOW } });
    expect(await orgByCode.first(store.db, { code: 'a1' })).toEqual({ code: 'a1', name: 'Region A' });
    expect(await orgByCode.first(store.db, { code: 'b2' })).toEqual({ code: 'b2', name: 'Region B' });
    expect(await orgByCode.first(store.db, { code: 'none' })).toBeUndefined();
    expect(await renameOrg.run(store.db, { code: 'b2', name: 'Region Syd' })).toBe(1);
    expect(await renameOrg.run(store.db, { code: 'none', name: 'x' })).toBe(0);
    const built = await store.db.selectFrom('organisations').select(['code', 'name']).where('code', '=', 'b2').executeTakeFirst();
    expect(await orgByCode.first(store.db, { code: 'b2' })).toEqual(built);
  });

  it('compiles again for another shape: a different set of defined columns, a longer list', async () => {
    await insertOrg.run(store.db, { row: { code: 'p', name: 'Parent', created_at: NOW } });
    await insertOrg.run(store.db, { row: { code: 'c', name: 'Child', parent_code: 'p', created_at: NOW } });
    // undefined is left out (the column's default), as Kysely's own values() does.
    await insertOrg.run(store.db, { row: { code: 'u', name: 'Undefined parent', parent_code: undefined, created_at: NOW } });
    const parents = await store.db.selectFrom('organisations').select(['code', 'parent_code']).where('code', 'in', ['p', 'c', 'u']).orderBy('code').execute();
    expect(parents).toEqual([{ code: 'c', parent_code: 'p' }, { code: 'p', parent_code: null }, { code: 'u', parent_code: null }]);
    expect(await orgsIn.rows(store.db, { codes: ['p'] })).toEqual([{ code: 'p' }]);
    expect(await orgsIn.rows(store.db, { codes: ['u', 'p', 'c'] })).toEqual([{ code: 'c' }, { code: 'p' }, { code: 'u' }]);
  });

  it('takes part in the transaction it is given: a rollback undoes its write', async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await insertOrg.run(trx, { row: { code: 'gone', name: 'Rolled back', created_at: NOW } });
        expect(await orgByCode.first(trx, { code: 'gone' })).toEqual({ code: 'gone', name: 'Rolled back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await orgByCode.first(store.db, { code: 'gone' })).toBeUndefined();
  });

  it('outside a transaction never sees a transaction still running (SQLite waits for it)', async () => {
    let finish!: () => void;
    let inserted!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    const didInsert = new Promise<void>((resolve) => (inserted = resolve));
    const running = store.db.transaction().execute(async (trx) => {
      await insertOrg.run(trx, { row: { code: 'mid', name: 'Mid-transaction', created_at: NOW } });
      inserted();
      await held;
    });
    await didInsert;
    const read = orgByCode.first(store.db, { code: 'mid' });
    if (kind === 'sqlite') {
      // One connection: the read cannot run before the transaction ends, however long it waits.
      const turns = new Promise((resolve) => setImmediate(() => setImmediate(() => resolve('still waiting'))));
      expect(await Promise.race([read, turns])).toBe('still waiting');
    } else {
      expect(await read).toBeUndefined();
    }
    finish();
    await running;
    expect(await read).toEqual(kind === 'sqlite' ? { code: 'mid', name: 'Mid-transaction' } : undefined);
    expect(await orgByCode.first(store.db, { code: 'mid' })).toEqual({ code: 'mid', name: 'Mid-transaction' });
  });

  it('refuses a parameter the query does not bind as a value', async () => {
    const wrong = preparedQuery((db, p: { code: string }) => db.selectFrom('organisations').select('code').where(sql<boolean>`code = 'x'`).where('name', '=', 'y').$if(p.code === '', (q) => q));
    await expect(wrong.first(store.db, { code: 'a' })).rejects.toThrow(/code not bound as a parameter/);
  });
});

describe('prepared queries on PostgreSQL, as named statements', () => {
  let url: string;
  let store: Store;
  /** Another instance on the same database (its migrations change the schema under ours). */
  let other: Store;
  const orgRow = preparedQuery((db, p: { code: string }) => db.selectFrom('organisations').selectAll().where('code', '=', p.code));

  beforeEach(async () => {
    url = await freshDatabaseUrl('postgres');
    store = await openStore(url);
    other = await openStore(url);
    await insertOrg.run(store.db, { row: { code: 'a1', name: 'Region A', created_at: NOW } });
  });
  afterEach(async () => {
    await other.close();
    await store.close();
  });

  it('are parsed once per connection: the server keeps them as prepared statements', async () => {
    await orgRow.first(store.db, { code: 'a1' });
    // One query at a time: the pool has one connection, the one that prepared it.
    const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(store.db);
    expect(rows.map((r) => r.statement)).toContain('select * from "organisations" where "code" = $1');
  });

  it('answer with the new columns after another instance added one (select *)', async () => {
    expect(await orgRow.first(store.db, { code: 'a1' })).not.toHaveProperty('note');
    await sql`alter table organisations add column note text`.execute(other.db);
    expect(await orgRow.first(store.db, { code: 'a1' })).toMatchObject({ code: 'a1', note: null });
  });

  it('fail only the one transaction that met the changed columns; the next one runs', async () => {
    await orgRow.first(store.db, { code: 'a1' });
    await sql`alter table organisations add column note text`.execute(other.db);
    await expect(store.db.transaction().execute((trx) => orgRow.first(trx, { code: 'a1' }))).rejects.toThrow(/cached plan/);
    expect(await store.db.transaction().execute((trx) => orgRow.first(trx, { code: 'a1' }))).toMatchObject({ code: 'a1', note: null });
  });
});
