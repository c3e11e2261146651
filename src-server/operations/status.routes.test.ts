import { beforeAll, describe, expect, it } from 'vitest';
import { Incident, StatusDocument } from '../../src-shared/operations/status.schema';
import { ManualClock } from '../../src-shared/platform/clock';
import { DB_KINDS } from '../test-support/test-app';
import { authHeader } from '../test-support/tokens';
import { useTestApp } from '../test-support/use-test-app';

const START = new Date('2026-06-10T10:00:00Z');
const SLOT = 30_000;

describe.each(DB_KINDS)('the status page document (/status.json) and incidents on %s', (kind) => {
  const t = useTestApp(kind, () => ({ clock: new ManualClock(START) }));
  let national: Record<string, string>;
  beforeAll(async () => {
    national = await authHeader(t, { roles: [], organisation: 'vdx', managementAdmin: true });
  });
  const status = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/status.json' });
    expect(res.statusCode).toBe(200);
    return StatusDocument.parse(res.json());
  };
  const component = (doc: StatusDocument, id: string) => doc.components.find((c) => c.id === id)!;

  const bookingSamples = async () => (await t.store.db.selectFrom('uptime_samples').select('slot_at').where('component', '=', 'booking-api').orderBy('slot_at').execute()).map((r) => r.slot_at);
  /** The prober's round runs after its timer fired; wait until it stored its sample. */
  const untilSamples = async (n: number) => {
    for (let i = 0; i < 200 && (await bookingSamples()).length < n; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await bookingSamples()).toHaveLength(n);
  };
  // The document is cached 15 s; move past it (within the same 30 s slot).
  const statusFresh = async () => {
    t.clock.advance(16_000);
    return status();
  };

  it('shows every component by its fixed id, probed every 30 s: all operational on a fresh server', async () => {
    // Three slots pass; the prober's timer takes one sample per component per slot.
    for (let i = 1; i <= 3; i++) {
      t.clock.advance(SLOT);
      await untilSamples(i);
    }
    expect(await bookingSamples()).toEqual(['2026-06-10T10:00:30.000Z', '2026-06-10T10:01:00.000Z', '2026-06-10T10:01:30.000Z']);
    const doc = await status();
    expect(doc.components.map((c) => c.id)).toEqual(['booking-api', 'conference-node', 'device-service', 'sign-in', 'sms']);
    for (const id of ['booking-api', 'conference-node', 'device-service', 'sign-in', 'sms']) expect(component(doc, id).status, id).toBe('operational');
    // 90 daily bars, today last; before probing began there is no figure, today's is 100 %.
    const bars = component(doc, 'booking-api').uptime;
    expect(bars).toHaveLength(90);
    expect(bars.at(-1)).toEqual({ date: '2026-06-10', uptimePercent: 100 });
    expect(bars.at(-2)).toEqual({ date: '2026-06-09', uptimePercent: null });
    expect(component(doc, 'sms').uptime.at(-1)!.uptimePercent).toBe(100);
  });

  it('counts slots nobody probed as downtime', async () => {
    // The server is away for two slots (no timer ran), then back: the overdue round samples the
    // slot it was due for, the next round the slot of now.
    t.clock.set('2026-06-10T10:03:30Z');
    await untilSamples(4);
    await t.handles.uptimeProber.probeOnce();
    expect(await bookingSamples()).toEqual(['2026-06-10T10:00:30.000Z', '2026-06-10T10:01:00.000Z', '2026-06-10T10:01:30.000Z', '2026-06-10T10:02:00.000Z', '2026-06-10T10:03:30.000Z']);
    // 5 of the 7 slots since probing began (10:02:30 and 10:03:00 missing).
    expect(component(await statusFresh(), 'booking-api').uptime.at(-1)).toEqual({ date: '2026-06-10', uptimePercent: 71.43 });
  });

  it('shows a failed probe as an outage, without its reason (internal) on the public page', async () => {
    // The next slot's sample for the conference node failed (written before the prober's own round).
    const next = new Date(Math.floor(t.clock.now().getTime() / SLOT) * SLOT + SLOT);
    await t.store.db
      .insertInto('uptime_samples')
      .values({ component: 'conference-node', slot_at: next.toISOString(), day: '2026-06-10', ok: 0, response_ms: 10_000, message: 'connect ECONNREFUSED 10.0.0.7:5432' })
      .execute();
    t.clock.set(next);
    const doc = await statusFresh();
    expect(component(doc, 'conference-node').status).toBe('outage');
    expect(component(doc, 'booking-api').status).toBe('operational');
    expect(JSON.stringify(doc)).not.toContain('ECONNREFUSED');
    const page = await t.app.inject({ method: 'GET', url: '/status' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<span class="state outage">Nede</span>');
    expect(page.body).not.toContain('ECONNREFUSED');
  });

  it('keeps 400 days of samples: the round at midnight removes older ones', async () => {
    const row = (slot_at: string) => ({ component: 'sms', slot_at, day: slot_at.slice(0, 10), ok: 1, response_ms: 3, message: null });
    await t.store.db.insertInto('uptime_samples').values([row('2025-05-05T10:00:00.000Z'), row('2025-05-07T10:00:00.000Z')]).execute();
    await t.handles.uptimeProber.probeOnce(new Date('2026-06-10T00:00:10Z'));
    const kept = await t.store.db.selectFrom('uptime_samples').select('slot_at').where('slot_at', '<', '2026-01-01').execute();
    // 2026-06-10 minus 400 days is 2025-05-06.
    expect(kept.map((r) => r.slot_at)).toEqual(['2025-05-07T10:00:00.000Z']);
  });

  it('lets a national admin open, update and resolve an incident, shown publicly with its updates', async () => {
    const opened = await t.app.inject({
      method: 'POST',
      url: '/management/v1/incidents',
      headers: national,
      payload: { title: 'Forsinkede SMS', status: 'investigating', componentIds: ['sms', 'booking-api'], message: 'Vi undersøger forsinkede SMS-invitationer.' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const incident = Incident.parse(opened.json());
    expect(incident).toMatchObject({ status: 'investigating', componentIds: ['sms', 'booking-api'], resolvedAt: null });

    let doc = await status();
    expect(doc.incidents.map((i) => i.id)).toContain(incident.id);
    // An open incident shows its components degraded at least.
    expect(component(doc, 'booking-api').status).toBe('degraded');

    const resolved = await t.app.inject({ method: 'PATCH', url: `/management/v1/incidents/${incident.id}`, headers: national, payload: { status: 'resolved', message: 'Løst.' } });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', updates: [{ status: 'resolved', message: 'Løst.' }, { status: 'investigating' }] });
    doc = await status();
    expect(doc.incidents.find((i) => i.id === incident.id)).toMatchObject({ status: 'resolved' });
    expect(component(doc, 'booking-api').status).toBe('operational');
    const audit = await t.store.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'incident').execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['incident.create', 'incident.update']);
  });

  it('refuses bad incidents and callers who are not national admins', async () => {
    const post = (headers: Record<string, string>, payload: object) => t.app.inject({ method: 'POST', url: '/management/v1/incidents', headers, payload });
    const good = { title: 'Nedbrud', status: 'identified', componentIds: ['conference-node'], message: 'Videomøder kan ikke startes.' };
    expect((await post(national, { ...good, componentIds: ['mainframe'] })).statusCode).toBe(400);
    expect((await post(national, { ...good, status: 'panic' })).statusCode).toBe(400);
    expect((await post(national, { ...good, title: '' })).statusCode).toBe(400);
    expect((await post({}, good)).statusCode).toBe(401);
    const regional = await authHeader(t, { roles: [], organisation: 'region-x', managementAdmin: true });
    expect((await post(regional, good)).statusCode).toBe(403);
    const unknown = await t.app.inject({ method: 'PATCH', url: '/management/v1/incidents/nope', headers: national, payload: { status: 'resolved' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'incident_not_found' } });
  });
});
