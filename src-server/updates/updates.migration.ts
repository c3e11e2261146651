import type { Kysely, Migration } from 'kysely';

/** 0500: releases, their uploaded artifacts, and per-room version pins. */
export const updatesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('releases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('version', 'text', (c) => c.notNull().unique())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('files', 'text', (c) => c.notNull())
      .addColumn('notes', 'text')
      .addColumn('staging_percentage', 'integer')
      .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('release_date', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('release_artifacts')
      .addColumn('release_id', 'text', (c) => c.notNull().references('releases.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('sha512', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('stored_path', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('release_artifacts_pk', ['release_id', 'name'])
      .execute();
    await db.schema
      .createTable('room_update_pins')
      .addColumn('room_id', 'text', (c) => c.primaryKey())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('pinned_at', 'text', (c) => c.notNull())
      .addColumn('pinned_by', 'text', (c) => c.notNull())
      .execute();
  },
};
