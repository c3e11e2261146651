/** Token signing keys. The private JWK never leaves the database or the process. */
export interface SigningKeyTable {
  kid: string;
  alg: string;
  private_jwk: string;
  public_jwk: string;
  created_at: string;
  /** Null while current; once rotated, the key stays published until this time (its last token's expiry). */
  retired_at: string | null;
  publish_until: string | null;
}

export interface AuthTables {
  signing_keys: SigningKeyTable;
}
