import { describe, expect, it } from 'vitest';
import { CallQuality, CallSummary } from '../../src-shared/ipc/room-bridge.contract';
import { summariseQuality } from '../call/call-quality';
import { CallSummaryBuilder, toBridgeQuality } from './call-report';

const noFreezes = { framesDecoded: 100, freezeCount: 0, totalFreezesDuration: 0 };

describe('call quality reporting', () => {
  it('turns SDK stats into a valid call:report-stats payload', () => {
    const q = summariseQuality({
      inbound: {
        audio: { type: 'inbound-rtp', kind: 'audio', packetsLost: 1, packetsTransmitted: 100, jitter: 0.012, recentPercentageLost: 0.5, bitrate: 40_000 },
        video: { type: 'inbound-rtp', kind: 'video', packetsLost: 3, packetsTransmitted: 300, jitter: 0.02, recentPercentageLost: 2, bitrate: 900_000, resolution: '640x480', framesPerSecond: 24.6 },
      },
      outbound: { video: { type: 'outbound-rtp', kind: 'video', packetsLost: 0, packetsTransmitted: 200, bitrate: 700_000, roundTripTime: 0.034 } },
    });
    expect(q).toMatchObject({ level: 'fair', packetLossPercent: 2, jitterMs: 20, bitrateInKbps: 940, bitrateOutKbps: 700, resolutionIn: '640x480', fpsIn: 24.6, roundTripMs: 34 });
    const bridge = toBridgeQuality(q, { framesDecoded: 500, freezeCount: 2, totalFreezesDuration: 1.5 });
    expect(CallQuality.parse(bridge)).toEqual({
      packetLossPercent: 2,
      jitterMs: 20,
      bitrateKbps: 940,
      sendBitrateKbps: 700,
      roundTripMs: 34,
      width: 640,
      height: 480,
      frameRate: 24.6,
      freezeCount: 2,
    });
  });

  it('reports unknown figures as null or zero, never NaN', () => {
    const bridge = toBridgeQuality(summariseQuality({ inbound: {}, outbound: {} }), noFreezes);
    expect(CallQuality.parse(bridge)).toMatchObject({ packetLossPercent: 0, width: null, height: null, frameRate: null, roundTripMs: null });
  });

  it('summarises a call with averages, freezes and the largest participant count', () => {
    const b = new CallSummaryBuilder({ alias: 'meet.1@vdx.test', meetingId: 'm1' }, new Date('2026-03-02T09:00:00Z'));
    const sample = (loss: number, fps: number | null) => ({ packetLossPercent: loss, jitterMs: 10, bitrateKbps: 800, sendBitrateKbps: 600, roundTripMs: 20, width: 640, height: 480, frameRate: fps, freezeCount: 0 });
    b.addSample(sample(1, 30), { framesDecoded: 10, freezeCount: 1, totalFreezesDuration: 0.4 });
    b.addSample(sample(3, null), { framesDecoded: 20, freezeCount: 2, totalFreezesDuration: 0.9 });
    b.noteParticipants(2);
    b.noteParticipants(3);
    b.noteParticipants(1);
    const summary = CallSummary.parse(b.build(new Date('2026-03-02T09:30:00Z'), 'local_hangup'));
    expect(summary).toEqual({
      alias: 'meet.1@vdx.test',
      meetingId: 'm1',
      startedAt: '2026-03-02T09:00:00.000Z',
      endedAt: '2026-03-02T09:30:00.000Z',
      endReason: 'local_hangup',
      avgPacketLossPercent: 2,
      avgJitterMs: 10,
      avgBitrateKbps: 800,
      avgFrameRate: 30,
      freezeCount: 2,
      freezeSeconds: 0.9,
      maxParticipants: 3,
    });
  });
});
