/**
 * Every `@pexip/infinity` call type against our node, with the unmodified SDK in Chromium: chat,
 * a raised hand and (where the call types offer it) a presentation, first in direct media between
 * two participants, then in server media once a third (default call type) joins. One test per
 * pairing of call types, on one browser, to keep CI short.
 *
 * What a call type changes on the wire: the SDK makes one transceiver per medium it sends or
 * receives (audio, video, presentation, in that order) and then the `pexChannel` data channel, so
 * the data channel's mid is 0–3 by call type, while its id (`pex_datachannel_id`) is one number for
 * everyone. Direct-media chat only works when the node reconciles the two (direct-media-sdp.ts).
 */
import { expect, test } from '@playwright/test';
// The SDK's package declares only `module`, which Node's resolution skips; the enum's own module
// imports nothing and loads in Node as it is.
import { ClientCallType } from '@pexip/infinity/dist/clientCallType.js';
import { adminHeaders } from '../../src-server/conference/conference.test-support';
import { startSdkHarness, type SdkHarness, type SdkParticipant } from './sdk-harness';

/** Generous: on a busy 2-core machine each step can take many seconds; a healthy run takes ~10 s a test. */
const WAIT_MS = 30_000;

type CallTypeName = keyof typeof ClientCallType & string;

const bits = (t: CallTypeName) => ClientCallType[t] as number;
const sendsVideo = (t: CallTypeName) => (bits(t) & ClientCallType.VideoSendOnly) !== 0;
const receivesVideo = (t: CallTypeName) => (bits(t) & ClientCallType.VideoRecvOnly) !== 0;
const sendsPresentation = (t: CallTypeName) => (bits(t) & ClientCallType.PresentationSendOnly) !== 0;
const receivesPresentation = (t: CallTypeName) => (bits(t) & ClientCallType.PresentationRecvOlly) !== 0;

interface Pairing {
  /** Joins first (its first offer is ignored: it answers in direct media unless the node swaps). */
  first: CallTypeName;
  second: CallTypeName;
  /** What the two are in: `server` when neither call type has a section for each of the other's. */
  twoParty: 'direct' | 'server';
  why: string;
}

const PAIRINGS: Pairing[] = [
  { first: 'AudioVideo', second: 'AudioVideo', twoParty: 'direct', why: 'data channel at mid 2, renamed to its id 3' },
  { first: 'AudioVideoPresentation', second: 'AudioVideo', twoParty: 'direct', why: 'the one with more sections is made the offerer' },
  { first: 'Audio', second: 'Video', twoParty: 'server', why: 'neither covers the other: the media engine answers both' },
  { first: 'AudioRecvVideoRecvPresentationRecvOnly', second: 'AudioVideoPresentation', twoParty: 'direct', why: 'receive-only beside a full participant' },
  { first: 'Presentation', second: 'AudioVideoPresentation', twoParty: 'direct', why: 'presentation-only (no audio or video transceiver)' },
];

test.describe('SDK in Chromium: every call type, direct and server media', () => {
  let h: SdkHarness;
  test.beforeAll(async () => {
    test.setTimeout(60_000);
    h = await startSdkHarness({ media: 'real' });
  });
  test.afterAll(async () => {
    test.setTimeout(30_000);
    await h?.close();
  });

  async function mediaMode(alias: string): Promise<string | undefined> {
    const res = await h.t.app.inject({ method: 'GET', url: '/management/v1/conferences', headers: await adminHeaders(h.t) });
    return res.json().conferences.find((c: { alias: string }) => c.alias === alias)?.mediaMode;
  }

  async function chat(from: SdkParticipant, to: SdkParticipant[], text: string): Promise<void> {
    await from.do('sendChat', text);
    for (const p of to) await p.waitFor(`${p.name} receiving "${text}"`, (s) => s.messages.some((m) => m.message === text && m.displayName === from.name), WAIT_MS);
  }

  async function hand(from: SdkParticipant, to: SdkParticipant[]): Promise<void> {
    await from.do('raiseHand', true);
    for (const p of to) await p.waitFor(`${from.name}'s hand at ${p.name}`, (s) => s.participants.some((x) => x.displayName === from.name && x.raisedHand), WAIT_MS);
    await from.do('raiseHand', false);
    for (const p of to) await p.waitFor(`${from.name}'s hand down at ${p.name}`, (s) => s.participants.some((x) => x.displayName === from.name && !x.raisedHand), WAIT_MS);
  }

  /** `presenter` shares a screen; each of `viewers` shows it; then the presentation ends. */
  async function presentation(presenter: SdkParticipant, viewers: SdkParticipant[]): Promise<void> {
    await presenter.do('present');
    for (const p of viewers) {
      await p.waitFor(`${p.name} receiving ${presenter.name}'s presentation`, (s) => s.presentationStreams > 0, WAIT_MS);
      await p.waitForVideo('slides', WAIT_MS);
    }
    await presenter.do('stopPresenting');
    for (const p of viewers) {
      await p.waitFor(`${presenter.name}'s presentation gone at ${p.name}`, (s) => !s.participants.some((x) => x.displayName === presenter.name && x.isPresenting), WAIT_MS);
    }
  }

  let n = 0;
  for (const { first, second, twoParty, why } of PAIRINGS) {
    test(`${first} + ${second} (${why}): chat, hand and presentation, then the same with a third participant in server media`, async () => {
      test.setTimeout(240_000);
      const alias = `calltype${++n}`;
      await h.createVmr(alias);
      const a = await h.participant(`A-${first}`);
      const b = await h.participant(`B-${second}`);
      const c = await h.participant('C-AudioVideoPresentation');
      try {
        await a.join(alias, '1234', { callType: first });
        await a.waitFor('A in the conference', (s) => s.connected && s.serviceType === 'conference');
        await b.join(alias, '5678', { callType: second });
        await a.waitFor('A connected', (s) => s.callConnected > 0, WAIT_MS);
        await b.waitFor('B connected', (s) => s.callConnected > 0, WAIT_MS);
        expect((await a.state()).directMedia).toBe(true);
        expect(await mediaMode(alias)).toBe(twoParty);
        if (sendsVideo(first) && receivesVideo(second)) await b.waitForVideo('remote', WAIT_MS);
        if (sendsVideo(second) && receivesVideo(first)) await a.waitForVideo('remote', WAIT_MS);

        await chat(a, [b], `Hej fra ${first}`);
        await chat(b, [a], `Hej fra ${second}`);
        await hand(b, [a]);
        if (sendsPresentation(second) && receivesPresentation(first)) await presentation(b, [a]);
        else if (sendsPresentation(first) && receivesPresentation(second)) await presentation(a, [b]);

        // A third participant: the conference moves to server media; A and B keep their direct-media
        // SDKs (chat over the data channel, relayed by the node).
        await c.join(alias, '5678');
        await c.waitFor('C connected', (s) => s.callConnected > 0, WAIT_MS);
        expect(await mediaMode(alias)).toBe('server');
        // (Server-media video itself is server-media-sdk.test.ts's subject; the presentations below
        // are forwarded video too.)

        await chat(a, [b, c], `Alle fra ${first}`);
        await chat(c, [a, b], 'Alle fra C');
        await hand(a, [b, c]);
        const viewers = [a, b].filter((p, i) => receivesPresentation(i === 0 ? first : second));
        await presentation(c, viewers);
        if (sendsPresentation(first)) await presentation(a, [c]);
      } finally {
        for (const p of [a, b, c]) {
          await p.do('leave').catch(() => undefined);
          await p.close();
        }
      }
    });
  }
});
