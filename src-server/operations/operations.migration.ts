import type { Kysely, Migration } from 'kysely';

/**
 * 0800: what the status page and the monthly uptime figures are computed from.
 * - `uptime_samples`: one row per component and 30-second slot, written by whichever instance
 *   probes that slot first (the primary key makes the others' inserts no-ops). `day` is the slot's
 *   date in Europe/Copenhagen, so daily and monthly figures group without time-zone arithmetic.
 * - `incidents` and their `incident_updates`: what admins tell the public about a disturbance.
 */
export const operationsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('uptime_samples')
      .addColumn('component', 'text', (c) => c.notNull())
      .addColumn('slot_at', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('ok', 'integer', (c) => c.notNull())
      .addColumn('response_ms', 'integer', (c) => c.notNull())
      .addColumn('message', 'text')
      .addPrimaryKeyConstraint('uptime_samples_pk', ['component', 'slot_at'])
      .execute();
    await db.schema.createIndex('uptime_samples_day').on('uptime_samples').columns(['day', 'component']).execute();

    await db.schema
      .createTable('incidents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      /** JSON array of component ids. */
      .addColumn('component_ids', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('resolved_at', 'text')
      .execute();
    await db.schema.createIndex('incidents_updated').on('incidents').column('updated_at').execute();
    await db.schema
      .createTable('incident_updates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
      /** 1, 2, ... per incident: the order of updates written within the same instant. */
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('incident_updates_incident').on('incident_updates').columns(['incident_id', 'seq']).unique().execute();
  },
};
