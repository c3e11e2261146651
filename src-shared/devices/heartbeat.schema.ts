import { z } from 'zod';
import { AppVersion, Timestamp } from './common.schema';
import { OsInfo } from './enrolment.schema';

/** Default seconds between heartbeats; the device config may say otherwise. */
export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 30;
/** A device is offline after this many heartbeat intervals without one. */
export const MISSED_HEARTBEATS_OFFLINE = 3;

const Percent = z.number().min(0).max(100);

/** One camera, microphone or speaker as the OS lists it. */
export const Peripheral = z.object({
  id: z.string().max(256),
  label: z.string().max(256),
  /** The one the app currently uses. */
  selected: z.boolean(),
});
export type Peripheral = z.infer<typeof Peripheral>;

export const Peripherals = z.object({
  cameras: z.array(Peripheral).max(32),
  microphones: z.array(Peripheral).max(32),
  speakers: z.array(Peripheral).max(32),
});
export type Peripherals = z.infer<typeof Peripherals>;

/** What the room is doing: a discriminated union so UIs render states, not flags. */
export const CallState = z.discriminatedUnion('state', [
  z.object({ state: z.literal('idle') }),
  z.object({
    state: z.literal('in_call'),
    /** The conference alias, e.g. `meet.12345@vdx.dk`. */
    alias: z.string().min(1).max(256),
    since: Timestamp.optional(),
    /** Booking meeting uuid when the call came from the schedule. */
    meetingUuid: z.string().max(64).optional(),
    participants: z.number().int().min(0).max(10_000).optional(),
  }),
]);
export type CallState = z.infer<typeof CallState>;

export const Resolution = z.object({ width: z.number().int().min(0).max(16384), height: z.number().int().min(0).max(16384) });

/** Live media quality of the current call (received video unless named otherwise). */
export const CallQuality = z.object({
  packetLossPercent: Percent,
  jitterMs: z.number().min(0).max(100_000),
  /** Received + sent, kilobits per second. */
  bitrateKbps: z.number().min(0).max(1_000_000),
  resolution: Resolution.nullable(),
  frameRate: z.number().min(0).max(240),
  roundTripMs: z.number().min(0).max(100_000).optional(),
});
export type CallQuality = z.infer<typeof CallQuality>;

/** The app updater's state (mirrors electron-updater's life cycle). */
export const UpdateState = z.object({
  state: z.enum(['idle', 'checking', 'available', 'downloading', 'downloaded', 'deferred', 'installing', 'error']),
  /** Version being downloaded/installed, when any. */
  version: z.string().max(64).optional(),
  progressPercent: Percent.optional(),
  /** Why an update waits (`in_call`, `meeting_soon`, `outside_maintenance_window`...). */
  deferredReason: z.string().max(100).optional(),
  error: z.string().max(1000).optional(),
  lastCheckAt: Timestamp.optional(),
});
export type UpdateState = z.infer<typeof UpdateState>;

export const RecentError = z.object({
  at: Timestamp,
  code: z.string().max(100).optional(),
  message: z.string().max(1000),
});

/** One part of a pre-flight check. `detail` says why it failed (e.g. `NotFoundError`, `no_answer`). */
export const PreflightCheck = z.object({
  ok: z.boolean(),
  /** The camera/microphone that was tested, when known. */
  deviceLabel: z.string().max(256).optional(),
  detail: z.string().max(1000).optional(),
});
export type PreflightCheck = z.infer<typeof PreflightCheck>;

/**
 * The room's pre-flight check, run shortly before each scheduled meeting: camera and microphone
 * (tested by the room UI) and whether the conference node answered (tested by the agent). Sent
 * once, in the heartbeat that follows the check; the server keeps the latest per device.
 */
export const Preflight = z.object({
  checkedAt: Timestamp,
  /** Booking meeting uuid the check was run for. */
  meetingUuid: z.string().max(64).optional(),
  /** Conference alias of that meeting (never its PIN). */
  alias: z.string().max(256).optional(),
  camera: PreflightCheck,
  microphone: PreflightCheck,
  conferenceNode: z.object({
    ok: z.boolean(),
    latencyMs: z.number().min(0).max(600_000).optional(),
    detail: z.string().max(1000).optional(),
  }),
});
export type Preflight = z.infer<typeof Preflight>;

/** Whether every part of a pre-flight check passed. */
export function preflightPassed(p: Preflight): boolean {
  return p.camera.ok && p.microphone.ok && p.conferenceNode.ok;
}

/**
 * `POST /device/v1/me/heartbeat`, every `heartbeatIntervalSeconds`. Unknown keys are dropped (a
 * newer agent may send more); wrong types or out-of-range values are refused with 400 and nothing
 * is stored.
 */
export const Heartbeat = z.object({
  /** Device clock when sent; the server stamps its own receive time as well. */
  sentAt: Timestamp.optional(),
  appVersion: AppVersion,
  os: OsInfo,
  /** Seconds since the app started (and the OS booted). */
  uptimeSeconds: z.number().min(0),
  systemUptimeSeconds: z.number().min(0).optional(),
  cpu: z.object({ loadPercent: Percent, temperatureC: z.number().min(-50).max(150).optional() }),
  memory: z.object({ totalBytes: z.number().min(0), usedBytes: z.number().min(0) }),
  disk: z.object({ totalBytes: z.number().min(0), freeBytes: z.number().min(0) }),
  network: z.object({
    /** Whether the app reached this server (and the conference node) on its last try. */
    serverReachable: z.boolean(),
    latencyMs: z.number().min(0).max(600_000).nullable(),
    type: z.enum(['wired', 'wifi', 'cellular', 'unknown']).optional(),
  }),
  peripherals: Peripherals,
  callState: CallState,
  /** Present while in a call. */
  callQuality: CallQuality.nullable().optional(),
  update: UpdateState.optional(),
  recentErrors: z.array(RecentError).max(20).default([]),
  /** Only in the heartbeat sent right after a pre-flight check. */
  preflight: Preflight.optional(),
});
export type Heartbeat = z.input<typeof Heartbeat>;
export type ParsedHeartbeat = z.output<typeof Heartbeat>;

/** The heartbeat answer: when to send the next one (the server may slow devices down). */
export const HeartbeatAck = z.object({ receivedAt: Timestamp, nextHeartbeatSeconds: z.number().int().positive() });
export type HeartbeatAck = z.infer<typeof HeartbeatAck>;

/** `POST /device/v1/me/call-summaries`, once at hang-up. */
export const CallSummary = z.object({
  /** Device-generated id; a retried upload with the same id is stored once. */
  callId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  alias: z.string().min(1).max(256),
  meetingUuid: z.string().max(64).optional(),
  startedAt: Timestamp,
  endedAt: Timestamp,
  durationSeconds: z.number().min(0).max(7 * 24 * 3600),
  averages: z.object({
    packetLossPercent: Percent,
    jitterMs: z.number().min(0).max(100_000),
    bitrateKbps: z.number().min(0).max(1_000_000),
    frameRate: z.number().min(0).max(240),
    roundTripMs: z.number().min(0).max(100_000).optional(),
  }),
  /** Video freezes the receiver saw (WebRTC `freezeCount` / `totalFreezesDuration`). */
  freezes: z.object({ count: z.number().int().min(0), totalSeconds: z.number().min(0) }),
  endReason: z.string().max(100).optional(),
});
export type CallSummary = z.infer<typeof CallSummary>;

/** Stored answer to a call summary, with the server's quality verdict (see the KPI definition). */
export const CallSummaryAck = z.object({ id: z.string(), goodQuality: z.boolean() });
