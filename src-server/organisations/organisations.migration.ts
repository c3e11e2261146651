import type { Kysely, Migration } from 'kysely';

export const organisationsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('organisations')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('parent_code', 'text', (c) => c.references('organisations.code'))
      .addColumn('pool_size', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('sms_sender_name', 'text')
      .addColumn('sms_callback_url', 'text')
      .addColumn('allow_custom_uri_without_domain', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
