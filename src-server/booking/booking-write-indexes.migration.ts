import { sql, type CreateIndexBuilder, type Kysely, type Migration } from 'kysely';

/**
 * 0202: fewer index pages per booking. Every index a new meeting's rows enter is one more page
 * its commit writes (bench:booking: creating a meeting wrote some twenty pages):
 * - `booking_meetings_org_organizer` and `booking_meeting_labels_label` go: the searches compare
 *   `lower(organizer_email)` and `lower(label)` (the real service's case-insensitive collation),
 *   which these indexes cannot serve; a label is looked for among its meeting's labels, by the
 *   table's key, and the organisation prefix is served by `booking_meetings_org_start`.
 * - The external-id, pool and deprovision indexes hold only the rows their queries ask for
 *   (partial indexes): most meetings have no externalId, are no pool info and are not provisioned
 *   yet, so a new booking no longer enters them. Their queries name the same condition literally.
 * - An address's number is unique per domain (0201 checked it before every insert); now the index
 *   says so, so two bookings racing for one number cannot both get it, and a new booking's first
 *   random draw is inserted without asking first (a clash is drawn again, checked).
 */
export const bookingWriteIndexesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('booking_meetings_org_organizer').execute();
    await db.schema.dropIndex('booking_meeting_labels_label').execute();
    /** Drops the index and creates it again under its name, as `define` says. */
    const redefine = async (name: string, define: (index: CreateIndexBuilder) => { execute(): Promise<void> }) => {
      await db.schema.dropIndex(name).execute();
      await define(db.schema.createIndex(name)).execute();
    };
    await redefine('booking_meetings_external_id', (i) =>
      i.on('booking_meetings').columns(['organisation_code', 'external_id']).unique().where(sql.ref('external_id'), 'is not', null));
    await redefine('booking_scheduling_infos_pool', (i) =>
      i.on('booking_scheduling_infos').column('organisation_code').where(sql<boolean>`is_pool = 1`));
    // The status leads, as before: SQLite's planner then takes this index for the queue.
    await redefine('booking_scheduling_infos_deprovision', (i) =>
      i.on('booking_scheduling_infos').columns(['provision_status', 'deprovision_due_at']).where(sql<boolean>`provision_status = 'PROVISIONED_OK'`));
    await redefine('booking_scheduling_infos_domain_uri', (i) =>
      i.on('booking_scheduling_infos').columns(['uri_domain', 'uri_without_domain']).unique());
  },
};
