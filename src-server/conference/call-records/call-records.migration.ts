import type { Kysely, Migration } from 'kysely';

/**
 * 0301: a row per participant and conference (`conference_calls`), and the liveness of each
 * conference node instance (`conference_nodes`). Indexed for the month queries of the KPIs
 * (by join time) and for the rejoin lookup at each join (by room and caller).
 */
export const callRecordsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('conference_calls')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('room_id', 'text', (c) => c.notNull())
      .addColumn('room_kind', 'text', (c) => c.notNull())
      .addColumn('meeting_uuid', 'text')
      .addColumn('organisation_code', 'text')
      .addColumn('excluded', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('participant_uuid', 'text', (c) => c.notNull())
      .addColumn('caller_key', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('client_kind', 'text', (c) => c.notNull())
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('joined_at', 'text', (c) => c.notNull())
      .addColumn('left_at', 'text')
      .addColumn('samples', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('loss_sum', 'real', (c) => c.notNull().defaultTo(0))
      .addColumn('jitter_sum', 'real', (c) => c.notNull().defaultTo(0))
      .addColumn('video_samples', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('fps_sum', 'real', (c) => c.notNull().defaultTo(0))
      .addColumn('frozen_samples', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('low_resolution_samples', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('quality_good', 'integer')
      .execute();
    await db.schema.createIndex('conference_calls_joined').on('conference_calls').columns(['joined_at']).execute();
    await db.schema.createIndex('conference_calls_room_caller').on('conference_calls').columns(['room_id', 'caller_key', 'left_at']).execute();
    await db.schema.createIndex('conference_calls_participant').on('conference_calls').columns(['participant_uuid']).execute();
    await db.schema.createIndex('conference_calls_open').on('conference_calls').columns(['node_id', 'left_at']).execute();
    await db.schema
      .createTable('conference_nodes')
      .addColumn('node_id', 'text', (c) => c.primaryKey())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('seen_at', 'text', (c) => c.notNull())
      .execute();
  },
};
