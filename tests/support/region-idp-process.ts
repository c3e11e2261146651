import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A person at the region's IdP: what they type there, and the claims its ID token then carries. */
export interface RegionAccount {
  username: string;
  password: string;
  claims: Record<string, unknown>;
}

export interface RegionIdp {
  /** `http://127.0.0.1:<port>`: its issuer, discovered from there. */
  issuer: string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const START_TIMEOUT_MS = 30_000;

/**
 * Starts `tests/support/region-idp.ts` as its own Node process (through tsx) on a free loopback
 * port, with one confidential client and the given accounts; resolves once it listens.
 */
export function startRegionIdp(options: { client: { id: string; secret: string; redirectUris: string[] }; accounts: RegionAccount[] }): Promise<RegionIdp> {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'tests/support/region-idp.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      REGION_IDP_CLIENTS: JSON.stringify([
        { client_id: options.client.id, client_secret: options.client.secret, redirect_uris: options.client.redirectUris, token_endpoint_auth_method: 'client_secret_basic' },
      ]),
      REGION_IDP_ACCOUNTS: JSON.stringify(options.accounts),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise<RegionIdp>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`region IdP did not start within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const issuer = /region-idp listening (\S+)/.exec(output)?.[1];
      if (!issuer) return;
      clearTimeout(timer);
      resolve({
        issuer,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
            if (!stopped) child.kill('SIGKILL');
          }
          await exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => void (output += String(chunk)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`region IdP exited (${code}) before listening:\n${output}`));
    });
  });
}
