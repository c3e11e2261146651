import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { startServer } from '../../../src-server/main';

export const E2E_ADMIN = { clientId: 'e2e-admin', clientSecret: 'e2e-admin-secret-0123456789' };

export interface E2eServer {
  app: FastifyInstance;
  baseUrl: string;
  /** A management-admin access token of the bootstrap client. */
  adminToken(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real server (`startServer`, as `npm run server` starts it) on a fresh SQLite file, on a
 * loopback port picked before the app is built, so its public URL (token issuer, join links, the
 * conference node URL devices are given) names the port it really listens on. Serves the given
 * web UI build. Real clock: browsers and WebRTC run in real time. `env` adds or overrides
 * configuration (e.g. `VDX_PORT` when another process must know the URL beforehand).
 */
export async function startE2eServer(webRoot: string, env: Record<string, string> = {}): Promise<E2eServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vdx-e2e-'));
  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    running = await startServer(
      {
        VDX_HOST: '127.0.0.1',
        VDX_PORT: '0',
        VDX_DB: `sqlite:${path.join(dataDir, 'vdx.db')}`,
        VDX_ADMIN_CLIENT_ID: E2E_ADMIN.clientId,
        VDX_ADMIN_CLIENT_SECRET: E2E_ADMIN.clientSecret,
        VDX_LOG_LEVEL: 'silent',
        ...env,
      },
      { webRoot, logger: false },
    );
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const { app, config } = running;
  const baseUrl = config.publicUrl;
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
      // Closing the app closes its store (startServer's onClose hook).
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
