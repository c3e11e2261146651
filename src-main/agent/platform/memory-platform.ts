/**
 * In-memory platform services: the test doubles, and the Chromium shell's stand-ins where nothing
 * durable is wanted.
 */
import type { SecretStore, SettingsStore } from './platform';

export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory';
  readonly values = new Map<string, string>();
  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }
  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}

export class MemorySettingsStore implements SettingsStore {
  readonly values = new Map<string, unknown>();
  get(key: string): unknown {
    const v = this.values.get(key);
    // Round-trip through JSON like a file-backed store would, so tests catch non-serialisable state.
    return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
  }
  set(key: string, value: unknown): void {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
  }
  delete(key: string): void {
    this.values.delete(key);
  }
}
