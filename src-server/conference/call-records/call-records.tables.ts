/**
 * One participant's time in one conference (migration 0301): what the monthly KPIs count as a
 * call. Written by the conference node for every participant — kiosks, browsers and SDK clients
 * alike — at join, closed at leave, with a quality summary from the statistics the SDK sends.
 */
export interface ConferenceCallTable {
  id: string;
  /** The meeting this call belongs to (see `CallRecorder`: a booked meeting, or one VMR session). */
  session_id: string;
  /** `booked:<schedulingInfoUuid>` or `vmr:<alias>`. */
  room_id: string;
  room_kind: 'booked' | 'vmr';
  /** The booked meeting's uuid (null for a fixed VMR). */
  meeting_uuid: string | null;
  /** Whose meeting it is (the booking's organisation; null for the node's own VMRs). */
  organisation_code: string | null;
  /** 1 for MedCom health-check test meetings (projectCode `healthcheck`): never counted. */
  excluded: number;
  /** The live participant this row follows now (it changes when a rejoin continues the row). */
  participant_uuid: string;
  /** Who is calling, for the "a rejoin within a minute is the same call" rule (never shown). */
  caller_key: string;
  role: 'HOST' | 'GUEST';
  /** `room-app` | `web-host` | `web-guest` | `sms-guest` | `sdk` (any other Pexip client; see clientKindOf). */
  client_kind: string;
  /** The instance that hosts the conference (its open rows are closed if it disappears). */
  node_id: string;
  joined_at: string;
  left_at: string | null;
  /** Statistics samples received, and running sums/extremes from them (see call-quality.ts). */
  samples: number;
  loss_sum: number;
  jitter_sum: number;
  /** Samples with inbound video, and how many of those showed it frozen or below the bar. */
  video_samples: number;
  fps_sum: number;
  frozen_samples: number;
  low_resolution_samples: number;
  /** The verdict at leave: 1 good, 0 not good, null not judged (too short, or no statistics). */
  quality_good: number | null;
}

/** Each conference node instance's liveness, so rows of a node that died are closed (0301). */
export interface ConferenceNodeTable {
  node_id: string;
  started_at: string;
  seen_at: string;
}

export interface CallRecordTables {
  conference_calls: ConferenceCallTable;
  conference_nodes: ConferenceNodeTable;
}
