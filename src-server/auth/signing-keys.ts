import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';
import type { Clock } from '../../src-shared/platform/clock';
import type { Store } from '../db/database';

const ALG = 'ES256';

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

  #current?: SigningKey;

  /** The key new tokens are signed with; created on first use and persisted. */
  async current(): Promise<SigningKey> {
    if (this.#current) return this.#current;
    const row = await this.store.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('retired_at', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (row) {
      const privateKey = (await importJWK(JSON.parse(row.private_jwk) as JWK, row.alg)) as CryptoKey;
      this.#current = { kid: row.kid, alg: row.alg, privateKey };
      return this.#current;
    }
    return this.rotate();
  }

  /** Makes a new current key; the old one is published until its tokens expire. */
  async rotate(): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
    const kid = randomUUID();
    const now = this.clock.now();
    const publishUntil = new Date(now.getTime() + this.tokenTtlSeconds * 1000 + 60_000).toISOString();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
    await this.store.db.transaction().execute(async (trx) => {
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
    });
    this.#current = { kid, alg: ALG, privateKey: privateKey as CryptoKey };
    return this.#current;
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
