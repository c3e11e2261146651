import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the WAL of a SQLite file back into the database in a worker thread.
 *
 * In WAL mode a commit appends pages to the WAL, and every so many pages SQLite copies them into
 * the database file and syncs it (a checkpoint) — by default inside the COMMIT that crossed the
 * mark, on the event loop. A booking writes several pages, so every few dozen bookings one request
 * paid for a checkpoint: COMMIT took about 1 ms on average and up to 33 ms (bench:booking). Here a
 * second connection, in a worker thread, runs a PASSIVE checkpoint every `intervalMs`; PASSIVE
 * never waits for nor blocks the writer, so requests no longer copy pages or wait for the disk.
 * SQLite starts the WAL over at the next write once everything in it has been copied, so it stays
 * as small as what is written in one interval. The serving connection keeps a high automatic
 * checkpoint mark as a safety net should the worker fall behind or die (`SAFETY_NET_PAGES`).
 *
 * The worker is a plain script (no TypeScript): it runs under tsx, vitest and compiled code alike.
 */
export function startCheckpointer(path: string, intervalMs = 200): { stop(): Promise<void> } {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, intervalMs, sqliteModule: createRequire(import.meta.url).resolve('better-sqlite3') },
  });
  worker.unref();
  // A checkpoint that failed (disk full, I/O error) is retried on the next tick; the automatic
  // checkpoint of the serving connection remains behind it. Nothing to do here but not crash.
  worker.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stop: async () => {
      // Held until it has exited: else a process with nothing else to do ends before its close does.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}

/** The serving connection checkpoints by itself only beyond this many WAL pages (~40 MB). */
export const SAFETY_NET_PAGES = 10_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.sqliteModule);
const db = new SQLite(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const checkpoint = db.prepare('pragma wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try { checkpoint.get(); } catch { /* retried on the next tick */ }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;
