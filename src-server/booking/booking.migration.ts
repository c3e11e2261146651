import { PostgresAdapter, type Kysely, type Migration } from 'kysely';

export const bookingMigration: Migration = {
  async up(db: Kysely<unknown>) {
    // Templates have numeric ids in the VDX API, so this is the one table with a generated key.
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    await db.schema
      .createTable('booking_templates')
      .addColumn('id', 'integer', (c) =>
        postgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
      )
      .addColumn('organisation_code', 'text', (c) => c.notNull().references('organisations.code'))
      .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('is_pool', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text')
      .execute();
    await db.schema.createIndex('booking_templates_org').on('booking_templates').column('organisation_code').execute();

    await db.schema
      .createTable('booking_meetings')
      .addColumn('uuid', 'text', (c) => c.primaryKey())
      .addColumn('organisation_code', 'text', (c) => c.notNull().references('organisations.code'))
      .addColumn('organizer_email', 'text')
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('project_code', 'text')
      .addColumn('start_time', 'text', (c) => c.notNull())
      .addColumn('end_time', 'text', (c) => c.notNull())
      .addColumn('short_id', 'text', (c) => c.notNull().unique())
      .addColumn('guest_microphone', 'text', (c) => c.notNull())
      .addColumn('guest_pin_required', 'integer', (c) => c.notNull())
      .addColumn('labels', 'text', (c) => c.notNull())
      .addColumn('additional_information', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text')
      .addColumn('created_by_org', 'text', (c) => c.notNull())
      .addColumn('created_by_email', 'text')
      .addColumn('updated_by_org', 'text')
      .addColumn('updated_by_email', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text')
      .execute();
    await db.schema
      .createIndex('booking_meetings_external_id')
      .on('booking_meetings')
      .columns(['organisation_code', 'external_id'])
      .unique()
      .execute();
    await db.schema.createIndex('booking_meetings_org_start').on('booking_meetings').columns(['organisation_code', 'start_time']).execute();
    await db.schema.createIndex('booking_meetings_org_organizer').on('booking_meetings').columns(['organisation_code', 'organizer_email']).execute();

    await db.schema
      .createTable('booking_meeting_labels')
      .addColumn('meeting_uuid', 'text', (c) => c.notNull().references('booking_meetings.uuid').onDelete('cascade'))
      .addColumn('label', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('booking_meeting_labels_pk', ['meeting_uuid', 'label'])
      .execute();
    await db.schema.createIndex('booking_meeting_labels_label').on('booking_meeting_labels').column('label').execute();

    await db.schema
      .createTable('booking_scheduling_infos')
      .addColumn('uuid', 'text', (c) => c.primaryKey())
      .addColumn('meeting_uuid', 'text', (c) => c.unique().references('booking_meetings.uuid').onDelete('cascade'))
      .addColumn('organisation_code', 'text', (c) => c.notNull().references('organisations.code'))
      .addColumn('template_id', 'integer', (c) => c.references('booking_templates.id').onDelete('set null'))
      .addColumn('uri_with_domain', 'text', (c) => c.notNull().unique())
      .addColumn('uri_without_domain', 'text', (c) => c.notNull())
      .addColumn('uri_domain', 'text', (c) => c.notNull())
      .addColumn('host_pin', 'text')
      .addColumn('guest_pin', 'text')
      .addColumn('vmr_available_before', 'integer', (c) => c.notNull())
      .addColumn('provision_status', 'text', (c) => c.notNull())
      .addColumn('provision_status_description', 'text')
      .addColumn('provision_vmr_id', 'text')
      .addColumn('provision_timestamp', 'text')
      .addColumn('provision_due_at', 'text', (c) => c.notNull())
      .addColumn('deprovision_due_at', 'text')
      .addColumn('portal_link', 'text', (c) => c.notNull())
      .addColumn('ivr_theme', 'text')
      .addColumn('direct_media', 'text', (c) => c.notNull())
      .addColumn('conferencing_sys_id', 'integer', (c) => c.notNull())
      .addColumn('reservation_id', 'text', (c) => c.unique())
      .addColumn('is_pool', 'integer', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text')
      .execute();
    await db.schema
      .createIndex('booking_scheduling_infos_provision')
      .on('booking_scheduling_infos')
      .columns(['provision_status', 'provision_due_at'])
      .execute();
    await db.schema
      .createIndex('booking_scheduling_infos_deprovision')
      .on('booking_scheduling_infos')
      .columns(['provision_status', 'deprovision_due_at'])
      .execute();
    await db.schema
      .createIndex('booking_scheduling_infos_pool')
      .on('booking_scheduling_infos')
      .columns(['organisation_code', 'is_pool'])
      .execute();
  },
};
