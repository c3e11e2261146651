import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS } from './tests/support/chromium-flags';

/**
 * The cross-process tests in `tests/` (real Chromium, real WebRTC, the product's own processes).
 * Unit and route tests stay on vitest (vitest.config.ts).
 *
 * One worker: on a 2-core machine parallel media pipelines starve each other and measure nothing
 * real. No retries: a flake must show. A failing test keeps a trace and a screenshot of every open
 * page — also of the browsers the helpers launch themselves, since they launch through
 * `@playwright/test`'s `chromium` (the runner records every context of that instance) — and the
 * list reporter prints their paths (`npx playwright show-trace <path>`).
 */
export default defineConfig({
  testDir: 'tests',
  testMatch: '**/*.test.ts',
  outputDir: 'tests/.tmp/test-results',
  globalSetup: './tests/support/playwright.global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list', { printSteps: false }]],
  use: {
    // The trace keeps actions, console, network and DOM snapshots; no screencast filmstrip: it
    // encodes every frame of every page showing video, which starves media on 2 cores. The
    // failure screenshots below show each page as the test failed.
    trace: { mode: 'retain-on-failure', screenshots: false, snapshots: true, sources: true },
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS },
  },
});
