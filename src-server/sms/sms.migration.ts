import type { Kysely, Migration } from 'kysely';

/** 0600: text messages as durable send jobs, the embedded outbox gateway, personal links. */
export const smsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sms_messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organisation_code', 'text', (c) => c.notNull())
      .addColumn('sender_subject', 'text', (c) => c.notNull())
      .addColumn('sender_email', 'text')
      .addColumn('meeting_uuid', 'text')
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('recipient_name', 'text')
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('sender_name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('failure_reason', 'text')
      .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('lease_until', 'text')
      .addColumn('provider', 'text')
      .addColumn('provider_message_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .addColumn('delivered_at', 'text')
      .execute();
    // The sender's claim query: due queued rows in order.
    await db.schema.createIndex('sms_messages_due').on('sms_messages').columns(['status', 'next_attempt_at']).execute();
    // The hourly limits count a sender's and an organisation's recent messages.
    await db.schema.createIndex('sms_messages_by_sender').on('sms_messages').columns(['sender_subject', 'created_at']).execute();
    await db.schema.createIndex('sms_messages_by_organisation').on('sms_messages').columns(['organisation_code', 'created_at']).execute();
    await db.schema.createIndex('sms_messages_by_provider_id').on('sms_messages').columns(['provider', 'provider_message_id']).execute();

    await db.schema
      .createTable('sms_outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('organisation_code', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('sender_name', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sms_outbox_newest').on('sms_outbox').columns(['created_at', 'id']).execute();

    await db.schema
      .createTable('sms_links')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('meeting_uuid', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sms_links_by_meeting').on('sms_links').column('meeting_uuid').execute();
  },
};
