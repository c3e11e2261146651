import { systemClock } from '../src-shared/platform/clock';
import { buildApp, type AppDeps } from './app';
import { ConfigError, loadConfig } from './config/config';
import { openStore } from './db/database';
import { freePort } from './http/free-port';

/**
 * `npm run server`: the server alone, configured from the environment.
 * Exported so `npm start` (demo), the browser tests and the benchmarks start the same server
 * in-process; `options` are theirs (a web UI build of their own, no log output). Closing the app
 * closes the store.
 */
export async function startServer(env: Record<string, string | undefined> = process.env, options: Pick<AppDeps, 'webRoot' | 'logger' | 'smsDispatcher'> = {}) {
  let config = loadConfig(env);
  // Port 0 means "any free port", but the public URL (token issuer, join links, the conference node
  // URL devices are given) must name the real one: pick it first when no public URL is set.
  if (config.port === 0 && !env.VDX_PUBLIC_URL) {
    config = loadConfig({ ...env, VDX_PORT: String(await freePort(config.host)) });
  }
  const store = await openStore(config.db);
  const { app, handles } = await buildApp({ config, store, clock: systemClock, ...options });
  app.addHook('onClose', async () => store.close());
  await app.listen({ host: config.host, port: config.port });
  return { app, handles, config, store };
}

async function main() {
  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    running = await startServer();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    running.app.log.info({ signal }, 'shutting down');
    await running.app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  void main();
}
