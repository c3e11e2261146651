import { describe, expect, it } from 'vitest';
import { describeOffer, shapeAnswer } from './answer-sdp';

const OFFER = [
  'v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1 2 3',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'a=content:main', 'a=ice-ufrag:abcd', 'a=sendrecv',
  'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', 'a=content:main', 'a=sendrecv',
  'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:2', 'a=content:slides', 'a=inactive',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=mid:3',
].join('\r\n') + '\r\n';

const WERIFT_ANSWER = [
  'v=0', 'o=- 3 4 IN IP4 0.0.0.0', 's=-', 't=0 0', 'a=group:BUNDLE 0 1 2 3',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'a=msid:werift-a track-a', 'a=sendrecv',
  'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01', 'a=rtcp-fb:111 transport-cc',
  'a=ssrc:1 msid:werift-a track-a',
  'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', 'a=msid:werift-v track-v', 'a=sendrecv', 'a=rtcp-fb:96 nack pli',
  'm=video 0 UDP/TLS/RTP/SAVPF 96', 'a=mid:2', 'a=inactive',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=mid:3',
].join('\r\n') + '\r\n';

describe('describeOffer', () => {
  it('reads kind, mid, content, direction and ufrag of each section', () => {
    const sections = describeOffer(OFFER);
    expect(sections.map((s) => [s.kind, s.mid, s.content, s.direction])).toEqual([
      ['audio', '0', 'main', 'sendrecv'],
      ['video', '1', 'main', 'sendrecv'],
      ['video', '2', 'slides', 'inactive'],
      ['application', '3', undefined, 'sendrecv'],
    ]);
    expect(sections[0]!.iceUfrag).toBe('abcd');
  });

  it('rejects text that is not an SDP offer with media', () => {
    expect(() => describeOffer('hello')).toThrow();
    expect(() => describeOffer('v=0\r\ns=-\r\n')).toThrow();
  });
});

describe('shapeAnswer', () => {
  const shaped = shapeAnswer(WERIFT_ANSWER, describeOffer(OFFER), { mainStreamId: 'main', slidesStreamId: 'slides' });
  const sections = shaped.split('\r\nm=');

  it('keeps an inactive but offered section at port 9 so Chrome does not stop its transceiver', () => {
    expect(shaped).toContain('m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:2');
    expect(shaped).not.toMatch(/m=video 0 /);
  });

  it('echoes a=content for main and slides sections', () => {
    expect(sections[1]).toContain('a=content:main');
    expect(sections[2]).toContain('a=content:main');
    expect(sections[3]).toContain('a=content:slides');
    expect(sections[4]).not.toContain('a=content');
  });

  it('removes transport-cc feedback and its header extension', () => {
    expect(shaped).not.toContain('transport-cc');
    expect(shaped).not.toContain('transport-wide-cc');
    expect(shaped).toContain('a=rtcp-fb:96 nack pli');
  });

  it('puts main audio and video into one msid stream and leaves inactive sections without msid', () => {
    expect(sections[1]).toContain('a=msid:main audio-0');
    expect(sections[2]).toContain('a=msid:main video-1');
    expect(sections[3]).not.toContain('a=msid');
    expect(shaped).not.toContain('werift-a');
  });
});
