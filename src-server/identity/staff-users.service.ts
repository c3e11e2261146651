import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { MANAGEMENT_ADMIN, VdxRole } from '../../src-shared/auth/roles';
import { MIN_PASSWORD_LENGTH, StaffRole, type StaffUser } from '../../src-shared/identity/staff-users.schema';
import type { Clock } from '../../src-shared/platform/clock';
import type { Database } from '../db/schema';
import { badRequest, conflict, notFound } from '../http/errors';
import type { TokenGrant } from '../auth/access-tokens';
import { hashClientSecret } from '../auth/client-secrets';
import type { StaffUserTable } from './identity.tables';

/** A database handle or an open transaction. */
type Db = Kysely<Database>;

export interface NewStaffUser {
  email: string;
  name: string;
  organisationCode: string;
  roles: readonly StaffRole[];
  /** Hashed before the caller's transaction (`hashPassword`); null: no local password. */
  passwordHash: string | null;
}

export interface StaffUserPatch {
  name?: string;
  roles?: readonly StaffRole[];
  disabled?: boolean;
  /** A configured external provider's id, or null for none (checked by the route). */
  externalProvider?: string | null;
}

export interface StaffUserFilter {
  /** An admin's organisation scope (an empty list matches nothing); undefined: all. */
  organisations?: readonly string[];
  organisationCode?: string;
  q?: string;
}

/** The 404 of an unknown person; also what an admin gets for a person outside its subtree. */
export const staffUserNotFound = (id: string) => notFound('user_not_found', `No user "${id}"`);

/** 400 `password_too_short` (the users API and the reset page share the rule). */
export function checkPasswordLength(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw badRequest('password_too_short', `A password needs at least ${MIN_PASSWORD_LENGTH} characters`, { minLength: MIN_PASSWORD_LENGTH });
  }
}

/**
 * Passwords are stored like client secrets (scrypt, N=2^14, r=8, p=1, per-hash salt and
 * parameters; decision 0002), so one verified, constant-time implementation serves both.
 */
export const hashPassword = (password: string) => hashClientSecret(password);

/** E-mail addresses compare case-insensitively (people type them in every case). */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/**
 * Staff accounts. Writes take an optional `db` so a route can make them part of its audited
 * transaction. Sign-in checks (passwords, lockout, TOTP) are `StaffSignIn`'s.
 */
export class StaffUsers {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async create(input: NewStaffUser, db: Db = this.db): Promise<StaffUser> {
    const email = normaliseEmail(input.email);
    if (await this.#rowByEmail(email, db)) throw userExists(email);
    const now = this.clock.now().toISOString();
    const id = randomUUID();
    try {
      await db
        .insertInto('staff_users')
        .values({
          id,
          email,
          name: input.name,
          organisation_code: input.organisationCode,
          roles: JSON.stringify(sortRoles(input.roles)),
          password_hash: input.passwordHash,
          totp_secret: null,
          totp_last_step: null,
          disabled: 0,
          failed_attempts: 0,
          locked_until: null,
          external_provider: null,
          external_subject: null,
          tokens_valid_from: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    } catch (err) {
      // Lost a race with another request creating the same e-mail.
      if (isUniqueViolation(err)) throw userExists(email);
      throw err;
    }
    return this.get(id, db);
  }

  async find(id: string, db: Db = this.db): Promise<StaffUser | undefined> {
    const row = await this.row(id, db);
    return row ? toStaffUser(row) : undefined;
  }

  async get(id: string, db: Db = this.db): Promise<StaffUser> {
    const user = await this.find(id, db);
    if (!user) throw staffUserNotFound(id);
    return user;
  }

  async findByEmail(email: string, db: Db = this.db): Promise<StaffUser | undefined> {
    const row = await this.#rowByEmail(normaliseEmail(email), db);
    return row ? toStaffUser(row) : undefined;
  }

  async list(filter: StaffUserFilter = {}): Promise<StaffUser[]> {
    if (filter.organisations?.length === 0) return [];
    let query = this.db.selectFrom('staff_users').selectAll();
    if (filter.organisations) query = query.where('organisation_code', 'in', [...filter.organisations]);
    if (filter.organisationCode) query = query.where('organisation_code', '=', filter.organisationCode);
    const users = (await query.orderBy('email').execute()).map(toStaffUser);
    // Matched here rather than with LIKE: its case and escaping rules differ between the engines.
    const q = filter.q?.toLowerCase();
    return q ? users.filter((u) => u.email.includes(q) || u.name.toLowerCase().includes(q)) : users;
  }

  async update(id: string, patch: StaffUserPatch, db: Db = this.db): Promise<StaffUser> {
    const before = await this.get(id, db);
    await db
      .updateTable('staff_users')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.roles !== undefined ? { roles: JSON.stringify(sortRoles(patch.roles)) } : {}),
        ...(patch.disabled !== undefined ? { disabled: patch.disabled ? 1 : 0 } : {}),
        ...(patch.externalProvider !== undefined && patch.externalProvider !== before.externalProvider
          ? { external_provider: patch.externalProvider, external_subject: null }
          : {}),
        updated_at: this.clock.now().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    return this.get(id, db);
  }

  /** Sets a new password hash; also lifts a lockout (the person proved control through a reset link). */
  async setPasswordHash(id: string, passwordHash: string, db: Db = this.db): Promise<void> {
    await db
      .updateTable('staff_users')
      .set({ password_hash: passwordHash, failed_attempts: 0, locked_until: null, updated_at: this.clock.now().toISOString() })
      .where('id', '=', id)
      .execute();
  }

  async setTotpSecret(id: string, secret: string | null, db: Db = this.db): Promise<void> {
    await db
      .updateTable('staff_users')
      .set({ totp_secret: secret, totp_last_step: null, updated_at: this.clock.now().toISOString() })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Whether the person's access token is still honoured (asked on every request, uncached): not
   * when the account is disabled or gone, nor when the token (`issuedAt`, seconds) predates the
   * end of the person's sign-ins (`endSignIns`).
   */
  async isActive(id: string, issuedAt?: number): Promise<boolean> {
    const row = await this.db.selectFrom('staff_users').select(['disabled', 'tokens_valid_from']).where('id', '=', id).executeTakeFirst();
    if (row === undefined || Number(row.disabled) !== 0) return false;
    if (row.tokens_valid_from === null) return true;
    return issuedAt !== undefined && issuedAt * 1000 >= new Date(row.tokens_valid_from).getTime();
  }

  /**
   * Ends every sign-in of the person (after a password reset: whoever knew the old password is
   * out): their provider sessions, grants and every code and refresh token issued under those
   * grants are deleted, and access tokens issued before now stop working. Tokens carry whole
   * seconds, so the cut is at the start of this second (a token issued earlier in the same second
   * survives; one issued right after the reset, in that second, must).
   */
  async endSignIns(id: string, db: Db = this.db): Promise<void> {
    const now = this.clock.now();
    const grants = db.selectFrom('oidc_payloads').select('id').where('model', '=', 'Grant').where('account_id', '=', id);
    await db.deleteFrom('oidc_payloads').where('grant_id', 'in', grants).execute();
    await db.deleteFrom('oidc_payloads').where('account_id', '=', id).execute();
    const second = new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString();
    await db.updateTable('staff_users').set({ tokens_valid_from: second }).where('id', '=', id).execute();
  }

  /** The raw row (password hash, TOTP secret, lockout state) for the sign-in checks. */
  row(id: string, db: Db = this.db): Promise<Selectable<StaffUserTable> | undefined> {
    return db.selectFrom('staff_users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  #rowByEmail(email: string, db: Db): Promise<Selectable<StaffUserTable> | undefined> {
    return db.selectFrom('staff_users').selectAll().where('email', '=', email).executeTakeFirst();
  }
}

const userExists = (email: string) => conflict('user_exists', `A user with the e-mail ${email} already exists`);

/** Stable order (meeting roles as VDX lists them, then management-admin) so responses compare simply. */
function sortRoles(roles: readonly StaffRole[]): StaffRole[] {
  return StaffRole.options.filter((r) => roles.includes(r));
}

export function toStaffUser(row: Selectable<StaffUserTable>): StaffUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    organisationCode: row.organisation_code,
    roles: StaffRole.array().catch([]).parse(JSON.parse(row.roles)),
    disabled: Number(row.disabled) === 1,
    totpEnabled: row.totp_secret !== null,
    externalProvider: row.external_provider,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The VDX claims a person's tokens carry (the same claims an API client's tokens carry). */
export function vdxGrantOf(user: StaffUser): Pick<TokenGrant, 'roles' | 'managementAdmin'> {
  return {
    roles: user.roles.filter((r): r is VdxRole => VdxRole.safeParse(r).success),
    managementAdmin: user.roles.includes(MANAGEMENT_ADMIN),
  };
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
