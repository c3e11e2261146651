/**
 * Starts Debian's system Chromium (`/usr/bin/chromium`, or the `executable` option) on the room UI.
 * The profile is wiped before each launch — so a stale cache never shows a blank page after a
 * server upgrade, and nothing of a previous session survives on a shared kiosk — except the room
 * UI's service worker and its cache (see src-renderer/room/offline), which let the kiosk start
 * while the server is unreachable and never serve a stale page while it answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, sep } from 'node:path';

export interface ChromiumLaunchOptions {
  url: string;
  appDataDir: string;
  /** `kiosk`: full-screen, no UI chrome; `app`: a window without tabs/address bar. */
  display: 'kiosk' | 'app';
  headless: boolean;
  /** Chromium's fake camera/microphone (and auto-accepted media prompts). */
  fakeMedia: boolean;
  /** Expose DevTools on this port (end-to-end tests attach over CDP). */
  remoteDebuggingPort?: number | null;
  executable?: string;
  /** Origins whose media prompts are auto-granted (the room UI, the conference node). */
  extraArgs?: string[];
}

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** The command line (separate so tests can check it without starting a browser). */
export function chromiumArgs(options: ChromiumLaunchOptions, profileDir: string): string[] {
  const args = [
    `--user-data-dir=${profileDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-features=Translate,MediaRouter',
    '--autoplay-policy=no-user-gesture-required',
    '--password-store=basic',
  ];
  // Chromium refuses to run as root without it (CI containers); a normal kiosk user keeps the sandbox.
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
  if (options.headless) args.push('--headless=new', '--disable-gpu');
  if (options.fakeMedia) {
    args.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--auto-select-desktop-capture-source=Entire');
  }
  if (options.remoteDebuggingPort != null) args.push(`--remote-debugging-port=${options.remoteDebuggingPort}`, '--remote-debugging-address=127.0.0.1');
  args.push(...(options.extraArgs ?? []));
  args.push(options.display === 'kiosk' ? '--kiosk' : '', options.display === 'kiosk' ? options.url : `--app=${options.url}`);
  return args.filter(Boolean);
}

/** What survives a launch in the profile: service worker registrations and their caches. */
export const KEPT_PROFILE_PATHS = [join('Default', 'Service Worker')];

/** Empties the profile directory except {@link KEPT_PROFILE_PATHS}. */
export function resetProfile(profileDir: string): void {
  const clear = (dir: string, rel: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const path = join(rel, name.name);
      if (KEPT_PROFILE_PATHS.includes(path)) continue;
      if (name.isDirectory() && KEPT_PROFILE_PATHS.some((kept) => kept.startsWith(path + sep))) clear(join(dir, name.name), path);
      else rmSync(join(dir, name.name), { recursive: true, force: true });
    }
  };
  mkdirSync(profileDir, { recursive: true });
  clear(profileDir, '');
}

export function launchChromium(options: ChromiumLaunchOptions, onOutput?: (line: string) => void): ChildProcess {
  const profileDir = join(options.appDataDir, 'chromium-profile');
  resetProfile(profileDir);
  const child = spawn(options.executable ?? DEFAULT_CHROMIUM, chromiumArgs(options, profileDir), {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Chromium writes caches under HOME; keep them in the throwaway profile too.
    env: { ...process.env, HOME: profileDir },
  });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) onOutput?.(line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  return child;
}
