/** Token signing keys. The private JWK never leaves the database or the process. */
export interface SigningKeyTable {
  kid: string;
  alg: string;
  private_jwk: string;
  public_jwk: string;
  created_at: string;
  /** Null while current; once rotated, the key stays published until `publish_until`. */
  retired_at: string | null;
  publish_until: string | null;
}

/**
 * OAuth2 clients: external systems, the portal, IT automation — and enrolled room devices
 * (`kind = 'device'`, scope `device`, linked by `device_id`).
 */
export interface ApiClientTable {
  client_id: string;
  kind: 'system' | 'device';
  name: string;
  /** Organisation code (`dk:medcom:organisation_id` in its tokens). */
  organisation_code: string;
  /** E-mail the client books as (`dk:medcom:email`). */
  email: string | null;
  /** JSON array of VdxRole. */
  roles: string;
  management_admin: number;
  /** JSON array of allowed scopes. */
  scopes: string;
  /** `scrypt$N$r$p$salt$hash`, never the secret itself. */
  secret_hash: string;
  device_id: string | null;
  created_at: string;
  updated_at: string;
  revoked_at: string | null;
}

export interface AuthTables {
  signing_keys: SigningKeyTable;
  api_clients: ApiClientTable;
}
