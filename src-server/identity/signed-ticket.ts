import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../src-shared/platform/clock';

/**
 * Small HMAC-signed, expiring values the sign-in pages hand to the browser and get back: "this
 * person's password was right, the TOTP step is next" (a hidden field), the state of an external
 * sign-in (a cookie). Signed with the identity secret every instance shares, so any instance can
 * check them; a `purpose` is part of the MAC, so one kind cannot stand in for another.
 */
export class SignedTickets {
  constructor(
    private readonly secret: string,
    private readonly clock: Clock,
  ) {}

  issue(purpose: string, value: Record<string, unknown>, ttlSeconds: number): string {
    const body = Buffer.from(JSON.stringify({ ...value, exp: this.clock.now().getTime() + ttlSeconds * 1000 })).toString('base64url');
    return `${body}.${this.#mac(purpose, body)}`;
  }

  /** The value, or undefined when forged, for another purpose or expired. */
  open<T extends Record<string, unknown>>(purpose: string, ticket: string | undefined): T | undefined {
    if (typeof ticket !== 'string') return undefined;
    const [body, mac] = ticket.split('.');
    if (!body || !mac) return undefined;
    const expected = Buffer.from(this.#mac(purpose, body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T & { exp?: unknown };
      if (typeof value.exp !== 'number' || value.exp <= this.clock.now().getTime()) return undefined;
      return value;
    } catch {
      return undefined;
    }
  }

  #mac(purpose: string, body: string): string {
    return createHmac('sha256', this.secret).update(`${purpose}\n${body}`).digest('base64url');
  }
}
