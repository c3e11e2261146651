import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Kysely } from 'kysely';
import type { Clock } from '../../src-shared/platform/clock';
import type { Database } from '../db/schema';

/** How long a provider session may go unused before it ends (no page renewing, no sign-in). */
export interface SessionLimits {
  idleMs: number;
}

/** A session's `touched_at` is rewritten at most this often, not on every request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The OpenID Provider's storage (its `Adapter` interface) on our database: sessions,
 * interactions, grants, authorization codes, refresh tokens, ... in one table, one row per model
 * instance. Because it is the database every instance shares, a session started on one instance
 * answers a silent renewal on another and survives a restart.
 *
 * Expiry is judged by our injected clock (`expires_at`), so tests move time instead of waiting;
 * sessions also end after `idleMs` without use (the provider itself only knows absolute expiry).
 */
export class OidcDatabaseAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly session: SessionLimits,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const now = this.clock.now();
    const row = {
      payload: JSON.stringify(payload),
      grant_id: payload.grantId ?? null,
      account_id: payload.accountId ?? null,
      uid: payload.uid ?? null,
      user_code: payload.userCode ?? null,
      expires_at: expiresIn ? new Date(now.getTime() + expiresIn * 1000).toISOString() : null,
      consumed_at: null,
      touched_at: this.model === 'Session' ? now.toISOString() : null,
    };
    await this.db
      .insertInto('oidc_payloads')
      .values({ model: this.model, id, ...row })
      .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(row))
      .execute();
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere('id', id);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere('uid', uid);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere('user_code', userCode);
  }

  async consume(id: string): Promise<void> {
    await this.db
      .updateTable('oidc_payloads')
      .set({ consumed_at: this.clock.now().toISOString() })
      .where('model', '=', this.model)
      .where('id', '=', id)
      .execute();
  }

  async destroy(id: string): Promise<void> {
    await this.db.deleteFrom('oidc_payloads').where('model', '=', this.model).where('id', '=', id).execute();
  }

  /** Revoking a grant ends every token and code issued under it (any model). */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).execute();
  }

  async #findWhere(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
    const row = await this.db
      .selectFrom('oidc_payloads')
      .selectAll()
      .where('model', '=', this.model)
      .where(column, '=', value)
      .executeTakeFirst();
    if (!row) return undefined;
    const now = this.clock.now();
    if (row.expires_at !== null && row.expires_at <= now.toISOString()) return undefined;
    if (this.model === 'Session' && row.touched_at !== null) {
      const idle = now.getTime() - new Date(row.touched_at).getTime();
      if (idle > this.session.idleMs) {
        await this.destroy(row.id);
        return undefined;
      }
      if (idle > TOUCH_EVERY_MS) {
        await this.db
          .updateTable('oidc_payloads')
          .set({ touched_at: now.toISOString() })
          .where('model', '=', this.model)
          .where('id', '=', row.id)
          .execute();
      }
    }
    const payload = JSON.parse(row.payload) as AdapterPayload;
    if (row.consumed_at !== null) payload.consumed = Math.floor(new Date(row.consumed_at).getTime() / 1000);
    return payload;
  }
}

/** Removes rows expired for at least a day (called now and then; expired rows are already ignored). */
export async function pruneExpiredOidcPayloads(db: Kysely<Database>, clock: Clock): Promise<void> {
  const before = new Date(clock.now().getTime() - 24 * 3600_000).toISOString();
  await db.deleteFrom('oidc_payloads').where('expires_at', '<', before).execute();
}
