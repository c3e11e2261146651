import type { Stats } from '@pexip/infinity';

/**
 * What the call-quality indicator shows and what the room shell forwards to the agent
 * (bridge `call:report-stats`, then the device heartbeat). Figures are from the SDK's normalised
 * `getStats` metrics; absent figures stay `undefined` rather than pretending to be zero.
 */
export interface CallQuality {
  /** Overall verdict the UI colours the indicator by. */
  level: 'good' | 'fair' | 'poor' | 'unknown';
  /** Recent inbound packet loss, percent (worst of audio and video). */
  packetLossPercent?: number;
  /** Inbound jitter, milliseconds (worst of audio and video). */
  jitterMs?: number;
  /** Received and sent media bitrate, kbit/s (audio + video). */
  bitrateInKbps?: number;
  bitrateOutKbps?: number;
  /** Received main video, e.g. "640x480", and its frame rate. */
  resolutionIn?: string;
  fpsIn?: number;
  /** Sent main video. */
  resolutionOut?: string;
  fpsOut?: number;
  /** Round-trip time reported by the far end, milliseconds. */
  roundTripMs?: number;
}

/** Thresholds follow common VoIP guidance: ~1 % loss / 30 ms jitter is noticeable, 5 % / 80 ms is bad. */
const FAIR = { loss: 1, jitter: 30 };
const POOR = { loss: 5, jitter: 80 };

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

function maxDefined(...values: (number | undefined)[]): number | undefined {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return present.length > 0 ? Math.max(...present) : undefined;
}

function sumDefined(...values: (number | undefined)[]): number | undefined {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return present.length > 0 ? present.reduce((a, b) => a + b, 0) : undefined;
}

/** Judges the figures: the worst of loss and jitter decides. */
export function qualityLevel(packetLossPercent: number | undefined, jitterMs: number | undefined): CallQuality['level'] {
  if (packetLossPercent === undefined && jitterMs === undefined) return 'unknown';
  const loss = packetLossPercent ?? 0;
  const jitter = jitterMs ?? 0;
  if (loss >= POOR.loss || jitter >= POOR.jitter) return 'poor';
  if (loss >= FAIR.loss || jitter >= FAIR.jitter) return 'fair';
  return 'good';
}

/**
 * Folds the SDK's per-stream metrics (`callSignals.onRtcStats`) into one summary.
 * The SDK reports jitter in seconds (as `getStats` does) and bitrate in bit/s.
 */
export function summariseQuality(stats: Stats): CallQuality {
  const { inbound, outbound } = stats;
  const loss = maxDefined(inbound.audio?.recentPercentageLost, inbound.video?.recentPercentageLost);
  const jitterSeconds = maxDefined(inbound.audio?.jitter, inbound.video?.jitter);
  const jitterMs = jitterSeconds === undefined ? undefined : jitterSeconds * 1000;
  const bitIn = sumDefined(inbound.audio?.bitrate, inbound.video?.bitrate, inbound.preso?.bitrate);
  const bitOut = sumDefined(outbound.audio?.bitrate, outbound.video?.bitrate, outbound.preso?.bitrate);
  const rtt = maxDefined(outbound.audio?.roundTripTime, outbound.video?.roundTripTime);
  return {
    level: qualityLevel(loss, jitterMs),
    packetLossPercent: loss === undefined ? undefined : round(loss),
    jitterMs: jitterMs === undefined ? undefined : round(jitterMs),
    bitrateInKbps: bitIn === undefined ? undefined : Math.round(bitIn / 1000),
    bitrateOutKbps: bitOut === undefined ? undefined : Math.round(bitOut / 1000),
    resolutionIn: inbound.video?.resolution,
    fpsIn: inbound.video?.framesPerSecond === undefined ? undefined : round(inbound.video.framesPerSecond),
    resolutionOut: outbound.video?.resolution,
    fpsOut: outbound.video?.framesPerSecond === undefined ? undefined : round(outbound.video.framesPerSecond),
    roundTripMs: rtt === undefined ? undefined : Math.round(rtt * 1000),
  };
}
