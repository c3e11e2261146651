/**
 * The renderer's way to a {@link RoomBridge}, whichever shell runs it.
 *
 * - Electron: the preload has already put a bridge on `window.vdxRoom`.
 * - Chromium shell: the page URL carries `#bridge=<port>&token=<token>`; we connect to
 *   `ws://127.0.0.1:<port>/bridge?token=<token>` and speak {@link BridgeWireMessage} frames.
 *
 * No DOM or Node imports: the WebSocket constructor and location come in as arguments (defaults are
 * the browser globals), so this file is also what tests and the Node-side tools use.
 */
import {
  BRIDGE_METHOD_NAMES,
  BridgeResult,
  BridgeWireMessage,
  ROOM_BRIDGE_GLOBAL,
  bridgeEvents,
  bridgeMethodPath,
  bridgeMethods,
  type BridgeError,
  type BridgeEventName,
  type BridgeMethodName,
  type RoomBridge,
} from './room-bridge.contract';

/** The two primitives a bridge is built on. */
export interface BridgeTransport {
  /** Sends a request; resolves with the envelope the agent returned. */
  invoke(channel: BridgeMethodName, request: unknown): Promise<BridgeResult>;
  /** Delivers every event (already decoded) to `listener`; returns an unsubscribe function. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

function bridgeError(code: BridgeError['code'], message: string): BridgeError {
  return { code, message };
}

/**
 * Builds the typed, grouped API over a transport. Requests are validated here too, so a renderer
 * bug fails fast with `invalid_request` instead of a round trip; responses and event payloads are
 * validated so the UI can trust its types.
 */
export function createRoomBridge(transport: BridgeTransport): RoomBridge {
  const api: Record<string, Record<string, (request?: unknown) => Promise<unknown>>> = {};
  for (const channel of BRIDGE_METHOD_NAMES) {
    const [cap, name] = bridgeMethodPath(channel);
    const schema = bridgeMethods[channel];
    (api[cap] ??= {})[name] = async (request: unknown = {}) => {
      const parsed = schema.request.safeParse(request);
      if (!parsed.success) throw bridgeError('invalid_request', `${channel}: ${parsed.error.message}`);
      let envelope: BridgeResult;
      try {
        envelope = BridgeResult.parse(await transport.invoke(channel, parsed.data));
      } catch (err) {
        throw bridgeError('internal', `${channel}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (!envelope.ok) throw envelope.error;
      const response = schema.response.safeParse(envelope.response);
      if (!response.success) throw bridgeError('internal', `${channel}: malformed response`);
      return response.data;
    };
  }
  const on = (event: BridgeEventName, listener: (payload: unknown) => void): (() => void) => {
    const schema = bridgeEvents[event];
    if (!schema) throw new Error(`Unknown bridge event ${event}`);
    return transport.subscribe((name, payload) => {
      if (name !== event) return;
      const parsed = schema.safeParse(payload);
      // A malformed event is the agent's bug; dropping it beats rendering garbage.
      if (parsed.success) listener(parsed.data);
      else console.warn(`room bridge: dropped malformed ${event} event`);
    });
  };
  return { ...api, on } as unknown as RoomBridge;
}

/** The subset of the browser's WebSocket we use (so Node's `ws` fits too). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (ev: { data?: unknown }) => void): void;
}
export type WebSocketFactory = (url: string) => WebSocketLike;

/** Where the Chromium shell put the bridge, parsed from the page's URL fragment. */
export interface WebSocketBridgeAddress {
  port: number;
  token: string;
}

/** Reads `#bridge=<port>&token=<token>` (other fragment keys are ignored). */
export function parseBridgeFragment(hash: string): WebSocketBridgeAddress | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const port = Number(params.get('bridge'));
  const token = params.get('token');
  if (!Number.isInteger(port) || port <= 0 || port > 65535 || !token) return null;
  return { port, token };
}

/** The URL the page connects to. */
export function bridgeWebSocketUrl(address: WebSocketBridgeAddress): string {
  return `ws://127.0.0.1:${address.port}/bridge?token=${encodeURIComponent(address.token)}`;
}

/**
 * A transport over the Chromium shell's WebSocket. Resolves once connected. Pending calls reject
 * with `offline` if the socket closes (the agent process stopped); the UI can then reload.
 */
export function connectWebSocketTransport(
  url: string,
  createSocket: WebSocketFactory = (u) => new WebSocket(u) as unknown as WebSocketLike,
  timeoutMs = 10_000,
): Promise<BridgeTransport & { close(): void; onClose(cb: () => void): void }> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(url);
    const pending = new Map<number, (r: BridgeResult) => void>();
    const listeners = new Set<(event: string, payload: unknown) => void>();
    const closeListeners = new Set<() => void>();
    let nextId = 1;
    let open = false;
    const timer = setTimeout(() => {
      if (!open) {
        socket.close();
        reject(new Error(`room bridge: no connection to ${url.replace(/token=[^&]*/, 'token=…')}`));
      }
    }, timeoutMs);
    socket.addEventListener('message', (ev) => {
      let frame: BridgeWireMessage;
      try {
        frame = BridgeWireMessage.parse(JSON.parse(String(ev.data)));
      } catch {
        return;
      }
      if (frame.type === 'result') {
        pending.get(frame.id)?.(frame.result);
        pending.delete(frame.id);
      } else if (frame.type === 'event') {
        for (const l of listeners) l(frame.event, frame.payload);
      }
    });
    socket.addEventListener('close', () => {
      open = false;
      clearTimeout(timer);
      for (const settle of pending.values()) {
        settle({ ok: false, error: bridgeError('offline', 'Forbindelsen til rumagenten blev afbrudt.') });
      }
      pending.clear();
      for (const cb of closeListeners) cb();
      reject(new Error('room bridge: connection closed'));
    });
    socket.addEventListener('open', () => {
      open = true;
      clearTimeout(timer);
      resolve({
        invoke(channel, request) {
          if (!open) {
            return Promise.resolve({ ok: false, error: bridgeError('offline', 'Ingen forbindelse til rumagenten.') });
          }
          const id = nextId++;
          return new Promise<BridgeResult>((settle) => {
            pending.set(id, settle);
            socket.send(JSON.stringify({ type: 'invoke', id, channel, request } satisfies BridgeWireMessage));
          });
        },
        subscribe(listener) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        close: () => socket.close(),
        onClose: (cb) => closeListeners.add(cb),
      });
    });
  });
}

/**
 * The bridge for this page: the Electron preload's, else the Chromium shell's WebSocket (address
 * from the URL fragment), else `null` (a plain browser — e.g. the renderer's dev server; the UI
 * should then say it must run inside the room app).
 */
export async function resolveRoomBridge(
  env: { global?: Record<string, unknown>; hash?: string; createSocket?: WebSocketFactory } = {},
): Promise<RoomBridge | null> {
  const g = env.global ?? (globalThis as unknown as Record<string, unknown>);
  const exposed = g[ROOM_BRIDGE_GLOBAL];
  if (exposed) return exposed as RoomBridge;
  const hash = env.hash ?? (g.location as { hash?: string } | undefined)?.hash ?? '';
  const address = parseBridgeFragment(hash);
  if (!address) return null;
  const transport = await connectWebSocketTransport(bridgeWebSocketUrl(address), env.createSocket);
  return createRoomBridge(transport);
}
