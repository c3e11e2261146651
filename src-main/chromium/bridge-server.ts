/**
 * The Chromium shell's room bridge: a WebSocket server on 127.0.0.1 (random port) that the room UI
 * connects to with the per-launch token from its URL fragment. Any local process can reach a
 * loopback port, so the token (256 bits, compared in constant time) and the Origin check (only the
 * room UI's origin) are what keep other pages and programs off the bridge.
 *
 * Every frame is validated: the envelope against `BridgeWireMessage`, the request against the
 * method's schema (in `dispatchBridgeCall`), every event against its payload schema.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { BridgeWireMessage } from '../../src-shared/ipc/room-bridge.contract';
import { checkBridgeEvent, dispatchBridgeCall } from '../agent/bridge/bridge-host';
import type { AgentLogger } from '../agent/platform/platform';
import type { RoomAgent } from '../agent/room-agent';

export const BRIDGE_MAX_FRAME_BYTES = 256 * 1024;
/** Close code for a refused connection (token or origin). */
export const CLOSE_UNAUTHORIZED = 4401;

export interface BridgeServer {
  port: number;
  token: string;
  /** The URL fragment for the room UI: `#bridge=<port>&token=<token>`. */
  fragment: string;
  clients(): number;
  close(): Promise<void>;
}

export async function startBridgeServer(options: {
  agent: RoomAgent;
  log: AgentLogger;
  /** Origins allowed to connect (the room UI's); empty = any (tests only). */
  allowedOrigins: string[];
  /** Called when the last UI connection closes (renderer gone). */
  onAllClosed?: () => void;
}): Promise<BridgeServer> {
  const { agent, log } = options;
  const token = randomBytes(32).toString('base64url');
  const expected = Buffer.from(token);
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/bridge', maxPayload: BRIDGE_MAX_FRAME_BYTES });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const port = (wss.address() as AddressInfo).port;
  const clients = new Set<WebSocket>();

  const send = (socket: WebSocket, frame: BridgeWireMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };
  const unsubscribe = agent.onEvent((event, payload) => {
    const checked = checkBridgeEvent(event, payload, log);
    if (checked === null) return;
    for (const c of clients) send(c, { type: 'event', event, payload: checked });
  });

  wss.on('connection', (socket, request) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const origin = request.headers.origin ?? '';
    const tokenOk = given.length === expected.length && timingSafeEqual(given, expected);
    const originOk = options.allowedOrigins.length === 0 || options.allowedOrigins.includes(origin);
    if (!tokenOk || !originOk) {
      log.warn('bridge connection refused', { origin, reason: tokenOk ? 'origin' : 'token', code: 'bridge_refused' });
      socket.close(CLOSE_UNAUTHORIZED, 'unauthorized');
      return;
    }
    clients.add(socket);
    log.info('room UI connected to the bridge', { clients: clients.size });
    for (const { event, payload } of agent.replayEvents()) {
      const checked = checkBridgeEvent(event, payload, log);
      if (checked !== null) send(socket, { type: 'event', event, payload: checked });
    }
    socket.on('message', (data, isBinary) => {
      if (isBinary) return socket.close(1003, 'text frames only');
      let frame: BridgeWireMessage;
      try {
        frame = BridgeWireMessage.parse(JSON.parse(String(data)));
      } catch {
        log.warn('malformed bridge frame', { code: 'bridge_malformed' });
        return;
      }
      if (frame.type !== 'invoke') return;
      void dispatchBridgeCall(agent.handlers, frame.channel, frame.request, log).then((result) =>
        send(socket, { type: 'result', id: frame.id, result }),
      );
    });
    socket.on('close', () => {
      clients.delete(socket);
      if (clients.size === 0) options.onAllClosed?.();
    });
  });

  return {
    port,
    token,
    fragment: `#bridge=${port}&token=${token}`,
    clients: () => clients.size,
    async close() {
      unsubscribe();
      for (const c of clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
