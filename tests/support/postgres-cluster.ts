import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src-server/http/free-port';

/**
 * A throwaway PostgreSQL cluster on a loopback port (Debian `postgresql`), tuned for tests and
 * benchmarks (no fsync). Used by vitest's global setup and by `npm run bench:booking`.
 * PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user.
 */
export interface PostgresCluster {
  /** Superuser URL of the `postgres` database, e.g. postgres://vdx@127.0.0.1:PORT/postgres. */
  url: string;
  stop(): Promise<void>;
}

const PG_BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = PG_BIN_DIRS.find((d) => existsSync(join(d, 'initdb')));
  if (!bin) throw new Error('PostgreSQL is needed for the storage tests: apt-get install postgresql');
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const : [cmd, args] as const;

  const dir = mkdtempSync(join(tmpdir(), 'vdx-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  const [initCmd, initArgs] = run(join(bin, 'initdb'), ['-D', data, '-U', 'vdx', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  execFileSync(initCmd, initArgs, { stdio: 'ignore' });
  const [pgCmd, pgArgs] = run(join(bin, 'postgres'), [
    '-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir,
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300',
  ]);
  const server: ChildProcess = spawn(pgCmd, pgArgs, { stdio: 'ignore' });
  const url = `postgres://vdx@127.0.0.1:${port}/postgres`;
  await waitForPostgres(url);

  return {
    url,
    async stop() {
      // Stop through pg_ctl (a signal to runuser is not always passed on), then make sure.
      const exited = new Promise((r) => server.once('exit', r));
      const [stopCmd, stopArgs] = run(join(bin, 'pg_ctl'), ['-D', data, 'stop', '-m', 'immediate', '-w', '-t', '10']);
      try {
        execFileSync(stopCmd, stopArgs, { stdio: 'ignore' });
      } catch {
        server.kill('SIGKILL');
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPostgres(url: string): Promise<void> {
  const { default: pg } = await import('pg');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
