import { z } from 'zod';

/**
 * An organisation's code: the stable key other records and the `dk:medcom:organisation_id` claim
 * use. Lowercase so codes compare simply; never changes once created.
 */
export const OrganisationCode = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1–64 of a-z 0-9 . _ - and start with a letter or digit');

/** An SMS alphanumeric sender id is limited to 11 characters by the GSM network. */
const SmsSenderName = z.string().trim().min(1).max(11);

/**
 * Where SMS delivery reports are posted; `%reference%` and `%status%` are replaced per report.
 * Only http(s) URLs: the server calls it.
 */
const SmsCallbackUrl = z
  .string()
  .max(2000)
  .refine(
    (v) => {
      try {
        const url = new URL(v);
        return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
      } catch {
        return false;
      }
    },
    { message: 'must be an http(s) URL' },
  );

const Name = z.string().trim().min(1).max(200);
const PoolSize = z.number().int().min(0).max(100_000);

/** An organisation as the management API returns it. */
export const Organisation = z.object({
  code: z.string(),
  name: z.string(),
  /** The parent's code; null at the root of the tree. */
  parentCode: z.string().nullable(),
  /** How many VMRs the booking pool keeps ready for this organisation. */
  poolSize: z.number().int(),
  smsSenderName: z.string().nullable(),
  smsCallbackUrl: z.string().nullable(),
  /** Whether meetings may use a custom URI without the organisation's domain. */
  allowCustomUriWithoutDomain: z.boolean(),
  /** Whether ad hoc (POOL) meetings may be booked without a pool (the bootstrap organisation's is). */
  allowAdHocMeetings: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Organisation = z.infer<typeof Organisation>;

/** `POST /management/v1/organisations`. */
export const CreateOrganisationBody = z.strictObject({
  code: OrganisationCode,
  name: Name,
  parentCode: OrganisationCode.nullable().optional(),
  poolSize: PoolSize.default(0),
  smsSenderName: SmsSenderName.nullable().optional(),
  smsCallbackUrl: SmsCallbackUrl.nullable().optional(),
  allowCustomUriWithoutDomain: z.boolean().default(false),
  allowAdHocMeetings: z.boolean().default(false),
});
export type CreateOrganisationBody = z.infer<typeof CreateOrganisationBody>;

/** `PATCH /management/v1/organisations/{code}`: absent = unchanged, null = cleared (parent null = root). */
export const UpdateOrganisationBody = z
  .strictObject({
    name: Name.optional(),
    parentCode: OrganisationCode.nullable().optional(),
    poolSize: PoolSize.optional(),
    smsSenderName: SmsSenderName.nullable().optional(),
    smsCallbackUrl: SmsCallbackUrl.nullable().optional(),
    allowCustomUriWithoutDomain: z.boolean().optional(),
    allowAdHocMeetings: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'at least one field to change' });
export type UpdateOrganisationBody = z.infer<typeof UpdateOrganisationBody>;

export const OrganisationParams = z.strictObject({ code: z.string().min(1).max(64) });

export const OrganisationList = z.object({ organisations: z.array(Organisation) });
export type OrganisationList = z.infer<typeof OrganisationList>;
