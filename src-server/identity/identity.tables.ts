/**
 * A person who signs in (clinician, planner, secretary, IT staff). Distinct from `api_clients`:
 * people authenticate interactively through the OpenID Provider, systems with client credentials.
 */
export interface StaffUserTable {
  id: string;
  /** Lowercased; unique. The `dk:medcom:email` claim of the person's tokens. */
  email: string;
  name: string;
  organisation_code: string;
  /** JSON array of StaffRole (meeting roles and `management-admin`). */
  roles: string;
  /** `scrypt$N$r$p$salt$hash`; null: no local password (external IdP only, or awaiting a reset link). */
  password_hash: string | null;
  /** Base32 TOTP secret once a second factor is enrolled; null: password alone. */
  totp_secret: string | null;
  /** Last TOTP time step accepted, so a code cannot be replayed within its window. */
  totp_last_step: number | null;
  disabled: number;
  /** Consecutive failed sign-ins (reset by a success); at the limit the account locks. */
  failed_attempts: number;
  locked_until: string | null;
  /** The `VDX_OIDC_PROVIDERS` id and subject this person signs in with, once linked. */
  external_provider: string | null;
  external_subject: string | null;
  /** Access tokens issued before this time (whole seconds) are refused; set when sign-ins are ended (migration 0106). */
  tokens_valid_from: string | null;
  created_at: string;
  updated_at: string;
}

/** One-time links to set a password. Only the SHA-256 of the token is stored. */
export interface StaffPasswordResetTable {
  token_hash: string;
  user_id: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

/**
 * Everything the OpenID Provider persists (sessions, interactions, grants, authorization codes,
 * refresh tokens, ...), one row per model instance (`oidc-adapter.ts`). Payloads are JSON text.
 */
export interface OidcPayloadTable {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  /** The person the row belongs to (`accountId` of the payload), to end all of a person's sign-ins (migration 0106). */
  account_id: string | null;
  uid: string | null;
  user_code: string | null;
  /** ISO time after which the row is gone for the provider (and may be pruned). */
  expires_at: string | null;
  consumed_at: string | null;
  /** Sessions only: last use, for the idle timeout. */
  touched_at: string | null;
}

/** Small persisted secrets shared by every instance (the provider's cookie signing keys). */
export interface IdentitySecretTable {
  name: string;
  value: string;
  created_at: string;
}

export interface IdentityTables {
  staff_users: StaffUserTable;
  staff_password_resets: StaffPasswordResetTable;
  oidc_payloads: OidcPayloadTable;
  identity_secrets: IdentitySecretTable;
}
