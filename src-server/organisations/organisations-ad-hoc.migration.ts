import type { Kysely, Migration } from 'kysely';

/**
 * 0105: an organisation may allow ad hoc (`meetingType: POOL`) meetings without keeping a pool of
 * pre-provisioned VMRs; the embedded conference node makes the VMR when the meeting is booked.
 * Elsewhere (no pool, no setting) an ad hoc meeting answers VDX code 19, as the real service does.
 */
export const organisationsAdHocMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('organisations').addColumn('allow_ad_hoc_meetings', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
};
