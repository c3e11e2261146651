import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import {
  AgentState,
  BRIDGE_METHOD_NAMES,
  BridgeWireMessage,
  bridgeMethodPath,
  type BridgeResult,
} from './room-bridge.contract';
import {
  bridgeWebSocketUrl,
  connectWebSocketTransport,
  createRoomBridge,
  parseBridgeFragment,
  resolveRoomBridge,
  type BridgeTransport,
  type WebSocketLike,
} from './room-bridge.client';

const room = {
  deviceId: 'd1', roomId: 'r1', roomName: 'Mødelokale 1', organisation: null, theme: null,
  showSubjects: true, locale: 'da' as const, conferenceBaseUrl: 'http://127.0.0.1:1',
};

function fakeTransport(answer: (channel: string, request: unknown) => BridgeResult) {
  const calls: Array<[string, unknown]> = [];
  const listeners = new Set<(e: string, p: unknown) => void>();
  const transport: BridgeTransport = {
    invoke: async (channel, request) => {
      calls.push([channel, request]);
      return answer(channel, request);
    },
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return { transport, calls, emit: (e: string, p: unknown) => listeners.forEach((l) => l(e, p)) };
}

describe('room bridge contract', () => {
  it('maps every channel to a unique camel-cased function', () => {
    const paths = BRIDGE_METHOD_NAMES.map((c) => bridgeMethodPath(c).join('.'));
    expect(new Set(paths).size).toBe(paths.length);
    expect(bridgeMethodPath('call:report-stats')).toEqual(['call', 'reportStats']);
  });

  it('parses the agent state union by kind', () => {
    expect(AgentState.parse({ kind: 'ready', room }).kind).toBe('ready');
    expect(AgentState.safeParse({ kind: 'ready' }).success).toBe(false);
  });
});

describe('createRoomBridge', () => {
  it('sends valid requests and returns validated responses', async () => {
    const f = fakeTransport(() => ({ ok: true, response: { kind: 'ready', room } }));
    const bridge = createRoomBridge(f.transport);
    const state = await bridge.provisioning.activate({ code: 'ABCD-EFGH-JKLM' });
    expect(state).toEqual({ kind: 'ready', room });
    expect(f.calls).toEqual([['provisioning:activate', { code: 'ABCD-EFGH-JKLM' }]]);
  });

  it('rejects an invalid request with invalid_request before sending it', async () => {
    const f = fakeTransport(() => ({ ok: true, response: { ok: true } }));
    const bridge = createRoomBridge(f.transport);
    // @ts-expect-error quality is required
    await expect(bridge.call.reportStats({})).rejects.toMatchObject({ code: 'invalid_request' });
    expect(f.calls).toHaveLength(0);
  });

  it('rejects with the agent error {code, message}', async () => {
    const f = fakeTransport(() => ({ ok: false, error: { code: 'busy', message: 'Optaget' } }));
    const bridge = createRoomBridge(f.transport);
    await expect(bridge.call.join({ meetingId: 'm1' })).rejects.toEqual({ code: 'busy', message: 'Optaget' });
  });

  it('delivers only valid payloads of the subscribed event', () => {
    const f = fakeTransport(() => ({ ok: true, response: {} }));
    const bridge = createRoomBridge(f.transport);
    const got: unknown[] = [];
    const off = bridge.on('message:show', (m) => got.push(m.text));
    f.emit('message:show', { id: '1', text: 'Hej', severity: 'info', expiresAt: null });
    f.emit('message:show', { id: '2' });
    f.emit('schedule:changed', { meetings: [], syncedAt: null, source: 'cache' });
    off();
    f.emit('message:show', { id: '3', text: 'Efter', severity: 'info', expiresAt: null });
    expect(got).toEqual(['Hej']);
  });
});

describe('WebSocket transport', () => {
  let server: WebSocketServer | undefined;
  afterEach(() => server?.close());

  it('parses the fragment the Chromium shell puts in the URL', () => {
    expect(parseBridgeFragment('#bridge=4567&token=abc')).toEqual({ port: 4567, token: 'abc' });
    expect(parseBridgeFragment('#token=abc')).toBeNull();
    expect(parseBridgeFragment('')).toBeNull();
  });

  it('invokes over the socket and receives events', async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => server!.once('listening', r));
    const port = (server.address() as { port: number }).port;
    server.on('connection', (socket) => {
      socket.on('message', (data) => {
        const frame = BridgeWireMessage.parse(JSON.parse(String(data)));
        if (frame.type !== 'invoke') return;
        socket.send(JSON.stringify({ type: 'event', event: 'message:hide', payload: { id: 'x' } }));
        socket.send(JSON.stringify({
          type: 'result', id: frame.id,
          result: { ok: true, response: { cameraId: null, microphoneId: null, speakerId: null, locale: 'en' } },
        }));
      });
    });
    const createSocket = (url: string) => new WebSocket(url) as unknown as WebSocketLike;
    const bridge = await resolveRoomBridge({ global: {}, hash: `#bridge=${port}&token=t0k`, createSocket });
    expect(bridge).not.toBeNull();
    const hidden: string[] = [];
    bridge!.on('message:hide', (p) => hidden.push(p.id));
    const settings = await bridge!.settings.get({});
    expect(settings.locale).toBe('en');
    expect(hidden).toEqual(['x']);
  });

  it('rejects pending calls with offline when the agent goes away', async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => server!.once('listening', r));
    const port = (server.address() as { port: number }).port;
    server.on('connection', (socket) => socket.on('message', () => socket.close()));
    const transport = await connectWebSocketTransport(
      bridgeWebSocketUrl({ port, token: 't' }),
      (url) => new WebSocket(url) as unknown as WebSocketLike,
    );
    const bridge = createRoomBridge(transport);
    await expect(bridge.schedule.get({})).rejects.toMatchObject({ code: 'offline' });
  });
});
