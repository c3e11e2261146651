import { describe, expect, it } from 'vitest';
import { applicationMid, covers, mediaLayout, renameApplicationMid } from './direct-media-sdp';

/** An SDP shaped like the SDK's offer: one section per kind given, then the data channel. */
function offer(kinds: string[]): string {
  const mids = [...kinds.map((_, i) => String(i)), String(kinds.length)];
  const lines = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', `a=group:BUNDLE ${mids.join(' ')}`];
  kinds.forEach((kind, i) => lines.push(`m=${kind} 9 UDP/TLS/RTP/SAVPF 96`, 'a=ice-ufrag:abcd', `a=mid:${i}`, 'a=sendrecv'));
  lines.push('m=application 9 UDP/DTLS/SCTP webrtc-datachannel', `a=mid:${kinds.length}`, 'a=sctp-port:5000');
  return lines.join('\r\n') + '\r\n';
}

describe('direct-media SDP', () => {
  it("finds the data channel's section where the call type puts it", () => {
    expect(applicationMid(offer(['audio', 'video', 'video']))).toBe('3'); // AudioVideoPresentation
    expect(applicationMid(offer(['audio', 'video']))).toBe('2'); // AudioVideo
    expect(applicationMid(offer(['audio']))).toBe('1'); // Audio
    expect(applicationMid(offer([]))).toBe('0'); // None: data channel only
    expect(applicationMid('v=0\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\n')).toBeNull();
  });

  it('counts media sections by kind and says which offer gives the other side a section for each transceiver', () => {
    const avp = mediaLayout(offer(['audio', 'video', 'video']));
    const av = mediaLayout(offer(['audio', 'video']));
    const audio = mediaLayout(offer(['audio']));
    const video = mediaLayout(offer(['video']));
    expect(avp).toEqual({ audio: 1, video: 2 });
    expect(covers(avp, av)).toBe(true);
    expect(covers(av, avp)).toBe(false);
    expect(covers(av, av)).toBe(true);
    expect(covers(audio, video)).toBe(false);
    expect(covers(video, audio)).toBe(false);
    expect(covers(av, mediaLayout(offer([])))).toBe(true);
  });

  it('renames only the data channel section (and its BUNDLE entry), and back', () => {
    const original = offer(['audio', 'video']);
    const renamed = renameApplicationMid(original, '2', '3');
    expect(renamed).toContain('a=group:BUNDLE 0 1 3\r\n');
    expect(applicationMid(renamed)).toBe('3');
    expect(renamed.match(/a=mid:\d/g)).toEqual(['a=mid:0', 'a=mid:1', 'a=mid:3']);
    expect(renameApplicationMid(renamed, '3', '2')).toBe(original);
    expect(renameApplicationMid(original, null, '3')).toBe(original);
  });

  it('leaves a media section with the same mid alone', () => {
    const none = offer([]);
    const renamed = renameApplicationMid(none, '0', '3');
    expect(renamed).toContain('a=group:BUNDLE 3\r\n');
    expect(applicationMid(renamed)).toBe('3');
    const av = offer(['audio', 'video']);
    expect(renameApplicationMid(av, '0', '5')).toContain('m=audio 9 UDP/TLS/RTP/SAVPF 96\r\na=ice-ufrag:abcd\r\na=mid:0');
  });
});
