import * as tokenV from '@pexip/infinity-api/dist/token/validation.js';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src-shared/platform/clock';
import { call, callers, meetingBody, templateBody, type Callers } from '../booking/booking.test-support';
import { DB_KINDS, createTestAppOn, freshDatabaseUrl, type TestApp } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';

/**
 * A booked meeting opens at start − vMRAvailableBefore, through the Pexip client API route the SDK
 * calls: not a millisecond before, and at that instant on every instance.
 */
const NO_POLL = { VDX_PROVISION_POLL_MS: '3600000' };
/** Test tokens live an hour: the clock starts within it. */
const EARLY = '2026-03-02T08:30:00Z';
const START = '2026-03-02T09:00:00.000Z';

type Validator = ((data: unknown) => boolean) & { errors?: unknown };
function sdkAnswer(res: LightMyRequestResponse, validate: Validator, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  expect(validate(res.json()), JSON.stringify(validate.errors)).toBe(true);
  return res.json() as { status: string; result: unknown };
}

/** The SDK's first call: request_token (host PIN), as the guest page or an SDK client makes it. */
const requestToken = (t: TestApp, alias: string, pin: string) =>
  t.app.inject({ method: 'POST', url: `/api/client/v2/conferences/${alias}/request_token`, headers: { pin }, payload: { display_name: 'Læge' } });

async function expectClosed(t: TestApp, alias: string, pin: string) {
  expect(sdkAnswer(await requestToken(t, alias, pin), tokenV.validateRequestToken404, 404).result).toBe('Neither conference nor gateway found');
}
async function expectOpen(t: TestApp, alias: string, pin: string) {
  sdkAnswer(await requestToken(t, alias, pin), tokenV.validateRequestToken200, 200);
}

async function book(t: TestApp, c: Callers, startTime = START, endTime = '2026-03-02T10:00:00Z') {
  const res = await call(t, c.userA, 'POST', 'meetings', meetingBody({ startTime, endTime }));
  expect(res.statusCode, res.body).toBe(200);
  const uuid = res.json<{ uuid: string }>().uuid;
  const info = (await call(t, c.userA, 'GET', `scheduling-info/${uuid}`)).json<{ uriWithDomain: string; hostPin: number; provisionStatus: string }>();
  return { uuid, alias: info.uriWithDomain, pin: String(info.hostPin) };
}

const statusOf = async (t: TestApp, c: Callers, uuid: string) =>
  (await call(t, c.userA, 'GET', `scheduling-info/${uuid}`)).json<{ provisionStatus: string }>().provisionStatus;

describe.each(DB_KINDS)('a booked meeting opens at its start (%s)', (kind) => {
  const t = useTestApp(kind, { env: NO_POLL, clock: new ManualClock(EARLY) });
  let c: Callers;

  beforeAll(async () => {
    c = await callers(t);
    expect((await call(t, c.admin, 'POST', 'scheduling-templates', templateBody({ vMRAvailableBefore: 0 }))).statusCode).toBe(200);
  });
  afterEach(() => t.clock.set(EARLY));

  it('is not joinable a millisecond before the due instant, and joinable at it without a poll', async () => {
    const m = await book(t, c);
    t.clock.set('2026-03-02T08:59:59.999Z');
    await t.handles.conferenceProvisioner.settled();
    await expectClosed(t, m.alias, m.pin);
    expect(await statusOf(t, c, m.uuid)).toBe('AWAITS_PROVISION');

    t.clock.set(START);
    await t.handles.conferenceProvisioner.settled();
    // The timer provisioned it: the booking API already says so, before anyone dialled.
    expect(await statusOf(t, c, m.uuid)).toBe('PROVISIONED_OK');
    await expectOpen(t, m.alias, m.pin);
  });

  it('follows a meeting moved later, and never opens a cancelled one', async () => {
    const moved = await book(t, c, '2026-03-02T09:00:00Z');
    const cancelled = await book(t, c, '2026-03-02T09:00:00Z');
    const patched = await call(t, c.userA, 'PATCH', `meetings/${moved.uuid}`, { startTime: '2026-03-02T09:30:00Z' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await call(t, c.userA, 'DELETE', `meetings/${cancelled.uuid}`)).statusCode).toBe(204);

    t.clock.set(START);
    await t.handles.conferenceProvisioner.settled();
    await expectClosed(t, moved.alias, moved.pin);
    await expectClosed(t, cancelled.alias, cancelled.pin);
    expect(t.handles.conferenceProvisioner.nextWake?.toISOString()).toBe('2026-03-02T09:30:00.000Z');

    t.clock.set('2026-03-02T09:30:00Z');
    await t.handles.conferenceProvisioner.settled();
    await expectOpen(t, moved.alias, moved.pin);
  });
});

describe('two instances on one PostgreSQL database', () => {
  let a: TestApp;
  let b: TestApp;
  let c: Callers;
  const reports: string[] = [];

  beforeAll(async () => {
    const url = await freshDatabaseUrl('postgres');
    a = await createTestAppOn(url, NO_POLL, new ManualClock(EARLY));
    b = await createTestAppOn(url, NO_POLL, new ManualClock(EARLY));
    c = await callers(a);
    for (const [name, app] of [['a', a], ['b', b]] as const) {
      app.handles.domainEvents.on('scheduling-info.changed', (e) => void (e.provisionStatus === 'PROVISIONED_OK' && reports.push(name)));
    }
    expect((await call(a, c.admin, 'POST', 'scheduling-templates', templateBody({ vMRAvailableBefore: 0 }))).statusCode).toBe(200);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('a meeting booked through A opens at its start through B, whose timer knows nothing of it, and is provisioned once', async () => {
    const m = await book(a, c);
    // B heard no event (scheduling-info.changed is not relayed) and has not polled since.
    expect(b.handles.conferenceProvisioner.nextWake).toBeNull();
    b.clock.set('2026-03-02T08:59:59.999Z');
    await expectClosed(b, m.alias, m.pin);

    b.clock.set(START);
    await expectOpen(b, m.alias, m.pin);
    expect(reports).toEqual(['b']);

    // A's timer fires at the same instant by its clock: the meeting is no longer waiting, so A
    // reports nothing, and hosts it when it is dialled there.
    a.clock.set(START);
    await a.handles.conferenceProvisioner.settled();
    expect(reports).toEqual(['b']);
    await expectOpen(a, m.alias, m.pin);
    expect(await statusOf(a, c, m.uuid)).toBe('PROVISIONED_OK');
  });

  it('both timers firing at one instant provision a meeting once', async () => {
    reports.length = 0;
    const m = await book(a, c, '2026-03-02T09:10:00Z', '2026-03-02T10:00:00Z');
    // B learns the next due instant from the queue on its next pass (here: run by hand instead of the poll).
    await b.handles.conferenceProvisioner.runOnce();
    expect(b.handles.conferenceProvisioner.nextWake?.toISOString()).toBe('2026-03-02T09:10:00.000Z');
    a.clock.set('2026-03-02T09:10:00Z');
    b.clock.set('2026-03-02T09:10:00Z');
    await Promise.all([a.handles.conferenceProvisioner.settled(), b.handles.conferenceProvisioner.settled()]);
    expect(reports).toHaveLength(1);
    await expectOpen(a, m.alias, m.pin);
    await expectOpen(b, m.alias, m.pin);
  });
});
