import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeHttpExecutor } from 'builder-util/out/nodeHttpExecutor';
import { configureRequestOptions, configureRequestUrl, type DownloadOptions } from 'builder-util-runtime';
import { DebUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Release } from '../../src-shared/updates/releases.contract';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { adminAuth } from './test-tokens';

/**
 * electron-updater's own Linux updater, run under Node against our feed on 127.0.0.1: the
 * strongest evidence that the feed is what the Electron shell will read in production.
 * Only the Electron app object is faked (a plain AppAdapter); HTTP, YAML parsing, staging and
 * checksum verification are the library's.
 */

/**
 * builder-util's Node executor lacks the `download` the updaters call (Electron's executor has it);
 * this adds it on top of the base class's own `doDownload`, which streams to disk and verifies
 * the sha512 — the check under test.
 */
class NodeDownloadExecutor extends NodeHttpExecutor {
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      const self = this as unknown as { doDownload(o: unknown, d: unknown, n: number): void };
      self.doDownload(
        requestOptions,
        { destination, options, onCancel, responseHandler: null, callback: (e: Error | null) => (e ? reject(e) : resolve(destination)) },
        0,
      );
    });
  }
}

/** A staging user id whose rollout position (last 4 bytes / 2^32) is ~0 or ~1. */
const EARLY_DEVICE = '6f1c2a3b-1d2e-4f00-8a00-000000000001';
const LATE_DEVICE = '6f1c2a3b-1d2e-4f00-8a00-0000fffffff0';

describe.each(DB_KINDS)('electron-updater DebUpdater against our feed on %s', (kind) => {
  let dir: string;
  let base: string;
  let auth: { authorization: string };
  const artifact = Buffer.from('deb-package-bytes-'.repeat(500));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vdx-updater-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const t = useTestApp(kind, () => ({ env: { VDX_ARTIFACTS_DIR: join(dir, 'artifacts') } }));
  beforeAll(async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    auth = await adminAuth(t);
    const release = Release.parse(
      (await t.app.inject({ method: 'POST', url: '/management/v1/releases', headers: auth, payload: { version: '1.1.0', channel: 'stable', stagingPercentage: 50 } })).json(),
    );
    const up = await t.app.inject({
      method: 'PUT',
      url: `/management/v1/releases/${release.id}/artifacts/VDX-Room-1.1.0.deb`,
      headers: { ...auth, 'content-type': 'application/vnd.debian.binary-package' },
      payload: artifact,
    });
    expect(up.statusCode).toBe(201);
  });

  function updaterFor(name: string, stagingId: string, channel = 'stable') {
    const home = join(dir, name);
    mkdirSync(join(home, 'userData'), { recursive: true });
    writeFileSync(join(home, 'userData', '.updaterId'), stagingId);
    const configPath = join(home, 'app-update.yml');
    writeFileSync(configPath, `provider: generic\nurl: ${base}/updates/${channel}\nupdaterCacheDirName: vdx-room-updater\n`);
    const app: AppAdapter = {
      version: '1.0.0',
      name: 'VDX Room',
      isPackaged: true,
      appUpdateConfigPath: configPath,
      userDataPath: join(home, 'userData'),
      baseCachePath: join(home, 'cache'),
      whenReady: async () => undefined,
      relaunch: () => undefined,
      quit: () => undefined,
      onQuit: () => undefined,
    };
    // No options: the provider is built from app-update.yml at the first check, i.e. after the
    // Node HTTP executor below is in place (an Electron app would use Electron's `net`).
    const updater = new DebUpdater(undefined, app);
    (updater as unknown as { httpExecutor: NodeHttpExecutor }).httpExecutor = new NodeDownloadExecutor();
    updater.logger = null;
    updater.autoDownload = false;
    updater.autoInstallOnAppQuit = false;
    return updater;
  }

  it('finds the update and downloads the artifact, verified by sha512, when inside the staged share', async () => {
    const updater = updaterFor('early', EARLY_DEVICE);
    const result = await updater.checkForUpdates();
    expect(result?.isUpdateAvailable).toBe(true);
    expect(result?.updateInfo.version).toBe('1.1.0');
    const [file] = await updater.downloadUpdate();
    expect(readFileSync(file!).equals(artifact)).toBe(true);
  });

  it('does not offer the update to a device outside the staged share until the share grows', async () => {
    const updater = updaterFor('late', LATE_DEVICE);
    const before = await updater.checkForUpdates();
    expect(before?.isUpdateAvailable).toBe(false);
    const id = (await t.app.inject({ method: 'GET', url: '/management/v1/releases', headers: auth })).json().releases[0].id as string;
    await t.app.inject({ method: 'PATCH', url: `/management/v1/releases/${id}`, headers: auth, payload: { stagingPercentage: 100 } });
    const after = await updaterFor('late-2', LATE_DEVICE).checkForUpdates();
    expect(after?.isUpdateAvailable).toBe(true);
  });

  it('rejects a download whose bytes do not match the published sha512', async () => {
    const wrong = createHash('sha512').update('something else').digest('base64');
    const res = await t.app.inject({
      method: 'POST',
      url: '/management/v1/releases',
      headers: auth,
      payload: { version: '1.2.0', channel: 'stable', files: [{ url: `${base}/updates/stable/VDX-Room-1.1.0.deb`, sha512: wrong, size: artifact.length }] },
    });
    expect(res.statusCode).toBe(201);
    const updater = updaterFor('tampered', EARLY_DEVICE);
    const result = await updater.checkForUpdates();
    expect(result?.updateInfo.version).toBe('1.2.0');
    await expect(updater.downloadUpdate()).rejects.toMatchObject({ code: 'ERR_CHECKSUM_MISMATCH' });
  });
});
