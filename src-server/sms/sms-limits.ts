import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { HttpError } from '../http/errors';

const HOUR_MS = 3600_000;

export interface SmsLimits {
  /** Messages one sender (a person or an API client) may queue in any hour. */
  perSender: number;
  /** Messages one organisation may queue in any hour, all its senders together. */
  perOrganisation: number;
}

/**
 * The hourly sending limits, counted from the messages table itself (a sliding hour), so every
 * instance on one database sees the same count and a restart forgets nothing. Throws 429 with a
 * stable code, a Danish message and when to try again, before anything is created.
 *
 * Run it in the transaction that queues the messages: on SQLite that serialises concurrent
 * requests; on PostgreSQL two requests racing at the very edge may each see room for their own
 * batch (a sliver over the limit, never a flood).
 */
export async function assertWithinSmsLimits(
  db: Kysely<Database> | Transaction<Database>,
  limits: SmsLimits,
  who: { sender: string; organisation: string },
  wanted: number,
  now: Date,
): Promise<void> {
  const since = new Date(now.getTime() - HOUR_MS).toISOString();
  const window = (column: 'sender_subject' | 'organisation_code', value: string) =>
    db
      .selectFrom('sms_messages')
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where(column, '=', value)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow();
  const check = async (column: 'sender_subject' | 'organisation_code', value: string, limit: number, code: string, message: (limit: number) => string) => {
    const { n, oldest } = await window(column, value);
    if (Number(n) + wanted <= limit) return;
    // The hour frees up as its oldest message ages out (or, for a batch larger than the limit, never: 1 hour).
    const retryAfterSeconds = oldest ? Math.max(1, Math.ceil((Date.parse(String(oldest)) + HOUR_MS - now.getTime()) / 1000)) : 3600;
    throw new HttpError(429, code, message(limit), { limit, windowSeconds: 3600, retryAfterSeconds });
  };
  await check('sender_subject', who.sender, limits.perSender, 'sms_rate_limited', (l) => `Du kan sende højst ${l} SMS i timen. Prøv igen senere.`);
  await check(
    'organisation_code',
    who.organisation,
    limits.perOrganisation,
    'sms_organisation_rate_limited',
    (l) => `Din organisation kan sende højst ${l} SMS i timen. Prøv igen senere, eller kontakt jeres administrator.`,
  );
}
