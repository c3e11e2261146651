import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A real OS keychain for tests: a private D-Bus session bus with GNOME Keyring's Secret Service
 * on it, its login keyring created and unlocked with a throwaway password (Debian packages
 * dbus-daemon and gnome-keyring). Processes given {@link SecretService.env} store secrets
 * through libsecret exactly as on a kiosk's desktop session.
 */
export interface SecretService {
  /** `DBUS_SESSION_BUS_ADDRESS` for the processes that use it. */
  env: Record<string, string>;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;

export async function startSecretService(dir: string): Promise<SecretService> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const home = { HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_RUNTIME_DIR: dir };
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...home } });
  // The keyring daemon leaves when its bus does: stopping the bus stops both.
  const close = async () => {
    if (bus.exitCode !== null || bus.signalCode !== null) return;
    const exited = new Promise((resolve) => bus.once('exit', resolve));
    bus.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
  };
  try {
    const address = await waitForChild(bus, 'line', 'dbus-daemon printing its address');
    const env = { DBUS_SESSION_BUS_ADDRESS: address };
    // --unlock reads the login keyring's password on stdin; the first unlock creates the keyring.
    // The daemon forks (the parent exits 0 once the keyring is unlocked) and lives until our bus
    // goes away.
    const keyring = spawn('gnome-keyring-daemon', ['--unlock', '--components=secrets'], { stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, ...home, ...env } });
    keyring.stdin.end('vdx-test-keyring');
    await waitForChild(keyring, 'exit', 'gnome-keyring-daemon unlocking the login keyring');
    return { env, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Waits for a child's first stdout line (`until: 'line'`) or its successful exit (`'exit'`);
 * fails on a spawn error, an unexpected or failed exit, or after {@link START_TIMEOUT_MS}.
 */
function waitForChild(child: ChildProcess, until: 'line' | 'exit', what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), START_TIMEOUT_MS);
    const settle = (error: Error | null, value = '') => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(value);
    };
    child.once('error', (err) => settle(new Error(`${what}: ${err.message}`)));
    child.once('exit', (code) => settle(until === 'exit' && code === 0 ? null : new Error(`${what}: exited with ${code}`)));
    if (until === 'line') createInterface({ input: child.stdout! }).once('line', (line) => settle(null, line.trim()));
  });
}
