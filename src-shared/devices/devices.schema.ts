import { z } from 'zod';
import { AppVersion, EntityId, Locale, MaintenanceWindow, Timestamp, UpdateChannel } from './common.schema';
import { HardwareInfo, OsInfo } from './enrolment.schema';
import { CallQuality, CallState, Preflight, UpdateState } from './heartbeat.schema';
import { Theme } from './themes.schema';

/**
 * Derived from heartbeats with the server clock:
 * - `offline`: no heartbeat for 3 heartbeat intervals (or none ever);
 * - `degraded`: online, but the last heartbeat crossed a threshold (see `degradedReasons`);
 * - `online`: otherwise.
 */
export const DeviceStatus = z.enum(['online', 'offline', 'degraded']);
export type DeviceStatus = z.infer<typeof DeviceStatus>;

/**
 * Why a device is `degraded` (thresholds, applied to the latest heartbeat):
 * packet_loss (> 5 % in a call), jitter (> 50 ms in a call), no_camera, no_microphone, no_speaker,
 * disk_full (> 95 % used), memory_full (> 95 % used), cpu_saturated (> 95 %),
 * server_unreachable, high_latency (> 500 ms), update_error, preflight_failed (the latest
 * pre-flight check before a meeting failed; cleared by the next one that passes).
 */
export const DegradedReason = z.enum([
  'packet_loss',
  'jitter',
  'no_camera',
  'no_microphone',
  'no_speaker',
  'disk_full',
  'memory_full',
  'cpu_saturated',
  'server_unreachable',
  'high_latency',
  'update_error',
  'preflight_failed',
]);
export type DegradedReason = z.infer<typeof DegradedReason>;

/** A stored pre-flight check: as the device sent it, plus the server's receive time and verdict. */
export const LastPreflight = Preflight.extend({
  receivedAt: Timestamp,
  /** Camera, microphone and conference node all passed. */
  ok: z.boolean(),
});
export type LastPreflight = z.infer<typeof LastPreflight>;

/** A device as management sees it. */
export const Device = z.object({
  id: EntityId,
  roomId: EntityId,
  organisationCode: z.string(),
  hostname: z.string(),
  status: DeviceStatus,
  degradedReasons: z.array(DegradedReason),
  /** Whether its event stream is open on this server right now. */
  connected: z.boolean(),
  lastSeenAt: Timestamp.nullable(),
  appVersion: z.string(),
  os: OsInfo,
  hardware: HardwareInfo,
  callState: CallState,
  /**
   * Media quality from the latest heartbeat while the room is in a call; null when idle, offline
   * (the figures would be stale) or when the device sent none.
   */
  callQuality: CallQuality.nullable(),
  updateState: UpdateState.nullable(),
  clientId: z.string().nullable(),
  enrolledAt: Timestamp,
  revokedAt: Timestamp.nullable(),
  /** The latest pre-flight check the device reported (kept until the next one), with the server's receive time. */
  lastPreflight: LastPreflight.nullable(),
});
export type Device = z.infer<typeof Device>;

export const DeviceListQuery = z.object({
  roomId: EntityId.optional(),
  organisationCode: z.string().min(1).max(64).optional(),
  status: DeviceStatus.optional(),
  version: z.string().min(1).max(64).optional(),
  includeRevoked: z.enum(['true', 'false']).optional(),
});

/** `GET /device/v1/me/config`. */
export const DeviceConfig = z.object({
  deviceId: EntityId,
  room: z.object({
    id: EntityId,
    name: z.string(),
    location: z.string().nullable(),
    organisationCode: z.string(),
    fixedVmrAlias: z.string().nullable(),
  }),
  theme: Theme.nullable(),
  /** Base URL the Pexip client (`@pexip/infinity`) talks to. */
  conferenceNodeUrl: z.string(),
  maintenanceWindow: MaintenanceWindow,
  updateChannel: UpdateChannel,
  pinnedVersion: AppVersion.nullable(),
  heartbeatIntervalSeconds: z.number().int().positive(),
  locale: Locale,
  privacy: z.object({ showSubjects: z.boolean() }),
  serverTime: Timestamp,
});
export type DeviceConfig = z.infer<typeof DeviceConfig>;
