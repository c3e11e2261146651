import type { Kysely, Migration } from 'kysely';

/**
 * The latest pre-flight check per device (JSON LastPreflight). A column of its own rather than
 * part of `latest_heartbeat`: the pre-flight rides on one heartbeat only, and the next regular
 * heartbeat overwrites `latest_heartbeat`.
 */
export const devicePreflightMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('devices').addColumn('last_preflight', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('devices').dropColumn('last_preflight').execute();
  },
};
