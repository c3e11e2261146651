import { VIDEO_QUALITY_BAR } from '../../../src-shared/operations/video-quality';
import type { ConferenceCallTable } from './call-records.tables';

/**
 * One `calls/{uuid}/statistics` push of the `@pexip/infinity` SDK, reduced to what the quality
 * rule needs. The SDK sends loss as a percentage (a fraction ×100) and jitter in ms, and leaves out fields whose value
 * is 0 (it converts with `x ? … : undefined`), so a missing loss or jitter reads as 0 — but only
 * while media is flowing, which the packet counters and bitrates tell.
 */
export interface StatisticsSample {
  /** Received packet loss in %, the worse of audio and video (windowed where the SDK gives it). */
  lossPercent: number;
  /** Received audio jitter in ms. */
  jitterMs: number;
  /** Received video, if any arrived: frames per second and frame height. */
  video: { fps: number; height: number | null } | null;
}

type Json = Record<string, unknown>;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
const section = (body: Json, key: string): Json => {
  const v = body[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
};

/** The sample in a statistics body, or null when it shows no received media at all (nothing to judge). */
export function sampleOf(body: Json | undefined): StatisticsSample | null {
  if (!body) return null;
  const audio = section(body, 'audio');
  const video = section(body, 'video');
  const audioFlowing = (num(audio.rx_packets_received) ?? 0) > 0 || (num(audio.rx_bitrate) ?? 0) > 0;
  const videoFlowing = (num(video.rx_packets_received) ?? 0) > 0 || (num(video.rx_bitrate) ?? 0) > 0 || typeof video.rx_resolution === 'string';
  if (!audioFlowing && !videoFlowing) return null;
  const loss = (s: Json) => Math.min(100, num(s.rx_windowed_packet_loss) ?? num(s.rx_historic_packet_loss) ?? 0);
  const height = typeof video.rx_resolution === 'string' ? Number(/^\d+x(\d+)$/.exec(video.rx_resolution)?.[1] ?? NaN) : NaN;
  return {
    lossPercent: Math.max(audioFlowing ? loss(audio) : 0, videoFlowing ? loss(video) : 0),
    jitterMs: audioFlowing ? (num(audio.rx_jitter) ?? 0) : 0,
    video: videoFlowing ? { fps: num(video.rx_fps) ?? 0, height: Number.isFinite(height) ? height : null } : null,
  };
}

/** A call's running statistics as stored on its row. */
export interface CallStatistics {
  samples: number;
  lossSum: number;
  jitterSum: number;
  videoSamples: number;
  fpsSum: number;
  frozenSamples: number;
  lowResolutionSamples: number;
}

export const NO_STATISTICS: CallStatistics = { samples: 0, lossSum: 0, jitterSum: 0, videoSamples: 0, fpsSum: 0, frozenSamples: 0, lowResolutionSamples: 0 };

export function addStatistics(a: CallStatistics, b: CallStatistics): CallStatistics {
  return {
    samples: a.samples + b.samples,
    lossSum: a.lossSum + b.lossSum,
    jitterSum: a.jitterSum + b.jitterSum,
    videoSamples: a.videoSamples + b.videoSamples,
    fpsSum: a.fpsSum + b.fpsSum,
    frozenSamples: a.frozenSamples + b.frozenSamples,
    lowResolutionSamples: a.lowResolutionSamples + b.lowResolutionSamples,
  };
}

/** The statistics columns of a `conference_calls` row, and back. */
type StatisticsColumns = Pick<ConferenceCallTable, 'samples' | 'loss_sum' | 'jitter_sum' | 'video_samples' | 'fps_sum' | 'frozen_samples' | 'low_resolution_samples'>;

export const statisticsOfRow = (r: StatisticsColumns): CallStatistics => ({
  samples: r.samples,
  lossSum: r.loss_sum,
  jitterSum: r.jitter_sum,
  videoSamples: r.video_samples,
  fpsSum: r.fps_sum,
  frozenSamples: r.frozen_samples,
  lowResolutionSamples: r.low_resolution_samples,
});

export const rowOfStatistics = (s: CallStatistics): StatisticsColumns => ({
  samples: s.samples,
  loss_sum: s.lossSum,
  jitter_sum: s.jitterSum,
  video_samples: s.videoSamples,
  fps_sum: s.fpsSum,
  frozen_samples: s.frozenSamples,
  low_resolution_samples: s.lowResolutionSamples,
});

/** A received-video sample under one frame a second shows a frozen picture. */
const FROZEN_FPS = 1;

/** What one sample adds to a call's running statistics. */
export function increments(s: StatisticsSample): CallStatistics {
  return {
    samples: 1,
    lossSum: s.lossPercent,
    jitterSum: s.jitterMs,
    videoSamples: s.video ? 1 : 0,
    fpsSum: s.video?.fps ?? 0,
    frozenSamples: s.video && s.video.fps < FROZEN_FPS ? 1 : 0,
    lowResolutionSamples: s.video && s.video.height !== null && s.video.height < VIDEO_QUALITY_BAR.minVideoHeight ? 1 : 0,
  };
}

/**
 * The verdict on a finished call (decision 0020): null when it is not judged — shorter than the
 * bar's minimum, or no statistics arrived —, else whether every part is within the bar.
 */
export function isGoodQuality(stats: CallStatistics, durationSeconds: number): boolean | null {
  const bar = VIDEO_QUALITY_BAR;
  if (durationSeconds < bar.minSeconds || stats.samples === 0) return null;
  const audioOk = stats.lossSum / stats.samples <= bar.maxPacketLossPercent && stats.jitterSum / stats.samples <= bar.maxJitterMs;
  if (stats.videoSamples === 0) return audioOk;
  const v = stats.videoSamples;
  return (
    audioOk &&
    stats.fpsSum / v >= bar.minFrameRate &&
    stats.frozenSamples / v <= bar.maxFrozenShare &&
    stats.lowResolutionSamples / v <= bar.maxLowResolutionShare
  );
}
