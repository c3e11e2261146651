import type { AddressInfo } from 'node:net';
import * as callV from '@pexip/infinity-api/dist/call/validation.js';
import * as confV from '@pexip/infinity-api/dist/conference/validation.js';
import * as partV from '@pexip/infinity-api/dist/participant/validation.js';
import * as tokenV from '@pexip/infinity-api/dist/token/validation.js';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminHeaders, createConferenceTestApp, fakeSdp, openEvents, type ConferenceTestApp } from './conference.test-support';
import { useForSuite } from '../test-support/use-test-app';

type Validator = ((data: unknown) => boolean) & { errors?: unknown };

/** Asserts the response with the SDK's own validator for that endpoint and status. */
function sdkValid(res: LightMyRequestResponse, validate: Validator, status: number, readsText = status === 204) {
  expect(res.statusCode, res.body).toBe(status);
  if (status !== 204) expect(res.headers['content-type']).toBe('application/json');
  // For some statuses the SDK validates the raw body text, not parsed JSON.
  const data = readsText ? res.body : res.json();
  const ok = validate(data);
  expect(ok, `${JSON.stringify(validate.errors)} for ${res.body}`).toBe(true);
  return status === 204 ? undefined : (res.json() as { status: string; result: any }); // eslint-disable-line @typescript-eslint/no-explicit-any
}

const base = '/api/client/v2/conferences';

describe('Pexip client API v2', () => {
  const t = useForSuite(() => createConferenceTestApp('sqlite'));
  let url: string;
  let n = 0;
  let alias: string;

  beforeAll(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });

  async function createVmr(extra: Record<string, unknown> = {}) {
    alias = `room${++n}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/management/v1/vmrs',
      headers: await adminHeaders(t),
      payload: { alias, name: `Rum ${n}`, hostPin: '1234', guestPin: '5678', ...extra },
    });
    expect(res.statusCode, res.body).toBe(201);
    return alias;
  }

  async function join(pin: string | undefined, name = 'Alice', a = alias, extra: Record<string, unknown> = {}, remoteAddress?: string) {
    return t.app.inject({
      method: 'POST',
      url: `${base}/${a}/request_token`,
      headers: pin === undefined ? {} : { pin },
      payload: { display_name: name, direct_media: true, chosen_idp: 'none', sso_token: 'none', node: 'vdx.test', ...extra },
      ...(remoteAddress ? { remoteAddress } : {}),
    });
  }

  async function joined(pin: string, name: string, a = alias) {
    const res = await join(pin, name, a);
    const body = sdkValid(res, tokenV.validateRequestToken200, 200)!;
    return body.result as { token: string; participant_uuid: string; role: string; current_service_type: string; direct_media: boolean; pex_datachannel_id?: number };
  }

  const post = (path: string, token: string, payload?: object): Promise<LightMyRequestResponse> => {
    const options: InjectOptions = { method: 'POST', url: `${base}/${alias}/${path}`, headers: { token } };
    if (payload !== undefined) options.payload = payload;
    return t.app.inject(options);
  };

  describe('joining', () => {
    beforeEach(async () => {
      await createVmr();
    });

    it('answers an unknown alias the way the SDK shows "conference not found"', async () => {
      const res = await join('1234', 'Alice', 'no-such-room');
      const body = sdkValid(res, tokenV.validateRequestToken404, 404);
      expect(body?.result).toBe('Neither conference nor gateway found');
    });

    it('asks for a PIN, refuses a wrong one and admits host and guest with their roles', async () => {
      const asked = sdkValid(await join(undefined), tokenV.validateRequestToken403, 403);
      expect(asked?.result).toMatchObject({ pin: 'required', guest_pin: 'required' });
      const wrong = sdkValid(await join('0000'), tokenV.validateRequestToken403, 403);
      expect(wrong?.result).toBe('Invalid PIN');
      const host = await joined('1234', 'Vært');
      expect(host).toMatchObject({ role: 'HOST', current_service_type: 'conference', direct_media: true, pex_datachannel_id: 3 });
      const guest = await joined('5678', 'Gæst');
      expect(guest.role).toBe('GUEST');
      const list = sdkValid(await t.app.inject({ method: 'GET', url: `${base}/${alias}/participants`, headers: { token: guest.token } }), confV.validateParticipants200, 200);
      expect(list?.result.map((p: { role: string }) => p.role).sort()).toEqual(['chair', 'guest']);
    });

    it('lets guests in with "none" when the room has no guest PIN', async () => {
      await createVmr({ guestPin: null });
      const asked = sdkValid(await join(undefined), tokenV.validateRequestToken403, 403);
      expect(asked?.result).toMatchObject({ pin: 'required', guest_pin: 'none' });
      const guest = await joined('none', 'Gæst');
      expect(guest.role).toBe('GUEST');
    });

    it('rate-limits wrong PINs per alias and address, while other addresses still get in', async () => {
      for (let i = 0; i < 5; i++) {
        const wrong = sdkValid(await join('9999', 'x', alias, {}, '10.0.0.7'), tokenV.validateRequestToken403, 403);
        expect(wrong?.result).toBe('Invalid PIN');
      }
      const blocked = sdkValid(await join('1234', 'x', alias, {}, '10.0.0.7'), tokenV.validateRequestToken403, 403);
      expect(blocked?.result).toBe('Participant exceeded PIN entry retries');
      sdkValid(await join('1234', 'y', alias, {}, '10.0.0.8'), tokenV.validateRequestToken200, 200);
      t.clock.advance(61_000);
      sdkValid(await join('1234', 'x', alias, {}, '10.0.0.7'), tokenV.validateRequestToken200, 200);
    });

    it('refreshes, expires and releases tokens; refuses another room\'s token', async () => {
      const me = await joined('1234', 'Alice');
      const refreshed = sdkValid(await post('refresh_token', me.token), tokenV.validateRefreshToken200, 200);
      expect(refreshed?.result.expires).toBe('120');
      const other = alias;
      await createVmr();
      const foreign = sdkValid(await t.app.inject({ method: 'POST', url: `${base}/${alias}/refresh_token`, headers: { token: me.token } }), tokenV.validateRefreshToken403, 403);
      expect(foreign?.result).toBe('Invalid token');
      alias = other;
      sdkValid(await t.app.inject({ method: 'GET', url: `${base}/${alias}/theme/`, headers: { token: refreshed!.result.token } }), confV.validateTheme204, 204);
      t.clock.advance(121_000);
      const expired = sdkValid(await post('refresh_token', me.token), tokenV.validateRefreshToken403, 403);
      expect(expired?.result).toBe('Invalid token');
      // The SDK's tab-close path: sendBeacon with ?token= and a JSON blob.
      const me2 = await joined('1234', 'Bob');
      const beacon = await t.app.inject({
        method: 'POST',
        url: `${base}/${alias}/release_token?token=${me2.token}`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ reason: 'Browser closed' }),
      });
      sdkValid(beacon, tokenV.validateReleaseToken200, 200);
      sdkValid(await post('release_token', me2.token, {}), tokenV.validateReleaseToken403, 403);
    });

    it('honours maxParticipants', async () => {
      await createVmr({ maxParticipants: 1 });
      await joined('1234', 'A');
      const full = sdkValid(await join('1234', 'B'), tokenV.validateRequestToken403, 403);
      expect(full?.result).toBe('Participant limit reached');
    });

    it('sends a locked room\'s guests to the waiting room; the host PIN bypasses the lock; admit lets them in', async () => {
      await createVmr({ lockedByDefault: true });
      const host = await joined('1234', 'Vært');
      const guest = await joined('5678', 'Gæst');
      expect(guest.current_service_type).toBe('waiting_room');
      expect(host.current_service_type).toBe('conference');
      const events = await openEvents(url, alias, guest.token);
      try {
        const admit = await post(`participants/${guest.participant_uuid}/unlock`, host.token);
        sdkValid(admit, partV.validateUnlockParticipant200, 200);
        for (;;) {
          const update = (await events.next('participant_update')) as { uuid: string; service_type: string };
          if (update.uuid === guest.participant_uuid && update.service_type === 'conference') break;
        }
      } finally {
        await events.close();
      }
    });
  });

  describe('conference control', () => {
    let host: Awaited<ReturnType<typeof joined>>;
    let guest: Awaited<ReturnType<typeof joined>>;
    beforeEach(async () => {
      await createVmr({ guestsCanPresent: false });
      host = await joined('1234', 'Vært');
      guest = await joined('5678', 'Gæst');
    });

    it('sends the participant list on connect, then chat, hands, lock, mutes and the floor as events', async () => {
      const ev = await openEvents(url, alias, guest.token);
      try {
        await ev.next('participant_sync_begin');
        const created = (await ev.next('participant_create')) as Record<string, unknown>;
        // Every participant object passes the SDK's participant schema.
        expect(confV.validateParticipants200({ status: 'success', result: [created] })).toBe(true);
        await ev.next('participant_sync_end');
        expect(await ev.next('conference_update')).toMatchObject({ locked: false, guests_muted: false, started: true, direct_media: true });

        sdkValid(await post('message', host.token, { type: 'text/plain', payload: 'Hej' }), confV.validateMessageConference200, 200);
        expect(await ev.next('message_received')).toMatchObject({ origin: 'Vært', uuid: host.participant_uuid, type: 'text/plain', payload: 'Hej' });

        sdkValid(await post(`participants/${guest.participant_uuid}/buzz`, guest.token), partV.validateBuzzParticipant200, 200);
        expect(await ev.next('participant_update')).toMatchObject({ uuid: guest.participant_uuid, buzz_time: expect.any(Number) });
        sdkValid(await post(`participants/${guest.participant_uuid}/clearbuzz`, guest.token), partV.validateClearbuzzParticipant200, 200);
        sdkValid(await post('clearallbuzz', host.token), confV.validateClearAllBuzz200, 200);

        sdkValid(await post('lock', host.token), confV.validateLock200, 200);
        expect(await ev.next('conference_update')).toMatchObject({ locked: true });
        sdkValid(await post('unlock', host.token), confV.validateUnlock200, 200);
        expect(await ev.next('conference_update')).toMatchObject({ locked: false });

        sdkValid(await post(`participants/${guest.participant_uuid}/mute`, host.token), partV.validateMuteParticipant200, 200);
        sdkValid(await post(`participants/${guest.participant_uuid}/unmute`, host.token), partV.validateUnmuteParticipant200, 200);
        sdkValid(await post(`participants/${guest.participant_uuid}/video_muted`, guest.token), partV.validateVideoMuteParticipant200, 200);
        sdkValid(await post(`participants/${guest.participant_uuid}/video_unmuted`, guest.token), partV.validateVideoUnmuteParticipant200, 200);

        sdkValid(await post('muteguests', host.token), confV.validateMuteguests200, 200);
        expect(await ev.next('conference_update')).toMatchObject({ guests_muted: true });
        // A muted guest cannot unmute themselves.
        const selfUnmute = sdkValid(await post(`participants/${guest.participant_uuid}/unmute`, guest.token), partV.validateUnmuteParticipant403, 403);
        expect(selfUnmute?.result).toBe('Permission denied');
        sdkValid(await post('unmuteguests', host.token), confV.validateUnmuteguests200, 200);

        sdkValid(await post(`participants/${host.participant_uuid}/take_floor`, host.token), partV.validateTakeFloor200, 200);
        expect(await ev.next('presentation_start')).toMatchObject({ presenter_uuid: host.participant_uuid });
        sdkValid(await post(`participants/${host.participant_uuid}/release_floor`, host.token), partV.validateReleaseFloor200, 200);
        await ev.next('presentation_stop');
        // guestsCanPresent: false
        sdkValid(await post(`participants/${guest.participant_uuid}/take_floor`, guest.token), partV.validateTakeFloor403, 403);
      } finally {
        await ev.close();
      }
    });

    it('keeps host controls for hosts', async () => {
      expect((await post('lock', guest.token)).statusCode).toBe(403);
      sdkValid(await post(`participants/${host.participant_uuid}/mute`, guest.token), partV.validateMuteParticipant403, 403);
      sdkValid(await post(`participants/${host.participant_uuid}/disconnect`, guest.token), partV.validateDisconnectParticipant403, 403);
      expect((await post('disconnect', guest.token)).statusCode).toBe(403);
    });

    it('kicks a participant and ends the conference for everyone', async () => {
      const ev = await openEvents(url, alias, guest.token);
      const hostEv = await openEvents(url, alias, host.token);
      try {
        sdkValid(await post(`participants/${guest.participant_uuid}/disconnect`, host.token), partV.validateDisconnectParticipant200, 200);
        expect(await ev.next('disconnect')).toMatchObject({ reason: 'Disconnected by another participant' });
        expect(await hostEv.next('participant_delete')).toEqual({ uuid: guest.participant_uuid });
        sdkValid(await post('message', guest.token, { type: 'text/plain', payload: 'x' }), tokenV.validateRefreshToken403, 403);
        sdkValid(await post('disconnect', host.token), confV.validateDisconnect200, 200);
        expect(await hostEv.next('disconnect')).toMatchObject({ reason: 'Conference terminated by another participant' });
        sdkValid(await post('refresh_token', host.token), tokenV.validateRefreshToken403, 403);
      } finally {
        await ev.close();
        await hostEv.close();
      }
    });

    it('removes a participant whose event stream stays closed', async () => {
      const ev = await openEvents(url, alias, guest.token);
      await ev.next('participant_sync_end');
      const hostEv = await openEvents(url, alias, host.token);
      try {
        await hostEv.next('participant_sync_end');
        await ev.close();
        expect(await hostEv.next('participant_delete', 3000)).toEqual({ uuid: guest.participant_uuid });
        sdkValid(await post('refresh_token', guest.token), tokenV.validateRefreshToken403, 403);
      } finally {
        await hostEv.close();
      }
    });

    it('answers unknown participants and calls with a clean 4xx', async () => {
      expect((await post('participants/nope/mute', host.token)).json()).toEqual({ status: 'failed', result: 'Participant not found' });
      const res = await post(`participants/${host.participant_uuid}/calls/nope/ack`, host.token, {});
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ status: 'failed', result: 'Call not found' });
      // Another participant's call endpoints are not yours.
      expect((await post(`participants/${guest.participant_uuid}/calls`, host.token, { call_type: 'WEBRTC', sdp: fakeSdp() })).statusCode).toBe(403);
    });
  });

  describe('direct media', () => {
    it('relays offer, answer, candidates and renegotiation between two participants', async () => {
      await createVmr();
      const a = await joined('1234', 'A');
      const b = await joined('5678', 'B');
      const evA = await openEvents(url, alias, a.token);
      const evB = await openEvents(url, alias, b.token);
      try {
        const first = sdkValid(await post(`participants/${a.participant_uuid}/calls`, a.token, { call_type: 'WEBRTC', sdp: fakeSdp('aOld'), media_type: 'video' }), partV.validateCallsWebrtcParticipant200, 200);
        expect(first?.result).toMatchObject({ sdp: '', offer_ignored: true });
        const callA = first!.result.call_uuid as string;
        // A candidate of the ignored offer goes nowhere.
        sdkValid(await post(`participants/${a.participant_uuid}/calls/${callA}/new_candidate`, a.token, { candidate: 'candidate:1 1 udp 1 127.0.0.1 1 typ host', mid: '0', ufrag: 'aOld' }), callV.validateNewCandidate200, 200);

        const held = post(`participants/${b.participant_uuid}/calls`, b.token, { call_type: 'WEBRTC', sdp: fakeSdp('bUfrag') });
        expect(await evA.next('new_offer')).toEqual({ sdp: fakeSdp('bUfrag') });
        sdkValid(await post(`participants/${a.participant_uuid}/calls/${callA}/ack`, a.token, { sdp: fakeSdp('aNew') }), callV.validateAck200, 200);
        const second = sdkValid(await held, partV.validateCallsWebrtcParticipant200, 200);
        expect(second?.result.sdp).toBe(fakeSdp('aNew'));
        const callB = second!.result.call_uuid as string;
        sdkValid(await post(`participants/${b.participant_uuid}/calls/${callB}/ack`, b.token, {}), callV.validateAck200, 200);

        sdkValid(await post(`participants/${b.participant_uuid}/calls/${callB}/new_candidate`, b.token, { candidate: 'candidate:2 1 udp 1 127.0.0.1 2 typ host', mid: '0', ufrag: 'bUfrag' }), callV.validateNewCandidate200, 200);
        expect(await evA.next('new_candidate')).toEqual({ candidate: 'candidate:2 1 udp 1 127.0.0.1 2 typ host', mid: '0', ufrag: 'bUfrag' });
        await post(`participants/${a.participant_uuid}/calls/${callA}/new_candidate`, a.token, { candidate: 'candidate:3 1 udp 1 127.0.0.1 3 typ host', mid: '0', ufrag: 'aNew' });
        expect(await evB.next('new_candidate')).toMatchObject({ candidate: 'candidate:3 1 udp 1 127.0.0.1 3 typ host' });
        expect(evB.all('new_candidate')).toHaveLength(1);

        // Renegotiation: B's update reaches A as update_sdp; A's answer completes B's update.
        const upd = post(`participants/${b.participant_uuid}/calls/${callB}/update`, b.token, { sdp: fakeSdp('bUfrag', 'a=sendonly'), fecc_supported: false });
        expect(await evA.next('update_sdp')).toEqual({ sdp: fakeSdp('bUfrag', 'a=sendonly') });
        await post(`participants/${a.participant_uuid}/calls/${callA}/ack`, a.token, { sdp: fakeSdp('aNew', 'a=recvonly') });
        const updated = sdkValid(await upd, callV.validateUpdate200, 200);
        expect(updated?.result).toEqual({ call_uuid: callB, sdp: fakeSdp('aNew', 'a=recvonly') });

        // Glare: both renegotiate; B (impolite) ignores A's offer, A (polite) answers B's.
        const updA = post(`participants/${a.participant_uuid}/calls/${callA}/update`, a.token, { sdp: fakeSdp('aNew', 'a=x-a') });
        const updB = post(`participants/${b.participant_uuid}/calls/${callB}/update`, b.token, { sdp: fakeSdp('bUfrag', 'a=x-b') });
        await evB.next('update_sdp');
        await evA.next('update_sdp');
        await post(`participants/${b.participant_uuid}/calls/${callB}/ack`, b.token, { sdp: 'offer_ignored', offer_ignored: true });
        await post(`participants/${a.participant_uuid}/calls/${callA}/ack`, a.token, { sdp: fakeSdp('aNew', 'a=answer') });
        expect(sdkValid(await updA, callV.validateUpdate200, 200)?.result).toBe('');
        expect(sdkValid(await updB, callV.validateUpdate200, 200)?.result).toMatchObject({ sdp: fakeSdp('aNew', 'a=answer') });

        // Statistics are accepted.
        sdkValid(await post(`participants/${a.participant_uuid}/calls/${callA}/statistics`, a.token, { audio: {} }), callV.validateStatistics200, 200);

        // B leaves: A is told to restart its call.
        sdkValid(await post('release_token', b.token, {}), tokenV.validateReleaseToken200, 200);
        await evA.next('peer_disconnect');
        sdkValid(await post(`participants/${a.participant_uuid}/calls/${callA}/disconnect`, a.token), callV.validateDisconnectCall200, 200);
        const again = sdkValid(await post(`participants/${a.participant_uuid}/calls`, a.token, { call_type: 'WEBRTC', sdp: fakeSdp('aThird') }), partV.validateCallsWebrtcParticipant200, 200);
        expect(again?.result.offer_ignored).toBe(true);
      } finally {
        await evA.close();
        await evB.close();
      }
    });

    /** An SDP like the SDK's offer for a call type: one section per medium, then its data channel. */
    const callTypeSdp = (ufrag: string, kinds: string[], appMid = String(kinds.length)) =>
      [
        'v=0',
        'o=- 1 2 IN IP4 127.0.0.1',
        's=-',
        't=0 0',
        `a=group:BUNDLE ${[...kinds.map((_, i) => String(i)), appMid].join(' ')}`,
        ...kinds.flatMap((kind, i) => [`m=${kind} 9 UDP/TLS/RTP/SAVPF 96`, 'c=IN IP4 0.0.0.0', `a=ice-ufrag:${ufrag}`, 'a=ice-pwd:abcdefghijklmnopqrstuvwx', `a=mid:${i}`]),
        'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
        `a=mid:${appMid}`,
        'a=sctp-port:5000',
        '',
      ].join('\r\n');

    it("puts the data channel at the answerer's pex_datachannel_id for any call type, and back for the offerer", async () => {
      await createVmr();
      const a = await joined('1234', 'A');
      const b = await joined('5678', 'B');
      expect([a.pex_datachannel_id, b.pex_datachannel_id]).toEqual([3, 3]);
      const evA = await openEvents(url, alias, a.token);
      try {
        // Both join with AudioVideo: audio, video, data channel at mid 2.
        const first = sdkValid(await post(`participants/${a.participant_uuid}/calls`, a.token, { call_type: 'WEBRTC', sdp: callTypeSdp('a1', ['audio', 'video']) }), partV.validateCallsWebrtcParticipant200, 200);
        expect(first?.result.offer_ignored).toBe(true);
        const held = post(`participants/${b.participant_uuid}/calls`, b.token, { call_type: 'WEBRTC', sdp: callTypeSdp('b1', ['audio', 'video']) });
        // A's SDK opens pexChannel (id 3) only in a section with mid 3.
        expect(await evA.next('new_offer')).toEqual({ sdp: callTypeSdp('b1', ['audio', 'video'], '3') });
        await post(`participants/${a.participant_uuid}/calls/${first!.result.call_uuid}/ack`, a.token, { sdp: callTypeSdp('a2', ['audio', 'video'], '3') });
        // B's PeerConnection knows that section as mid 2.
        const answer = sdkValid(await held, partV.validateCallsWebrtcParticipant200, 200);
        expect(answer?.result.sdp).toBe(callTypeSdp('a2', ['audio', 'video']));
      } finally {
        await evA.close();
      }
    });

    it('lets the participant with more media sections offer, so the other never has to add one', async () => {
      await createVmr();
      const a = await joined('1234', 'A');
      const b = await joined('5678', 'B');
      const evA = await openEvents(url, alias, a.token);
      const evB = await openEvents(url, alias, b.token);
      try {
        // A joined with AudioVideoPresentation and waits; B offers AudioVideo, which has no section
        // for A's presentation transceiver: B is told to wait instead and A to offer again.
        const avp = ['audio', 'video', 'video'];
        sdkValid(await post(`participants/${a.participant_uuid}/calls`, a.token, { call_type: 'WEBRTC', sdp: callTypeSdp('a1', avp) }), partV.validateCallsWebrtcParticipant200, 200);
        const fromB = sdkValid(await post(`participants/${b.participant_uuid}/calls`, b.token, { call_type: 'WEBRTC', sdp: callTypeSdp('b1', ['audio', 'video']) }), partV.validateCallsWebrtcParticipant200, 200);
        expect(fromB?.result.offer_ignored).toBe(true);
        await evA.next('peer_disconnect');
        const held = post(`participants/${a.participant_uuid}/calls`, a.token, { call_type: 'WEBRTC', sdp: callTypeSdp('a2', avp) });
        expect(await evB.next('new_offer')).toEqual({ sdp: callTypeSdp('a2', avp) });
        await post(`participants/${b.participant_uuid}/calls/${fromB!.result.call_uuid}/ack`, b.token, { sdp: callTypeSdp('b2', avp) });
        expect(sdkValid(await held, partV.validateCallsWebrtcParticipant200, 200)?.result.sdp).toBe(callTypeSdp('b2', avp));
        expect(evB.all('peer_disconnect')).toHaveLength(0);
      } finally {
        await evA.close();
        await evB.close();
      }
    });

    it("tells an admitted guest to restart only once its SDK has had time to read the offer_ignored of its waiting-room call", async () => {
      await createVmr({ lockedByDefault: true });
      const host = await joined('1234', 'Vært');
      const guest = await joined('5678', 'Gæst');
      const events = await openEvents(url, alias, guest.token);
      try {
        const waiting = sdkValid(await post(`participants/${guest.participant_uuid}/calls`, guest.token, { call_type: 'WEBRTC', sdp: fakeSdp('g1') }), partV.validateCallsWebrtcParticipant200, 200);
        expect(waiting?.result.offer_ignored).toBe(true);
        // Admitted at once: the event stream could overtake that answer, so the restart waits.
        await post(`participants/${guest.participant_uuid}/unlock`, host.token);
        for (;;) {
          const update = (await events.next('participant_update')) as { uuid: string; service_type: string };
          if (update.uuid === guest.participant_uuid && update.service_type === 'conference') break;
        }
        expect(events.all('peer_disconnect')).toHaveLength(0);
        await events.next('peer_disconnect');
      } finally {
        await events.close();
      }
    });

    it('escalates to server media when a third joins, and uses it from the start with directMedia never', async () => {
      await createVmr();
      const a = await joined('1234', 'A');
      const b = await joined('5678', 'B');
      const evA = await openEvents(url, alias, a.token);
      const evB = await openEvents(url, alias, b.token);
      try {
        const ca = sdkValid(await post(`participants/${a.participant_uuid}/calls`, a.token, { call_type: 'WEBRTC', sdp: fakeSdp('a1') }), partV.validateCallsWebrtcParticipant200, 200);
        const held = post(`participants/${b.participant_uuid}/calls`, b.token, { call_type: 'WEBRTC', sdp: fakeSdp('b1') });
        await evA.next('new_offer');
        await post(`participants/${a.participant_uuid}/calls/${ca!.result.call_uuid}/ack`, a.token, { sdp: fakeSdp('a2') });
        await held;
        const before = t.media.length;
        const c = await joined('5678', 'C');
        expect(c.direct_media).toBe(false);
        await evA.next('peer_disconnect');
        await evB.next('peer_disconnect');
        expect(await evA.next('conference_update')).toMatchObject({ direct_media: false });
        const answer = sdkValid(await post(`participants/${a.participant_uuid}/calls`, a.token, { call_type: 'WEBRTC', sdp: fakeSdp('a3') }), partV.validateCallsWebrtcParticipant200, 200);
        expect(answer?.result.offer_ignored).toBeUndefined();
        expect(answer?.result.sdp).toBe(fakeSdp('server'));
        const media = t.media[before]!;
        // A started in direct media: its leg opens the negotiated data channel; chat on it reaches the others.
        expect(media.legs.get(a.participant_uuid)).toMatchObject({ dataChannelId: 3 });
        media.emitData(a.participant_uuid, { type: 'message', body: { type: 'text/plain', payload: 'via kanal' } });
        expect(await evB.next('message_received')).toMatchObject({ uuid: a.participant_uuid, payload: 'via kanal' });
        media.emitSpeaker(b.participant_uuid);
        const stage = (await evA.next('stage')) as Array<{ participant_uuid: string; stage_index: number; vad: number }>;
        expect(stage[0]).toEqual({ participant_uuid: b.participant_uuid, stage_index: 0, vad: 100 });
        expect(stage).toHaveLength(3);
        const callA = answer!.result.call_uuid;
        sdkValid(await post(`participants/${a.participant_uuid}/calls/${callA}/ack`, a.token, {}), callV.validateAck200, 200);
        await post(`participants/${a.participant_uuid}/calls/${callA}/new_candidate`, a.token, { candidate: 'candidate:1 1 udp 1 127.0.0.1 1 typ host', mid: '0' });
        const upd = sdkValid(await post(`participants/${a.participant_uuid}/calls/${callA}/update`, a.token, { sdp: fakeSdp('a3') }), callV.validateUpdate200, 200);
        expect(upd?.result).toMatchObject({ sdp: fakeSdp('server2') });
        await post(`participants/${a.participant_uuid}/take_floor`, a.token);
        expect(media.presenter).toBe(a.participant_uuid);
        expect(media.calls).toEqual([`addLeg ${a.participant_uuid}`, `candidate ${a.participant_uuid}`, `updateLeg ${a.participant_uuid}`]);

        await createVmr({ directMedia: 'never' });
        const solo = await joined('1234', 'Solo');
        expect(solo.direct_media).toBe(false);
        const served = sdkValid(await post(`participants/${solo.participant_uuid}/calls`, solo.token, { call_type: 'WEBRTC', sdp: fakeSdp('s') }), partV.validateCallsWebrtcParticipant200, 200);
        expect(served?.result.sdp).toBe(fakeSdp('server'));
      } finally {
        await evA.close();
        await evB.close();
      }
    });
  });

  describe('bad input', () => {
    let me: Awaited<ReturnType<typeof joined>>;
    beforeEach(async () => {
      await createVmr();
      me = await joined('1234', 'A');
    });

    it('refuses malformed and oversized SDP with a 400 the SDK understands', async () => {
      const calls = `participants/${me.participant_uuid}/calls`;
      const notSdp = await post(calls, me.token, { call_type: 'WEBRTC', sdp: '<script>alert(1)</script>' });
      sdkValid(notSdp, partV.validateCallsWebrtcParticipant400, 400, true);
      expect(notSdp.json()).toMatchObject({ status: 'failed' });
      const huge = await post(calls, me.token, { call_type: 'WEBRTC', sdp: fakeSdp('x', 'a=' + 'x'.repeat(70_000)) });
      expect(huge.statusCode).toBe(400);
      const notJson = await t.app.inject({ method: 'POST', url: `${base}/${alias}/${calls}`, headers: { token: me.token, 'content-type': 'application/json' }, payload: '{"sdp":' });
      expect(notJson.statusCode).toBe(400);
      expect(notJson.json()).toEqual({ status: 'failed', result: 'Malformed JSON body' });
      // The participant's state is untouched: a proper call still works.
      sdkValid(await post(calls, me.token, { call_type: 'WEBRTC', sdp: fakeSdp() }), partV.validateCallsWebrtcParticipant200, 200);
    });

    it('caps trickled candidates per call', async () => {
      const call = sdkValid(await post(`participants/${me.participant_uuid}/calls`, me.token, { call_type: 'WEBRTC', sdp: fakeSdp() }), partV.validateCallsWebrtcParticipant200, 200)!.result.call_uuid;
      let last: LightMyRequestResponse | undefined;
      for (let i = 0; i < 201; i++) last = await post(`participants/${me.participant_uuid}/calls/${call}/new_candidate`, me.token, { candidate: `candidate:${i} 1 udp 1 127.0.0.1 ${i} typ host`, mid: '0' });
      const refused = sdkValid(last!, callV.validateNewCandidate403, 403);
      expect(refused?.result).toBe('Too many ICE candidates for this call');
    });

    it('answers missing, garbage and ended-room tokens with 403 Invalid token', async () => {
      sdkValid(await t.app.inject({ method: 'POST', url: `${base}/${alias}/refresh_token` }), tokenV.validateRefreshToken403, 403);
      sdkValid(await post('refresh_token', 'garbage'), tokenV.validateRefreshToken403, 403);
      const del = await t.app.inject({ method: 'DELETE', url: `/management/v1/vmrs/${alias}`, headers: await adminHeaders(t) });
      expect(del.statusCode).toBe(204);
      sdkValid(await post('refresh_token', me.token), tokenV.validateRefreshToken403, 403);
      sdkValid(await join('1234'), tokenV.validateRequestToken404, 404);
    });
  });
});

describe('Pexip client API without a server-media engine', () => {
  let t: ConferenceTestApp;
  afterEach(async () => t.close());

  it('bridges two participants and refuses a third with an error the SDK shows', async () => {
    t = await createConferenceTestApp('sqlite', { media: 'none' });
    await t.app.inject({ method: 'POST', url: '/management/v1/vmrs', headers: await adminHeaders(t), payload: { alias: 'solo', name: 'Solo', hostPin: '1234' } });
    const join = () => t.app.inject({ method: 'POST', url: `${base}/solo/request_token`, headers: { pin: '1234' }, payload: { display_name: 'x' } });
    sdkValid(await join(), tokenV.validateRequestToken200, 200);
    sdkValid(await join(), tokenV.validateRequestToken200, 200);
    const third = sdkValid(await join(), tokenV.validateRequestToken403, 403);
    expect(third?.result).toBe('Out of transcoding resource');
  });
});
