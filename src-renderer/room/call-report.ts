import type { CallQuality as BridgeCallQuality, CallSummary } from '../../src-shared/ipc/room-bridge.contract';
import type { CallQuality } from '../call/call-quality';
import type { InboundVideoHealth } from '../call/peer-connection-registry';

/** Converts the call view's quality figures into the bridge's `call:report-stats` shape. */
export function toBridgeQuality(q: CallQuality, video: InboundVideoHealth): BridgeCallQuality {
  const [width, height] = (q.resolutionIn ?? '').split('x').map((n) => Number.parseInt(n, 10));
  const clamp = (n: number | undefined, max = Number.POSITIVE_INFINITY) => Math.min(max, Math.max(0, n ?? 0));
  return {
    packetLossPercent: clamp(q.packetLossPercent, 100),
    jitterMs: clamp(q.jitterMs),
    bitrateKbps: clamp(q.bitrateInKbps),
    sendBitrateKbps: q.bitrateOutKbps === undefined ? null : clamp(q.bitrateOutKbps),
    roundTripMs: q.roundTripMs === undefined ? null : clamp(q.roundTripMs),
    width: Number.isFinite(width) ? width! : null,
    height: Number.isFinite(height) ? height! : null,
    frameRate: q.fpsIn === undefined ? null : clamp(q.fpsIn),
    freezeCount: Math.max(0, Math.round(video.freezeCount)),
  };
}

/**
 * Accumulates quality samples over a call for the hang-up summary (`call:ended`), which feeds
 * the video-quality KPI. Averages are plain means over the samples taken.
 */
export class CallSummaryBuilder {
  private samples = 0;
  private loss = 0;
  private jitter = 0;
  private bitrate = 0;
  private fpsSum = 0;
  private fpsSamples = 0;
  private video: InboundVideoHealth = { framesDecoded: 0, freezeCount: 0, totalFreezesDuration: 0 };
  private maxParticipants = 0;

  constructor(
    private readonly call: { alias: string; meetingId: string | null },
    private readonly startedAt: Date,
  ) {}

  addSample(q: BridgeCallQuality, video: InboundVideoHealth): void {
    this.samples++;
    this.loss += q.packetLossPercent;
    this.jitter += q.jitterMs;
    this.bitrate += q.bitrateKbps;
    if (q.frameRate !== null) {
      this.fpsSum += q.frameRate;
      this.fpsSamples++;
    }
    // getStats counters are cumulative per connection; a restarted connection starts again at 0.
    this.video = {
      framesDecoded: Math.max(this.video.framesDecoded, video.framesDecoded),
      freezeCount: Math.max(this.video.freezeCount, video.freezeCount),
      totalFreezesDuration: Math.max(this.video.totalFreezesDuration, video.totalFreezesDuration),
    };
  }

  noteParticipants(count: number): void {
    this.maxParticipants = Math.max(this.maxParticipants, count);
  }

  build(endedAt: Date, endReason: CallSummary['endReason']): CallSummary {
    const avg = (sum: number) => (this.samples === 0 ? 0 : Math.round((sum / this.samples) * 10) / 10);
    return {
      alias: this.call.alias,
      meetingId: this.call.meetingId,
      startedAt: this.startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      endReason,
      avgPacketLossPercent: Math.min(100, avg(this.loss)),
      avgJitterMs: avg(this.jitter),
      avgBitrateKbps: avg(this.bitrate),
      avgFrameRate: this.fpsSamples === 0 ? null : Math.round((this.fpsSum / this.fpsSamples) * 10) / 10,
      freezeCount: Math.round(this.video.freezeCount),
      freezeSeconds: Math.round(this.video.totalFreezesDuration * 10) / 10,
      maxParticipants: this.maxParticipants,
    };
  }
}
