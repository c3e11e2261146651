/**
 * The port every way of sending a text message implements: the embedded outbox
 * (`outbox-gateway.ts`) and real SMS gateways. The send job (`sms-dispatcher.ts`) is the only
 * caller; it retries what the gateway reports as retryable and gives up on the rest.
 */
export interface OutgoingSms {
  messageId: string;
  /**
   * The same for every attempt at one message. A gateway that can deduplicate on it (the outbox
   * does; a provider's own reference field where it offers one) makes a repeated attempt harmless.
   */
  idempotencyKey: string;
  organisation: string;
  /** E.164. */
  to: string;
  /** Alphanumeric sender id (≤ 11 characters). */
  sender: string;
  text: string;
}

export interface SmsGateway {
  /** Stored on each message as its `provider`. */
  readonly name: string;
  /**
   * Hands one message to the provider; resolves with the provider's id for it once the provider has
   * taken it. Throws `SmsSendError` (retryable or not) for a refusal; anything else thrown, or the
   * signal aborting (the send job's timeout), counts as retryable.
   */
  send(sms: OutgoingSms, signal: AbortSignal): Promise<{ providerMessageId: string }>;
}

/** A provider's refusal or failure. `reason` is stored on the message: never a secret, never the number. */
export class SmsSendError extends Error {
  constructor(
    /** Timeouts, 5xx and connection failures are worth another attempt; a 4xx refusal is not. */
    readonly retryable: boolean,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'SmsSendError';
  }
}
