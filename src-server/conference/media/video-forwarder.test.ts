import { describe, expect, it } from 'vitest';
import { isVp8KeyframeStart, VideoForwarder, type IncomingPacket } from './video-forwarder';

/** A VP8 payload with a 15-bit picture id; `key` makes it the first packet of a keyframe. */
function vp8(pictureId: number, key: boolean, start = true): Buffer {
  return Buffer.from([
    0x80 | (start ? 0x10 : 0), // X, S, PID 0
    0x80, // I: picture id present
    0x80 | ((pictureId >> 8) & 0x7f),
    pictureId & 0xff,
    key ? 0x00 : 0x01, // VP8 payload header, P bit
    0xaa,
  ]);
}

function packet(seq: number, ts: number, pictureId: number, key = false): IncomingPacket {
  return { sequenceNumber: seq, timestamp: ts, marker: true, payload: vp8(pictureId, key) };
}

describe('isVp8KeyframeStart', () => {
  it('recognises the first packet of a keyframe only', () => {
    expect(isVp8KeyframeStart(vp8(5, true))).toBe(true);
    expect(isVp8KeyframeStart(vp8(5, false))).toBe(false);
    expect(isVp8KeyframeStart(vp8(5, true, false))).toBe(false);
    expect(isVp8KeyframeStart(Buffer.alloc(0))).toBe(false);
  });
});

describe('VideoForwarder', () => {
  it('forwards nothing until the chosen source sends a keyframe', () => {
    const forwarder = new VideoForwarder(() => 0);
    forwarder.select('a');
    expect(forwarder.forward('a', packet(10, 1000, 7))).toBeUndefined();
    expect(forwarder.forward('a', packet(11, 4000, 8, true))).toMatchObject({ sequenceNumber: 11, timestamp: 4000 });
    expect(forwarder.forward('b', packet(500, 9000, 100, true))).toBeUndefined();
  });

  it('keeps the old source until the new one has a keyframe, then continues sequence, timestamp and picture id', () => {
    let now = 0;
    const forwarder = new VideoForwarder(() => now);
    forwarder.select('a');
    forwarder.forward('a', packet(100, 90_000, 20, true));
    forwarder.select('b');
    expect(forwarder.awaitingKeyframe).toBe(true);
    now = 10;
    // Old source still flows while b has no keyframe; b's delta frames are dropped.
    expect(forwarder.forward('a', packet(101, 93_000, 21))).toMatchObject({ sequenceNumber: 101 });
    expect(forwarder.forward('b', packet(7000, 5_000, 300))).toBeUndefined();
    now = 110;
    const cut = forwarder.forward('b', packet(7001, 8_000, 301, true))!;
    expect(cut.sequenceNumber).toBe(102);
    expect(cut.timestamp).toBe(93_000 + 9_000); // 100 ms at 90 kHz after the last packet
    expect(cut.payload.readUInt16BE(2) & 0x7fff).toBe(22);
    expect(forwarder.forward('a', packet(102, 96_000, 22))).toBeUndefined();
    const next = forwarder.forward('b', packet(7002, 11_000, 302))!;
    expect([next.sequenceNumber, next.timestamp, next.payload.readUInt16BE(2) & 0x7fff]).toEqual([103, 105_000, 23]);
    expect(forwarder.switches).toBe(2);
  });

  it('wraps sequence numbers and picture ids', () => {
    const forwarder = new VideoForwarder(() => 0);
    forwarder.select('a');
    forwarder.forward('a', packet(0xffff, 0xffffffff, 0x7fff, true));
    forwarder.select('b');
    const cut = forwarder.forward('b', packet(5, 10, 3, true))!;
    expect(cut.sequenceNumber).toBe(0);
    expect(cut.payload.readUInt16BE(2) & 0x7fff).toBe(0);
  });

  it('stops forwarding when no source is selected', () => {
    const forwarder = new VideoForwarder(() => 0);
    forwarder.select('a');
    forwarder.forward('a', packet(1, 1, 1, true));
    forwarder.select(undefined);
    expect(forwarder.forward('a', packet(2, 2, 2))).toBeUndefined();
  });
});
