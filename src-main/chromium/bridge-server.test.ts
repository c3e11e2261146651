import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { BridgeWireMessage } from '../../src-shared/ipc/room-bridge.contract';
import { connectWebSocketTransport, createRoomBridge, type WebSocketLike } from '../../src-shared/ipc/room-bridge.client';
import { silentLogger } from '../agent/logging/rotating-log';
import { createTestAgent, eventually } from '../agent/test-support/test-agent';
import { startBridgeServer, CLOSE_UNAUTHORIZED, type BridgeServer } from './bridge-server';

const ORIGIN = 'http://127.0.0.1:9';
let bridge: BridgeServer | undefined;
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
});

async function setup(onAllClosed?: () => void) {
  const t = createTestAgent({ serverUrl: 'http://127.0.0.1:9' });
  await t.agent.start();
  bridge = await startBridgeServer({ agent: t.agent, log: silentLogger, allowedOrigins: [ORIGIN], ...(onAllClosed ? { onAllClosed } : {}) });
  return t;
}

const open = (url: string, origin = ORIGIN) => new WebSocket(url, { origin });
const closeCode = (ws: WebSocket) => new Promise<number>((r) => ws.on('close', (code) => r(code)));

describe('Chromium bridge server', () => {
  it('serves the contract to a page with the right token and origin', async () => {
    const t = await setup();
    const transport = await connectWebSocketTransport(
      `ws://127.0.0.1:${bridge!.port}/bridge?token=${bridge!.token}`,
      (url) => open(url) as unknown as WebSocketLike,
    );
    const room = createRoomBridge(transport);
    expect((await room.app.state({})).agent.kind).toBe('unprovisioned');
    const seen: string[] = [];
    room.on('settings:changed', (s) => seen.push(String(s.locale)));
    await room.settings.set({ locale: 'en' });
    await eventually(() => seen.length === 1, 'the settings event');
    expect(seen).toEqual(['en']);
    await expect(room.call.leave({})).rejects.toMatchObject({ code: 'not_in_call' });
    expect(t.settings.values.get('settings')).toMatchObject({ locale: 'en' });
    transport.close();
  });

  it('refuses a wrong token and a foreign origin', async () => {
    await setup();
    expect(await closeCode(open(`ws://127.0.0.1:${bridge!.port}/bridge?token=nope`))).toBe(CLOSE_UNAUTHORIZED);
    expect(await closeCode(open(`ws://127.0.0.1:${bridge!.port}/bridge?token=${bridge!.token}`, 'http://evil.example'))).toBe(CLOSE_UNAUTHORIZED);
  });

  it('answers invalid requests with invalid_request and ignores malformed frames', async () => {
    await setup();
    const ws = open(`ws://127.0.0.1:${bridge!.port}/bridge?token=${bridge!.token}`);
    await new Promise((r) => ws.once('open', r));
    const frames: BridgeWireMessage[] = [];
    ws.on('message', (d) => frames.push(BridgeWireMessage.parse(JSON.parse(String(d)))));
    ws.send('not json');
    ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'call:join', request: { meetingId: 42 } }));
    ws.send(JSON.stringify({ type: 'invoke', id: 2, channel: 'shell:exec', request: {} }));
    await eventually(() => frames.length === 2, 'two results');
    expect(frames).toEqual([
      { type: 'result', id: 1, result: { ok: false, error: expect.objectContaining({ code: 'invalid_request' }) } },
      { type: 'result', id: 2, result: { ok: false, error: expect.objectContaining({ code: 'unknown_method' }) } },
    ]);
    ws.close();
  });

  it('tells the agent when the last page went away', async () => {
    let gone = 0;
    await setup(() => gone++);
    const ws = open(`ws://127.0.0.1:${bridge!.port}/bridge?token=${bridge!.token}`);
    await new Promise((r) => ws.once('open', r));
    ws.close();
    await eventually(() => gone === 1, 'onAllClosed');
  });
});
