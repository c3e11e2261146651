import { jwtVerify } from 'jose';
import type { Clock } from '../../src-shared/platform/clock';
import type { Store } from '../db/database';
import { unauthorized } from '../http/errors';

/**
 * GatewayAPI's delivery status notifications: its documented statuses, in three groups. Final
 * failures fail the message with the status (and GatewayAPI's error text and code) as the reason;
 * intermediate ones leave it `sent`.
 */
const DELIVERED = new Set(['DELIVERED']);
const FAILED = new Set(['UNDELIVERABLE', 'REJECTED', 'EXPIRED', 'DELETED', 'SKIPPED']);

export interface DeliveryReport {
  id: string;
  status: string;
  error?: string | null;
  code?: string | null;
  userref?: string | null;
}

/**
 * Verifies a GatewayAPI webhook call: the `X-Gwapi-Signature` header is a JWT (HS256) made with the
 * webhook's secret, whose claims are the report itself (so the body, which nothing signs, is not
 * read). No secret configured, no header, a bad signature or another algorithm → 401.
 */
export async function verifyGatewayApiReport(signature: string | undefined, secret: string | undefined): Promise<DeliveryReport> {
  if (!secret) throw unauthorized('webhook_not_configured', 'Delivery reports need VDX_SMS_WEBHOOK_SECRET');
  if (!signature) throw unauthorized('signature_missing', 'X-Gwapi-Signature is missing');
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(signature, new TextEncoder().encode(secret), { algorithms: ['HS256'] }));
  } catch {
    throw unauthorized('invalid_signature', 'X-Gwapi-Signature does not verify');
  }
  if ((typeof claims.id !== 'number' && typeof claims.id !== 'string') || typeof claims.status !== 'string') {
    throw unauthorized('invalid_signature', 'The signed report has no id or status');
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return { id: String(claims.id), status: claims.status.toUpperCase(), error: text(claims.error), code: text(claims.code), userref: text(claims.userref) };
}

/**
 * Applies a report to its message (found by the provider's id, else by our idempotency key in
 * `userref`). States only move forward: a late ENROUTE never undoes DELIVERED. Returns the new
 * status, or undefined when nothing changed (unknown message, intermediate status, already final).
 */
export async function applyDeliveryReport(store: Store, clock: Clock, provider: string, report: DeliveryReport): Promise<'delivered' | 'failed' | undefined> {
  const next = DELIVERED.has(report.status) ? 'delivered' : FAILED.has(report.status) ? 'failed' : undefined;
  if (!next) return undefined;
  const now = clock.now().toISOString();
  const reason = next === 'failed' ? [report.status, report.error, report.code ? `(${report.code})` : null].filter(Boolean).join(' ') : null;
  const result = await store.db
    .updateTable('sms_messages')
    .set({ status: next, failure_reason: reason, updated_at: now, ...(next === 'delivered' ? { delivered_at: now } : {}) })
    .where('provider', '=', provider)
    .where((eb) =>
      eb.or([eb('provider_message_id', '=', report.id), ...(report.userref ? [eb('idempotency_key', '=', report.userref)] : [])]),
    )
    .where('status', 'in', ['queued', 'sent'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0 ? next : undefined;
}
