import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/platform/clock';
import { call, callers, meetingBody, templateBody } from '../../booking/booking.test-support';
import { DB_KINDS } from '../../test-support/test-app';
import { useForSuite } from '../../test-support/use-test-app';
import { adminHeaders, createConferenceTestApp, fakeSdp } from '../conference.test-support';

const base = '/api/client/v2/conferences';

/** What the SDK sends every 10 s on a healthy call: 720p video at 25 fps, little loss and jitter. */
const GOOD = {
  audio: { rx_packets_received: 500, rx_historic_packet_loss: 0.1, rx_jitter: 8, rx_bitrate: 32 },
  video: { rx_packets_received: 900, rx_windowed_packet_loss: 0.2, rx_fps: 25, rx_resolution: '1280x720', rx_bitrate: 900 },
};
/** A call through a bad network: 8 % of packets lost. */
const LOSSY = { audio: { ...GOOD.audio, rx_historic_packet_loss: 8 }, video: { ...GOOD.video, rx_windowed_packet_loss: 8 } };

describe.each(DB_KINDS)('call records (%s)', (kind) => {
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  // Participants here open no event stream: a long grace keeps them in until they leave.
  const t = useForSuite(() => createConferenceTestApp(kind, { clock, env: { VDX_CONFERENCE_STREAM_GRACE_MS: '600000' } }));
  let n = 0;

  async function createVmr() {
    const alias = `records${++n}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/management/v1/vmrs',
      headers: await adminHeaders(t),
      // Server media: each call is answered at once by the (fake) media engine.
      payload: { alias, name: `Rum ${n}`, hostPin: '1234', guestPin: '5678', directMedia: 'never' },
    });
    expect(res.statusCode, res.body).toBe(201);
    return alias;
  }

  async function join(alias: string, pin: string, name: string, callTag = 'some-epj-client') {
    const res = await t.app.inject({
      method: 'POST',
      url: `${base}/${alias}/request_token`,
      headers: { pin },
      payload: { display_name: name, call_tag: callTag },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { token, participant_uuid: uuid } = res.json().result as { token: string; participant_uuid: string };
    const call = await t.app.inject({
      method: 'POST',
      url: `${base}/${alias}/participants/${uuid}/calls`,
      headers: { token },
      payload: { call_type: 'WEBRTC', sdp: fakeSdp(`u${n}${name}`) },
    });
    expect(call.statusCode, call.body).toBe(200);
    const callUuid = call.json().result.call_uuid as string;
    return {
      uuid,
      stats: async (body: object) => {
        const res = await t.app.inject({ method: 'POST', url: `${base}/${alias}/participants/${uuid}/calls/${callUuid}/statistics`, headers: { token }, payload: body });
        expect(res.statusCode, res.body).toBe(200);
      },
      leave: async () => {
        const res = await t.app.inject({ method: 'POST', url: `${base}/${alias}/release_token`, headers: { token }, payload: {} });
        expect(res.statusCode, res.body).toBe(200);
      },
    };
  }

  const rows = (alias: string) =>
    t.store.db.selectFrom('conference_calls').selectAll().where('room_id', '=', `vmr:${alias}`).orderBy('joined_at').orderBy('role', 'desc').execute();

  /** Statistics every 10 s for `seconds`, as the SDK sends them. */
  async function talk(p: { stats(body: object): Promise<void> }, body: object, seconds: number) {
    for (let s = 0; s < seconds; s += 10) {
      await p.stats(body);
      clock.advance(10_000);
    }
  }

  it('a conference of two SDK clients and a kiosk is one meeting, three calls and a peak of three in the month', async () => {
    const alias = await createVmr();
    const kiosk = await join(alias, '1234', 'Mødelokale 3', 'vdx-room');
    clock.advance(60_000);
    const a = await join(alias, '5678', 'Kommunen');
    const b = await join(alias, '5678', 'Egen læge');
    // Inside the tokens' two minutes: these clients do not refresh them.
    clock.advance(50_000);
    await a.leave();
    await b.leave();
    await kiosk.leave();
    await expect.poll(async () => (await rows(alias)).map((r) => [r.client_kind, r.left_at !== null])).toEqual([
      ['room-app', true],
      ['sdk', true],
      ['sdk', true],
    ]);
    const res = await t.app.inject({ method: 'GET', url: '/management/v1/kpis?from=2026-03&to=2026-03', headers: await adminHeaders(t) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().months[0]).toMatchObject({ meetings: 1, calls: 3, peakConcurrentParticipants: 3, peakAt: '2026-03-02T09:01:00.000Z' });
  });

  it('records each participant with role, client kind, times and a quality verdict from the statistics', async () => {
    const alias = await createVmr();
    const startedAt = clock.now();
    const host = await join(alias, '1234', 'Læge Hansen');
    const guest = await join(alias, '5678', 'Borger');
    await expect.poll(async () => (await rows(alias)).length).toBe(2);

    for (let s = 0; s < 40; s += 10) {
      await host.stats(GOOD);
      await guest.stats(LOSSY);
      clock.advance(10_000);
    }
    await guest.leave();
    await host.leave();

    await expect.poll(async () => (await rows(alias)).every((r) => r.left_at !== null)).toBe(true);
    const [h, g] = await rows(alias);
    expect(h).toMatchObject({ role: 'HOST', client_kind: 'sdk', room_kind: 'vmr', joined_at: startedAt.toISOString(), left_at: new Date(startedAt.getTime() + 40_000).toISOString(), samples: 4, quality_good: 1, excluded: 0 });
    expect(g).toMatchObject({ role: 'GUEST', client_kind: 'sdk', samples: 4, quality_good: 0 });
    // One VMR session: both calls belong to the same meeting.
    expect(g!.session_id).toBe(h!.session_id);
    // Who called is kept only as a hash.
    expect(JSON.stringify([h, g])).not.toContain('Hansen');
  });

  it('a call under 30 s, or without statistics, is not judged', async () => {
    const alias = await createVmr();
    const quick = await join(alias, '5678', 'Kort opkald');
    await talk(quick, GOOD, 20);
    await quick.leave();
    const silent = await join(alias, '5678', 'Uden statistik');
    clock.advance(60_000);
    await silent.leave();
    await expect.poll(async () => (await rows(alias)).map((r) => [r.left_at !== null, r.quality_good])).toEqual([
      [true, null],
      [true, null],
    ]);
  });

  it('a rejoin within a minute continues the call; after an idle minute a VMR starts a new session', async () => {
    const alias = await createVmr();
    const first = await join(alias, '1234', 'Sygeplejerske');
    await talk(first, GOOD, 20);
    await first.leave();
    clock.advance(45_000);
    // The network dropped and the app joined again: the same call goes on (statistics summed).
    const again = await join(alias, '1234', 'Sygeplejerske');
    await talk(again, GOOD, 20);
    await again.leave();
    await expect.poll(async () => (await rows(alias)).map((r) => [r.participant_uuid, r.samples, r.left_at])).toEqual([
      [again.uuid, 4, clock.now().toISOString()],
    ]);
    const [call] = await rows(alias);
    // 20 s + 45 s away + 20 s: long enough to be judged, and good.
    expect(call!.quality_good).toBe(1);

    clock.advance(61_000);
    const later = await join(alias, '1234', 'Sygeplejerske');
    await later.leave();
    await expect.poll(async () => (await rows(alias)).length).toBe(2);
    const [a, b] = await rows(alias);
    expect(b!.session_id).not.toBe(a!.session_id);
  });

  it("files a booked meeting's calls under its organisation and meeting; MedCom's health-check meetings are never counted", async () => {
    const c = await callers(t);
    expect((await call(t, c.admin, 'POST', 'scheduling-templates', templateBody({ vMRAvailableBefore: 15 }))).statusCode).toBe(200);
    const start = new Date(clock.now().getTime() + 5 * 60_000).toISOString();
    const end = new Date(clock.now().getTime() + 65 * 60_000).toISOString();
    const booked: Record<string, { uuid: string; alias: string; pin: string }> = {};
    for (const projectCode of ['kardiologi', 'healthcheck']) {
      const res = await call(t, c.userA, 'POST', 'meetings', meetingBody({ startTime: start, endTime: end, projectCode }));
      expect(res.statusCode, res.body).toBe(200);
      const uuid = res.json<{ uuid: string }>().uuid;
      const info = (await call(t, c.userA, 'GET', `scheduling-info/${uuid}`)).json<{ uriWithDomain: string; hostPin: number }>();
      booked[projectCode] = { uuid, alias: info.uriWithDomain, pin: String(info.hostPin) };
    }
    const month = clock.now().toISOString().slice(0, 7);
    const kpis = async () =>
      (await t.app.inject({ method: 'GET', url: `/management/v1/kpis?from=${month}&to=${month}`, headers: await adminHeaders(t) })).json().months[0] as { meetings: number; calls: number };
    const before = await kpis();

    for (const m of Object.values(booked)) {
      const res = await t.app.inject({ method: 'POST', url: `${base}/${m.alias}/request_token`, headers: { pin: m.pin }, payload: { display_name: 'Læge' } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const recorded = () => t.store.db.selectFrom('conference_calls').selectAll().where('room_kind', '=', 'booked').orderBy('excluded').execute();
    await expect.poll(async () => (await recorded()).length).toBe(2);
    const [clinical, healthCheck] = await recorded();
    expect(clinical).toMatchObject({ meeting_uuid: booked.kardiologi!.uuid, organisation_code: 'region-h', excluded: 0, role: 'HOST' });
    expect(healthCheck).toMatchObject({ meeting_uuid: booked.healthcheck!.uuid, excluded: 1 });
    expect(await kpis()).toMatchObject({ meetings: before.meetings + 1, calls: before.calls + 1 });
  });
});
