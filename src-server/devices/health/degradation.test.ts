import { describe, expect, it } from 'vitest';
import { Heartbeat } from '../../../src-shared/devices/heartbeat.schema';
import { heartbeatBody } from '../device-fleet.test-kit';
import { degradedReasons, isGoodCall } from './degradation';

const hb = (over: Record<string, unknown> = {}) => Heartbeat.parse(heartbeatBody(over));
const quality = { packetLossPercent: 0, jitterMs: 5, bitrateKbps: 1500, resolution: { width: 1280, height: 720 }, frameRate: 30 };

describe('degraded thresholds', () => {
  it('finds nothing wrong with a healthy idle device', () => {
    expect(degradedReasons(hb())).toEqual([]);
  });

  it('flags call quality only while in a call, and only above the thresholds', () => {
    const inCall = { state: 'in_call', alias: 'a@b' };
    expect(degradedReasons(hb({ callState: inCall, callQuality: { ...quality, packetLossPercent: 5 } }))).toEqual([]);
    expect(degradedReasons(hb({ callState: inCall, callQuality: { ...quality, packetLossPercent: 5.1, jitterMs: 51 } }))).toEqual([
      'packet_loss',
      'jitter',
    ]);
    expect(degradedReasons(hb({ callQuality: { ...quality, packetLossPercent: 50 } }))).toEqual([]);
  });

  it('flags missing peripherals, full resources, network and update trouble', () => {
    const reasons = degradedReasons(
      hb({
        peripherals: { cameras: [], microphones: [], speakers: [] },
        disk: { totalBytes: 1000, freeBytes: 40 },
        memory: { totalBytes: 1000, usedBytes: 960 },
        cpu: { loadPercent: 99 },
        network: { serverReachable: false, latencyMs: 900 },
        update: { state: 'error', error: 'sha512 mismatch' },
      }),
    );
    expect(reasons).toEqual([
      'no_camera',
      'no_microphone',
      'no_speaker',
      'disk_full',
      'memory_full',
      'cpu_saturated',
      'server_unreachable',
      'high_latency',
      'update_error',
    ]);
  });
});

describe('video quality bar', () => {
  const call = { durationSeconds: 600, averages: { packetLossPercent: 1, jitterMs: 10, frameRate: 25 }, freezes: { totalSeconds: 6 } };
  it('accepts a call within every bound', () => expect(isGoodCall(call)).toBe(true));
  it('rejects loss, jitter, low frame rate and long freezes', () => {
    expect(isGoodCall({ ...call, averages: { ...call.averages, packetLossPercent: 2.5 } })).toBe(false);
    expect(isGoodCall({ ...call, averages: { ...call.averages, jitterMs: 31 } })).toBe(false);
    expect(isGoodCall({ ...call, averages: { ...call.averages, frameRate: 12 } })).toBe(false);
    expect(isGoodCall({ ...call, freezes: { totalSeconds: 6.5 } })).toBe(false);
  });
});
