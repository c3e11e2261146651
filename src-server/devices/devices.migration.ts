import type { Kysely, Migration } from 'kysely';

/** Rooms, themes, activation codes, devices, heartbeats, call summaries, commands. */
export const devicesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('themes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('organisation_code', 'text', (c) => c.notNull().references('organisations.code'))
      .addColumn('logo', 'text')
      .addColumn('colours', 'text', (c) => c.notNull())
      .addColumn('background', 'text')
      .addColumn('welcome_da', 'text', (c) => c.notNull())
      .addColumn('welcome_en', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('rooms')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('organisation_code', 'text', (c) => c.notNull().references('organisations.code'))
      .addColumn('location', 'text')
      .addColumn('theme_id', 'text', (c) => c.references('themes.id'))
      .addColumn('fixed_vmr_alias', 'text')
      .addColumn('maintenance_window', 'text', (c) => c.notNull())
      .addColumn('update_channel', 'text', (c) => c.notNull())
      .addColumn('pinned_version', 'text')
      .addColumn('show_subjects', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('rooms_organisation').on('rooms').column('organisation_code').execute();

    await db.schema
      .createTable('activation_codes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id'))
      .addColumn('code_hash', 'text', (c) => c.notNull().unique())
      .addColumn('note', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .addColumn('used_by_device_id', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('activation_codes_room').on('activation_codes').column('room_id').execute();

    await db.schema
      .createTable('devices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id'))
      .addColumn('organisation_code', 'text', (c) => c.notNull())
      .addColumn('machine_id_hash', 'text', (c) => c.notNull())
      .addColumn('install_id', 'text', (c) => c.notNull())
      .addColumn('hostname', 'text', (c) => c.notNull())
      .addColumn('hardware', 'text', (c) => c.notNull())
      .addColumn('os', 'text', (c) => c.notNull())
      .addColumn('app_version', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text')
      .addColumn('enrolled_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text')
      .addColumn('call_state_kind', 'text', (c) => c.notNull())
      .addColumn('call_state', 'text', (c) => c.notNull())
      .addColumn('update_state', 'text')
      .addColumn('degraded_reasons', 'text', (c) => c.notNull())
      .addColumn('latest_heartbeat', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('devices_room').on('devices').column('room_id').execute();
    await db.schema
      .createIndex('devices_identity')
      .on('devices')
      .columns(['room_id', 'machine_id_hash', 'install_id'])
      .execute();

    await db.schema
      .createTable('device_heartbeats')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('app_version', 'text', (c) => c.notNull())
      .addColumn('cpu_percent', 'double precision', (c) => c.notNull())
      .addColumn('memory_percent', 'double precision')
      .addColumn('disk_percent', 'double precision')
      .addColumn('server_reachable', 'integer', (c) => c.notNull())
      .addColumn('latency_ms', 'double precision')
      .addColumn('call_state', 'text', (c) => c.notNull())
      .addColumn('packet_loss_percent', 'double precision')
      .addColumn('jitter_ms', 'double precision')
      .addColumn('bitrate_kbps', 'double precision')
      .addColumn('frame_rate', 'double precision')
      .addColumn('degraded_reasons', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('device_heartbeats_device_at').on('device_heartbeats').columns(['device_id', 'at']).execute();
    await db.schema.createIndex('device_heartbeats_at').on('device_heartbeats').column('at').execute();

    await db.schema
      .createTable('call_summaries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('room_id', 'text', (c) => c.notNull())
      .addColumn('organisation_code', 'text', (c) => c.notNull())
      .addColumn('call_id', 'text', (c) => c.notNull())
      .addColumn('alias', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('duration_seconds', 'double precision', (c) => c.notNull())
      .addColumn('packet_loss_percent', 'double precision', (c) => c.notNull())
      .addColumn('jitter_ms', 'double precision', (c) => c.notNull())
      .addColumn('bitrate_kbps', 'double precision', (c) => c.notNull())
      .addColumn('frame_rate', 'double precision', (c) => c.notNull())
      .addColumn('freeze_count', 'integer', (c) => c.notNull())
      .addColumn('freeze_seconds', 'double precision', (c) => c.notNull())
      .addColumn('good_quality', 'integer', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addUniqueConstraint('call_summaries_device_call', ['device_id', 'call_id'])
      .execute();
    await db.schema.createIndex('call_summaries_ended').on('call_summaries').column('ended_at').execute();

    await db.schema
      .createTable('device_commands')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('args', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('delivered_at', 'text')
      .addColumn('completed_at', 'text')
      .addColumn('result_detail', 'text')
      .execute();
    await db.schema.createIndex('device_commands_device').on('device_commands').columns(['device_id', 'status']).execute();
  },
};
