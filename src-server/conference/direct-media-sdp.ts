/**
 * What the node must know and change of the SDP it relays between two direct-media peers, so that
 * every `@pexip/infinity` call type gets its chat data channel.
 *
 * The SDK's rule (peer-connection `syncMediaConfigs`): a PeerConnection *answering* an offer opens
 * its negotiated `pexChannel` (id = `pex_datachannel_id`) only when the offer's `m=application`
 * section has that id as its mid. The offerer's application mid is the number of transceivers its
 * call type makes (audio, video, presentation, in that order: `AudioVideoPresentation` → 3,
 * `AudioVideo` → 2, `Audio` or `Video` → 1), while both peers must use the same channel id. So the
 * node gives every participant the same id and, between the two peers, renames the application
 * section's mid: to the id in what the answerer receives, back to the offerer's own mid in what the
 * offerer receives. Only that section is renamed: SCTP carries no mid, whereas RTP carries the
 * media sections' mids in a header extension.
 */
import { describeOffer } from './media/answer-sdp';

/** How many media sections of each kind a PeerConnection has (its call type, as SDP shows it). */
export type MediaLayout = Readonly<Record<string, number>>;

/** The media sections (not the data channel) of an SDP, counted by kind. */
export function mediaLayout(sdp: string): MediaLayout {
  const layout: Record<string, number> = {};
  for (const section of safeSections(sdp)) {
    if (section.kind !== 'application') layout[section.kind] = (layout[section.kind] ?? 0) + 1;
  }
  return layout;
}

/**
 * Whether an offer with layout `offerer` gives an answerer with layout `answerer` a section for
 * each of its transceivers. Chrome pairs an answerer's transceivers with offered sections of the
 * same kind; one left over makes the answerer offer a new section later, whose mid could collide
 * with the renamed application mid. So the peer with more sections should be the offerer.
 */
export function covers(offerer: MediaLayout, answerer: MediaLayout): boolean {
  return Object.entries(answerer).every(([kind, count]) => (offerer[kind] ?? 0) >= count);
}

/** The mid of the SDP's `m=application` section, or null when it has none. */
export function applicationMid(sdp: string): string | null {
  return safeSections(sdp).find((s) => s.kind === 'application' && s.port !== 0)?.mid ?? null;
}

/** The SDP with its application section's mid `from` renamed to `to` (in `a=mid` and the BUNDLE group). */
export function renameApplicationMid(sdp: string, from: string | null, to: string | null): string {
  if (from === null || to === null || from === to) return sdp;
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  let inApplication = false;
  return sdp
    .split(eol)
    .map((line) => {
      if (line.startsWith('m=')) inApplication = line.startsWith('m=application');
      if (inApplication && line === `a=mid:${from}`) return `a=mid:${to}`;
      if (line.startsWith('a=group:BUNDLE ')) {
        const [head, ...mids] = line.split(' ');
        return [head, ...mids.map((m) => (m === from ? to : m))].join(' ');
      }
      return line;
    })
    .join(eol);
}

/** The ICE ufrag of an SDP (session or first section), to tell current candidates from stale ones. */
export function ufragOf(sdp: string): string | null {
  return /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1] ?? null;
}

function safeSections(sdp: string) {
  try {
    return describeOffer(sdp);
  } catch {
    return []; // no media section: nothing to count or rename
  }
}
