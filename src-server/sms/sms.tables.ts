/**
 * The SMS capability's tables (migration 0600). Timestamps are ISO-8601 UTC text, as everywhere
 * (db/database.ts).
 */

/** Where a message is in its life. Only `queued` rows are ever picked up for sending. */
export type SmsStatus = 'queued' | 'sent' | 'delivered' | 'failed';

/**
 * One text message to one recipient: the durable send job. A sender instance claims due `queued`
 * rows by setting `lease_until` (on PostgreSQL with FOR UPDATE SKIP LOCKED); a lease that runs out
 * (the instance died mid-send) makes the row claimable again, and the gateway's idempotency key
 * keeps that second attempt from sending the message twice.
 */
export interface SmsMessageTable {
  id: string;
  organisation_code: string;
  /** "The sender", for access and limits: `email:<e-mail>` of the person acted for, else `client:<client id>` (sms-video.service senderKey). */
  sender_subject: string;
  sender_email: string | null;
  meeting_uuid: string | null;
  /** E.164. */
  phone: string;
  recipient_name: string | null;
  /** The whole text as sent, personal link included. */
  text: string;
  /** The alphanumeric sender id shown on the phone (the organisation's smsSenderName). */
  sender_name: string;
  status: SmsStatus;
  /** Why it failed (or, while queued, why the last attempt did not go through). */
  failure_reason: string | null;
  /** Handed to the gateway with each attempt; unique. */
  idempotency_key: string;
  attempts: number;
  next_attempt_at: string;
  lease_until: string | null;
  /** Which gateway took it (`outbox`, `gatewayapi`) and its id there. */
  provider: string | null;
  provider_message_id: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  delivered_at: string | null;
}

/** The embedded gateway: each message handed to it, once (unique idempotency key). */
export interface SmsOutboxTable {
  id: string;
  idempotency_key: string;
  message_id: string;
  organisation_code: string;
  phone: string;
  sender_name: string;
  text: string;
  created_at: string;
}

/**
 * A personal link's token, by its SHA-256 only: who may join which meeting as whom, until when.
 * `role` is `guest` for recipients and `host` for the clinician's own link.
 */
export interface SmsLinkTable {
  token_hash: string;
  meeting_uuid: string;
  message_id: string | null;
  role: 'host' | 'guest';
  display_name: string;
  expires_at: string;
  created_at: string;
}

export interface SmsTables {
  sms_messages: SmsMessageTable;
  sms_outbox: SmsOutboxTable;
  sms_links: SmsLinkTable;
}
