import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const BUILD_TIMEOUT_MS = 120_000;

/** Where the Playwright global setup (tests/support/playwright.global-setup.ts) names the run's scratch directory. */
export const RENDERER_RUN_DIR_ENV = 'VDX_TEST_RENDERER_RUN_DIR';

/**
 * Builds the web UIs (vite.config.ts) once per test run into the run's scratch directory and
 * returns that directory (a `webRoot` for `buildApp`). Should test files run in parallel workers,
 * the first to create the lock directory builds and the others wait for its `done` marker.
 */
export async function ensureRendererBuild(): Promise<string> {
  const runDir = process.env[RENDERER_RUN_DIR_ENV];
  if (!runDir) throw new Error(`${RENDERER_RUN_DIR_ENV} is not set: run browser tests through Playwright (npm run e2e)`);
  const outDir = path.join(runDir, 'renderer');
  const done = path.join(runDir, 'done');
  const failed = path.join(runDir, 'failed');
  let builder = false;
  try {
    mkdirSync(path.join(runDir, 'lock'));
    builder = true;
  } catch {
    // Another worker is building.
  }
  if (builder) {
    try {
      const { build } = await import('vite');
      await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
      writeFileSync(done, '');
    } catch (err) {
      writeFileSync(failed, String(err));
      throw err;
    }
    return outDir;
  }
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  while (!existsSync(done)) {
    if (existsSync(failed)) throw new Error('The renderer build failed in another test worker');
    if (Date.now() > deadline) throw new Error('Timed out waiting for the renderer build');
    await new Promise((r) => setTimeout(r, 200));
  }
  return outDir;
}
