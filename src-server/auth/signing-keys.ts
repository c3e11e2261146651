import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';
import type { Clock } from '../../src-shared/platform/clock';
import type { Store } from '../db/database';
import type { Database } from '../db/schema';

const ALG = 'ES256';

/**
 * How long an instance keeps signing with the key it loaded before looking for a newer one. Must
 * stay well below the 60 s of extra publication a retired key gets, so that tokens another
 * instance still signs with the old key right after a rotation verify for their whole life.
 */
const CURRENT_KEY_REFRESH_MS = 20_000;
/**
 * How long verification reuses the loaded public keys. An unknown kid forces a reload at once (a
 * rotation on another instance); retired keys linger at most this long, after their tokens expired.
 */
const VERIFY_KEYS_REFRESH_MS = 10_000;

export type VerificationKeys = ReturnType<typeof createLocalJWKSet>;

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
}

/**
 * The issuer's persisted signing keys. The current key signs; after a rotation the previous key
 * stays in the JWKS until every token it signed has expired, so no valid token stops verifying.
 */
export class SigningKeys {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Lifetime of the tokens these keys sign, which bounds how long a retired key is published. */
    private readonly tokenTtlSeconds: number,
  ) {}

  #current?: SigningKey & { loadedAt: number };
  #verification?: { keys: VerificationKeys; kids: string; loadedAt: number };

  /** The key new tokens are signed with; created on first use and persisted. */
  async current(): Promise<SigningKey> {
    const nowMs = this.clock.now().getTime();
    if (this.#current && nowMs - this.#current.loadedAt < CURRENT_KEY_REFRESH_MS) return this.#current;
    const row = await this.store.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('retired_at', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (row && row.kid === this.#current?.kid) {
      this.#current.loadedAt = nowMs;
      return this.#current;
    }
    if (row) {
      const privateKey = (await importJWK(JSON.parse(row.private_jwk) as JWK, row.alg)) as CryptoKey;
      this.#current = { kid: row.kid, alg: row.alg, privateKey, loadedAt: nowMs };
      return this.#current;
    }
    return this.rotate();
  }

  /**
   * Makes a new current key; the old one is published until its tokens expire. Pass an open
   * transaction to make the rotation part of it (e.g. with its audit entry); the new key is then
   * picked up from the database once that transaction has committed.
   */
  async rotate(trx?: Kysely<Database>): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
    const kid = randomUUID();
    const now = this.clock.now();
    const publishUntil = new Date(now.getTime() + this.tokenTtlSeconds * 1000 + 60_000).toISOString();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
    const write = async (trx: Kysely<Database>) => {
      await trx
        .updateTable('signing_keys')
        .set({ retired_at: now.toISOString(), publish_until: publishUntil })
        .where('retired_at', 'is', null)
        .execute();
      await trx
        .insertInto('signing_keys')
        .values({
          kid,
          alg: ALG,
          private_jwk: JSON.stringify(await exportJWK(privateKey)),
          public_jwk: JSON.stringify(publicJwk),
          created_at: now.toISOString(),
          retired_at: null,
          publish_until: null,
        })
        .execute();
    };
    this.#verification = undefined;
    if (trx) {
      await write(trx);
      this.#current = undefined;
      return { kid, alg: ALG, privateKey: privateKey as CryptoKey };
    }
    await this.store.db.transaction().execute(write);
    this.#current = { kid, alg: ALG, privateKey: privateKey as CryptoKey, loadedAt: now.getTime() };
    return this.#current;
  }

  /** Forgets cached keys; call after committing a transaction that rotated them. */
  invalidate(): void {
    this.#current = undefined;
    this.#verification = undefined;
  }

  /**
   * The public keys as a jose key set for verifying tokens, reused for a few seconds so that
   * verification costs no database query and no key import. `reload` fetches afresh (used when a
   * token names a kid the cached set does not have, e.g. just after another instance rotated).
   */
  async verificationKeys(reload = false): Promise<VerificationKeys> {
    const nowMs = this.clock.now().getTime();
    const cached = this.#verification;
    if (!reload && cached && nowMs >= cached.loadedAt && nowMs - cached.loadedAt < VERIFY_KEYS_REFRESH_MS) {
      return cached.keys;
    }
    const jwks = await this.publicJwks();
    const kids = jwks.map((k) => k.kid ?? '').join(' ');
    // Same keys as before (e.g. a token with a made-up kid forced this reload): keep the set and the
    // keys it has already imported, so such tokens cost one small query and nothing more.
    if (cached && cached.kids === kids) {
      cached.loadedAt = nowMs;
      return cached.keys;
    }
    const keys = createLocalJWKSet({ keys: jwks });
    this.#verification = { keys, kids, loadedAt: nowMs };
    return keys;
  }

  /**
   * The keys still published, with their private parts, current first: what the embedded OpenID
   * Provider signs ID and access tokens with, so people's tokens verify against this same JWKS.
   */
  async privateJwks(): Promise<JWK[]> {
    await this.current();
    const now = this.clock.now().toISOString();
    const rows = await this.store.db
      .selectFrom('signing_keys')
      .select(['kid', 'alg', 'private_jwk'])
      .where((eb) => eb.or([eb('retired_at', 'is', null), eb('publish_until', '>', now)]))
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => ({ ...(JSON.parse(r.private_jwk) as JWK), kid: r.kid, alg: r.alg, use: 'sig' }));
  }

  /** The public keys that verify tokens still in circulation (the JWKS `keys`). */
  async publicJwks(): Promise<JWK[]> {
    await this.current();
    const now = this.clock.now().toISOString();
    const rows = await this.store.db
      .selectFrom('signing_keys')
      .select(['public_jwk'])
      .where((eb) => eb.or([eb('retired_at', 'is', null), eb('publish_until', '>', now)]))
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => JSON.parse(r.public_jwk) as JWK);
  }
}
