import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * Gives each vitest run a scratch directory for the web UI build. Nothing is built here (most runs
 * need no UI): browser tests call `ensureRendererBuild()`, and the first one builds once for the run.
 */
export default function setup(project: TestProject) {
  const dir = path.resolve('tests/.tmp', `renderer-run-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  project.provide('rendererRunDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    rendererRunDir: string;
  }
}
