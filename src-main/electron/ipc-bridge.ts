/**
 * The main-process half of the Electron bridge: one `ipcMain.handle` per contract method, each
 * checking that the call comes from the room window's main frame on the room UI's origin (not an
 * iframe, not a page it navigated to) and validating the request before the agent sees it.
 * Events go to the room window on `bridge:event`, validated too.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { BRIDGE_EVENT_IPC_CHANNEL, BRIDGE_METHOD_NAMES, type BridgeEventName, type BridgeResult } from '../../src-shared/ipc/room-bridge.contract';
import { checkBridgeEvent, dispatchBridgeCall } from '../agent/bridge/bridge-host';
import type { AgentLogger } from '../agent/platform/platform';
import type { RoomAgent } from '../agent/room-agent';
import { navigationAllowed } from './window-policy';

export function senderAllowed(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>, room: WebContents | null, allowedOrigins: readonly string[]): boolean {
  const frame = event.senderFrame;
  if (!room || event.sender !== room || !frame) return false;
  if (frame.parent !== null) return false;
  return navigationAllowed(frame.url, allowedOrigins);
}

export function registerBridgeIpc(options: {
  ipcMain: IpcMain;
  agent: RoomAgent;
  log: AgentLogger;
  /** The room window's contents (null while none exists). */
  roomContents: () => WebContents | null;
  allowedOrigins: readonly string[];
}): () => void {
  const { ipcMain, agent, log } = options;
  for (const channel of BRIDGE_METHOD_NAMES) {
    ipcMain.handle(channel, async (event, request: unknown): Promise<BridgeResult> => {
      if (!senderAllowed(event, options.roomContents(), options.allowedOrigins)) {
        log.warn('bridge call from an unexpected sender refused', { channel, url: event.senderFrame?.url, code: 'bridge_refused' });
        return { ok: false, error: { code: 'invalid_request', message: 'Not allowed from this page.' } };
      }
      return dispatchBridgeCall(agent.handlers, channel, request, log);
    });
  }
  const unsubscribe = agent.onEvent((event, payload) => sendBridgeEvent(options.roomContents(), event, payload, log));
  return () => {
    unsubscribe();
    for (const channel of BRIDGE_METHOD_NAMES) ipcMain.removeHandler(channel);
  };
}

export function sendBridgeEvent(contents: WebContents | null, event: BridgeEventName, payload: unknown, log: AgentLogger): void {
  if (!contents || contents.isDestroyed()) return;
  const checked = checkBridgeEvent(event, payload, log);
  if (checked !== null) contents.send(BRIDGE_EVENT_IPC_CHANNEL, { event, payload: checked });
}
