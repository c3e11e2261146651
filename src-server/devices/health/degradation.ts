import { VIDEO_QUALITY_BAR } from '../../../src-shared/operations/video-quality';
import type { DegradedReason } from '../../../src-shared/devices/devices.schema';
import type { ParsedHeartbeat } from '../../../src-shared/devices/heartbeat.schema';

/**
 * Thresholds that make an online device `degraded`. Chosen so that each one is something a person
 * in the room would notice (or soon will): video breaking up, a missing camera, a full disk that
 * stops updates and logs, a server the app cannot reach.
 */
export const DEGRADED_THRESHOLDS = {
  /** Live call packet loss above this (%): visible artefacts and freezes. */
  packetLossPercent: 5,
  /** Live call jitter above this (ms). */
  jitterMs: 50,
  /** Disk, memory or CPU use above this (%). */
  diskPercent: 95,
  memoryPercent: 95,
  cpuPercent: 95,
  /** Round trip to the server above this (ms). */
  latencyMs: 500,
} as const;

export function percentUsed(total: number, used: number): number | null {
  return total > 0 ? Math.min(100, (used / total) * 100) : null;
}

/**
 * The reasons, in a stable order, that this heartbeat's device is degraded (empty: healthy).
 * `preflightOk` is the latest pre-flight's verdict — this heartbeat's, or the stored one when it
 * carries none (null: never ran): a camera that failed before a meeting stays a reason until a
 * later check passes, so IT sees it between heartbeats too.
 */
export function degradedReasons(hb: ParsedHeartbeat, preflightOk: boolean | null = null): DegradedReason[] {
  const t = DEGRADED_THRESHOLDS;
  const reasons: DegradedReason[] = [];
  const q = hb.callState.state === 'in_call' ? hb.callQuality : null;
  if (q && q.packetLossPercent > t.packetLossPercent) reasons.push('packet_loss');
  if (q && q.jitterMs > t.jitterMs) reasons.push('jitter');
  if (hb.peripherals.cameras.length === 0) reasons.push('no_camera');
  if (hb.peripherals.microphones.length === 0) reasons.push('no_microphone');
  if (hb.peripherals.speakers.length === 0) reasons.push('no_speaker');
  const disk = percentUsed(hb.disk.totalBytes, hb.disk.totalBytes - hb.disk.freeBytes);
  if (disk !== null && disk > t.diskPercent) reasons.push('disk_full');
  const memory = percentUsed(hb.memory.totalBytes, hb.memory.usedBytes);
  if (memory !== null && memory > t.memoryPercent) reasons.push('memory_full');
  if (hb.cpu.loadPercent > t.cpuPercent) reasons.push('cpu_saturated');
  if (!hb.network.serverReachable) reasons.push('server_unreachable');
  if (hb.network.latencyMs !== null && hb.network.latencyMs > t.latencyMs) reasons.push('high_latency');
  if (hb.update?.state === 'error') reasons.push('update_error');
  if (preflightOk === false) reasons.push('preflight_failed');
  return reasons;
}

export { VIDEO_QUALITY_BAR };

/** The room app's call summary against the shared quality bar (frame rate, not resolution: the summary has no resolution). */
export function isGoodCall(s: {
  durationSeconds: number;
  averages: { packetLossPercent: number; jitterMs: number; frameRate: number };
  freezes: { totalSeconds: number };
}): boolean {
  const b = VIDEO_QUALITY_BAR;
  return (
    s.averages.packetLossPercent <= b.maxPacketLossPercent &&
    s.averages.jitterMs <= b.maxJitterMs &&
    s.averages.frameRate >= b.minFrameRate &&
    s.freezes.totalSeconds <= b.maxFrozenShare * Math.max(s.durationSeconds, 1)
  );
}
