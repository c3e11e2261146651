import { z } from 'zod';
import { parseVdxTime } from './vdx-time';

/**
 * Contracts of the VDX Booking Module API v2 (spec 1.12.3) as served at `/videoapi/v2/...`.
 * Field names, enum values and limits follow the real API so its existing clients work unchanged.
 * Where a rule needs the database (uniqueness, organisation settings) it is checked by the server.
 */

/** Issue parameter carrying the VDX `detailed_error_code` a validation failure should answer with. */
export const VDX_CODE_PARAM = 'vdxCode';

/** A VDX timestamp in (see vdx-time.ts); parses to a Date truncated to the second. */
export const VdxTimestamp = z
  .string()
  .max(64)
  .transform((text, ctx) => {
    const parsed = parseVdxTime(text);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message, params: { [VDX_CODE_PARAM]: parsed.vdxCode } });
      return z.NEVER;
    }
    return parsed.date;
  });

export const ProvisionStatus = z.enum([
  'AWAITS_PROVISION',
  'STARTING_TO_PROVISION',
  'PROVISION_PROBLEMS',
  'PROVISIONED_OK',
  'STARTING_TO_DEPROVISION',
  'DEPROVISION_PROBLEMS',
  'DEPROVISION_OK',
]);
export type ProvisionStatus = z.infer<typeof ProvisionStatus>;

export const GuestMicrophone = z.enum(['on', 'off', 'muted']);
export const MeetingType = z.enum(['NORMAL', 'POOL']);
export const VmrType = z.enum(['conference', 'lecture']);
export const VmrQuality = z.enum(['sd', 'hd', 'fullhd']);
export const DirectMedia = z.enum(['never', 'best_effort']);
/** Pexip Infinity layouts (main speakers : thumbnails). */
export const ViewType = z.enum([
  'one_main_zero_pips',
  'one_main_seven_pips',
  'one_main_twentyone_pips',
  'two_mains_twentyone_pips',
  'four_mains_zero_pips',
  'nine_mains_zero_pips',
  'sixteen_mains_zero_pips',
  'twentyfive_mains_zero_pips',
  'five_mains_seven_pips',
  'one_main_thirtythree_pips',
]);

/**
 * An integer as the real service reads one: a JSON number, or a string of digits (its JSON reader
 * coerces `"201"`, and its integration tests send template ids that way). The bounds are the
 * spec's (int32/int64 within what a JSON number holds exactly, or a field's own minimum/maximum).
 */
function int(min: number, max: number) {
  return z
    .union([z.number(), z.string().regex(/^-?\d{1,16}$/, 'must be an integer').transform(Number)])
    .pipe(z.number().int().min(min).max(max));
}
const INT32 = [-2_147_483_648, 2_147_483_647] as const;
const INT64 = [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] as const;
const Int32 = () => int(...INT32);
const Int64 = () => int(...INT64);
/** The spec's int32 PINs: 1000 … 999999999. */
const Pin = int(1000, 999_999_999);
/**
 * `organizedByEmail` is a plain string in the spec (no e-mail format), and the real service takes
 * an empty one as "not given"; the bound is ours (the spec sets none; the real one stores 100).
 */
const OrganizedByEmail = z.string().max(255);
/** Labels are free strings in the spec; the bound is the real service's storage (1024). */
const Label = z.string().max(1024);
/** The spec's Pexip call type default (free text there). */
const CallType = z.string().max(100);
export const AdditionalInformation = z.object({ key: z.string().max(100), value: z.string().max(100) });
export type AdditionalInformation = z.infer<typeof AdditionalInformation>;
/** Array bounds are ours (the spec sets none): far above any real meeting, below a denial of service. */
const MAX_LIST = 1000;

/**
 * The VMR settings a template provides and a meeting may override, with the defaults the real
 * service writes into a template that leaves them out (its integration tests pin them) — and that
 * `scheduling-info-reserve` uses for absent query parameters (the spec's defaults).
 */
export const VMR_DEFAULTS = {
  vmrType: 'conference',
  hostView: 'one_main_seven_pips',
  guestView: 'one_main_seven_pips',
  vmrQuality: 'hd',
  enableOverlayText: true,
  guestsCanPresent: true,
  forcePresenterIntoMain: true,
  forceEncryption: false,
  muteAllGuests: false,
} as const;
const vmrChoices = {
  vmrType: VmrType,
  hostView: ViewType,
  guestView: ViewType,
  vmrQuality: VmrQuality,
  enableOverlayText: z.boolean(),
  guestsCanPresent: z.boolean(),
  forcePresenterIntoMain: z.boolean(),
  forceEncryption: z.boolean(),
  muteAllGuests: z.boolean(),
};
export type VmrChoices = { [K in keyof typeof vmrChoices]: z.infer<(typeof vmrChoices)[K]> };
/** What a scheduling info carries of its VMR: the choices plus size and end behaviour. */
export type VmrSettings = VmrChoices & { maxParticipants: number; endMeetingOnEndTime: boolean };

/** Absent or null → `fallback`: how the real service fills a field the request leaves out. */
function orDefault<S extends z.ZodType>(schema: S, fallback: z.output<S>) {
  return schema.nullish().transform((v): z.output<S> => (v ?? fallback) as z.output<S>);
}
/** Absent → null, so every field of the answer is present. */
function orNull<S extends z.ZodType>(schema: S) {
  return schema.nullish().transform((v): z.output<S> | null => (v ?? null) as z.output<S> | null);
}
/** Every field of a shape made optional and nullable (create's optional fields; PATCH semantics). */
function absentOrNull<T extends Record<string, z.ZodType>>(shape: T): { [K in keyof T]: z.ZodOptional<z.ZodNullable<T[K]>> } {
  return Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, (s as z.ZodType).nullable().optional()])) as {
    [K in keyof T]: z.ZodOptional<z.ZodNullable<T[K]>>;
  };
}

/**
 * The spec's update-meeting fields (PUT): create and patch are derived from them, so a limit
 * changes in one place. PUT replaces all of them (absent optional ones become empty).
 */
const updateMeetingFields = {
  subject: z.string().min(1).max(100),
  startTime: VdxTimestamp,
  endTime: VdxTimestamp,
  description: z.string().max(500).nullish(),
  projectCode: z.string().max(100).nullish(),
  organizedByEmail: OrganizedByEmail.nullish(),
  labels: z.array(Label).max(MAX_LIST).nullish(),
  additionalInformation: z.array(AdditionalInformation).max(MAX_LIST).nullish(),
};
/** What patch-meeting adds: the guest settings, the PINs and the Pexip call type of the VMR. */
const patchOnlyFields = {
  guestMicrophone: GuestMicrophone,
  guestPinRequired: z.boolean(),
  hostPin: Pin,
  guestPin: Pin,
  callType: CallType,
};

/**
 * PUT /v2/meetings/{uuid} (the spec's update-meeting). Fields outside it (externalId, the guest
 * settings, PINs) are not PUT's to change and are ignored, as the real service ignores them.
 */
export const UpdateMeeting = z.object(updateMeetingFields);
export type UpdateMeeting = z.output<typeof UpdateMeeting>;

/**
 * PATCH /v2/meetings/{uuid} (the spec's patch-meeting): absent = unchanged, null = cleared.
 * Whether a field may be cleared is decided by the server (code 30), so every field accepts null.
 */
export const PatchMeeting = z.object(absentOrNull({ ...updateMeetingFields, ...patchOnlyFields }));
export type PatchMeeting = z.output<typeof PatchMeeting>;

/** POST /v2/meetings (the spec's create-meeting). Optional = absent or null. */
export const CreateMeeting = z.object({
  ...updateMeetingFields,
  ...absentOrNull(patchOnlyFields),
  externalId: z.string().max(200).nullish(),
  /** Overrides the template's when above 0 (0, the spec's default, takes the template's). */
  maxParticipants: Int32().nullish(),
  endMeetingOnEndTime: z.boolean().nullish(),
  /** Used when it names a template of the caller's organisation; otherwise the default applies. */
  schedulingTemplateId: Int64().nullish(),
  meetingType: MeetingType.nullish(),
  schedulingInfoReservationId: z.uuid().nullish(),
  /** The caller may choose the meeting's uuid (unique; else 400). */
  uuid: z.uuid().nullish(),
  /** Characters are checked by the server so the answer can carry code 33. */
  uriWithoutDomain: z.string().max(100).nullish(),
  ...absentOrNull(vmrChoices),
});
export type CreateMeeting = z.output<typeof CreateMeeting>;

/**
 * POST/PUT /v2/scheduling-templates (the spec's schedulingTemplateRequest). Only the spec's seven
 * required fields are required; everything else takes the value the real service writes when it
 * is left out (PUT replaces the whole template, so a field left out is reset the same way). Number
 * and PIN ranges are half-open [low, high) and not checked here: a range that cannot produce a
 * value is reported when a meeting needs one (codes 14/16/17), as the real service does.
 */
export const SchedulingTemplateInput = z.object({
  conferencingSysId: Int64(),
  uriPrefix: z.string().max(100),
  uriDomain: z.string().min(1).max(100),
  uriNumberRangeLow: Int64(),
  uriNumberRangeHigh: Int64(),
  hostPinRequired: z.boolean(),
  hostPinRangeLow: orNull(Int64()),
  hostPinRangeHigh: orNull(Int64()),
  guestPinRequired: z.boolean(),
  guestPinRangeLow: orNull(Int64()),
  guestPinRangeHigh: orNull(Int64()),
  vMRAvailableBefore: orDefault(Int32(), 0),
  /** 0 = no limit. */
  maxParticipants: orDefault(Int32(), 0),
  endMeetingOnEndTime: orDefault(z.boolean(), false),
  ivrTheme: orNull(z.string().max(100)),
  isDefaultTemplate: orDefault(z.boolean(), false),
  isPoolTemplate: orDefault(z.boolean(), false),
  directMedia: orDefault(DirectMedia, 'never'),
  vmrType: orDefault(VmrType, VMR_DEFAULTS.vmrType),
  hostView: orDefault(ViewType, VMR_DEFAULTS.hostView),
  guestView: orDefault(ViewType, VMR_DEFAULTS.guestView),
  vmrQuality: orDefault(VmrQuality, VMR_DEFAULTS.vmrQuality),
  enableOverlayText: orDefault(z.boolean(), VMR_DEFAULTS.enableOverlayText),
  guestsCanPresent: orDefault(z.boolean(), VMR_DEFAULTS.guestsCanPresent),
  forcePresenterIntoMain: orDefault(z.boolean(), VMR_DEFAULTS.forcePresenterIntoMain),
  forceEncryption: orDefault(z.boolean(), VMR_DEFAULTS.forceEncryption),
  muteAllGuests: orDefault(z.boolean(), VMR_DEFAULTS.muteAllGuests),
  customPortalGuest: orNull(z.string().max(200)),
  customPortalHost: orNull(z.string().max(200)),
  returnUrl: orNull(z.string().max(200)),
  callType: orNull(CallType),
});
export type SchedulingTemplateInput = z.output<typeof SchedulingTemplateInput>;

/** POST /v2/scheduling-info: an unbound (pool) scheduling info for an organisation. */
export const CreateSchedulingInfo = z.object({
  organizationId: z.string().min(1).max(30),
  schedulingTemplateId: Int64(),
  /** Ours, beyond the spec: a provisioner that made the VMR already may say so at once. */
  provisionStatus: ProvisionStatus.nullish(),
  provisionVmrId: z.string().max(50).nullish(),
  provisionStatusDescription: z.string().max(200).nullish(),
});
export type CreateSchedulingInfo = z.output<typeof CreateSchedulingInfo>;

/**
 * PUT /v2/scheduling-info/{uuid}: what a provisioner reports. A PUT replaces the report: a
 * description or VMR id left out is cleared, as the real service does.
 */
export const UpdateSchedulingInfo = z.object({
  provisionStatus: ProvisionStatus,
  provisionVmrId: orNull(z.string().max(50)),
  provisionStatusDescription: orNull(z.string().max(200)),
});
export type UpdateSchedulingInfo = z.output<typeof UpdateSchedulingInfo>;

export const UuidParams = z.object({ uuid: z.uuid() });
export const TemplateIdParams = z.object({ id: int(...INT64) });
export const UriQuery = z.object({ uri: z.string().min(1).max(300) });

/** A search parameter the real service treats as absent when empty (`?subject=`). */
const filter = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

/** GET /v2/meetings filters; the first one present decides (see the meetings service). */
export const MeetingSearchQuery = z.object({
  /** Always 12 characters (the spec's minLength/maxLength: an empty one is refused too). */
  'short-id': z.string().length(12).optional(),
  label: filter(1024),
  subject: filter(100),
  organizedBy: filter(255),
  search: filter(500),
  'from-start-time': VdxTimestamp.optional(),
  'to-start-time': VdxTimestamp.optional(),
  uriWithDomain: filter(300),
  /** The spelling of the spec's prose; `uriWithDomain` (the parameter's name) wins when both come. */
  'uri-with-domain': filter(300),
});
export type MeetingSearchQuery = z.output<typeof MeetingSearchQuery>;

/**
 * GET /v2/scheduling-info filters: both ends required; an info matches when its VMR start (meeting
 * start − vmrAvailableBefore) or its meeting's end lies in [from-start-time, to-end-time].
 */
export const SchedulingInfoQuery = z.object({
  'from-start-time': VdxTimestamp,
  'to-end-time': VdxTimestamp,
  'provision-status': ProvisionStatus.default('AWAITS_PROVISION'),
});
export type SchedulingInfoQuery = z.output<typeof SchedulingInfoQuery>;

/** A boolean query parameter as the real service (Spring) reads one: true/false, on/off, yes/no, 1/0. */
const QueryBoolean = z
  .string()
  .transform((v) => v.toLowerCase())
  .pipe(z.enum(['true', 'false', 'on', 'off', 'yes', 'no', '1', '0']))
  .transform((v) => v === 'true' || v === 'on' || v === 'yes' || v === '1');

/**
 * GET /v2/scheduling-info-reserve: the VMR settings the reserved info must have (the spec's
 * defaults for those left out). A pool info with exactly these settings is reserved.
 */
export const ReserveQuery = z.object({
  vmrType: VmrType.default(VMR_DEFAULTS.vmrType),
  hostView: ViewType.default(VMR_DEFAULTS.hostView),
  guestView: ViewType.default(VMR_DEFAULTS.guestView),
  vmrQuality: VmrQuality.default(VMR_DEFAULTS.vmrQuality),
  enableOverlayText: QueryBoolean.default(VMR_DEFAULTS.enableOverlayText),
  guestsCanPresent: QueryBoolean.default(VMR_DEFAULTS.guestsCanPresent),
  forcePresenterIntoMain: QueryBoolean.default(VMR_DEFAULTS.forcePresenterIntoMain),
  forceEncryption: QueryBoolean.default(VMR_DEFAULTS.forceEncryption),
  muteAllGuests: QueryBoolean.default(VMR_DEFAULTS.muteAllGuests),
});
export type ReserveQuery = z.output<typeof ReserveQuery>;

/** A user as the API names them in `organizedBy`, `createdBy`, `updatedBy`. */
export interface VdxUser {
  organisationId: string;
  email: string | null;
}
/**
 * A meeting nobody has changed yet still carries `updatedBy`, with both fields null: the real
 * service answers so (its integration tests pin the object's presence).
 */
export type VdxUserOrNone = VdxUser | { organisationId: null; email: null };

type Link = { href: string };

/** A meeting as the API returns it (the spec's meeting); `_links` hrefs resolve (GET answers them). */
export interface MeetingDto {
  uuid: string;
  subject: string;
  description: string | null;
  projectCode: string | null;
  startTime: string;
  endTime: string;
  organizedBy: VdxUser;
  createdBy: VdxUser;
  updatedBy: VdxUserOrNone;
  createdTime: string;
  updatedTime: string | null;
  shortId: string;
  /** The spec carries the link under both spellings. */
  shortLink: string;
  shortlink: string;
  guestMicrophone: z.infer<typeof GuestMicrophone>;
  guestPinRequired: boolean;
  labels: string[];
  additionalInformation: AdditionalInformation[];
  externalId: string | null;
  _links: { self: Link; 'scheduling-info': Link };
}

/** A scheduling template as the API returns it: every field of the request, filled, plus these. */
export type SchedulingTemplateDto = SchedulingTemplateInput & {
  id: number;
  organisationId: string;
  createdBy: VdxUser;
  updatedBy: VdxUser | null;
  createdTime: string;
  updatedTime: string | null;
  _links: { self: Link };
};

/** What a scheduling info takes over from its template beyond the VMR settings. */
export type PortalSettings = Pick<SchedulingTemplateInput, 'callType' | 'customPortalGuest' | 'customPortalHost' | 'returnUrl'>;

/** Scheduling info (the technical side of a meeting) as the API returns it. */
export interface SchedulingInfoDto extends VmrSettings, PortalSettings {
  uuid: string;
  /** Ours (not in the spec): the organisation the info belongs to. */
  organizationId: string;
  uriWithDomain: string;
  uriWithoutDomain: string;
  hostPin: number | null;
  guestPin: number | null;
  vmrAvailableBefore: number;
  /** Ours (not in the spec): when the VMR opens (meeting start − vmrAvailableBefore). */
  vmrStartTime: string | null;
  provisionStatus: ProvisionStatus;
  provisionStatusDescription: string | null;
  provisionVmrId: string | null;
  provisionTimestamp: string | null;
  portalLink: string;
  shortLink: string | null;
  shortlink: string | null;
  ivrTheme: string | null;
  directMedia: z.infer<typeof DirectMedia>;
  /** Ours (not in the spec): the template's conferencing system. */
  conferencingSysId: number;
  reservationId: string | null;
  /** Ours (not in the spec): the template the info was made from (null: the built-in one). */
  schedulingTemplateId: number | null;
  createdBy: VdxUser | null;
  updatedBy: VdxUser | null;
  createdTime: string;
  updatedTime: string | null;
  meetingDetails: MeetingDto | null;
  _links: { self: Link };
}

/** GET /v2/pool: one entry per pool-enabled organisation. */
export interface PoolInfoDto {
  organisationId: string;
  desiredPoolSize: number;
  availablePoolSize: number;
  schedulingTemplate: SchedulingTemplateDto | null;
  schedulingInfoList: SchedulingInfoDto[];
}

/**
 * Every field of a template as a request that gives only the required ones leaves it: parsed once
 * from such a request, so the defaults have one definition (the schema). Filling a stored template
 * from it completes rows written before a field existed.
 */
export const TEMPLATE_DEFAULTS: SchedulingTemplateInput = SchedulingTemplateInput.parse({
  conferencingSysId: 0,
  uriPrefix: '',
  uriDomain: '-',
  uriNumberRangeLow: 0,
  uriNumberRangeHigh: 0,
  hostPinRequired: false,
  guestPinRequired: false,
});
