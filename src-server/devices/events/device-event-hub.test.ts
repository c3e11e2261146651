import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../src-shared/platform/clock';
import { DeviceEventHub } from './device-event-hub';

/** Just enough of a response to watch what the hub writes. */
function fakeResponse() {
  const res = { chunks: [] as string[], ended: false, write: (c: string) => (res.chunks.push(c), true), end: () => void (res.ended = true) };
  return res;
}
const asRes = (r: ReturnType<typeof fakeResponse>) => r as unknown as ServerResponse;
const events = (r: ReturnType<typeof fakeResponse>) =>
  r.chunks.filter((c) => c.startsWith('id: ')).map((c) => ({ id: Number(/^id: (\d+)/.exec(c)![1]), type: /event: (\S+)/.exec(c)![1] }));
const at = (clock: ManualClock) => ({ at: clock.now().toISOString() });

describe('DeviceEventHub', () => {
  afterEach(() => vi.useRealTimers());

  it('routes device, room and broadcast events only to the streams they concern', () => {
    const clock = new ManualClock();
    const hub = new DeviceEventHub(clock);
    const a = fakeResponse();
    const b = fakeResponse();
    hub.attach('a', 'room1', asRes(a)).finishReplay([]);
    hub.attach('b', 'room2', asRes(b)).finishReplay([]);
    hub.publish('a', { type: 'config_changed', data: at(clock) });
    hub.publishToRoom('room2', { type: 'schedule_changed', data: at(clock) });
    hub.broadcast({ type: 'config_changed', data: at(clock) });
    expect(events(a).map((e) => e.type)).toEqual(['config_changed', 'config_changed']);
    expect(events(b).map((e) => e.type)).toEqual(['schedule_changed', 'config_changed']);
    expect(hub.connectedInRoom('room1')).toBe(1);
    hub.close();
  });

  it('holds live events behind the replay so ids arrive in order, each once', () => {
    const clock = new ManualClock();
    const hub = new DeviceEventHub(clock);
    const res = fakeResponse();
    const stream = hub.attach('a', 'r', asRes(res));
    const old = hub.stamp({ type: 'config_changed', data: at(clock) });
    const live = hub.publish('a', { type: 'schedule_changed', data: at(clock) });
    expect(events(res)).toEqual([]);
    stream.finishReplay([old, old]);
    expect(events(res).map((e) => e.id)).toEqual([old.id, Number(live)]);
    hub.close();
  });

  it('writes a command once even when it comes under two ids (replay and a relayed delivery)', () => {
    const clock = new ManualClock();
    const hub = new DeviceEventHub(clock);
    const res = fakeResponse();
    const stream = hub.attach('a', 'r', asRes(res));
    const command = { type: 'command' as const, data: { id: 'c1', type: 'reload_ui' as const, args: {}, expiresAt: '2030-01-01T00:00:00.000Z' } };
    const first = hub.stamp(command);
    expect(hub.deliver('a', hub.stamp(command))).toBe(true);
    stream.finishReplay([first]);
    hub.publish('a', { type: 'config_changed', data: at(clock) });
    expect(events(res).map((e) => [e.id, e.type])).toEqual([
      [first.id, 'command'],
      [first.id + 2, 'config_changed'],
    ]);
    hub.close();
  });

  it('on a revocation heard from another instance, closes only a stream of the revoked credential', () => {
    const clock = new ManualClock();
    const hub = new DeviceEventHub(clock);
    const newer = fakeResponse();
    hub.attach('a', 'r', asRes(newer), 'client-2').finishReplay([]);
    hub.disconnect('a', { type: 'device.revoked', data: { reason: 're_enrolled' } }, 'client-1');
    expect(newer.ended).toBe(false);
    expect(hub.connectedDevices()).toEqual([{ deviceId: 'a', clientId: 'client-2' }]);
    hub.disconnect('a', { type: 'device.revoked', data: { reason: 'revoked' } }, 'client-2');
    expect(newer.ended).toBe(true);
    expect(events(newer).map((e) => e.type)).toEqual(['device.revoked']);
    hub.close();
  });

  it('replays what a device missed and reports a gap once the bounded backlog has dropped it', () => {
    const clock = new ManualClock();
    const hub = new DeviceEventHub(clock, { backlogSize: 3 });
    const first = Number(hub.publish('a', { type: 'config_changed', data: at(clock) }));
    const second = Number(hub.publish('a', { type: 'config_changed', data: at(clock) }));
    let replay = hub.replay('a', 'r', first);
    expect(replay).toMatchObject({ gap: false });
    expect(replay.events.map((e) => e.id)).toEqual([second]);
    for (let i = 0; i < 3; i++) hub.publish('a', { type: 'config_changed', data: at(clock) });
    replay = hub.replay('a', 'r', first);
    expect(replay.gap).toBe(true);
    expect(replay.events).toHaveLength(3);
    expect(hub.replay('a', 'r', 5).gap).toBe(true); // an id from before this server started
  });

  it('drops expired messages from replays and ages out old events', () => {
    const clock = new ManualClock();
    const hub = new DeviceEventHub(clock, { backlogMaxAgeMs: 3600_000 });
    const start = Number(hub.nextId());
    hub.publishToRoom('r', { type: 'message', data: { id: 'm1', text: 'kort', severity: 'info', expiresAt: new Date(clock.now().getTime() + 1000).toISOString() } });
    hub.publishToRoom('r', { type: 'message', data: { id: 'm2', text: 'lang', severity: 'info', expiresAt: new Date(clock.now().getTime() + 7200_000).toISOString() } });
    clock.advance(2000);
    expect(hub.replay('a', 'r', undefined).events.map((e) => e.event.type === 'message' && e.event.data.id)).toEqual(['m2']);
    expect(hub.replay('a', 'r', start)).toMatchObject({ gap: false });
    clock.advance(3600_000);
    expect(hub.replay('a', 'r', start)).toMatchObject({ gap: true, events: [] });
  });

  it('closes the previous stream of a device, and ends a stream with a final event on disconnect', () => {
    const clock = new ManualClock();
    const hub = new DeviceEventHub(clock);
    const first = fakeResponse();
    const second = fakeResponse();
    hub.attach('a', 'r', asRes(first)).finishReplay([]);
    hub.attach('a', 'r', asRes(second)).finishReplay([]);
    expect(first.ended).toBe(true);
    expect(hub.connectedCount).toBe(1);
    hub.disconnect('a', { type: 'device.revoked', data: { reason: 'revoked' } });
    expect(events(second).map((e) => e.type)).toEqual(['device.revoked']);
    expect(second.ended).toBe(true);
    expect(hub.isConnected('a')).toBe(false);
  });

  it('writes a keep-alive comment on every open stream within 25 s', () => {
    vi.useFakeTimers();
    const hub = new DeviceEventHub(new ManualClock());
    const res = fakeResponse();
    hub.attach('a', 'r', asRes(res)).finishReplay([]);
    vi.advanceTimersByTime(25_000);
    expect(res.chunks).toContain(': keep-alive\n\n');
    hub.close();
    expect(res.ended).toBe(true);
  });
});
