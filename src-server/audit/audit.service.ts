import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../src-shared/platform/clock';
import type { Principal } from '../auth/principal';
import type { Database } from '../db/schema';

/** Keys whose values never enter the audit log, at any depth. */
const SECRET_KEYS = /secret|password|pin$|^pin|token|code_hash|private/i;

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/**
 * The management audit trail. Call `record` inside the same transaction as the write it
 * describes, so a write and its audit entry are stored together or not at all.
 */
export class AuditLog {
  constructor(private readonly clock: Clock) {}

  async record(db: Kysely<Database> | Transaction<Database>, actor: Principal, entry: AuditEntry): Promise<void> {
    await db
      .insertInto('audit_log')
      .values({
        id: randomUUID(),
        at: this.clock.now().toISOString(),
        actor: actor.subject,
        actor_organisation: actor.organisation,
        action: entry.action,
        entity_type: entry.entityType,
        entity_id: entry.entityId,
        before: entry.before === undefined ? null : JSON.stringify(scrub(entry.before)),
        after: entry.after === undefined ? null : JSON.stringify(scrub(entry.after)),
      })
      .execute();
  }
}

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : scrub(v)]),
    );
  }
  return value;
}
