import { createHash, randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import {
  TEMPLATE_DEFAULTS,
  type CreateMeeting,
  type PortalSettings,
  type SchedulingTemplateInput,
  type VmrChoices,
  type VmrSettings,
} from '../../src-shared/booking/booking.schemas';
import { copenhagenParts } from '../../src-shared/booking/vdx-time';
import type { Database } from '../db/schema';
import { organisationLineage } from '../organisations/organisations.service';
import { templateBody } from './booking.mapping';
import { bookingQueries } from './booking.queries';
import { VdxCode, vdxError } from './vdx-errors';

export type Db = Kysely<Database> | Transaction<Database>;

/** A template as allocation uses it; `id` null = the built-in shared default. */
export interface ResolvedTemplate {
  id: number | null;
  organisation: string | null;
  body: SchedulingTemplateInput;
}

/**
 * The last-resort shared default, used when neither the meeting's organisation nor the bootstrap
 * organisation has a default template: 7-digit addresses on the server's own host name, a 4-digit
 * host PIN, no guest PIN.
 */
export function builtInTemplate(domain: string): ResolvedTemplate {
  return {
    id: null,
    organisation: null,
    body: {
      ...TEMPLATE_DEFAULTS,
      conferencingSysId: 0,
      uriPrefix: '',
      uriDomain: domain,
      uriNumberRangeLow: 1_000_000,
      uriNumberRangeHigh: 10_000_000,
      hostPinRequired: true,
      hostPinRangeLow: 1000,
      hostPinRangeHigh: 10_000,
      guestPinRequired: false,
      vMRAvailableBefore: 15,
      maxParticipants: 10,
      directMedia: 'best_effort',
    },
  };
}

/**
 * Finds a meeting's template as the real service does: the given id when it names a template of
 * the organisation (an unknown or foreign id is passed over, not refused: the spec's "when
 * schedulingTemplateId is given and valid"), else the organisation's default, else the nearest
 * ancestor organisation's default, else the shared default — the bootstrap organisation's default
 * template, else the built-in one. `ownDefault` is the organisation's default when the caller has
 * read it already (null: it has none), saving that look-up.
 */
export async function resolveTemplate(
  db: Db,
  organisation: string,
  templateId: number | null | undefined,
  shared: { bootstrapOrganisation: string; domain: string },
  ownDefault?: ResolvedTemplate | null,
): Promise<ResolvedTemplate> {
  if (templateId !== null && templateId !== undefined && templateId > 0) {
    const row = await bookingQueries.templateById.first(db, { id: templateId });
    if (row && row.organisation_code === organisation) return resolved(row);
  }
  const own = ownDefault === undefined ? await defaultTemplateOf(db, organisation) : ownDefault;
  if (own) return own;
  // Only an organisation without a default of its own pays for the walk up its tree.
  const ancestors = (await organisationLineage(db, organisation)).slice(1);
  for (const org of [...ancestors, shared.bootstrapOrganisation].filter((o) => o !== organisation)) {
    const template = await defaultTemplateOf(db, org);
    if (template) return template;
  }
  return builtInTemplate(shared.domain);
}

async function defaultTemplateOf(db: Db, organisation: string): Promise<ResolvedTemplate | null> {
  const row = await bookingQueries.defaultTemplate.first(db, { organisation });
  return row ? resolved(row) : null;
}

/**
 * The template POST /v2/scheduling-info names: it must exist (400 code 26) and belong to the
 * organisation the info is for (27).
 */
export async function requireTemplate(db: Db, organisation: string, templateId: number): Promise<ResolvedTemplate> {
  const row = await bookingQueries.templateById.first(db, { id: templateId });
  if (!row) throw vdxError(400, VdxCode.templateNotFound, 'template_not_found', `Scheduling template ${templateId} not found.`);
  if (row.organisation_code !== organisation) {
    throw vdxError(400, VdxCode.templateNotInOrganisation, 'template_other_organisation', `Scheduling template ${templateId} does not belong to organisation ${organisation}.`);
  }
  return resolved(row);
}

function resolved(row: { id: number; organisation_code: string; body: string }): ResolvedTemplate {
  return { id: row.id, organisation: row.organisation_code, body: templateBody(row.body) };
}

/** How many random draws before we look at what is taken (a crowded range). */
const RANDOM_ATTEMPTS = 12;
/** Ranges up to this size are searched exhaustively once random draws keep colliding. */
const EXHAUSTIVE_LIMIT = 200_000;

export interface AllocatedUri {
  uriWithoutDomain: string;
  uriWithDomain: string;
  domain: string;
}

/**
 * A random free address with n in [low, high) (406 codes 14/15). As the real service writes it,
 * `uriWithoutDomain` is the number alone and `uriWithDomain` is `uriPrefix + n + "@" + uriDomain`;
 * the number is unique per domain. `unchecked`: one random draw, not looked up — for a writer that
 * lets the unique indexes on both forms of the address (migration 0202) catch a clash and then
 * draws again, checked (`BookingContext.retryOnUriRace`); in a sparse range that saves the look-up.
 */
export async function allocateUri(db: Db, template: SchedulingTemplateInput, options: { unchecked?: boolean } = {}): Promise<AllocatedUri> {
  const low = template.uriNumberRangeLow;
  const high = template.uriNumberRangeHigh;
  const prefix = template.uriPrefix ?? '';
  const domain = template.uriDomain;
  if (!(Number.isSafeInteger(low) && Number.isSafeInteger(high) && high > low && high - low < 2 ** 47)) {
    throw vdxError(406, VdxCode.uriAssignmentFailed, 'uri_assignment_failed', 'The Uri assignment failed due to invalid setup on the template used');
  }
  const make = (n: number): AllocatedUri => ({ uriWithoutDomain: String(n), uriWithDomain: `${prefix}${n}@${domain}`, domain });
  if (options.unchecked) return make(randomInt(low, high));
  for (let attempt = 0; attempt < RANDOM_ATTEMPTS; attempt++) {
    const candidate = make(randomInt(low, high));
    if (!(await uriTaken(db, candidate))) return candidate;
  }
  if (high - low <= EXHAUSTIVE_LIMIT) {
    const rows = await db
      .selectFrom('booking_scheduling_infos')
      .select(['uri_without_domain', 'uri_with_domain'])
      .where('uri_domain', '=', domain)
      .execute();
    const used = new Set(rows.flatMap((r) => [r.uri_without_domain, r.uri_with_domain]));
    const free: number[] = [];
    for (let n = low; n < high; n++) {
      const candidate = make(n);
      if (!used.has(candidate.uriWithoutDomain) && !used.has(candidate.uriWithDomain)) free.push(n);
    }
    if (free.length > 0) return make(free[randomInt(0, free.length)]!);
  }
  throw vdxError(406, VdxCode.noUniqueUri, 'no_unique_uri', 'The Uri assignment failed. It was not possible to create a unique. Consider changing the interval on the template');
}

/** Is the address in use: the same full address, or the same number (or custom name) on the domain? */
export async function uriTaken(db: Db, uri: AllocatedUri): Promise<boolean> {
  return (await bookingQueries.infoByUri.first(db, { uri: uri.uriWithDomain, withoutDomain: uri.uriWithoutDomain, domain: uri.domain })) !== undefined;
}

/** A caller-chosen address (31 not allowed, 33 bad characters, 32 taken; all 400). */
export async function customUri(db: Db, uri: string, domain: string, allowed: boolean): Promise<AllocatedUri> {
  if (!allowed) {
    throw vdxError(400, VdxCode.customUriNotAllowed, 'custom_uri_not_allowed', 'Organisation does not allow setting custom meeting address.');
  }
  if (!/^[A-Za-z0-9]+$/.test(uri)) {
    throw vdxError(400, VdxCode.uriInvalidCharacters, 'uri_invalid_characters', 'Supplied URI contains invalid characters. Valid characters: [A-Z], [a-z] and [0-9].');
  }
  const allocated = { uriWithoutDomain: uri, uriWithDomain: `${uri}@${domain}`, domain };
  if (await uriTaken(db, allocated)) {
    throw vdxError(400, VdxCode.uriAlreadyUsed, 'uri_already_used', 'Supplied URI already used');
  }
  return allocated;
}

/** A random PIN in [low, high) when required, else null (406 code 16 guest / 17 host). */
export function allocatePin(
  kind: 'host' | 'guest',
  required: boolean,
  low: number | null | undefined,
  high: number | null | undefined,
): number | null {
  if (!required) return null;
  if (typeof low !== 'number' || typeof high !== 'number' || !(high > low) || high - low >= 2 ** 47) {
    throw kind === 'host'
      ? vdxError(406, VdxCode.hostPinFailed, 'host_pin_assignment_failed', 'The host pin code assignment failed due to invalid setup on the template used')
      : vdxError(406, VdxCode.guestPinFailed, 'guest_pin_assignment_failed', 'The guest pin code assignment failed due to invalid setup on the template used');
  }
  return randomInt(low, high);
}

/** First 12 hex characters of SHA-256 of the meeting uuid (the real API's short id). */
export function shortIdFor(meetingUuid: string): string {
  return createHash('sha256').update(meetingUuid).digest('hex').slice(0, 12);
}

export interface PortalFacts {
  uriWithoutDomain: string;
  uriWithDomain: string;
  domain: string;
  hostPin: number | null;
  guestPin: number | null;
  shortId: string | null;
  start: Date | null;
}

/**
 * Fills the configured portal link template (VDX_PORTAL_LINK_TEMPLATE). Placeholders: {uri}
 * {uriWithDomain} {domain} {hostPin} {guestPin} {shortId} {startDate} {startTime}; dates are
 * Copenhagen local time; an unknown value (no meeting yet) becomes empty. Values are URL-encoded.
 */
export function portalLink(template: string, facts: PortalFacts): string {
  const local = facts.start ? copenhagenParts(facts.start) : null;
  const values: Record<string, string> = {
    uri: facts.uriWithoutDomain,
    uriWithDomain: facts.uriWithDomain,
    domain: facts.domain,
    hostPin: facts.hostPin === null ? '' : String(facts.hostPin),
    guestPin: facts.guestPin === null ? '' : String(facts.guestPin),
    shortId: facts.shortId ?? '',
    startDate: local?.date ?? '',
    startTime: local ? local.time.slice(0, 5) : '',
  };
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? encodeURIComponent(values[name]!) : whole,
  );
}

/** The VMR choices a meeting may make over its template's. */
const VMR_CHOICE_KEYS = [
  'vmrType', 'hostView', 'guestView', 'vmrQuality', 'enableOverlayText', 'guestsCanPresent', 'forcePresenterIntoMain', 'forceEncryption', 'muteAllGuests',
] as const satisfies readonly (keyof VmrChoices)[];

/**
 * The settings of a new scheduling info: the meeting's choices over the template's (a
 * maxParticipants of 0 or less takes the template's, as the real service does), and the
 * template's portal settings (custom portals, return URL), which the info inherits.
 */
export function vmrSettingsFor(template: SchedulingTemplateInput, meeting: Partial<CreateMeeting> = {}): VmrSettings & PortalSettings {
  const choices = Object.fromEntries(VMR_CHOICE_KEYS.map((k) => [k, meeting[k] ?? template[k]])) as VmrChoices;
  return {
    ...choices,
    maxParticipants: meeting.maxParticipants && meeting.maxParticipants > 0 ? meeting.maxParticipants : template.maxParticipants,
    endMeetingOnEndTime: meeting.endMeetingOnEndTime ?? template.endMeetingOnEndTime,
    callType: meeting.callType ?? template.callType,
    customPortalGuest: template.customPortalGuest,
    customPortalHost: template.customPortalHost,
    returnUrl: template.returnUrl,
  };
}

/** VMR settings asked for; absent or null = any. */
export type WantedVmr = { [K in keyof VmrChoices]?: VmrChoices[K] | null };

/** Does a pool info's VMR have these settings (each one asked for; absent = any)? */
export function settingsMatch(stored: string, wanted: WantedVmr): boolean {
  const settings = JSON.parse(stored) as Partial<VmrChoices>;
  return VMR_CHOICE_KEYS.every((k) => wanted[k] === undefined || wanted[k] === null || settings[k] === wanted[k]);
}

/** Which unique constraint a database error broke, if any (SQLite and PostgreSQL spell it differently). */
export function uniqueViolation(err: unknown): string | undefined {
  const e = err as { code?: string; constraint?: string; message?: string; detail?: string };
  if (e?.code === '23505') return `${e.constraint ?? ''} ${e.detail ?? ''}`;
  if (typeof e?.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT') && /UNIQUE|PRIMARY/i.test(e.message ?? '')) {
    return e.message;
  }
  return undefined;
}
