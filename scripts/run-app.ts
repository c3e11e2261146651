/**
 * `npm run app -- [--shell=electron|chromium] [--headless] [--desktop] [--no-browser]`
 *
 * Starts the room app against `VDX_SERVER_URL`, with its state in `VDX_APP_DATA_DIR` (default
 * `var/room-app`; a fresh directory is a fresh device). `VDX_ACTIVATION_CODE` enrols zero-touch,
 * `VDX_FAKE_MEDIA=1` gives Chromium a fake camera and microphone; every key is in README "Room app".
 * A bad value stops here, naming the key, before any shell starts.
 *
 * Shell choice: Electron when its binary is installed. npm installs here skip Electron's download
 * (package.json `allowScripts`), so on first use we run Electron's own `install.js` once; when that
 * cannot download (no Internet, as on CI) we fall back to the Chromium shell and say so in one line.
 * `--headless` always means the Chromium shell (Electron needs a display).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { AppConfigError, parseAppConfig } from '../src-main/agent/config/app-config';
import { startChromiumShell } from '../src-main/chromium/chromium-shell';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];

const headless = flag('headless');
const mode = flag('desktop') ? 'desktop' : 'kiosk';
const requested = option('shell');
const config = (() => {
  try {
    return parseAppConfig(process.env);
  } catch (err) {
    if (!(err instanceof AppConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
})();
const appDataDir = resolve(config.appDataDir ?? join('var', 'room-app'));
const appVersion = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
/** Don't retry a failed Electron download on every start; once a day is plenty. */
const INSTALL_MARKER = join('node_modules', '.cache', 'vdx-electron-install-failed');

if (requested && requested !== 'electron' && requested !== 'chromium') {
  console.error(`Unknown --shell=${requested} (electron or chromium)`);
  process.exit(2);
}

/** The Electron binary's path, or null when it is not installed. */
function electronBinary(): string | null {
  try {
    const path = require('electron') as unknown as string;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function tryInstallElectron(): string | null {
  const recent = existsSync(INSTALL_MARKER) && Date.now() - statSync(INSTALL_MARKER).mtimeMs < 86_400_000;
  if (recent) return null;
  const installer = require.resolve('electron/install.js');
  const result = spawnSync(process.execPath, [installer], { stdio: 'ignore', timeout: 180_000, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' } });
  const binary = electronBinary();
  if (!binary || result.status !== 0) {
    mkdirSync(join('node_modules', '.cache'), { recursive: true });
    writeFileSync(INSTALL_MARKER, new Date().toISOString());
    return null;
  }
  return binary;
}

/** Bundles the Electron main and preload (sandboxed preloads must be one CommonJS file). */
function buildElectron(): string {
  const out = 'dist-electron';
  const common = ['--bundle', '--platform=node', '--format=cjs', '--target=node20', '--external:electron', '--external:keytar', '--log-level=warning'];
  for (const [entry, file] of [
    ['src-main/electron/main.ts', 'main.cjs'],
    ['src-main/electron/preload.ts', 'preload.cjs'],
  ] as const) {
    const r = spawnSync(join('node_modules', '.bin', 'esbuild'), [entry, ...common, `--outfile=${join(out, file)}`], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`esbuild failed for ${entry}`);
  }
  return join(out, 'main.cjs');
}

async function runChromium(why: string | null): Promise<void> {
  if (why) console.log(why);
  const shell = await startChromiumShell({
    appDataDir,
    env: process.env,
    headless,
    mode,
    appVersion,
    noBrowser: flag('no-browser'),
  });
  const stop = () => {
    void shell.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function main(): Promise<void> {
  mkdirSync(appDataDir, { recursive: true });
  if (requested === 'chromium' || headless) return runChromium(null);
  let binary = electronBinary();
  if (!binary) binary = tryInstallElectron();
  if (!binary) {
    if (requested === 'electron') {
      console.error('The Electron binary is not installed and could not be downloaded (node_modules/electron/install.js).');
      process.exit(1);
    }
    return runChromium('Electron is not installed and its download is not possible here; using the Chromium shell (/usr/bin/chromium) instead.');
  }
  const main = buildElectron();
  const child = spawn(binary, [main, ...(mode === 'desktop' ? ['--desktop'] : [])], {
    stdio: 'inherit',
    env: { ...process.env, VDX_APP_DATA_DIR: appDataDir, VDX_APP_VERSION: appVersion },
  });
  child.on('exit', (code) => process.exit(code ?? 0));
  process.once('SIGINT', () => child.kill('SIGINT'));
  process.once('SIGTERM', () => child.kill('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`Room app failed to start: ${(err as Error).message}`);
  process.exit(1);
});
