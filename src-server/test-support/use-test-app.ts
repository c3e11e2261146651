import { afterAll, beforeAll } from 'vitest';
import type { ManualClock } from '../../src-shared/platform/clock';
import type { DbKind } from '../db/database';
import { createTestApp, type TestApp, type TestAppDeps } from './test-app';

// vitest hooks, so this lives apart from test-app.ts, which browser tests under Playwright load too.

export interface TestAppOptions {
  /** `VDX_*` settings over the test defaults. */
  env?: Record<string, string>;
  /** The app's clock (default: a ManualClock at 2026-03-02T08:00:00Z). */
  clock?: ManualClock;
  /** App options and test-only routes (`createTestApp`'s `deps`). */
  deps?: TestAppDeps;
}

/**
 * The real app on a fresh `kind` database for the enclosing `describe`, replacing the
 * `let t; beforeAll(create); afterAll(close)` preamble: built in a `beforeAll`, closed in an
 * `afterAll`. The answer stands for the app that hook built, so read it inside tests and hooks.
 * Hooks registered after this call run after the app is built, and (their `afterAll`) before it
 * closes; `options` may be a function, called in that `beforeAll`, for values an earlier hook makes.
 *
 * ```ts
 * describe.each(DB_KINDS)('rooms on %s', (kind) => {
 *   const t = useTestApp(kind);
 *   let admin: Headers;
 *   beforeAll(async () => (admin = await adminHeaders(t)));
 * ```
 */
export function useTestApp(kind: DbKind, options: TestAppOptions | (() => TestAppOptions) = {}): TestApp {
  return useForSuite(() => {
    const { env, clock, deps } = typeof options === 'function' ? options() : options;
    return createTestApp(kind, env, clock, deps);
  });
}

/**
 * What `create` builds, for the enclosing `describe`: built in a `beforeAll`, closed in an
 * `afterAll` (for test apps of other shapes, e.g. the conference node's with its fake media).
 */
export function useForSuite<T extends { close(): Promise<void> }>(create: () => Promise<T>): T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await create();
  });
  afterAll(async () => {
    await current?.close();
    current = undefined;
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (!current) throw new Error(`The test app is built in beforeAll: read .${String(key)} inside a test or a hook`);
      return Reflect.get(current, key);
    },
  });
}
