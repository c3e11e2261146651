import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './database';

/**
 * The WAL of a SQLite file is copied back into the database by a worker thread
 * (sqlite-checkpointer.ts), so it must not grow with what is written: after a burst of writes it
 * starts over, and everything written is still there when the store is opened again.
 */
describe('SQLite checkpoints in the background', () => {
  let dir: string;
  let file: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vdx-checkpoint-'));
    file = join(dir, 'vdx.db');
    store = await openStore(`sqlite:${file}`);
    await sql`create table notes (id integer primary key, body text not null)`.execute(store.db);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const writeMegabytes = async (mb: number, from: number) => {
    for (let i = 0; i < mb * 16; i++) {
      await store.db.transaction().execute(async (trx) => {
        for (let j = 0; j < 16; j++) await sql`insert into notes (id, body) values (${from + i * 16 + j}, ${'x'.repeat(4000)})`.execute(trx);
      });
    }
  };

  it('keeps the WAL small while far more is written than the serving connection would checkpoint at', async () => {
    // 60 MB: beyond the serving connection's own mark (~40 MB), so only the worker keeps it small.
    let largest = 0;
    for (let round = 0; round < 12; round++) {
      await writeMegabytes(5, round * 100_000);
      largest = Math.max(largest, statSync(`${file}-wal`).size);
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(largest).toBeLessThan(30 * 1024 * 1024);
    const { rows } = await sql<{ n: number }>`select count(*) as n from notes`.execute(store.db);
    expect(rows[0]!.n).toBe(12 * 5 * 16 * 16);
  });

  it('leaves everything written in the database when the store closes and opens again', async () => {
    await writeMegabytes(2, 0);
    await store.close();
    store = await openStore(`sqlite:${file}`);
    const { rows } = await sql<{ n: number }>`select count(*) as n from notes`.execute(store.db);
    expect(rows[0]!.n).toBe(2 * 16 * 16);
  });

  it('lets a process with nothing else to do finish closing the store', () => {
    // The worker must not be what keeps the process alive, nor may the process end mid-close.
    const database = fileURLToPath(new URL('./database.ts', import.meta.url));
    const script = `import { openStore } from ${JSON.stringify(database)};
      const store = await openStore(${JSON.stringify(`sqlite:${join(dir, 'other.db')}`)});
      await store.close();
      console.log('closed');`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(out.trim().split('\n').at(-1)).toBe('closed');
  });
});
