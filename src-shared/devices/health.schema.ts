import { z } from 'zod';
import { EntityId, Timestamp } from './common.schema';
import { DeviceStatus } from './devices.schema';

/** `GET /management/v1/devices/{id}/health?from&to` (default: the last 24 hours). */
export const HealthQuery = z.object({ from: Timestamp.optional(), to: Timestamp.optional() });

/** One heartbeat, flattened for charts. */
export const HealthPoint = z.object({
  at: Timestamp,
  appVersion: z.string(),
  cpuPercent: z.number(),
  memoryPercent: z.number().nullable(),
  diskPercent: z.number().nullable(),
  serverReachable: z.boolean(),
  latencyMs: z.number().nullable(),
  callState: z.enum(['idle', 'in_call']),
  packetLossPercent: z.number().nullable(),
  jitterMs: z.number().nullable(),
  bitrateKbps: z.number().nullable(),
  frameRate: z.number().nullable(),
  degradedReasons: z.array(z.string()),
});
export type HealthPoint = z.infer<typeof HealthPoint>;

export const DeviceHealth = z.object({
  deviceId: EntityId,
  status: DeviceStatus,
  from: Timestamp,
  to: Timestamp,
  points: z.array(HealthPoint),
  /** The latest heartbeat as received (null before the first). */
  latest: z.record(z.string(), z.unknown()).nullable(),
});

/**
 * The "video quality %" KPI: of the calls that ended in the period and lasted at least 30 s, the
 * share that met the quality bar — average packet loss ≤ 2 %, average jitter ≤ 30 ms, average frame
 * rate ≥ 15 fps, and video frozen for at most 1 % of the call. `null` when no call qualifies.
 */
export const VideoQualityKpi = z.object({
  from: Timestamp,
  to: Timestamp,
  calls: z.number().int(),
  goodCalls: z.number().int(),
  percent: z.number().nullable(),
});

/** `GET /management/v1/fleet/summary?organisationCode&from&to` (KPI period default: 30 days). */
export const FleetSummaryQuery = z.object({
  organisationCode: z.string().min(1).max(64).optional(),
  from: Timestamp.optional(),
  to: Timestamp.optional(),
});

export const FleetSummary = z.object({
  total: z.number().int(),
  byStatus: z.object({ online: z.number().int(), offline: z.number().int(), degraded: z.number().int() }),
  byVersion: z.record(z.string(), z.number().int()),
  byCallState: z.object({ idle: z.number().int(), in_call: z.number().int() }),
  byUpdateState: z.record(z.string(), z.number().int()),
  videoQuality: VideoQualityKpi,
});
export type FleetSummary = z.infer<typeof FleetSummary>;
