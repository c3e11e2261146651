/** One component's probe result for one 30-second slot (migration 0800). */
export interface UptimeSampleTable {
  component: string;
  /** ISO start of the slot (a multiple of 30 s). */
  slot_at: string;
  /** The slot's date in Europe/Copenhagen (YYYY-MM-DD). */
  day: string;
  ok: number;
  response_ms: number;
  message: string | null;
}

export interface IncidentTable {
  id: string;
  title: string;
  status: string;
  /** JSON array of component ids. */
  component_ids: string;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
}

export interface IncidentUpdateTable {
  id: string;
  incident_id: string;
  /** 1, 2, ... per incident, in the order written. */
  seq: number;
  status: string;
  message: string;
  created_at: string;
}

export interface OperationsTables {
  uptime_samples: UptimeSampleTable;
  incidents: IncidentTable;
  incident_updates: IncidentUpdateTable;
}
