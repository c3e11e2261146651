/**
 * The room window's preload (sandboxed; bundled into one CommonJS file by `npm run app`).
 * Exposes exactly one object, `window.vdxRoom` — a {@link RoomBridge} with one function per
 * contract method and `on(event, cb)` — and never `ipcRenderer` itself, so page script can reach
 * nothing but the contract's channels.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createRoomBridge, type BridgeTransport } from '../../src-shared/ipc/room-bridge.client';
import { BRIDGE_EVENT_IPC_CHANNEL, ROOM_BRIDGE_GLOBAL, type BridgeResult } from '../../src-shared/ipc/room-bridge.contract';

const transport: BridgeTransport = {
  invoke: (channel, request) => ipcRenderer.invoke(channel, request) as Promise<BridgeResult>,
  subscribe(listener) {
    const handler = (_event: unknown, message: { event: string; payload: unknown }) => listener(message.event, message.payload);
    ipcRenderer.on(BRIDGE_EVENT_IPC_CHANNEL, handler);
    return () => ipcRenderer.removeListener(BRIDGE_EVENT_IPC_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld(ROOM_BRIDGE_GLOBAL, createRoomBridge(transport));
