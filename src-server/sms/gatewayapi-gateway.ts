import { isGsm7 } from './sms-segments';
import { SmsSendError, type OutgoingSms, type SmsGateway } from './sms-gateway';

export interface GatewayApiOptions {
  /** The send endpoint (VDX_SMS_GATEWAY_URL; GatewayAPI's is https://gatewayapi.com/rest/mtsms). */
  url: string;
  /** The API token (VDX_SMS_GATEWAY_TOKEN): sent as the Basic-auth user name with an empty password. */
  token: string;
  /** Where delivery reports go; without it, the account's default webhook. */
  callbackUrl?: string;
  fetch?: typeof fetch;
}

/**
 * GatewayAPI's REST API (`POST /rest/mtsms`, JSON), as its documentation describes it: body
 * `{sender, message, recipients: [{msisdn}], userref, callback_url?, encoding?}`, the message always
 * UTF-8 and transcoded by them (`encoding: "UCS2"` when the text does not fit GSM 03.38); answer 200
 * `{ids: [...]}`. 400/401/403/422 are refusals (not retried); 5xx, 429 and connection failures are
 * retried by the send job. `userref` carries our idempotency key and comes back in each delivery
 * report. GatewayAPI does not deduplicate on it, so exactly-once towards it holds except across a
 * crash between their 200 and our write (decision 0018).
 */
export class GatewayApiGateway implements SmsGateway {
  readonly name = 'gatewayapi';
  readonly #fetch: typeof fetch;

  constructor(private readonly options: GatewayApiOptions) {
    this.#fetch = options.fetch ?? fetch;
  }

  async send(sms: OutgoingSms, signal: AbortSignal): Promise<{ providerMessageId: string }> {
    const body = {
      sender: sms.sender,
      message: sms.text,
      recipients: [{ msisdn: Number(sms.to.replace(/^\+/, '')) }],
      userref: sms.idempotencyKey,
      ...(isGsm7(sms.text) ? {} : { encoding: 'UCS2' }),
      ...(this.options.callbackUrl ? { callback_url: this.options.callbackUrl } : {}),
    };
    let res: Response;
    try {
      res = await this.#fetch(this.options.url, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${this.options.token}:`).toString('base64')}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(body),
        signal,
      });
    } catch (err) {
      throw new SmsSendError(true, `gatewayapi unreachable: ${(err as Error).message}`);
    }
    const text = await res.text().catch(() => '');
    if (res.status >= 500 || res.status === 429) throw new SmsSendError(true, `gatewayapi answered ${res.status}`);
    if (!res.ok) throw new SmsSendError(false, `gatewayapi refused the message: ${res.status}${refusalDetail(text)}`);
    let ids: unknown;
    try {
      ids = (JSON.parse(text) as { ids?: unknown }).ids;
    } catch {
      ids = undefined;
    }
    const first = Array.isArray(ids) ? ids[0] : undefined;
    // Taken, but no id to match delivery reports by: retrying would send it again, so record it as sent.
    return { providerMessageId: first === undefined ? `userref:${sms.idempotencyKey}` : String(first) };
  }
}

/** The provider's own code and message for a refusal (never our request, so never the number). */
function refusalDetail(text: string): string {
  try {
    const e = JSON.parse(text) as { code?: unknown; message?: unknown };
    const parts = [e.code, e.message].filter((p) => typeof p === 'string' || typeof p === 'number').map(String);
    return parts.length ? ` (${parts.join(': ').slice(0, 200)})` : '';
  } catch {
    return '';
  }
}
