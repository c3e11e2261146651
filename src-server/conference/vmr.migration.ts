import type { Kysely, Migration } from 'kysely';

export const vmrMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('conference_vmrs')
      .addColumn('alias', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('host_pin', 'text', (c) => c.notNull())
      .addColumn('guest_pin', 'text')
      .addColumn('theme', 'text')
      .addColumn('direct_media', 'text', (c) => c.notNull().defaultTo('best_effort'))
      .addColumn('max_participants', 'integer')
      .addColumn('guests_can_present', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('mute_all_guests', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_by_default', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
