import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection } from 'werift';
import type { ConferenceMedia } from './conference-media';
import { weriftConferenceMediaFactory } from './werift-conference-media';

/** An offer shaped like the Pexip SDK's, made by a werift client peer. */
async function sdkLikeOffer(): Promise<{ client: RTCPeerConnection; sdp: string }> {
  const client = new RTCPeerConnection({ iceUseIpv6: false });
  client.addTransceiver('audio', { direction: 'sendrecv' });
  client.addTransceiver('video', { direction: 'sendrecv' });
  client.addTransceiver('video', { direction: 'inactive' });
  client.createDataChannel('pexChannel', { negotiated: true, id: 3 });
  await client.setLocalDescription(await client.createOffer());
  const contents: Record<string, string> = { '0': 'main', '1': 'main', '2': 'slides' };
  // werift (unlike Chrome) offers an inactive section with port 0; Chrome keeps port 9.
  const offered = client.localDescription!.sdp.replace(/^m=video 0 /m, 'm=video 9 ');
  const sdp = offered.split('\r\n').flatMap((line) => {
    const mid = /^a=mid:(\S+)$/.exec(line)?.[1];
    return mid && contents[mid] ? [line, `a=content:${contents[mid]}`] : [line];
  }).join('\r\n');
  return { client, sdp };
}

describe('werift conference media (Node, no browser)', () => {
  let media: ConferenceMedia | undefined;
  const clients: RTCPeerConnection[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    await media?.close();
  });

  it('answers an SDK-shaped offer with every section kept, content echoed and candidates included', async () => {
    media = weriftConferenceMediaFactory({ warn: () => undefined })('room');
    const { client, sdp } = await sdkLikeOffer();
    clients.push(client);
    const answer = await media.addLeg('p1', { sdp, dataChannelId: 3 });
    const sections = answer.split('\r\nm=').slice(1);
    expect(sections.map((s) => s.split(' ')[0])).toEqual(['audio', 'video', 'video', 'application']);
    expect(sections.map((s) => s.split(' ')[1])).toEqual(['9', '9', '9', '9']);
    expect(sections[2]).toContain('a=content:slides');
    expect(sections[0]).toContain('a=msid:vdx-main');
    expect(sections[1]).toContain('a=msid:vdx-main');
    expect(answer).toMatch(/a=candidate:/);
    expect(answer).not.toContain('transport-cc');
    await client.setRemoteDescription({ type: 'answer', sdp: answer });
    expect(media.stats().legs).toBe(1);
  });

  it('rejects malformed SDP without keeping a leg, and ignores unknown participants', async () => {
    media = weriftConferenceMediaFactory({ warn: () => undefined })('room');
    await expect(media.addLeg('p1', { sdp: 'not sdp' })).rejects.toThrow();
    await expect(media.addLeg('p2', { sdp: 'v=0\r\nm=audio 9 RTP/AVP 0\r\n' })).rejects.toThrow();
    expect(media.stats().legs).toBe(0);
    await expect(media.updateLeg('nobody', 'v=0\r\n')).rejects.toThrow();
    await media.addRemoteCandidate('nobody', { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' });
    await media.removeLeg('nobody');
    media.sendData('nobody', { type: 'message' });
    media.setAudioMuted('nobody', true);
  });

  it('ignores a garbage candidate on a live leg', async () => {
    media = weriftConferenceMediaFactory({ warn: () => undefined })('room');
    const { client, sdp } = await sdkLikeOffer();
    clients.push(client);
    await media.addLeg('p1', { sdp, dataChannelId: 3 });
    await media.addRemoteCandidate('p1', { candidate: 'candidate:garbage', mid: '0' });
    expect(media.stats().legs).toBe(1);
  });

  it('refuses new legs after close and closes idempotently', async () => {
    media = weriftConferenceMediaFactory({ warn: () => undefined })('room');
    await media.close();
    await media.close();
    const { client, sdp } = await sdkLikeOffer();
    clients.push(client);
    await expect(media.addLeg('p1', { sdp })).rejects.toThrow(/closed/);
  });

  it('releases its sockets and timers on close', async () => {
    const count = (kind: string) => process.getActiveResourcesInfo().filter((r) => r === kind).length;
    const { client, sdp } = await sdkLikeOffer();
    clients.push(client);
    const before = { udp: count('UDPWrap'), timers: count('Timeout') };
    const engine = weriftConferenceMediaFactory({ warn: () => undefined })('room');
    await engine.addLeg('p1', { sdp, dataChannelId: 3 });
    expect(count('UDPWrap')).toBeGreaterThan(before.udp);
    await engine.close();
    // werift closes sockets asynchronously; give it a moment, bounded.
    for (let i = 0; i < 20 && (count('UDPWrap') > before.udp || count('Timeout') > before.timers); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(count('UDPWrap')).toBe(before.udp);
    expect(count('Timeout')).toBeLessThanOrEqual(before.timers);
  });
});
