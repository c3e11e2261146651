import { describe, expect, it, vi } from 'vitest';
import type { RoomBridge } from '../../src-shared/ipc/room-bridge.contract';
import type { ElectronDouble } from './test-support/electron-double';

const doubles = vi.hoisted(() => ({ electron: null as unknown as ElectronDouble }));
vi.mock('electron', async () => {
  const { createElectronDouble } = await import('./test-support/electron-double');
  doubles.electron = createElectronDouble();
  return { default: doubles.electron, ...doubles.electron };
});

describe('preload', () => {
  it('exposes only window.vdxRoom: one function per method over ipcRenderer.invoke, plus on()', async () => {
    await import('./preload');
    const { contextBridge, ipcRenderer } = doubles.electron;
    expect([...contextBridge.exposed.keys()]).toEqual(['vdxRoom']);
    const bridge = contextBridge.exposed.get('vdxRoom') as RoomBridge;
    expect(Object.keys(bridge).sort()).toEqual(['app', 'call', 'media', 'message', 'on', 'preflight', 'provisioning', 'schedule', 'settings', 'staff']);
    expect(JSON.stringify(Object.keys(bridge))).not.toMatch(/invoke|ipc|send/i);

    ipcRenderer.answer = async () => ({ ok: true, response: { cameraId: 'c1', microphoneId: null, speakerId: null, locale: 'da' } });
    await expect(bridge.settings.get({})).resolves.toMatchObject({ cameraId: 'c1' });
    expect(ipcRenderer.invoked.at(-1)).toEqual({ channel: 'settings:get', args: [{}] });

    ipcRenderer.answer = async () => ({ ok: false, error: { code: 'busy', message: 'Optaget' } });
    await expect(bridge.call.join({ meetingId: 'm' })).rejects.toEqual({ code: 'busy', message: 'Optaget' });

    const got: string[] = [];
    const off = bridge.on('message:hide', (p) => got.push(p.id));
    ipcRenderer.emit('bridge:event', {}, { event: 'message:hide', payload: { id: 'x' } });
    off();
    ipcRenderer.emit('bridge:event', {}, { event: 'message:hide', payload: { id: 'y' } });
    expect(got).toEqual(['x']);
  });
});
