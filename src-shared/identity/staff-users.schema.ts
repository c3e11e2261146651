import { z } from 'zod';
import { MANAGEMENT_ADMIN, VdxRole } from '../auth/roles';
import { OrganisationCode } from '../organisations/organisations.schema';

/**
 * The roles a person (staff account) can hold: the five VDX meeting roles and our
 * `management-admin`. They end up in the person's access tokens exactly like an API client's.
 */
export const StaffRole = z.enum([...VdxRole.options, MANAGEMENT_ADMIN]);
export type StaffRole = z.infer<typeof StaffRole>;

/** Shortest password a person may set (the rule; long passphrases beat complexity rules). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted: scrypt's cost grows with input, so an unbounded one is a CPU lever. */
export const MAX_PASSWORD_LENGTH = 256;

/** A person who signs in (clinician, planner, secretary, IT staff). Never carries a password. */
export const StaffUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  organisationCode: z.string(),
  roles: z.array(StaffRole),
  /** A disabled person cannot sign in, and their access tokens are refused at once. */
  disabled: z.boolean(),
  /** Whether sign-in asks for a TOTP code after the password. */
  totpEnabled: z.boolean(),
  /** The external identity provider (`VDX_OIDC_PROVIDERS` id) this person last signed in through. */
  externalProvider: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StaffUser = z.infer<typeof StaffUser>;

const Roles = z
  .array(StaffRole)
  .max(StaffRole.options.length)
  .transform((roles) => [...new Set(roles)]);

/** `POST /management/v1/users`. Without a password the person signs in through an IdP or after a reset link. */
export const CreateStaffUserBody = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200),
  /** Defaults to the caller's organisation. */
  organisationCode: OrganisationCode.optional(),
  roles: Roles,
  /** Checked by the route (400 `password_too_short` below 12 characters). */
  password: z.string().max(MAX_PASSWORD_LENGTH).optional(),
});
export type CreateStaffUserBody = z.infer<typeof CreateStaffUserBody>;

/** `PATCH /management/v1/users/{id}`: name, roles, disabled, external provider. */
export const UpdateStaffUserBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    roles: Roles.optional(),
    disabled: z.boolean().optional(),
    /**
     * The `VDX_OIDC_PROVIDERS` id the person signs in with (null: none). A management-admin's
     * account is linked to an IdP only this way, never by an IdP asserting its e-mail. Changing
     * it forgets the subject an earlier provider vouched for.
     */
    externalProvider: z.string().min(1).max(32).nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Give at least one of name, roles, disabled, externalProvider' });
export type UpdateStaffUserBody = z.infer<typeof UpdateStaffUserBody>;

export const StaffUserParams = z.object({ id: z.string().min(1).max(64) });

export const StaffUserListQuery = z.object({
  organisationCode: OrganisationCode.optional(),
  /** Case-insensitive part of the e-mail or name. */
  q: z.string().trim().max(200).optional(),
});

export const StaffUserList = z.object({ users: z.array(StaffUser) });

/** `POST /management/v1/users/{id}/reset-link` → 201: a one-time link to set a password. */
export const ResetLink = z.object({ url: z.string(), expiresAt: z.string() });
export type ResetLink = z.infer<typeof ResetLink>;

/** `POST /management/v1/users/{id}/totp` → 201: the new TOTP secret, shown once, for an authenticator app. */
export const TotpEnrolment = z.object({
  /** Base32 secret (for typing into an app). */
  secret: z.string(),
  /** `otpauth://totp/...` (for a QR code). */
  otpauthUrl: z.string(),
});
