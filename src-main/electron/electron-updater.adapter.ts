/**
 * {@link UpdateDriver} over electron-updater's `AppUpdater`, fed from our server's generic-provider
 * feed `{server}/updates/{channel}/` (staged percentages are applied by electron-updater itself
 * from `stagingPercentage` in `latest*.yml`). Downloads run in the background as soon as a check
 * finds something; installing is never automatic (`autoInstallOnAppQuit` off) — the agent calls
 * `install()` only when the update policy allows it.
 */
import type { AppUpdater } from 'electron-updater';
import type { UpdateState } from '../../src-shared/ipc/room-bridge.contract';
import type { AgentLogger, UpdateDriver } from '../agent/platform/platform';

export function updateFeedUrl(serverUrl: string, channel: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/updates/${encodeURIComponent(channel)}`;
}

export function createElectronUpdateDriver(updater: AppUpdater, options: { feedUrl: () => string | null; log: AgentLogger }): UpdateDriver {
  const listeners = new Set<(s: UpdateState) => void>();
  const emit = (s: UpdateState) => listeners.forEach((l) => l(s));
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = false;
  updater.allowDowngrade = true; // a pinned older version or a rollback must install
  updater.on('checking-for-update', () => emit({ kind: 'checking' }));
  updater.on('update-not-available', () => emit({ kind: 'idle' }));
  updater.on('download-progress', (p: { percent: number }) => emit({ kind: 'downloading', version: pending ?? '?', percent: Math.max(0, Math.min(100, p.percent)) }));
  updater.on('update-downloaded', (info: { version: string }) => emit({ kind: 'pending_install', version: info.version }));
  updater.on('error', (err: Error) => {
    options.log.warn('updater error', { error: err.message, code: 'update_error' });
    emit({ kind: 'error', message: err.message.slice(0, 500) });
  });
  let pending: string | null = null;
  updater.on('update-available', (info: { version: string }) => {
    pending = info.version;
  });
  return {
    supported: true,
    async check() {
      const feed = options.feedUrl();
      if (!feed) return { available: false, version: null };
      updater.setFeedURL({ provider: 'generic', url: feed });
      const result = await updater.checkForUpdates();
      const version = result?.isUpdateAvailable ? result.updateInfo.version : null;
      return { available: version !== null, version };
    },
    install() {
      updater.quitAndInstall(true, true);
    },
    onState(listener) {
      listeners.add(listener);
    },
  };
}
