import type { Kysely, Migration } from 'kysely';

/**
 * 0502: room pins moved to the room itself (`rooms.pinned_version`, devices capability), so the
 * separate table of 0500 goes — one place says which version a room is held at.
 */
export const dropRoomUpdatePinsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropTable('room_update_pins').ifExists().execute();
  },
};
