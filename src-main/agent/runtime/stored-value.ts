/**
 * One schema'd key of the settings store. A value that no longer matches its schema (an older
 * version wrote it, someone edited the file) reads as the fallback instead of reaching the agent
 * as something it is not.
 */
import type { z } from 'zod';
import type { SettingsStore } from '../platform/platform';

export interface StoredValue<T> {
  get(): T;
  set(value: T): void;
  clear(): void;
}

export function storedValue<S extends z.ZodType, F>(store: SettingsStore, key: string, schema: S, fallback: F): StoredValue<z.output<S> | F> {
  return {
    get: () => {
      const parsed = schema.safeParse(store.get(key));
      return parsed.success ? parsed.data : fallback;
    },
    set: (value) => store.set(key, value),
    clear: () => store.delete(key),
  };
}
