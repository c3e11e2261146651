import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { systemClock } from '../../../src-shared/platform/clock';
import { buildApp } from '../../../src-server/app';
import { loadConfig } from '../../../src-server/config/config';
import { openStore } from '../../../src-server/db/database';

export const E2E_ADMIN = { clientId: 'e2e-admin', clientSecret: 'e2e-admin-secret-0123456789' };

export interface E2eServer {
  app: FastifyInstance;
  baseUrl: string;
  /** A management-admin access token of the bootstrap client. */
  adminToken(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real server on a fresh SQLite file, listening on a free loopback port, serving the given
 * web UI build. Real clock: browsers and WebRTC run in real time.
 */
export async function startE2eServer(webRoot: string): Promise<E2eServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vdx-e2e-'));
  const config = loadConfig({
    VDX_HOST: '127.0.0.1',
    VDX_PORT: '0',
    VDX_DB: `sqlite:${path.join(dataDir, 'vdx.db')}`,
    VDX_ADMIN_CLIENT_ID: E2E_ADMIN.clientId,
    VDX_ADMIN_CLIENT_SECRET: E2E_ADMIN.clientSecret,
    VDX_LOG_LEVEL: 'silent',
  });
  const store = await openStore(config.db);
  const app = await buildApp({ config, store, clock: systemClock, logger: false, webRoot });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not bind a TCP port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  let token: string | undefined;
  return {
    app,
    baseUrl,
    async adminToken() {
      if (token) return token;
      const res = await fetch(`${baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: E2E_ADMIN.clientId, client_secret: E2E_ADMIN.clientSecret }),
      });
      if (!res.ok) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
      token = ((await res.json()) as { access_token: string }).access_token;
      return token;
    },
    async close() {
      await app.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
