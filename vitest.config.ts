import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Unit and route tests beside the code (in-process, parallel). The cross-process tests in `tests/`
 * (real Chromium, WebRTC, the product's processes) run on Playwright: playwright.config.ts.
 */

/** Packages that declare only `module` (no `main`/`exports`), which Node-side resolution skips. */
const moduleOnly = (name: string) => ({
  find: new RegExp(`^${name}$`),
  replacement: fileURLToPath(new URL(`./node_modules/${name}/dist/index.js`, import.meta.url)),
});

export default defineConfig({
  // Renderer unit tests import the Pexip SDK (src-renderer/call).
  resolve: { alias: [moduleOnly('@pexip/infinity'), moduleOnly('@pexip/peer-connection')] },
  test: {
    globalSetup: ['tests/support/postgres.global-setup.ts'],
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
        },
      },
    ],
  },
});
