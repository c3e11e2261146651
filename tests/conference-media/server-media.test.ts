/**
 * The werift server-media engine against real Chromium WebRTC: three participants, each a plain
 * RTCPeerConnection shaped like the Pexip SDK's (see media-browser.ts).
 */
import { expect, test } from '@playwright/test';
import type { ConferenceMedia } from '../../src-server/conference/media/conference-media';
import { weriftConferenceMediaFactory } from '../../src-server/conference/media/werift-conference-media';
import { MediaBrowser, nearestColour, waitFor, type MediaParticipant } from './media-browser';

const PALETTE: Record<string, [number, number, number]> = {
  red: [255, 0, 0],
  green: [0, 160, 0],
  blue: [0, 0, 255],
  yellow: [255, 255, 0],
};
const COLOUR_OF: Record<string, string> = { alice: 'red', bob: 'green', carol: 'blue' };

test.describe('werift server media with three Chromium participants', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  let browser: MediaBrowser;
  let media: ConferenceMedia;
  const people: Record<string, MediaParticipant> = {};
  const speakers: Array<string | null> = [];

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    browser = await MediaBrowser.launch();
    media = weriftConferenceMediaFactory({ warn: () => undefined })('test-room');
    media.onActiveSpeaker((id) => speakers.push(id));
    for (const id of ['alice', 'bob', 'carol']) {
      people[id] = await browser.participant(id, media);
      await people[id].join({ colour: COLOUR_OF[id], loud: id === 'alice' });
    }
  });

  test.afterAll(async () => {
    for (const person of Object.values(people)) await person.close();
    await media?.close();
    await browser?.close();
  });

  /** Whose video `viewer` currently decodes, once it decodes frames at all. */
  async function seenBy(viewer: string): Promise<string | undefined> {
    const before = await people[viewer]!.stats();
    await new Promise((resolve) => setTimeout(resolve, 400));
    const after = await people[viewer]!.stats();
    if (!before.main || !after.main || after.main.framesDecoded <= before.main.framesDecoded) return undefined;
    return Object.keys(COLOUR_OF).find((id) => COLOUR_OF[id] === nearestColour(after.mainColour, PALETTE));
  }

  test('gives every participant decoded video and audio with energy', async () => {
    for (const id of ['alice', 'bob', 'carol']) {
      await waitFor(`${id} decoding video`, async () => ((await seenBy(id)) ? true : undefined));
      // Bob and Carol hear Alice's tone in their mix; Alice hears silence but still gets packets.
      await waitFor(`${id} receiving audio`, async () => {
        const stats = await people[id]!.stats();
        if (!stats.audio || stats.audio.packetsReceived < 50) return undefined;
        return id === 'alice' || stats.audio.totalAudioEnergy > 0.01 ? true : undefined;
      });
    }
    const alice = await people.alice!.stats();
    const bob = await people.bob!.stats();
    expect(bob.audio!.totalAudioEnergy).toBeGreaterThan(alice.audio!.totalAudioEnergy);
  });

  test('switches video to the loud participant, and the speaker sees someone else', async () => {
    await waitFor('alice as the active speaker', async () => (media.stats().activeSpeaker === 'alice' ? true : undefined));
    expect(await waitFor('bob seeing alice', async () => ((await seenBy('bob')) === 'alice' ? 'alice' : undefined))).toBe('alice');
    expect(await waitFor('carol seeing alice', async () => ((await seenBy('carol')) === 'alice' ? 'alice' : undefined))).toBe('alice');
    expect(await seenBy('alice')).not.toBe('alice');

    await people.alice!.setLoud(false);
    await people.carol!.setLoud(true);
    await waitFor('carol as the active speaker', async () => (media.stats().activeSpeaker === 'carol' ? true : undefined));
    await waitFor('bob seeing carol', async () => ((await seenBy('bob')) === 'carol' ? true : undefined));
    // The new speaker gets the previous speaker's video, never their own.
    await waitFor('carol seeing alice', async () => ((await seenBy('carol')) === 'alice' ? true : undefined));
    expect(await waitFor('alice seeing carol', async () => await seenBy('alice'))).toBe('carol');
    expect(speakers).toContain('carol');
    expect(media.stats().speakerSwitches).toBeGreaterThanOrEqual(2);
  });

  test('forwards the presentation to everyone else', async () => {
    await people.bob!.present('yellow');
    media.setPresenter('bob');
    await people.alice!.receivePresentation();
    await people.carol!.receivePresentation();
    for (const id of ['alice', 'carol']) {
      await waitFor(`${id} decoding the presentation`, async () => {
        const stats = await people[id]!.stats();
        return stats.slides && stats.slides.framesDecoded > 5 && nearestColour(stats.slidesColour, PALETTE) === 'yellow'
          ? true
          : undefined;
      });
    }
    expect(media.stats().presenter).toBe('bob');
  });

  test('relays data-channel messages through onData and sendData', async () => {
    const received: Array<[string, unknown]> = [];
    const off = media.onData((from, message) => {
      received.push([from, message]);
      for (const to of ['alice', 'bob', 'carol']) if (to !== from) media.sendData(to, message);
    });
    const chat = { type: 'message', body: { origin: 'Carol', type: 'text/plain', payload: 'hej' } };
    await people.carol!.sendData(chat);
    await waitFor('the message at alice and bob', async () => {
      const [a, b] = [await people.alice!.dataMessages(), await people.bob!.dataMessages()];
      return a.length > 0 && b.length > 0 ? true : undefined;
    });
    expect(received).toEqual([['carol', chat]]);
    expect(await people.alice!.dataMessages()).toEqual([chat]);
    expect(await people.carol!.dataMessages()).toEqual([]);
    off();
  });

  test('survives an ICE restart on one leg while the others keep their media', async () => {
    await people.bob!.restartIce();
    await waitFor('bob decoding video after the restart', async () => ((await seenBy('bob')) ? true : undefined));
    expect(await seenBy('alice')).toBeDefined();
  });
});
