/** The settings store on disk: `conf` (the library under electron-store, with no Electron import). */
import Conf from 'conf';
import type { SettingsStore } from './platform';

export function openSettingsStore(appDataDir: string): SettingsStore {
  const conf = new Conf<Record<string, unknown>>({ cwd: appDataDir, configName: 'settings', projectName: 'vdxroom' });
  return {
    get: (key) => conf.get(key),
    set: (key, value) => conf.set(key, value),
    delete: (key) => conf.delete(key),
  };
}
