/**
 * Device-fleet tables (migration 0400). Portability rules of `db/database.ts`: ISO-8601 UTC text
 * timestamps, 0/1 integers for booleans, JSON in text, text ids.
 */

export interface ThemeTable {
  id: string;
  name: string;
  organisation_code: string;
  logo: string | null;
  /** JSON ThemeColours. */
  colours: string;
  background: string | null;
  welcome_da: string;
  welcome_en: string;
  created_at: string;
  updated_at: string;
}

export interface RoomTable {
  id: string;
  name: string;
  organisation_code: string;
  location: string | null;
  theme_id: string | null;
  fixed_vmr_alias: string | null;
  /** JSON MaintenanceWindow. */
  maintenance_window: string;
  update_channel: string;
  pinned_version: string | null;
  show_subjects: number;
  created_at: string;
  updated_at: string;
}

/** One-time codes; only the SHA-256 of the normalised code is stored. */
export interface ActivationCodeTable {
  id: string;
  room_id: string;
  code_hash: string;
  note: string | null;
  created_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by_device_id: string | null;
  revoked_at: string | null;
}

export interface DeviceTable {
  id: string;
  room_id: string;
  organisation_code: string;
  machine_id_hash: string;
  install_id: string;
  hostname: string;
  /** JSON HardwareInfo / OsInfo. */
  hardware: string;
  os: string;
  app_version: string;
  /** The device's current OAuth2 client (null after revocation). */
  client_id: string | null;
  enrolled_at: string;
  last_seen_at: string | null;
  /** `idle` | `in_call`, for filtering; the full CallState is JSON in `call_state`. */
  call_state_kind: string;
  call_state: string;
  /** JSON UpdateState or null. */
  update_state: string | null;
  /** JSON array of DegradedReason from the latest heartbeat. */
  degraded_reasons: string;
  /** JSON of the latest heartbeat as validated. */
  latest_heartbeat: string | null;
  /** JSON LastPreflight of the latest pre-flight check (migration 0401); null until the first. */
  last_preflight: string | null;
  revoked_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The heartbeat time series (pruned after the retention period). */
export interface DeviceHeartbeatTable {
  id: string;
  device_id: string;
  at: string;
  app_version: string;
  cpu_percent: number;
  memory_percent: number | null;
  disk_percent: number | null;
  server_reachable: number;
  latency_ms: number | null;
  call_state: string;
  packet_loss_percent: number | null;
  jitter_ms: number | null;
  bitrate_kbps: number | null;
  frame_rate: number | null;
  /** JSON array of DegradedReason. */
  degraded_reasons: string;
}

export interface CallSummaryTable {
  id: string;
  device_id: string;
  room_id: string;
  organisation_code: string;
  call_id: string;
  alias: string;
  started_at: string;
  ended_at: string;
  received_at: string;
  duration_seconds: number;
  packet_loss_percent: number;
  jitter_ms: number;
  bitrate_kbps: number;
  frame_rate: number;
  freeze_count: number;
  freeze_seconds: number;
  good_quality: number;
  /** JSON CallSummary as received. */
  data: string;
}

export interface DeviceCommandTable {
  id: string;
  device_id: string;
  type: string;
  /** JSON args. */
  args: string;
  status: string;
  /** The SSE id the command travels with (decimal text; compared as a number). */
  event_id: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  delivered_at: string | null;
  completed_at: string | null;
  result_detail: string | null;
}

export interface DeviceTables {
  themes: ThemeTable;
  rooms: RoomTable;
  activation_codes: ActivationCodeTable;
  devices: DeviceTable;
  device_heartbeats: DeviceHeartbeatTable;
  call_summaries: CallSummaryTable;
  device_commands: DeviceCommandTable;
}
