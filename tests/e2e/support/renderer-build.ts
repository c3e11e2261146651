import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';

const BUILD_TIMEOUT_MS = 120_000;

/**
 * Builds the web UIs (vite.config.ts) once per test run into the run's scratch directory and
 * returns that directory (a `webRoot` for `buildApp`). Test files run in parallel workers: the
 * first to create the lock directory builds, the others wait for its `done` marker.
 */
export async function ensureRendererBuild(): Promise<string> {
  const runDir = inject('rendererRunDir');
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
