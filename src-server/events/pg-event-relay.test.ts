import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RoomMessageCreate } from '../../src-shared/devices/rooms.schema';
import { openStore, type Store } from '../db/database';
import { freshDatabaseUrl } from '../test-support/test-app';
import { DomainEventBus, RELAYED_EVENTS, type DomainEvents, type EventOrigin, type RelayedEventName } from './domain-events';
import { MAX_NOTIFY_BYTES, PgEventRelay, RELAY_CHANNEL, notificationText } from './pg-event-relay';

/** Bounded polling for something another connection does. */
async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every event a bus saw, with its origin. */
function record(bus: DomainEventBus, names: (keyof DomainEvents)[]) {
  const seen: { name: string; payload: unknown; origin: EventOrigin }[] = [];
  for (const name of names) bus.on(name, (payload, origin) => void seen.push({ name, payload, origin }));
  return seen;
}

const id64 = 'x'.repeat(64);
const at = '2026-03-02T08:00:00.000Z';

describe('relayed event payloads fit in one NOTIFY', () => {
  // Why a record over RELAYED_EVENTS: relaying a new event without adding its largest payload
  // here fails to compile, and a payload that can outgrow 8000 bytes fails this test.
  const textMax = RoomMessageCreate.shape.text.maxLength!;
  const largest: { [K in RelayedEventName]: DomainEvents[K] } = {
    'meeting.changed': { meetingUuid: id64, organisationCode: id64, change: 'updated' },
    // One participant row per change: at most one room.
    'appointment.changed': { meetingUuid: id64, roomIds: [id64] },
    'room.changed': { roomId: id64 },
    'theme.changed': { themeId: id64 },
    // Control characters are the longest to encode: six bytes each as JSON escapes.
    'room.message': { roomId: id64, message: { id: id64, text: '\u0001'.repeat(textMax), severity: 'warning', expiresAt: at } },
    'device.revoked': { deviceId: id64, reason: 're_enrolled', clientId: 'c'.repeat(200) },
    'fleet.changed': { entity: 'device', id: id64, organisationCode: id64 },
    'command.created': { deviceId: id64, commandId: id64 },
  };

  it('the longest room message text is what the schema allows', () => {
    expect(RoomMessageCreate.safeParse({ text: largest['room.message'].message.text }).success).toBe(true);
    expect(RoomMessageCreate.safeParse({ text: '\u0001'.repeat(textMax + 1) }).success).toBe(false);
  });

  it.each(RELAYED_EVENTS)('%s at its largest', (name) => {
    const text = notificationText('f'.repeat(16), name, largest[name]);
    expect(text, `${name} would not fit in a NOTIFY`).toBeDefined();
    expect(Buffer.byteLength(text!, 'utf8')).toBeLessThanOrEqual(MAX_NOTIFY_BYTES);
  });
});

describe('PgEventRelay on PostgreSQL', () => {
  let url: string;
  const stores: Store[] = [];
  const relays: PgEventRelay[] = [];
  let admin: pg.Client;

  async function instance(options: ConstructorParameters<typeof PgEventRelay>[2] = {}) {
    const store = await openStore(url);
    stores.push(store);
    const bus = new DomainEventBus();
    const relay = new PgEventRelay(store, bus, options);
    relays.push(relay);
    await relay.start();
    return { bus, relay, store };
  }

  beforeAll(async () => {
    url = await freshDatabaseUrl('postgres');
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.close()));
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  afterAll(async () => admin.end());

  it('delivers relayed events to the other instance with origin relay, and each instance drops its own echo', async () => {
    const a = await instance();
    const b = await instance();
    const seenA = record(a.bus, ['room.changed']);
    const seenB = record(b.bus, ['room.changed']);
    a.bus.emit('room.changed', { roomId: 'r1' });
    await until(() => seenB.length === 1 && a.relay.stats.ownIgnored === 1, 'the notification at both instances');
    expect(seenB).toEqual([{ name: 'room.changed', payload: { roomId: 'r1' }, origin: 'relay' }]);
    expect(seenA).toEqual([{ name: 'room.changed', payload: { roomId: 'r1' }, origin: 'local' }]);
    expect(b.relay.stats).toMatchObject({ received: 1, ownIgnored: 0 });
    expect(a.relay.stats).toMatchObject({ sent: 1, received: 0 });
  });

  it('delivers a burst complete and in emit order', async () => {
    const a = await instance();
    const b = await instance();
    const seenB = record(b.bus, ['room.changed']);
    const ids = Array.from({ length: 300 }, (_, i) => `r${i}`);
    for (const roomId of ids) a.bus.emit('room.changed', { roomId });
    // B can hear the last batch before A's NOTIFY statement has returned to A, so A's count of
    // sent events may lag behind what B already received: wait for both.
    await until(() => seenB.length === ids.length && a.relay.stats.sent === ids.length, 'the whole burst, sent and received');
    expect(seenB.map((e) => (e.payload as { roomId: string }).roomId)).toEqual(ids);
    expect(a.relay.stats.sent).toBe(ids.length);
  });

  it('keeps local-only events (the provisioner trigger, the resync signal) in their process', async () => {
    const a = await instance();
    const b = await instance();
    const seenB = record(b.bus, ['scheduling-info.changed', 'relay.resynced', 'command.created']);
    a.bus.emit('scheduling-info.changed', { uuid: 'u1', provisionStatus: 'AWAITS_PROVISION' });
    a.bus.emit('relay.resynced', {});
    a.bus.emit('command.created', { deviceId: 'd1', commandId: 'c1' });
    // Notifications arrive in the order they were sent: once the command is here, nothing else is coming.
    await until(() => seenB.length > 0, 'the command notification');
    expect(seenB.map((e) => e.name)).toEqual(['command.created']);
    expect(a.relay.stats.sent).toBe(1);
  });

  it('refuses, loudly, a payload too large for NOTIFY instead of failing the emitter', async () => {
    const errors: string[] = [];
    const log = { info: () => undefined, warn: () => undefined, error: (_: object, msg: string) => void errors.push(msg) };
    const a = await instance({ log });
    const b = await instance();
    const seenB = record(b.bus, ['room.message', 'room.changed']);
    const huge = { id: 'm1', text: 'x'.repeat(MAX_NOTIFY_BYTES), severity: 'info' as const, expiresAt: at };
    expect(() => a.bus.emit('room.message', { roomId: 'r1', message: huge })).not.toThrow();
    a.bus.emit('room.changed', { roomId: 'r1' });
    await until(() => seenB.length > 0, 'the small event after the large one');
    expect(seenB.map((e) => e.name)).toEqual(['room.changed']);
    expect(errors).toEqual(['domain event too large to relay; other instances miss it']);
  });

  it('ignores notifications on its channel that are not a valid relayed event', async () => {
    const b = await instance();
    const seenB = record(b.bus, ['room.changed']);
    await admin.query('select pg_notify($1, $2)', [RELAY_CHANNEL, 'not json']);
    await admin.query('select pg_notify($1, $2)', [RELAY_CHANNEL, JSON.stringify({ i: 'other', n: 'booking.exploded', p: {} })]);
    await admin.query('select pg_notify($1, $2)', [RELAY_CHANNEL, JSON.stringify({ i: 'other', n: 'room.changed', p: { roomId: 'r9' } })]);
    await until(() => seenB.length === 1, 'the valid notification');
    expect(b.relay.stats).toMatchObject({ rejected: 2, received: 1 });
  });

  it('reconnects after its connection is killed, signals the resync, and relays again', async () => {
    const a = await instance();
    const b = await instance({ reconnectMinMs: 50 });
    const seenB = record(b.bus, ['room.changed', 'relay.resynced']);
    const pid = b.relay.listenerPid;
    expect(pid).toBeTypeOf('number');
    const killed = await admin.query<{ ok: boolean }>('select pg_terminate_backend($1) as ok', [pid]);
    expect(killed.rows[0]!.ok).toBe(true);
    await until(() => seenB.some((e) => e.name === 'relay.resynced'), 'the resync after reconnecting');
    expect(b.relay.listening).toBe(true);
    expect(b.relay.listenerPid).not.toBe(pid);
    expect(b.relay.stats.reconnects).toBe(1);
    a.bus.emit('room.changed', { roomId: 'r2' });
    await until(() => seenB.some((e) => e.name === 'room.changed'), 'an event after the reconnect');
    expect(seenB.find((e) => e.name === 'room.changed')).toMatchObject({ payload: { roomId: 'r2' }, origin: 'relay' });
  });

  it('stops for good on close: no listening connection is left behind', async () => {
    const b = await instance({ reconnectMinMs: 10 });
    const pid = b.relay.listenerPid;
    await b.relay.close();
    const left = async () =>
      (await admin.query<{ n: string }>("select count(*) as n from pg_stat_activity where application_name = 'vdx-event-relay' and pid = $1", [pid]))
        .rows[0]!.n;
    for (let i = 0; i < 100 && (await left()) !== '0'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await left()).toBe('0');
    expect(b.relay.listening).toBe(false);
  });
});
