import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Two groups run one after the other:
 *  1. `unit`: unit and route tests beside the code (in-process, parallel);
 *  2. `browser`: cross-process tests with real Chromium and WebRTC media, one file at a time —
 *     on a 2-core machine, parallel media pipelines starve each other and measure nothing real.
 */
const BROWSER_TESTS = ['tests/**/*.test.ts'];

/** Packages that declare only `module` (no `main`/`exports`), which Node-side resolution skips. */
const moduleOnly = (name: string) => ({
  find: new RegExp(`^${name}$`),
  replacement: fileURLToPath(new URL(`./node_modules/${name}/dist/index.js`, import.meta.url)),
});

export default defineConfig({
  // Renderer unit tests import the Pexip SDK (src-renderer/call).
  resolve: { alias: [moduleOnly('@pexip/infinity'), moduleOnly('@pexip/peer-connection')] },
  test: {
    globalSetup: ['tests/support/postgres.global-setup.ts', 'tests/e2e/support/renderer-build.global-setup.ts'],
    // ... and its files import each other without extensions: let Vite transform them.
    server: { deps: { inline: [/@pexip\//] } },
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src-*/**/*.test.{ts,tsx}'],
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: BROWSER_TESTS,
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
