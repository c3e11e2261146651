/** Electron main entry (bundled to `dist-electron/main.cjs` by `npm run app`). */
import { runElectronApp } from './electron-app';

runElectronApp({ env: process.env, argv: process.argv, bundleDir: __dirname }).catch((err: unknown) => {
  console.error(`VDX Room failed to start: ${(err as Error).message}`);
  process.exit(1);
});
