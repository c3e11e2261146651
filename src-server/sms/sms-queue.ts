import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import type { SmsMessageTable } from './sms.tables';

/** A message to queue: to whom, what, on whose behalf. */
export interface NewSms {
  /** Chosen by the caller when the text must name the message (a link to it); else a new uuid. */
  id?: string;
  organisation: string;
  senderSubject: string;
  senderEmail?: string | null;
  meetingUuid?: string | null;
  /** E.164, already parsed (phone-number.ts). */
  phone: string;
  recipientName?: string | null;
  senderName: string;
  text: string;
}

/**
 * Writes messages as `queued` send jobs, due at once, in the caller's transaction (so they exist
 * exactly when whatever they announce exists). The dispatcher picks them up after commit.
 */
export async function enqueueSms(db: Kysely<Database> | Transaction<Database>, items: NewSms[], now: Date): Promise<Selectable<SmsMessageTable>[]> {
  if (items.length === 0) return [];
  const at = now.toISOString();
  const rows: Selectable<SmsMessageTable>[] = items.map((m) => {
    const id = m.id ?? randomUUID();
    return {
      id,
      organisation_code: m.organisation,
      sender_subject: m.senderSubject,
      sender_email: m.senderEmail ?? null,
      meeting_uuid: m.meetingUuid ?? null,
      phone: m.phone,
      recipient_name: m.recipientName ?? null,
      text: m.text,
      sender_name: m.senderName,
      status: 'queued',
      failure_reason: null,
      // One key per message for its whole life: every attempt hands the gateway the same one.
      idempotency_key: `sms:${id}`,
      attempts: 0,
      next_attempt_at: at,
      lease_until: null,
      provider: null,
      provider_message_id: null,
      created_at: at,
      updated_at: at,
      sent_at: null,
      delivered_at: null,
    };
  });
  await db.insertInto('sms_messages').values(rows).execute();
  return rows;
}
