import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Sizes of the web UI build for the benchmarks: a fresh `vite build` (vite.config.ts) and what
 * each entry page makes the browser download before it runs (its HTML and every JS/CSS file the
 * HTML references — Vite lists static dependencies as modulepreload links; lazy chunks, loaded by
 * `import()`, are not counted).
 */
export interface Size {
  raw: number;
  gzip: number;
}

/** Builds every web UI into `outDir`; returns the build time in ms. */
export async function buildRenderer(outDir: string): Promise<number> {
  const { build } = await import('vite');
  const t0 = performance.now();
  await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return performance.now() - t0;
}

export function sizeOf(files: string[]): Size {
  let raw = 0;
  let gzip = 0;
  for (const f of new Set(files)) {
    const buf = readFileSync(f);
    raw += buf.length;
    gzip += gzipSync(buf).length;
  }
  return { raw, gzip };
}

export function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

/** An entry's HTML plus the JS/CSS it pulls in, following static imports between chunks. */
export function entryFiles(outDir: string, entry: string): string[] {
  const html = path.join(outDir, entry, 'index.html');
  const seen = new Set<string>([html]);
  const queue = [html];
  while (queue.length > 0) {
    const file = queue.pop()!;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/["'(]([^"'()\s]*?\/?assets\/[^"'()\s]+?\.(?:js|css))["')]/g)) {
      const ref = m[1]!;
      const abs = ref.startsWith('/') ? path.join(outDir, ref) : path.resolve(path.dirname(file), ref);
      if (!seen.has(abs) && statSync(abs, { throwIfNoEntry: false })) {
        seen.add(abs);
        queue.push(abs);
      }
    }
  }
  return [...seen];
}

export const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
