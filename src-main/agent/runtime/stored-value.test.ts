import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { MemorySettingsStore } from '../platform/memory-platform';
import { storedValue } from './stored-value';

describe('stored values', () => {
  it('read back what was stored, and the fallback once cleared', () => {
    const store = new MemorySettingsStore();
    const ids = storedValue(store, 'handledCommands', z.array(z.string()), []);
    expect(ids.get()).toEqual([]);
    ids.set(['c1', 'c2']);
    expect(ids.get()).toEqual(['c1', 'c2']);
    ids.clear();
    expect(store.values.has('handledCommands')).toBe(false);
    expect(ids.get()).toEqual([]);
  });

  it('read a value that no longer fits its schema as the fallback, not as something it is not', () => {
    const store = new MemorySettingsStore();
    store.set('lastEventId', 42);
    expect(storedValue(store, 'lastEventId', z.string(), null).get()).toBeNull();
  });
});
