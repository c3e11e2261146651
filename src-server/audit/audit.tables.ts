/** One management write: who did what to which entity, with the state before and after. */
export interface AuditTable {
  id: string;
  at: string;
  /** The principal's subject (client id) and organisation. */
  actor: string;
  actor_organisation: string;
  /** e.g. `room.create`, `device.revoke`, `release.promote`. */
  action: string;
  entity_type: string;
  entity_id: string;
  /** JSON, secrets removed; null for creations / deletions respectively. */
  before: string | null;
  after: string | null;
}

export interface AuditTables {
  audit_log: AuditTable;
}
