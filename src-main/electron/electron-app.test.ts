import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeDeviceServer, VALID_CODE } from '../agent/test-support/fake-device-server';
import { eventually } from '../agent/test-support/test-agent';
import { runElectronApp, type ElectronAppHandle } from './electron-app';
import { FakeBrowserWindow, type ElectronDouble } from './test-support/electron-double';

const doubles = vi.hoisted(() => ({ electron: null as unknown as ElectronDouble, updater: null as unknown as EventEmitter & { feeds: unknown[]; installs: number; autoInstallOnAppQuit?: boolean } }));

vi.mock('electron', async () => {
  const { createElectronDouble: create } = await import('./test-support/electron-double');
  doubles.electron = create();
  return { default: doubles.electron, ...doubles.electron };
});
vi.mock('electron-updater', async () => {
  const { EventEmitter: E } = await import('node:events');
  const updater = Object.assign(new E(), {
    feeds: [] as unknown[],
    installs: 0,
    setFeedURL(feed: unknown) {
      this.feeds.push(feed);
    },
    async checkForUpdates() {
      return { isUpdateAvailable: false, updateInfo: { version: '0.1.0' } };
    },
    quitAndInstall() {
      this.installs++;
    },
  });
  doubles.updater = updater as never;
  return { default: { autoUpdater: updater }, autoUpdater: updater };
});

let server: FakeDeviceServer;
let running: ElectronAppHandle | null = null;
let dir: string;

beforeEach(async () => {
  server = await new FakeDeviceServer().start();
  dir = mkdtempSync(join(tmpdir(), 'vdx-electron-'));
  FakeBrowserWindow.instances.length = 0;
  if (doubles.electron) doubles.electron.app.loginItem = null;
});
afterEach(async () => {
  await running?.stop();
  running = null;
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  for (const channel of [...doubles.electron.ipcMain.handlers.keys()]) doubles.electron.ipcMain.removeHandler(channel);
  doubles.electron.app.removeAllListeners();
});

async function start(mode: 'kiosk' | 'desktop' = 'kiosk', env: Record<string, string> = {}) {
  running = await runElectronApp({
    env: { VDX_SERVER_URL: server.url, VDX_APP_DATA_DIR: dir, VDX_SECRET_STORE: 'file', VDX_ADMIN_EXIT_PIN: '2468', ...env },
    argv: mode === 'desktop' ? ['electron', 'main.cjs', '--desktop'] : ['electron', 'main.cjs'],
    bundleDir: '/app/dist-electron',
  });
  const win = FakeBrowserWindow.instances.at(-1)!;
  const fromRoom = { sender: win.webContents, senderFrame: { url: `${server.url}/room/`, parent: null } };
  return { e: doubles.electron, win, fromRoom };
}

describe('Electron shell', () => {
  it('opens one sandboxed, context-isolated kiosk window on the room UI with no menu', async () => {
    const { e, win } = await start();
    expect(win.options).toMatchObject({
      kiosk: true,
      fullscreen: true,
      frame: false,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, preload: '/app/dist-electron/preload.cjs' },
    });
    expect(win.loaded).toBe(`${server.url}/room/`);
    expect(e.menu.current).toBeNull();
    expect(e.app.loginItem).toEqual({ openAtLogin: true });
    expect(e.app.protocols).toContain('vdxroom');
  });

  it('opens a normal window in desktop mode and does not auto-start', async () => {
    const { e, win } = await start('desktop');
    expect(win.options).toMatchObject({ kiosk: false, fullscreen: false, frame: true, webPreferences: { sandbox: true, contextIsolation: true } });
    expect(e.app.loginItem).toBeNull();
  });

  it('serves the bridge over IPC only to the room page, validating every request', async () => {
    const { e, win, fromRoom } = await start();
    expect(await e.ipcMain.invoke('app:state', fromRoom, {})).toMatchObject({ ok: true, response: { shell: 'electron', mode: 'kiosk', agent: { kind: 'unprovisioned' } } });
    expect(await e.ipcMain.invoke('call:join', fromRoom, { meetingId: 7 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const foreign = { sender: win.webContents, senderFrame: { url: 'https://evil.example/', parent: null } };
    expect(await e.ipcMain.invoke('app:state', foreign, {})).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const iframe = { sender: win.webContents, senderFrame: { url: `${server.url}/room/`, parent: {} } };
    expect(await e.ipcMain.invoke('app:state', iframe, {})).toMatchObject({ ok: false });
    await expect(e.ipcMain.invoke('fs:readFile', fromRoom, {})).rejects.toThrow(/No handler/);

    expect(await e.ipcMain.invoke('provisioning:activate', fromRoom, { code: VALID_CODE })).toMatchObject({ ok: true, response: { kind: 'ready' } });
    const events = win.webContents.sent.filter((s) => s.channel === 'bridge:event').map((s) => (s.args[0] as { event: string }).event);
    expect(events).toEqual(expect.arrayContaining(['provisioning:changed', 'app:state-changed', 'schedule:changed']));
  });

  it('grants media only to the room UI and the conference node, and nothing else to anyone', async () => {
    const { e, fromRoom } = await start();
    await e.ipcMain.invoke('provisioning:activate', fromRoom, { code: VALID_CODE });
    const ask = (permission: string, url: string) =>
      new Promise<boolean>((resolve) => e.session.defaultSession.permissionRequestHandler!(...([{ getURL: () => url }, permission, resolve, { requestingUrl: url }] as never[])));
    expect(await ask('media', `${server.url}/room/`)).toBe(true);
    expect(await ask('display-capture', `${server.url}/room/`)).toBe(true);
    expect(await ask('media', 'https://evil.example/')).toBe(false);
    expect(await ask('geolocation', `${server.url}/room/`)).toBe(false);
    expect(await ask('notifications', `${server.url}/room/`)).toBe(false);
  });

  it('keeps the window on the allow-list and refuses new windows', async () => {
    const { win } = await start();
    const prevented: string[] = [];
    for (const url of [`${server.url}/room/home`, 'https://evil.example/phish']) {
      win.webContents.fire('will-navigate', { preventDefault: () => prevented.push(url) }, url);
    }
    expect(prevented).toEqual(['https://evil.example/phish']);
    expect(win.webContents.windowOpenHandler!({ url: `${server.url}/x` })).toEqual({ action: 'deny' });
  });

  it('sets a CSP on the room UI and shares the whole screen when asked', async () => {
    const { e } = await start();
    const headers = await new Promise<Record<string, string[]>>((resolve) =>
      e.session.defaultSession.headersListener!.listener(...([{ responseHeaders: {} }, (r: { responseHeaders: Record<string, string[]> }) => resolve(r.responseHeaders)] as never[])),
    );
    expect(headers['Content-Security-Policy']![0]).toMatch(/script-src 'self'.*object-src 'none'/);
    const streams = await new Promise<{ video?: { id: string } }>((resolve) => e.session.defaultSession.displayMediaHandler!(...([{}, resolve] as never[])));
    expect(streams.video?.id).toBe('screen:0:0');
  });

  it('kiosk: swallows exit keys, refuses to close, and asks for the PIN on the admin chord', async () => {
    const { e, win, fromRoom } = await start();
    const key = (k: Partial<{ key: string; control: boolean; alt: boolean; shift: boolean; meta: boolean }>) => {
      let prevented = false;
      win.webContents.fire('before-input-event', { preventDefault: () => (prevented = true) }, { type: 'keyDown', key: 'x', control: false, alt: false, shift: false, meta: false, ...k });
      return prevented;
    };
    expect(key({ key: 'F4', alt: true })).toBe(true);
    expect(key({ key: 'w', control: true })).toBe(true);
    expect(key({ key: 'a' })).toBe(false);
    let closePrevented = false;
    win.fire('close', { preventDefault: () => (closePrevented = true) });
    expect(closePrevented).toBe(true);
    expect(key({ key: 'Q', control: true, alt: true, shift: true })).toBe(true);
    expect(win.webContents.sent.some((s) => (s.args[0] as { event: string }).event === 'app:admin-exit-requested')).toBe(true);
    expect(await e.ipcMain.invoke('app:admin-exit', fromRoom, { pin: '1111' })).toMatchObject({ ok: false, error: { code: 'invalid_pin' } });
    expect(await e.ipcMain.invoke('app:admin-exit', fromRoom, { pin: '2468' })).toMatchObject({ ok: true });
    await eventually(() => e.app.quitCalls === 1, 'quit');
  });

  it('keeps the display awake during a call and reloads a crashed renderer', async () => {
    const { e, win, fromRoom } = await start();
    await e.ipcMain.invoke('provisioning:activate', fromRoom, { code: VALID_CODE });
    await e.ipcMain.invoke('call:join', fromRoom, { alias: 'afd@vdx.test' });
    await e.ipcMain.invoke('call:connected', fromRoom, { alias: 'afd@vdx.test' });
    expect(e.blockers.active.size).toBe(1);
    win.webContents.fire('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(e.blockers.active.size).toBe(0);
    expect(running!.handle.agent.state.kind).toBe('ready');
    await eventually(() => win.webContents.reloads === 1, 'the reload', 5000);
  });

  it('loads the room UI again when it failed to load (server unreachable at start), not when a navigation replaced it', async () => {
    const { win } = await start('kiosk', { VDX_UI_RETRY_SECONDS: '1' });
    expect(win.loads).toBe(1);
    win.webContents.fire('did-fail-load', {}, -3, 'ERR_ABORTED', win.loaded, true);
    win.webContents.fire('did-fail-load', {}, -102, 'ERR_CONNECTION_REFUSED', 'https://elsewhere.test/frame', false);
    win.webContents.fire('did-fail-load', {}, -102, 'ERR_CONNECTION_REFUSED', win.loaded, true);
    await eventually(() => win.loads === 2, 'the second load', 5000);
    expect(win.loaded).toBe(`${server.url}/room/`);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(win.loads).toBe(2);
  });

  it('points electron-updater at {server}/updates/{channel} and never installs on quit', async () => {
    const { e, fromRoom } = await start();
    await e.ipcMain.invoke('provisioning:activate', fromRoom, { code: VALID_CODE });
    await eventually(() => server.openStreams === 1, 'the event stream');
    server.push('command', { id: 'u1', type: 'check_update', args: {}, expiresAt: '2099-01-01T00:00:00Z' });
    await eventually(() => server.commandResults.some((r) => r.id === 'u1'), 'the check_update result');
    expect(doubles.updater.feeds.at(-1)).toEqual({ provider: 'generic', url: `${server.url}/updates/stable` });
    expect(doubles.updater.autoInstallOnAppQuit).toBe(false);
    const states: string[] = [];
    running!.handle.agent.onEvent((event, payload) => {
      if (event === 'app:state-changed') states.push((payload as { update: { kind: string } }).update.kind);
    });
    doubles.updater.emit('update-downloaded', { version: '9.9.9' });
    expect(states.at(-1)).toBe('pending_install');
    expect(doubles.updater.installs).toBe(0);
  });
});
