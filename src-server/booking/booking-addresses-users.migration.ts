import type { Kysely, Migration } from 'kysely';

/**
 * 0201: addresses are unique per domain by their number (`uri_without_domain`), as the real service
 * allocates them, so that look-up gets an index. And a scheduling info names who created and last changed it (the spec's `createdBy` /
 * `updatedBy`), as the real service answers them: the provisioner that made a pool info, the
 * person whose meeting took it over, the provisioner that last reported on it. Rows written before
 * this keep null and answer their meeting's users.
 */
export const bookingAddressesAndUsersMigration: Migration = {
  async up(db: Kysely<unknown>) {
    for (const column of ['created_by_org', 'created_by_email', 'updated_by_org', 'updated_by_email']) {
      await db.schema.alterTable('booking_scheduling_infos').addColumn(column, 'text').execute();
    }
    await db.schema
      .createIndex('booking_scheduling_infos_domain_uri')
      .on('booking_scheduling_infos')
      .columns(['uri_domain', 'uri_without_domain'])
      .execute();
  },
};
