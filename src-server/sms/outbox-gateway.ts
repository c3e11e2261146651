import type { Store } from '../db/database';
import type { Clock } from '../../src-shared/platform/clock';
import type { OutgoingSms, SmsGateway } from './sms-gateway';

/**
 * The embedded default gateway: a message "sent" is a row in `sms_outbox`, read by management
 * (GET /management/v1/sms-outbox), by the demo and by tests that follow a link. Nothing leaves the
 * machine. The row is keyed by the idempotency key, so a repeated attempt at one message (a lease
 * that ran out mid-send) finds the first row instead of writing a second: exactly once.
 */
export class OutboxGateway implements SmsGateway {
  readonly name = 'outbox';

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async send(sms: OutgoingSms): Promise<{ providerMessageId: string }> {
    const db = this.store.db;
    await db
      .insertInto('sms_outbox')
      .values({
        id: `outbox-${sms.messageId}`,
        idempotency_key: sms.idempotencyKey,
        message_id: sms.messageId,
        organisation_code: sms.organisation,
        phone: sms.to,
        sender_name: sms.sender,
        text: sms.text,
        created_at: this.clock.now().toISOString(),
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
    const row = await db.selectFrom('sms_outbox').select('id').where('idempotency_key', '=', sms.idempotencyKey).executeTakeFirstOrThrow();
    return { providerMessageId: row.id };
  }
}
