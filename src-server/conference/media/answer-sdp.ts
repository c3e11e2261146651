/**
 * SDP facts the media engine needs from the SDK's offer, and the corrections werift's answer needs
 * before the SDK accepts it. Pure string work, so each quirk is unit-tested on its own.
 *
 * Why each correction exists (learnt against `@pexip/infinity` in Chromium, see
 * docs/PEXIP-CLIENT-API.md "Server-side media"):
 * - werift answers an offered-but-inactive section with port 0, which *rejects* it; Chrome then
 *   stops that transceiver and a later `present()` fails. Such sections keep port 9.
 * - The SDK finds its main and presentation transceivers by `a=content:main|slides`; werift does
 *   not echo the attribute.
 * - With transport-cc negotiated, Chrome's bandwidth estimate against werift collapses to tens of
 *   kbps; without it Chrome falls back to REMB/loss-based control and sends full rate.
 * - The SDK groups remote tracks by `a=msid` stream id; main audio and video must share one.
 */

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface OfferSection {
  index: number;
  kind: 'audio' | 'video' | 'application' | string;
  mid: string;
  port: number;
  direction: MediaDirection;
  /** `a=content:` value; the SDK marks main and presentation video this way. */
  content: 'main' | 'slides' | undefined;
  iceUfrag: string | undefined;
}

const TRANSPORT_CC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';

/** Splits an SDP into its session part and media sections (each starting with `m=`). */
function splitSections(sdp: string): { session: string[]; media: string[][] } {
  const lines = sdp.split(/\r?\n/).filter((line) => line.length > 0);
  const session: string[] = [];
  const media: string[][] = [];
  for (const line of lines) {
    if (line.startsWith('m=')) media.push([line]);
    else if (media.length > 0) media[media.length - 1]!.push(line);
    else session.push(line);
  }
  return { session, media };
}

function joinSections(session: string[], media: string[][]): string {
  return [...session, ...media.flat()].join('\r\n') + '\r\n';
}

function attribute(lines: string[], name: string): string | undefined {
  const prefix = `a=${name}:`;
  return lines.find((line) => line.startsWith(prefix))?.slice(prefix.length).trim();
}

function directionOf(lines: string[]): MediaDirection {
  for (const direction of ['sendrecv', 'sendonly', 'recvonly', 'inactive'] as const) {
    if (lines.includes(`a=${direction}`)) return direction;
  }
  return 'sendrecv';
}

/** Reads the media sections of an offer. Throws on SDP without any media section. */
export function describeOffer(sdp: string): OfferSection[] {
  const { session, media } = splitSections(sdp);
  if (!session[0]?.startsWith('v=0') || media.length === 0) {
    throw new Error('SDP offer has no media sections');
  }
  const sessionUfrag = attribute(session, 'ice-ufrag');
  return media.map((lines, index) => {
    const [, kind = '', port = '0'] = /^m=(\S+) (\d+)/.exec(lines[0]!) ?? [];
    const content = attribute(lines, 'content');
    return {
      index,
      kind,
      mid: attribute(lines, 'mid') ?? String(index),
      port: Number(port),
      direction: directionOf(lines),
      content: content === 'main' || content === 'slides' ? content : undefined,
      iceUfrag: attribute(lines, 'ice-ufrag') ?? sessionUfrag,
    };
  });
}

export interface AnswerShape {
  /** Stream id shared by the main audio and main video we send. */
  mainStreamId: string;
  /** Stream id of the presentation video we send. */
  slidesStreamId: string;
}

/**
 * Corrects werift's answer for the SDK: port 9 for sections the offer did not reject, echoed
 * `a=content`, no transport-cc, one msid stream for main audio+video.
 */
export function shapeAnswer(answerSdp: string, offer: OfferSection[], shape: AnswerShape): string {
  const { session, media } = splitSections(answerSdp);
  const shaped = media.map((lines, index) => {
    const offered = offer[index];
    if (!offered) return lines;
    let out = [...lines];
    if (offered.port !== 0) out[0] = out[0]!.replace(/^m=(\S+) 0 /, 'm=$1 9 ');

    const transportCcIds = out
      .filter((line) => line.startsWith('a=extmap:') && line.includes(TRANSPORT_CC_URI))
      .map((line) => /^a=extmap:(\d+)/.exec(line)?.[1]);
    out = out.filter(
      (line) =>
        !/^a=rtcp-fb:\S+ transport-cc/.test(line) &&
        !(line.startsWith('a=extmap:') && transportCcIds.includes(/^a=extmap:(\d+)/.exec(line)?.[1])),
    );

    if (offered.content && !out.some((line) => line.startsWith('a=content:'))) {
      const midAt = out.findIndex((line) => line.startsWith('a=mid:'));
      out.splice(midAt >= 0 ? midAt + 1 : out.length, 0, `a=content:${offered.content}`);
    }

    if (offered.kind === 'audio' || offered.kind === 'video') {
      const streamId = offered.content === 'slides' ? shape.slidesStreamId : shape.mainStreamId;
      const direction = directionOf(out);
      const trackId = `${offered.kind}-${offered.mid}`;
      out = out.filter((line) => !line.startsWith('a=msid:') && !/^a=ssrc:\d+ msid:/.test(line));
      if (direction === 'sendrecv' || direction === 'sendonly') {
        const midAt = out.findIndex((line) => line.startsWith('a=mid:'));
        out.splice(midAt >= 0 ? midAt + 1 : out.length, 0, `a=msid:${streamId} ${trackId}`);
      }
    }
    return out;
  });
  return joinSections(session, shaped);
}
