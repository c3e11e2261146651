import type { Kysely, Migration } from 'kysely';

export const authMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('signing_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('private_jwk', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('retired_at', 'text')
      .addColumn('publish_until', 'text')
      .execute();
  },
};

export const apiClientsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('api_clients')
      .addColumn('client_id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('organisation_code', 'text', (c) => c.notNull().references('organisations.code'))
      .addColumn('email', 'text')
      .addColumn('roles', 'text', (c) => c.notNull())
      .addColumn('management_admin', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('api_clients_device').on('api_clients').column('device_id').execute();
  },
};
