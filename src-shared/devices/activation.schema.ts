import { z } from 'zod';
import { EntityId, Timestamp } from './common.schema';

/**
 * Activation codes: 12 characters shown as three groups of four (`7KQM-2XWP-HT9C`), drawn from an
 * alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, B, U/V).
 * 24 symbols ^ 12 ≈ 2^55 — enough entropy (with per-IP attempt limits) that a plain SHA-256 of the
 * code is a safe stored form; a slow password hash would buy nothing against such a search space.
 */
export const ACTIVATION_ALPHABET = '346789ACDEFGHJKMNPQRTWXY';
export const ACTIVATION_CODE_LENGTH = 12;

/** Upper-cases and drops spaces/dashes, so `7kqm 2xwp ht9c` and `7KQM-2XWP-HT9C` are the same code. */
export function normaliseActivationCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]+/g, '');
}

/** Shows a normalised code in 4-4-4 groups. */
export function formatActivationCode(normalised: string): string {
  return normalised.match(/.{1,4}/g)?.join('-') ?? normalised;
}

/** A code as people type it: 12 alphabet characters, optionally grouped with dashes/spaces. */
export const ActivationCodeInput = z
  .string()
  .max(40)
  .transform(normaliseActivationCode)
  .pipe(
    z
      .string()
      .length(ACTIVATION_CODE_LENGTH, 'must be 12 characters (4-4-4)')
      .regex(new RegExp(`^[${ACTIVATION_ALPHABET}]+$`), 'contains characters that are never in an activation code'),
  );

/** `POST /management/v1/rooms/{id}/activation-codes`. Default expiry: 7 days. */
export const ActivationCodeCreate = z
  .object({
    expiresAt: Timestamp.optional(),
    /** Free text for IT ("kiosk by the window"). */
    note: z.string().max(200).optional(),
  })
  .default({});
export type ActivationCodeCreate = z.infer<typeof ActivationCodeCreate>;

/** Returned once, at creation: the code itself is never readable again (it is stored hashed). */
export const ActivationCodeCreated = z.object({
  id: EntityId,
  roomId: EntityId,
  code: z.string(),
  /** `vdxroom://activate?server=<publicUrl>&code=<code>` — for QR codes and links. */
  url: z.string(),
  expiresAt: Timestamp,
  createdAt: Timestamp,
});
export type ActivationCodeCreated = z.infer<typeof ActivationCodeCreated>;

export const ActivationCodeStatus = z.enum(['active', 'used', 'expired', 'revoked']);

/** How codes list: without the code. */
export const ActivationCodeSummary = z.object({
  id: EntityId,
  roomId: EntityId,
  status: ActivationCodeStatus,
  note: z.string().nullable(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  usedAt: Timestamp.nullable(),
  usedByDeviceId: EntityId.nullable(),
  revokedAt: Timestamp.nullable(),
});
export type ActivationCodeSummary = z.infer<typeof ActivationCodeSummary>;
