import type { Kysely, Migration } from 'kysely';

/** 0501: meeting participants (rooms with a role, people with contact details). */
export const appointmentsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('appointment_participants')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('meeting_uuid', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('room_id', 'text')
      .addColumn('role', 'text')
      .addColumn('name', 'text')
      .addColumn('phone', 'text')
      .addColumn('email', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      // A room takes part once per meeting (NULL room ids of people never collide).
      .addUniqueConstraint('appointment_participants_room', ['meeting_uuid', 'room_id'])
      .execute();
    await db.schema.createIndex('appointment_participants_by_room').on('appointment_participants').column('room_id').execute();
  },
};
