/**
 * Forwards one of several incoming VP8 streams into one outgoing stream, so that a receiver sees a
 * single continuous video track while the source changes (voice switching, presenter changes).
 *
 * On a source change the forwarder keeps sending the old source until the new one delivers a
 * keyframe (the caller requests it with PLI), then cuts over on that keyframe. That avoids the
 * grey/frozen picture a receiver shows when delta frames arrive without their reference.
 *
 * Rewriting at the cut-over keeps the receiver's jitter buffer and decoder happy:
 * - sequence numbers continue at last+1 (no gap that would trigger NACK storms);
 * - the RTP timestamp continues from the last one plus the wall-clock time in between (90 kHz);
 * - the VP8 picture id continues at last+1 (libwebrtc drops frames whose picture id looks old);
 * - the SSRC and payload type are set by the werift sender we hand the packet to.
 */

export interface ForwardedPacket {
  sequenceNumber: number;
  timestamp: number;
  marker: boolean;
  payload: Buffer;
}

export interface IncomingPacket {
  sequenceNumber: number;
  timestamp: number;
  marker: boolean;
  payload: Buffer;
}

const VIDEO_CLOCK_RATE = 90_000;

/** True when this VP8 RTP payload starts a keyframe (RFC 7741 §4.2/4.3). */
export function isVp8KeyframeStart(payload: Buffer): boolean {
  const start = vp8PayloadStart(payload);
  if (start === undefined) return false;
  const descriptor = payload[0]!;
  const startOfPartition = (descriptor & 0x10) !== 0;
  const partitionIndex = descriptor & 0x07;
  if (!startOfPartition || partitionIndex !== 0 || start >= payload.length) return false;
  // P bit of the VP8 payload header: 0 means key frame.
  return (payload[start]! & 0x01) === 0;
}

/** Offset of the VP8 payload header after the payload descriptor, or undefined if malformed. */
function vp8PayloadStart(payload: Buffer): number | undefined {
  if (payload.length < 1) return undefined;
  let offset = 1;
  if ((payload[0]! & 0x80) !== 0) {
    if (payload.length < 2) return undefined;
    const extension = payload[1]!;
    offset = 2;
    if (extension & 0x80) offset += payload.length > offset && (payload[offset]! & 0x80) !== 0 ? 2 : 1; // I: picture id
    if (extension & 0x40) offset += 1; // L: TL0PICIDX
    if (extension & 0x30) offset += 1; // T/K: TID/KEYIDX
  }
  return offset <= payload.length ? offset : undefined;
}

/** Position and width of the VP8 picture id in the descriptor, if present. */
function vp8PictureId(payload: Buffer): { offset: number; bits: 7 | 15 } | undefined {
  if (payload.length < 3 || (payload[0]! & 0x80) === 0 || (payload[1]! & 0x80) === 0) return undefined;
  return (payload[2]! & 0x80) !== 0 ? { offset: 2, bits: 15 } : { offset: 2, bits: 7 };
}

function readPictureId(payload: Buffer, at: { offset: number; bits: 7 | 15 }): number {
  return at.bits === 15 ? payload.readUInt16BE(at.offset) & 0x7fff : payload[at.offset]! & 0x7f;
}

function writePictureId(payload: Buffer, at: { offset: number; bits: 7 | 15 }, value: number): void {
  if (at.bits === 15) payload.writeUInt16BE(0x8000 | (value & 0x7fff), at.offset);
  else payload[at.offset] = value & 0x7f;
}

interface SourceMapping {
  sourceId: string;
  seqOffset: number;
  tsOffset: number;
  pictureIdOffset: number;
}

export class VideoForwarder {
  private current: SourceMapping | undefined;
  private pendingSourceId: string | undefined;
  private lastOut: { seq: number; ts: number; pictureId: number | undefined; at: number } | undefined;
  /** Source switches completed on a keyframe (for stats and benchmarks). */
  switches = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The source currently forwarded, or the one waited for when nothing is forwarded yet. */
  get sourceId(): string | undefined {
    return this.pendingSourceId ?? this.current?.sourceId;
  }

  /** The source whose packets are being sent now (the old one while a switch waits). */
  get forwarding(): string | undefined {
    return this.current?.sourceId;
  }

  /** The source chosen but not yet cut over to (waiting for its keyframe). */
  get pending(): string | undefined {
    return this.pendingSourceId;
  }

  /** True while a new source is chosen but its keyframe has not arrived yet. */
  get awaitingKeyframe(): boolean {
    return this.pendingSourceId !== undefined;
  }

  /** Chooses the source to forward from its next keyframe on; `undefined` stops forwarding. */
  select(sourceId: string | undefined): void {
    if (sourceId === undefined) {
      this.current = undefined;
      this.pendingSourceId = undefined;
      return;
    }
    if (sourceId === this.current?.sourceId) {
      this.pendingSourceId = undefined;
      return;
    }
    this.pendingSourceId = sourceId;
  }

  /**
   * Offers a packet from `sourceId`; returns the rewritten packet to send, or undefined when this
   * packet is not forwarded. The payload is copied only when its picture id must change.
   */
  forward(sourceId: string, packet: IncomingPacket): ForwardedPacket | undefined {
    if (sourceId === this.pendingSourceId && isVp8KeyframeStart(packet.payload)) {
      this.cutOver(sourceId, packet);
    }
    const mapping = this.current;
    if (!mapping || mapping.sourceId !== sourceId) return undefined;

    const seq = (packet.sequenceNumber + mapping.seqOffset) & 0xffff;
    const ts = (packet.timestamp + mapping.tsOffset) >>> 0;
    let payload = packet.payload;
    let pictureId: number | undefined;
    const at = vp8PictureId(payload);
    if (at) {
      const mask = at.bits === 15 ? 0x7fff : 0x7f;
      pictureId = (readPictureId(payload, at) + mapping.pictureIdOffset) & mask;
      if (mapping.pictureIdOffset !== 0) {
        payload = Buffer.from(payload);
        writePictureId(payload, at, pictureId);
      }
    }
    if (!this.lastOut || seqNewer(seq, this.lastOut.seq)) {
      this.lastOut = { seq, ts, pictureId, at: this.now() };
    }
    return { sequenceNumber: seq, timestamp: ts, marker: packet.marker, payload };
  }

  private cutOver(sourceId: string, keyframe: IncomingPacket): void {
    this.pendingSourceId = undefined;
    const last = this.lastOut;
    if (!last) {
      this.current = { sourceId, seqOffset: 0, tsOffset: 0, pictureIdOffset: 0 };
      this.switches++;
      return;
    }
    const elapsedTicks = Math.max(1, Math.round(((this.now() - last.at) / 1000) * VIDEO_CLOCK_RATE));
    const at = vp8PictureId(keyframe.payload);
    const incomingPictureId = at ? readPictureId(keyframe.payload, at) : undefined;
    const pictureIdOffset =
      at && incomingPictureId !== undefined && last.pictureId !== undefined
        ? (last.pictureId + 1 - incomingPictureId) & (at.bits === 15 ? 0x7fff : 0x7f)
        : 0;
    this.current = {
      sourceId,
      seqOffset: (last.seq + 1 - keyframe.sequenceNumber) & 0xffff,
      tsOffset: (last.ts + elapsedTicks - keyframe.timestamp) >>> 0,
      pictureIdOffset,
    };
    this.switches++;
  }
}

/** RFC 1982 serial comparison for 16-bit sequence numbers. */
function seqNewer(a: number, b: number): boolean {
  return a !== b && ((a - b) & 0xffff) < 0x8000;
}
