import { Secret, TOTP } from 'otpauth';
import type { Kysely } from 'kysely';
import type { StaffUser } from '../../src-shared/identity/staff-users.schema';
import type { Clock } from '../../src-shared/platform/clock';
import type { Database } from '../db/schema';
import { AuthFailureLimiter } from '../auth/auth-failure-limiter';
import { decoyHash, verifyClientSecret } from '../auth/client-secrets';
import { normaliseEmail, toStaffUser, type StaffUsers } from './staff-users.service';

/** Lockout rules (docs/decisions/0015). */
export const SIGN_IN_LIMITS = {
  /** Consecutive failures (password or TOTP) after which an account locks. */
  accountMaxFailures: 5,
  accountLockMs: 15 * 60_000,
  /** Failures from one address in the window before it must wait (a hospital NAT hides many people). */
  addressMaxFailures: 50,
  addressWindowMs: 15 * 60_000,
} as const;

export type SignInResult =
  | { kind: 'ok'; user: StaffUser }
  /** Password right; a TOTP code is needed next (`verifyTotp`). */
  | { kind: 'totp_required'; user: StaffUser }
  | { kind: 'invalid' }
  | { kind: 'locked'; retryAfterSeconds: number };

const TOTP_PERIOD = 30;

/**
 * Checks a person's credentials: password (scrypt), optional TOTP, and the two lockouts —
 * per account (in the database, so every instance sees it) and per address (in memory, like the
 * token endpoint's limiter). An unknown e-mail, a disabled account and an account without a
 * password fail exactly like a wrong password, in about the same time, and lock the same way
 * (unknown e-mails in memory), so the form does not reveal who has an account.
 */
export class StaffSignIn {
  readonly #limiter: AuthFailureLimiter;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly users: StaffUsers,
    private readonly clock: Clock,
  ) {
    this.#limiter = new AuthFailureLimiter(clock, {
      client: { maxFailures: SIGN_IN_LIMITS.accountMaxFailures, windowMs: SIGN_IN_LIMITS.accountLockMs },
      ip: { maxFailures: SIGN_IN_LIMITS.addressMaxFailures, windowMs: SIGN_IN_LIMITS.addressWindowMs },
    });
  }

  async withPassword(emailInput: string, password: string, address: string): Promise<SignInResult> {
    const email = normaliseEmail(emailInput);
    const row = await this.users.row((await this.users.findByEmail(email))?.id ?? '');
    const blocked = Math.max(
      this.#limiter.retryAfterSeconds({ client: row ? undefined : email, ip: address }),
      row ? this.#accountLockSeconds(row.locked_until) : 0,
    );
    if (blocked > 0) return { kind: 'locked', retryAfterSeconds: blocked };

    const ok = await verifyClientSecret(password, row?.password_hash ?? (await decoyHash()));
    if (!row || !row.password_hash || !ok || Number(row.disabled) === 1) {
      return this.#fail(row?.id, email, address);
    }
    const user = toStaffUser(row);
    if (row.totp_secret) return { kind: 'totp_required', user };
    await this.#succeed(row.id);
    return { kind: 'ok', user };
  }

  /** The second step for a person whose password was right. A code is accepted once. */
  async withTotp(userId: string, code: string, address: string): Promise<SignInResult> {
    const row = await this.users.row(userId);
    if (!row?.totp_secret || Number(row.disabled) === 1) return { kind: 'invalid' };
    const blocked = Math.max(this.#limiter.retryAfterSeconds({ ip: address }), this.#accountLockSeconds(row.locked_until));
    if (blocked > 0) return { kind: 'locked', retryAfterSeconds: blocked };
    const delta = totpFor(row.totp_secret).validate({ token: code.replace(/\s+/g, ''), timestamp: this.clock.now().getTime(), window: 1 });
    const step = Math.floor(this.clock.now().getTime() / 1000 / TOTP_PERIOD) + (delta ?? 0);
    if (delta === null || (row.totp_last_step !== null && step <= Number(row.totp_last_step))) {
      return this.#fail(row.id, row.email, address);
    }
    await this.db.updateTable('staff_users').set({ totp_last_step: step }).where('id', '=', userId).execute();
    await this.#succeed(userId);
    return { kind: 'ok', user: toStaffUser(row) };
  }

  #accountLockSeconds(lockedUntil: string | null): number {
    if (!lockedUntil) return 0;
    const ms = new Date(lockedUntil).getTime() - this.clock.now().getTime();
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  async #fail(userId: string | undefined, email: string, address: string): Promise<SignInResult> {
    this.#limiter.recordFailure({ client: userId ? undefined : email, ip: address });
    if (!userId) return this.#limiter.retryAfterSeconds({ client: email }) > 0 ? this.#lockedNow() : { kind: 'invalid' };
    // Atomic increment: two instances counting the same account's failures do not lose one.
    await this.db
      .updateTable('staff_users')
      .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
      .where('id', '=', userId)
      .execute();
    const row = await this.users.row(userId);
    if (row && Number(row.failed_attempts) >= SIGN_IN_LIMITS.accountMaxFailures) {
      const until = new Date(this.clock.now().getTime() + SIGN_IN_LIMITS.accountLockMs).toISOString();
      await this.db.updateTable('staff_users').set({ failed_attempts: 0, locked_until: until }).where('id', '=', userId).execute();
      return this.#lockedNow();
    }
    return { kind: 'invalid' };
  }

  #lockedNow(): SignInResult {
    return { kind: 'locked', retryAfterSeconds: Math.ceil(SIGN_IN_LIMITS.accountLockMs / 1000) };
  }

  async #succeed(userId: string): Promise<void> {
    await this.db.updateTable('staff_users').set({ failed_attempts: 0, locked_until: null }).where('id', '=', userId).execute();
  }
}

/** A new random TOTP secret (160 bits, RFC 4226's recommendation) for `name`'s authenticator app. */
export function newTotp(label: string, issuer = 'VDX Room'): { secret: string; otpauthUrl: string } {
  const totp = new TOTP({ issuer, label, secret: new Secret({ size: 20 }), period: TOTP_PERIOD, digits: 6, algorithm: 'SHA1' });
  return { secret: totp.secret.base32, otpauthUrl: totp.toString() };
}

function totpFor(secret: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(secret), period: TOTP_PERIOD, digits: 6, algorithm: 'SHA1' });
}

/** The code an authenticator app shows at `at` (tests and the benchmark sign in with it). */
export function totpCode(secret: string, at: Date): string {
  return totpFor(secret).generate({ timestamp: at.getTime() });
}
