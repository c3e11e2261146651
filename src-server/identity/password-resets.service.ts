import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ResetLink } from '../../src-shared/identity/staff-users.schema';
import type { Clock } from '../../src-shared/platform/clock';
import type { Database } from '../db/schema';
import { hashPassword, type StaffUsers } from './staff-users.service';

/** How long a reset link works. */
export const RESET_LINK_TTL_MS = 24 * 3600_000;
/** Where a reset link points (`/account/reset/{token}`). */
export const RESET_PATH = '/account/reset/';

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * One-time links an admin issues so a person can set a password (first sign-in, forgotten
 * password). The token is 256 random bits shown once in the link; only its SHA-256 is stored (a
 * leaked database holds no working links). A new link supersedes the person's older ones.
 */
export class PasswordResets {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly users: StaffUsers,
    private readonly clock: Clock,
    private readonly publicUrl: string,
  ) {}

  async issue(userId: string, db: Kysely<Database> = this.db): Promise<ResetLink> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + RESET_LINK_TTL_MS).toISOString();
    await db.deleteFrom('staff_password_resets').where('user_id', '=', userId).execute();
    await db
      .insertInto('staff_password_resets')
      .values({ token_hash: digest(token), user_id: userId, expires_at: expiresAt, used_at: null, created_at: now.toISOString() })
      .execute();
    return { url: `${this.publicUrl}${RESET_PATH}${token}`, expiresAt };
  }

  /** The person a link is for, while it is unused and unexpired. */
  async check(token: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('staff_password_resets')
      .select(['user_id', 'expires_at', 'used_at'])
      .where('token_hash', '=', digest(token))
      .executeTakeFirst();
    if (!row || row.used_at !== null || row.expires_at <= this.clock.now().toISOString()) return undefined;
    return row.user_id;
  }

  /**
   * Sets the password and uses up the link, atomically: of two submissions racing with one link
   * only one sets a password; the person's other sign-ins end with it. Returns false when the
   * link no longer works.
   */
  async complete(token: string, password: string): Promise<boolean> {
    const userId = await this.check(token);
    if (!userId) return false;
    const hash = await hashPassword(password);
    const now = this.clock.now().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const used = await trx
        .updateTable('staff_password_resets')
        .set({ used_at: now })
        .where('token_hash', '=', digest(token))
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1) return false;
      await this.users.setPasswordHash(userId, hash, trx);
      // Whoever signed in with the old password (or still holds its tokens) is signed out.
      await this.users.endSignIns(userId, trx);
      return true;
    });
  }
}
