/**
 * The device credential's home: the OS keychain through keytar (libsecret's Secret Service on
 * Linux, Keychain on macOS, Credential Manager on Windows).
 *
 * Fallback: when no Secret Service answers (a headless thin client without a keyring daemon, CI),
 * a file readable only by the user (`0600`) in the app data directory — and the log says so, because
 * IT should know this device keeps its credential outside a keychain.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AgentLogger, SecretStore } from './platform';

export const KEYCHAIN_SERVICE = 'dk.medcom.vdxroom';

type Keytar = {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
};

class KeytarSecretStore implements SecretStore {
  readonly kind = 'keychain';
  constructor(
    private readonly keytar: Keytar,
    private readonly service: string,
  ) {}
  get(key: string) {
    return this.keytar.getPassword(this.service, key);
  }
  set(key: string, value: string) {
    return this.keytar.setPassword(this.service, key, value);
  }
  async delete(key: string) {
    await this.keytar.deletePassword(this.service, key);
  }
}

/** `{dir}/credentials.json`, mode 0600, written atomically. */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file fallback';
  readonly file: string;
  constructor(dir: string) {
    this.file = join(dir, 'credentials.json');
  }
  #read(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }
  #write(values: Record<string, string>): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(values), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }
  async get(key: string) {
    return this.#read()[key] ?? null;
  }
  async set(key: string, value: string) {
    this.#write({ ...this.#read(), [key]: value });
  }
  async delete(key: string) {
    const values = this.#read();
    delete values[key];
    this.#write(values);
  }
}

/**
 * keytar if a Secret Service works here (probed with a harmless read), else the file fallback.
 * `VDX_SECRET_STORE=file` forces the fallback (tests, kiosks imaged without a keyring).
 */
export async function openSecretStore(options: { appDataDir: string; log: AgentLogger; force?: 'file' | 'keychain' | undefined; service?: string }): Promise<SecretStore> {
  const service = options.service ?? KEYCHAIN_SERVICE;
  if (options.force !== 'file') {
    try {
      const mod = (await import('keytar')) as unknown as Keytar & { default?: Keytar };
      const keytar = mod.default ?? mod;
      await Promise.race([
        keytar.getPassword(service, 'probe'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('no answer from the Secret Service within 3 s')), 3000).unref()),
      ]);
      return new KeytarSecretStore(keytar, service);
    } catch (err) {
      if (options.force === 'keychain') throw err;
      options.log.warn('no OS keychain (Secret Service) available; keeping the device credential in a 0600 file instead', {
        reason: (err as Error).message,
        code: 'secret_store_fallback',
      });
    }
  }
  return new FileSecretStore(options.appDataDir);
}
