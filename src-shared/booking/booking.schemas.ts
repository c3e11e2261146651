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

const INT32_MAX = 2_147_483_647;
/** The spec's int32 PINs: 1000 … 999999999. */
const Pin = z.number().int().min(1000).max(999_999_999);
/**
 * `organizedByEmail` is a plain string in the spec (no e-mail format), and the real service takes
 * an empty one as "not given"; the bound is ours (the spec sets none).
 */
const OrganizedByEmail = z.string().max(255);
const Label = z.string().min(1).max(100);
/** The spec's Pexip call type default (free text there). */
const CallType = z.string().max(100);
export const AdditionalInformation = z.object({ key: z.string().min(1).max(100), value: z.string().max(100) });
export type AdditionalInformation = z.infer<typeof AdditionalInformation>;

/** The VMR settings a template provides and a meeting may override. */
const vmrSettings = {
  /** 0 = no limit (the template's documented default). */
  maxParticipants: z.number().int().min(0).max(INT32_MAX),
  endMeetingOnEndTime: z.boolean(),
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
export type VmrSettings = { [K in keyof typeof vmrSettings]: z.infer<(typeof vmrSettings)[K]> };

const optionalVmrSettings = Object.fromEntries(
  Object.entries(vmrSettings).map(([k, s]) => [k, s.nullish()]),
) as { [K in keyof typeof vmrSettings]: z.ZodOptional<z.ZodNullable<(typeof vmrSettings)[K]>> };

/** Every field of a shape made optional and nullable (PATCH semantics). */
function absentOrNull<T extends Record<string, z.ZodType>>(shape: T): { [K in keyof T]: z.ZodOptional<z.ZodNullable<T[K]>> } {
  return Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, (s as z.ZodType).nullable().optional()])) as {
    [K in keyof T]: z.ZodOptional<z.ZodNullable<T[K]>>;
  };
}

/**
 * The editable fields of a meeting: one definition from which create (POST), update (PUT) and
 * patch (PATCH) are derived, so a limit changes in one place.
 */
const editableMeetingFields = {
  subject: z.string().min(1).max(100),
  description: z.string().max(500).nullish(),
  projectCode: z.string().max(100).nullish(),
  startTime: VdxTimestamp,
  endTime: VdxTimestamp,
  organizedByEmail: OrganizedByEmail.nullish(),
  guestMicrophone: GuestMicrophone.nullish(),
  guestPinRequired: z.boolean().nullish(),
  labels: z.array(Label).max(100).nullish(),
  additionalInformation: z.array(AdditionalInformation).max(100).nullish(),
  externalId: z.string().min(1).max(200).nullish(),
};

/** PUT /v2/meetings/{uuid}: the whole editable part of a meeting (the spec's update-meeting). */
export const UpdateMeeting = z.object(editableMeetingFields);

/** What create and patch may also set: the PINs and the Pexip call type of the meeting's VMR. */
const vmrChoiceFields = {
  hostPin: Pin.nullish(),
  guestPin: Pin.nullish(),
  callType: CallType.nullish(),
};
export type UpdateMeeting = z.output<typeof UpdateMeeting>;

/** POST /v2/meetings: the editable fields plus what fixes the meeting's VMR. Optional = absent or null. */
export const CreateMeeting = UpdateMeeting.extend({
  schedulingTemplateId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullish(),
  meetingType: MeetingType.nullish(),
  schedulingInfoReservationId: z.uuid().nullish(),
  /** The caller may choose the meeting's uuid (unique; else 400). */
  uuid: z.uuid().nullish(),
  /** Characters are checked by the server so the answer can carry code 33. */
  uriWithoutDomain: z.string().min(1).max(100).nullish(),
  ...vmrChoiceFields,
  ...optionalVmrSettings,
});
export type CreateMeeting = z.output<typeof CreateMeeting>;

/**
 * PATCH /v2/meetings/{uuid}: absent = unchanged, null = cleared. Whether a field may be cleared is
 * decided by the server (code 30), so every field accepts null here.
 */
export const PatchMeeting = z.object(absentOrNull({ ...editableMeetingFields, ...vmrChoiceFields }));
export type PatchMeeting = z.output<typeof PatchMeeting>;

/** The spec's int64 bounds, within what a JSON number holds exactly. */
const RangeBound = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * POST/PUT /v2/scheduling-templates (the spec's schedulingTemplateRequest). Only the spec's seven
 * required fields are required; the rest take the documented defaults (vMRAvailableBefore 0,
 * maxParticipants 0 = no limit, endMeetingOnEndTime/isDefaultTemplate/isPoolTemplate false).
 * Number and PIN ranges are half-open [low, high); a range that cannot produce a value is reported
 * when a meeting needs one (codes 14/16/17), as the real API does.
 */
export const SchedulingTemplateInput = z.object({
  conferencingSysId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  uriPrefix: z.string().max(100),
  uriDomain: z.string().min(1).max(100),
  uriNumberRangeLow: RangeBound,
  uriNumberRangeHigh: RangeBound,
  hostPinRequired: z.boolean(),
  hostPinRangeLow: RangeBound.nullish(),
  hostPinRangeHigh: RangeBound.nullish(),
  guestPinRequired: z.boolean(),
  guestPinRangeLow: RangeBound.nullish(),
  guestPinRangeHigh: RangeBound.nullish(),
  vMRAvailableBefore: z.number().int().min(0).max(INT32_MAX).nullish().transform((v) => v ?? 0),
  maxParticipants: vmrSettings.maxParticipants.nullish().transform((v) => v ?? 0),
  endMeetingOnEndTime: z.boolean().nullish().transform((v) => v ?? false),
  ivrTheme: z.string().max(100).nullish(),
  isDefaultTemplate: z.boolean().nullish(),
  isPoolTemplate: z.boolean().nullish(),
  directMedia: DirectMedia.nullish(),
  vmrType: VmrType.nullish(),
  hostView: ViewType.nullish(),
  guestView: ViewType.nullish(),
  vmrQuality: VmrQuality.nullish(),
  enableOverlayText: z.boolean().nullish(),
  guestsCanPresent: z.boolean().nullish(),
  forcePresenterIntoMain: z.boolean().nullish(),
  forceEncryption: z.boolean().nullish(),
  muteAllGuests: z.boolean().nullish(),
  customPortalGuest: z.string().max(200).nullish(),
  customPortalHost: z.string().max(200).nullish(),
  returnUrl: z.string().max(200).nullish(),
  callType: CallType.nullish(),
});
export type SchedulingTemplateInput = z.output<typeof SchedulingTemplateInput>;

/** POST /v2/scheduling-info: an unbound (pool) scheduling info for an organisation. */
export const CreateSchedulingInfo = z.object({
  organizationId: z.string().min(1).max(30),
  schedulingTemplateId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** Ours, beyond the spec: a provisioner that made the VMR already may say so at once. */
  provisionStatus: ProvisionStatus.nullish(),
  provisionVmrId: z.string().max(50).nullish(),
  provisionStatusDescription: z.string().max(200).nullish(),
});
export type CreateSchedulingInfo = z.output<typeof CreateSchedulingInfo>;

/** PUT /v2/scheduling-info/{uuid}: what a provisioner reports. */
export const UpdateSchedulingInfo = z.object({
  provisionStatus: ProvisionStatus,
  provisionVmrId: z.string().max(50).nullish(),
  provisionStatusDescription: z.string().max(200).nullish(),
});
export type UpdateSchedulingInfo = z.output<typeof UpdateSchedulingInfo>;

export const UuidParams = z.object({ uuid: z.uuid() });
export const TemplateIdParams = z.object({ id: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER) });
export const UriQuery = z.object({ uri: z.string().min(1).max(300) });

/** GET /v2/meetings filters; the first one present decides (see the routes). */
export const MeetingSearchQuery = z.object({
  'short-id': z.string().length(12).optional(),
  label: z.string().min(1).max(100).optional(),
  subject: z.string().min(1).max(100).optional(),
  organizedBy: z.string().min(1).max(200).optional(),
  search: z.string().min(1).max(200).optional(),
  'from-start-time': VdxTimestamp.optional(),
  'to-start-time': VdxTimestamp.optional(),
  uriWithDomain: z.string().min(1).max(300).optional(),
  /** The spelling of the spec's prose; `uriWithDomain` (the parameter's name) wins when both come. */
  'uri-with-domain': z.string().min(1).max(300).optional(),
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

/** A boolean query parameter as a client library writes it. */
const QueryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');

/** GET /v2/scheduling-info-reserve: the VMR settings the reserved info gets (spec defaults). */
export const ReserveQuery = z.object({
  vmrType: VmrType.default('conference'),
  hostView: ViewType.default('one_main_seven_pips'),
  guestView: ViewType.default('one_main_seven_pips'),
  vmrQuality: VmrQuality.default('hd'),
  enableOverlayText: QueryBoolean.default(true),
  guestsCanPresent: QueryBoolean.default(true),
  forcePresenterIntoMain: QueryBoolean.default(true),
  forceEncryption: QueryBoolean.default(false),
  muteAllGuests: QueryBoolean.default(false),
});
export type ReserveQuery = z.output<typeof ReserveQuery>;

/** A user as the API names them in `organizedBy`, `createdBy`, `updatedBy`. */
export interface VdxUser {
  organisationId: string;
  email: string | null;
}

type Link = { href: string };

/** A meeting as the API returns it; `_links` hrefs resolve (GET answers them). */
export interface MeetingDto {
  uuid: string;
  subject: string;
  description: string | null;
  projectCode: string | null;
  startTime: string;
  endTime: string;
  organizedBy: VdxUser;
  createdBy: VdxUser;
  updatedBy: VdxUser | null;
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

/** A scheduling template as the API returns it. */
export interface SchedulingTemplateDto extends Omit<SchedulingTemplateInput, 'isDefaultTemplate' | 'isPoolTemplate'> {
  id: number;
  organisationId: string;
  isDefaultTemplate: boolean;
  isPoolTemplate: boolean;
  directMedia: z.infer<typeof DirectMedia>;
  ivrTheme: string | null;
  createdBy: VdxUser;
  updatedBy: VdxUser | null;
  createdTime: string;
  updatedTime: string | null;
  _links: { self: Link };
}

/** What a scheduling info takes over from its template beyond the VMR settings. */
export interface PortalSettings {
  callType: string | null;
  customPortalGuest: string | null;
  customPortalHost: string | null;
  returnUrl: string | null;
}

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
  conferencingSysId: number;
  reservationId: string | null;
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
