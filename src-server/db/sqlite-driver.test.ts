import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteDialect } from './sqlite-driver';

interface Db {
  notes: { id: string; body: string };
  /** Its foreign key is checked only at COMMIT: a way to make a COMMIT fail on purpose. */
  links: { id: string; note_id: string };
}

/**
 * Group commit (sqlite-driver.ts): concurrent transactions share one COMMIT. What a caller must
 * never notice: a transaction reported committed that a second connection cannot see, one
 * caller's failure undoing another's writes, or writes reported stored that were lost.
 */
describe('SQLite driver with group commit', () => {
  let dir: string;
  let file: string;
  let db: Kysely<Db>;
  /** A second connection to the same file: sees only what is committed. */
  let other: SQLite.Database;
  let sqlite: SQLite.Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vdx-sqlite-driver-'));
    file = join(dir, 'test.db');
    sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    db = new Kysely<Db>({ dialect: sqliteDialect(sqlite).dialect });
    await sql`create table notes (id text primary key, body text not null)`.execute(db);
    await sql`create table links (id text primary key, note_id text not null references notes(id) deferrable initially deferred)`.execute(db);
    other = new SQLite(file, { readonly: true });
  });
  afterEach(async () => {
    other.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const committedIds = () => (other.prepare('select id from notes order by id').all() as { id: string }[]).map((r) => r.id);
  const insertNote = (id: string) =>
    db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ id, body: `note ${id}` }).execute();
      return id;
    });

  it('reports a transaction committed only once another connection sees its writes', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const seenWhenDone = await Promise.all(
      ids.map(async (id) => {
        await insertNote(id);
        return committedIds().includes(id);
      }),
    );
    expect(seenWhenDone).toEqual([true, true, true, true, true]);
    expect(committedIds()).toEqual(ids);
  });

  it('undoes only the failing transaction among concurrent ones', async () => {
    const first = insertNote('a');
    const failing = db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ id: 'failed', body: 'half done' }).execute();
      // A unique violation with the transaction before it in the group.
      await trx.insertInto('notes').values({ id: 'a', body: 'duplicate' }).execute();
    });
    const outcomes = await Promise.allSettled([first, failing, insertNote('b')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed: notes.id/);
    expect(committedIds()).toEqual(['a', 'b']);
    expect(other.prepare('select body from notes where id = ?').get('a')).toEqual({ body: 'note a' });
  });

  it('fails every transaction of a group whose COMMIT fails, and stores none of them', async () => {
    const first = insertNote('a');
    const dangling = db.transaction().execute(async (trx) => {
      await trx.insertInto('links').values({ id: 'l1', note_id: 'missing' }).execute();
    });
    const outcomes = await Promise.allSettled([first, dangling, insertNote('b')]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const o of outcomes) expect(String((o as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY constraint failed/);
    expect(committedIds()).toEqual([]);
    // The connection works on: the next transaction commits on its own.
    await insertNote('c');
    expect(committedIds()).toEqual(['c']);
  });

  it('fails the transactions released before one during which SQLite gave up the whole group', async () => {
    // A full disk (here: a page limit) makes SQLite roll back the outer transaction by itself.
    sqlite.pragma(`max_page_count = ${Number(sqlite.pragma('page_count', { simple: true })) + 2}`);
    const first = insertNote('a');
    const tooBig = db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ id: 'big', body: 'x'.repeat(100_000) }).execute();
    });
    const outcomes = await Promise.allSettled([first, tooBig, insertNote('b')]);
    sqlite.pragma('max_page_count = 1073741823');
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/full/i);
    expect(committedIds()).toEqual(['b']);
  });

  it('stores a write outside a transaction when it returns, with the group it interrupted', async () => {
    const inGroup = insertNote('a');
    // Queued behind the transaction: runs after it released, before the group's COMMIT.
    const plain = db.insertInto('notes').values({ id: 'plain', body: 'no transaction' }).execute();
    await plain;
    expect(committedIds()).toEqual(['a', 'plain']);
    await inGroup;
  });

  it('lets a read outside a transaction run while a group waits for its commit', async () => {
    const writes = Promise.all([insertNote('a'), insertNote('b')]);
    const read = await db.selectFrom('notes').select('id').orderBy('id').execute();
    await writes;
    expect(read.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('commits transactions that run one after another, each on its own turn', async () => {
    for (const id of ['a', 'b', 'c']) {
      await insertNote(id);
      expect(committedIds()).toContain(id);
    }
  });

  it('keeps committing under many concurrent transactions, a failure now and then', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `n${String(i).padStart(3, '0')}`);
    const outcomes = await Promise.allSettled(
      ids.map((id, i) =>
        db.transaction().execute(async (trx) => {
          await trx.insertInto('notes').values({ id, body: 'x' }).execute();
          if (i % 7 === 3) throw new Error(`abandoned ${id}`);
        }),
      ),
    );
    const kept = ids.filter((_, i) => i % 7 !== 3);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(ids.length - kept.length);
    expect(committedIds()).toEqual(kept);
  });

  it('commits what is pending when the store closes', async () => {
    const pending = insertNote('last');
    await db.destroy();
    await pending;
    expect(committedIds()).toEqual(['last']);
    // afterEach destroys again: a second destroy is harmless.
    db = new Kysely<Db>({ dialect: sqliteDialect(new SQLite(file)).dialect });
  });
});
