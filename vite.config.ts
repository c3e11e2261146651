import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const renderer = fileURLToPath(new URL('./src-renderer/', import.meta.url));

/**
 * One multi-page build for every web UI. Output goes to `dist/renderer/` (git-ignored), which
 * `src-server/web/web.routes.ts` serves: `room/index.html` at `/room/`, `join/index.html` at
 * `/join/...`, `portal/index.html` at `/`, `manage/` and `booking/` at theirs.
 *
 * `base: './'` keeps asset URLs relative, so the same build works when served from the server
 * (`/room/` → `../assets/…` = `/assets/…`) and when a shell loads `room/index.html` from disk.
 */
export default defineConfig({
  root: renderer,
  base: './',
  plugins: [react()],
  // The renderer must not read the build machine's environment.
  envPrefix: 'VDX_RENDERER_',
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    // The Pexip SDK (with its JSON-schema validators) alone is ~700 kB; one page, loaded once.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      input: {
        room: `${renderer}room/index.html`,
        join: `${renderer}join/index.html`,
        portal: `${renderer}portal/index.html`,
        manage: `${renderer}manage/index.html`,
        booking: `${renderer}booking/index.html`,
        'room-sw': `${renderer}room/offline/room.sw.ts`,
      },
      // A service worker's scope is its own folder: the room's must live at /room/sw.js, unhashed.
      output: { entryFileNames: (chunk) => (chunk.name === 'room-sw' ? 'room/sw.js' : 'assets/[name]-[hash].js') },
    },
  },
});
