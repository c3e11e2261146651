import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src-shared/platform/clock';
import { openStore, type Store } from '../db/database';
import { DB_KINDS, freshDatabaseUrl } from '../test-support/test-app';
import { OutboxGateway } from './outbox-gateway';
import { SmsDispatcher, type SmsDispatcherOptions } from './sms-dispatcher';
import { SmsSendError, type OutgoingSms, type SmsGateway } from './sms-gateway';
import { enqueueSms, type NewSms } from './sms-queue';

const quiet = { info: () => undefined, warn: () => undefined };
const sms = (n: number): NewSms => ({ organisation: 'region-h', senderSubject: 'anne', phone: `+452012${String(n).padStart(4, '0')}`, senderName: 'RegionH', text: `Besked ${n}` });

/** A gateway whose answers the test scripts, counting what it was handed per message. */
class ScriptedGateway implements SmsGateway {
  readonly name = 'scripted';
  readonly handed: OutgoingSms[] = [];
  constructor(private readonly script: (sms: OutgoingSms, attempt: number) => Promise<void> | void = () => undefined) {}
  async send(sms: OutgoingSms) {
    this.handed.push(sms);
    await this.script(sms, this.handed.filter((s) => s.messageId === sms.messageId).length);
    return { providerMessageId: `p-${sms.messageId}` };
  }
}

describe.each(DB_KINDS)('the SMS send job on %s', (kind) => {
  let store: Store;
  let url: string;
  let clock: ManualClock;
  const stores: Store[] = [];
  const open = async (url: string) => {
    const s = await openStore(url);
    stores.push(s);
    return s;
  };
  const dispatcher = (gateway: SmsGateway, options: Partial<SmsDispatcherOptions> = {}, on = store) => new SmsDispatcher(on, clock, clock, gateway, quiet, options);
  const message = (id: string) => store.db.selectFrom('sms_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const dirs: string[] = [];
  /** A database two stores (two server instances) can open: a file for SQLite. */
  const sharedUrl = async () => {
    if (kind === 'postgres') return freshDatabaseUrl(kind);
    const dir = mkdtempSync(path.join(tmpdir(), 'vdx-sms-'));
    dirs.push(dir);
    return `sqlite:${path.join(dir, 'vdx.db')}`;
  };

  beforeEach(async () => {
    clock = new ManualClock('2026-03-02T08:00:00Z');
    url = await sharedUrl();
    store = await open(url);
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('hands each queued message to the outbox once and marks it sent', async () => {
    const [a, b] = await enqueueSms(store.db, [sms(1), sms(2)], clock.now());
    const d = dispatcher(new OutboxGateway(store, clock));
    expect(await d.drain()).toBe(2);
    expect(await d.drain()).toBe(0);
    const outbox = await store.db.selectFrom('sms_outbox').selectAll().orderBy('phone').execute();
    expect(outbox.map((o) => [o.message_id, o.phone, o.text, o.sender_name])).toEqual([
      [a!.id, '+4520120001', 'Besked 1', 'RegionH'],
      [b!.id, '+4520120002', 'Besked 2', 'RegionH'],
    ]);
    expect(await message(a!.id)).toMatchObject({ status: 'sent', provider: 'outbox', provider_message_id: outbox[0]!.id, attempts: 1, sent_at: clock.now().toISOString(), lease_until: null });
  });

  it('retries a 5xx with growing backoff and sends once the gateway recovers', async () => {
    const [m] = await enqueueSms(store.db, [sms(3)], clock.now());
    const gateway = new ScriptedGateway((_s, attempt) => {
      if (attempt <= 2) throw new SmsSendError(true, 'gateway answered 503');
    });
    const d = dispatcher(gateway, { backoffMs: (n) => 1000 * 2 ** (n - 1) });
    await d.drain();
    expect(await message(m!.id)).toMatchObject({ status: 'queued', attempts: 1, failure_reason: 'gateway answered 503', next_attempt_at: '2026-03-02T08:00:01.000Z' });
    // Not due yet: nothing is tried.
    expect(await d.drain()).toBe(0);
    clock.advance(1000);
    await d.drain();
    expect(await message(m!.id)).toMatchObject({ status: 'queued', attempts: 2, next_attempt_at: '2026-03-02T08:00:03.000Z' });
    clock.advance(2000);
    await d.drain();
    expect(await message(m!.id)).toMatchObject({ status: 'sent', attempts: 3, failure_reason: null });
    expect(gateway.handed.map((s) => s.idempotencyKey)).toEqual([`sms:${m!.id}`, `sms:${m!.id}`, `sms:${m!.id}`]);
  });

  it('counts a gateway that does not answer in time as a timeout and tries again', async () => {
    const [m] = await enqueueSms(store.db, [sms(4)], clock.now());
    const gateway = new ScriptedGateway((_s, attempt) => (attempt === 1 ? new Promise<void>(() => undefined) : undefined));
    const d = dispatcher(gateway, { sendTimeoutMs: 30, backoffMs: () => 500 });
    await d.drain();
    expect(await message(m!.id)).toMatchObject({ status: 'queued', failure_reason: 'no answer from scripted within 30 ms' });
    clock.advance(500);
    await d.drain();
    expect(await message(m!.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('fails a refused message at once, and a retryable one after maxAttempts, with the reason', async () => {
    const [refused, flaky] = await enqueueSms(store.db, [sms(5), sms(6)], clock.now());
    const gateway = new ScriptedGateway((s) => {
      throw s.messageId === refused!.id ? new SmsSendError(false, 'gateway refused the number (422)') : new Error('socket hang up');
    });
    const d = dispatcher(gateway, { maxAttempts: 3, backoffMs: () => 1000 });
    for (let i = 0; i < 4; i++) {
      await d.drain();
      clock.advance(1000);
    }
    expect(await message(refused!.id)).toMatchObject({ status: 'failed', attempts: 1, failure_reason: 'gateway refused the number (422)' });
    expect(await message(flaky!.id)).toMatchObject({ status: 'failed', attempts: 3, failure_reason: 'socket hang up (gave up after 3 attempts)' });
  });

  it('two instances draining one queue together send every message exactly once', async () => {
    await enqueueSms(store.db, Array.from({ length: 60 }, (_, i) => sms(100 + i)), clock.now());
    const other = await open(url);
    const gateway = new ScriptedGateway(() => new Promise((r) => setTimeout(r, 1)));
    await Promise.all([dispatcher(gateway, { batchSize: 5 }).drain(), dispatcher(gateway, { batchSize: 5 }, other).drain()]);
    const ids = gateway.handed.map((s) => s.messageId);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    const statuses = await store.db.selectFrom('sms_messages').select('status').execute();
    expect(statuses.every((s) => s.status === 'sent')).toBe(true);
  });

  it('after a restart mid-send, the next instance sends the message again and the outbox still holds it once', async () => {
    const [m] = await enqueueSms(store.db, [sms(7)], clock.now());
    // The first instance hands the message to the outbox, then dies before it can record that.
    const outbox = new OutboxGateway(store, clock);
    const dying: SmsGateway = { name: 'outbox', send: async (s) => (await outbox.send(s), new Promise(() => undefined)) };
    void dispatcher(dying, { leaseMs: 60_000, sendTimeoutMs: 3_600_000 }).drain();
    await expect.poll(async () => (await store.db.selectFrom('sms_outbox').select('id').execute()).length).toBe(1);
    expect(await message(m!.id)).toMatchObject({ status: 'queued', attempts: 1 });

    const restarted = await open(url);
    const next = dispatcher(new OutboxGateway(restarted, clock), {}, restarted);
    // Its lease still holds: nobody takes the row.
    expect(await next.drain()).toBe(0);
    clock.advance(60_000);
    expect(await next.drain()).toBe(1);
    expect(await message(m!.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await store.db.selectFrom('sms_outbox').select(['message_id']).execute()).toEqual([{ message_id: m!.id }]);
  });

  it('reports itself unhealthy while a message has waited more than five minutes to be sent', async () => {
    const d = dispatcher(new ScriptedGateway(() => {
      throw new SmsSendError(true, 'gateway answered 503');
    }), { backoffMs: () => 1000 });
    await d.health();
    await enqueueSms(store.db, [sms(8)], clock.now());
    await d.drain();
    clock.advance(5 * 60_000 + 1000);
    await expect(d.health()).rejects.toThrow('1 text messages queued more than 5 minutes ago are not sent yet (scripted)');
  });
});
