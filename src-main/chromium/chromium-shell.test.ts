import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDeviceServer, VALID_CODE } from '../agent/test-support/fake-device-server';
import { eventually } from '../agent/test-support/test-agent';
import { chromiumArgs } from './chromium-launcher';
import { startChromiumShell, type ChromiumShell } from './chromium-shell';

/** A stand-in room UI: connects to the bridge from the URL fragment and activates with a code. */
const ROOM_PAGE = `<!doctype html><meta charset="utf-8"><script>
const p = new URLSearchParams(location.hash.slice(1));
const ws = new WebSocket('ws://127.0.0.1:' + p.get('bridge') + '/bridge?token=' + encodeURIComponent(p.get('token')));
ws.onopen = () => ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'provisioning:activate', request: { code: '${VALID_CODE}' } }));
</script>`;

let shell: ChromiumShell | undefined;
let server: FakeDeviceServer | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await shell?.stop();
  await server?.stop();
  shell = undefined;
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

describe('Chromium shell', () => {
  it('builds the command line for kiosk, headless and fake media', () => {
    const args = chromiumArgs({ url: 'http://s/room/#bridge=1&token=t', appDataDir: '/x', display: 'app', headless: true, fakeMedia: true }, '/x/p');
    expect(args).toEqual(expect.arrayContaining(['--user-data-dir=/x/p', '--headless=new', '--use-fake-device-for-media-stream', '--app=http://s/room/#bridge=1&token=t']));
    const kiosk = chromiumArgs({ url: 'http://s/room/', appDataDir: '/x', display: 'kiosk', headless: false, fakeMedia: false }, '/x/p');
    expect(kiosk.slice(-2)).toEqual(['--kiosk', 'http://s/room/']);
    expect(kiosk).not.toContain('--use-fake-device-for-media-stream');
  });

  it('starts headless Chromium on {server}/room/ and the page drives the agent over the bridge', async () => {
    server = await new FakeDeviceServer().start();
    server.pages.set('/room/', ROOM_PAGE);
    const appDataDir = mkdtempSync(join(tmpdir(), 'vdx-room-'));
    dirs.push(appDataDir);
    shell = await startChromiumShell({
      appDataDir,
      env: { VDX_SERVER_URL: server.url, VDX_SECRET_STORE: 'file', VDX_FAKE_MEDIA: '1' },
      headless: true,
      mode: 'kiosk',
      appVersion: '0.1.0',
      print: () => {},
    });
    expect(shell.roomUrl).toMatch(new RegExp(`^${server.url}/room/#bridge=\\d+&token=`));
    await eventually(() => shell!.handle.agent.state.kind === 'ready', 'the page to activate the device', 20_000);
    expect(server.enrolments).toHaveLength(1);
    expect(shell.bridge.clients()).toBe(1);
    expect(existsSync(join(appDataDir, 'credentials.json'))).toBe(true);
  });

  it('relaunches Chromium until the room UI comes up when the server could not serve it at start', async () => {
    server = await new FakeDeviceServer().start();
    const appDataDir = mkdtempSync(join(tmpdir(), 'vdx-room-'));
    dirs.push(appDataDir);
    shell = await startChromiumShell({
      appDataDir,
      env: { VDX_SERVER_URL: server.url, VDX_SECRET_STORE: 'file', VDX_FAKE_MEDIA: '1', VDX_UI_RETRY_SECONDS: '1' },
      headless: true,
      mode: 'kiosk',
      appVersion: '0.1.0',
      print: () => {},
    });
    // No room page yet: Chromium shows an error page that never reaches the bridge.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(shell.bridge.clients()).toBe(0);
    server.pages.set('/room/', ROOM_PAGE);
    await eventually(() => shell!.handle.agent.state.kind === 'ready', 'the room UI after a relaunch', 30_000);
    expect(shell.bridge.clients()).toBe(1);
  });
});
