import { z } from 'zod';

/** One entry of the management audit trail (secrets are removed before an entry is stored). */
export const AuditEntry = z.object({
  id: z.string(),
  /** ISO-8601 UTC. */
  at: z.string(),
  /** Subject (client id) and organisation of whoever made the change. */
  actor: z.string(),
  actorOrganisation: z.string(),
  /** e.g. `api-client.create`, `organisation.update`, `device.revoke`. */
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  /** The entity before and after the change; null for creations and deletions respectively. */
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

const IsoDateTime = z.iso.datetime({ offset: true });

/** `GET /management/v1/audit`: newest first, filtered by time (`from` inclusive, `to` exclusive) and entity. */
export const AuditQuery = z
  .strictObject({
    from: IsoDateTime.optional(),
    to: IsoDateTime.optional(),
    entityType: z.string().min(1).max(100).optional(),
    entityId: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .refine((q) => !q.from || !q.to || new Date(q.from) <= new Date(q.to), { message: 'from must not be after to', path: ['from'] });
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntryList = z.object({ entries: z.array(AuditEntry) });
export type AuditEntryList = z.infer<typeof AuditEntryList>;
