import { createHash, randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { CreateMeeting, PortalSettings, SchedulingTemplateInput, VmrSettings } from '../../src-shared/booking/booking.schemas';
import { copenhagenParts } from '../../src-shared/booking/vdx-time';
import type { Database } from '../db/schema';
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
      endMeetingOnEndTime: false,
      directMedia: 'best_effort',
    },
  };
}

/**
 * Finds a meeting's template: the given id (26 when unknown, 27 when it is another organisation's),
 * else the organisation's default, else the shared default — the bootstrap organisation's default
 * template, else the built-in one.
 */
export async function resolveTemplate(
  db: Db,
  organisation: string,
  templateId: number | null | undefined,
  shared: { bootstrapOrganisation: string; domain: string },
): Promise<ResolvedTemplate> {
  if (templateId !== null && templateId !== undefined) {
    const row = await bookingQueries.templateById.first(db, { id: templateId });
    if (!row) throw vdxError(400, VdxCode.templateNotFound, 'template_not_found', `Scheduling template ${templateId} not found`);
    if (row.organisation_code !== organisation) {
      throw vdxError(400, VdxCode.templateNotInOrganisation, 'template_other_organisation', `Scheduling template ${templateId} does not belong to the organisation`);
    }
    return { id: row.id, organisation: row.organisation_code, body: JSON.parse(row.body) as SchedulingTemplateInput };
  }
  for (const org of organisation === shared.bootstrapOrganisation ? [organisation] : [organisation, shared.bootstrapOrganisation]) {
    const row = await bookingQueries.defaultTemplate.first(db, { organisation: org });
    if (row) return { id: row.id, organisation: row.organisation_code, body: JSON.parse(row.body) as SchedulingTemplateInput };
  }
  return builtInTemplate(shared.domain);
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

/** A random free address `uriPrefix + n + "@" + uriDomain` with n in [low, high) (406 codes 14/15). */
export async function allocateUri(db: Db, template: SchedulingTemplateInput): Promise<AllocatedUri> {
  const low = template.uriNumberRangeLow;
  const high = template.uriNumberRangeHigh;
  const prefix = template.uriPrefix ?? '';
  const domain = template.uriDomain;
  if (!(Number.isSafeInteger(low) && Number.isSafeInteger(high) && high > low && high - low < 2 ** 47)) {
    throw vdxError(406, VdxCode.uriAssignmentFailed, 'uri_assignment_failed', 'The scheduling template has no usable URI number range');
  }
  const make = (n: number): AllocatedUri => ({ uriWithoutDomain: `${prefix}${n}`, uriWithDomain: `${prefix}${n}@${domain}`, domain });
  for (let attempt = 0; attempt < RANDOM_ATTEMPTS; attempt++) {
    const candidate = make(randomInt(low, high));
    if (!(await uriTaken(db, candidate.uriWithDomain))) return candidate;
  }
  if (high - low <= EXHAUSTIVE_LIMIT) {
    const rows = await db
      .selectFrom('booking_scheduling_infos')
      .select('uri_without_domain')
      .where('uri_domain', '=', domain)
      .execute();
    const used = new Set(rows.map((r) => r.uri_without_domain));
    const free: number[] = [];
    for (let n = low; n < high; n++) if (!used.has(`${prefix}${n}`)) free.push(n);
    if (free.length > 0) return make(free[randomInt(0, free.length)]!);
  }
  throw vdxError(406, VdxCode.noUniqueUri, 'no_unique_uri', 'No unused URI is left in the scheduling template\'s number range');
}

export async function uriTaken(db: Db, uriWithDomain: string): Promise<boolean> {
  return (await bookingQueries.infoByUri.first(db, { uri: uriWithDomain })) !== undefined;
}

/** A caller-chosen address (31 not allowed, 33 bad characters, 32 taken; all 400). */
export async function customUri(db: Db, uri: string, domain: string, allowed: boolean): Promise<AllocatedUri> {
  if (!allowed) {
    throw vdxError(400, VdxCode.customUriNotAllowed, 'custom_uri_not_allowed', 'The organisation does not allow a custom uriWithoutDomain');
  }
  if (!/^[A-Za-z0-9]+$/.test(uri)) {
    throw vdxError(400, VdxCode.uriInvalidCharacters, 'uri_invalid_characters', 'uriWithoutDomain may contain only A-Z, a-z and 0-9');
  }
  const allocated = { uriWithoutDomain: uri, uriWithDomain: `${uri}@${domain}`, domain };
  if (await uriTaken(db, allocated.uriWithDomain)) {
    throw vdxError(400, VdxCode.uriAlreadyUsed, 'uri_already_used', 'uriWithoutDomain is already in use');
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
      ? vdxError(406, VdxCode.hostPinFailed, 'host_pin_assignment_failed', 'The scheduling template has no usable host PIN range')
      : vdxError(406, VdxCode.guestPinFailed, 'guest_pin_assignment_failed', 'The scheduling template has no usable guest PIN range');
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

/**
 * The settings of a new scheduling info: the meeting's choices over the template's, and the
 * template's portal settings (custom portals, return URL), which the info inherits.
 */
export function vmrSettingsFor(template: SchedulingTemplateInput, meeting: Partial<CreateMeeting> = {}): VmrSettings & PortalSettings {
  return {
    maxParticipants: meeting.maxParticipants ?? template.maxParticipants ?? 0,
    endMeetingOnEndTime: meeting.endMeetingOnEndTime ?? template.endMeetingOnEndTime ?? false,
    vmrType: meeting.vmrType ?? template.vmrType ?? 'conference',
    hostView: meeting.hostView ?? template.hostView ?? 'one_main_seven_pips',
    guestView: meeting.guestView ?? template.guestView ?? 'one_main_seven_pips',
    vmrQuality: meeting.vmrQuality ?? template.vmrQuality ?? 'hd',
    enableOverlayText: meeting.enableOverlayText ?? template.enableOverlayText ?? true,
    guestsCanPresent: meeting.guestsCanPresent ?? template.guestsCanPresent ?? true,
    forcePresenterIntoMain: meeting.forcePresenterIntoMain ?? template.forcePresenterIntoMain ?? false,
    forceEncryption: meeting.forceEncryption ?? template.forceEncryption ?? false,
    muteAllGuests: meeting.muteAllGuests ?? template.muteAllGuests ?? false,
    callType: meeting.callType ?? template.callType ?? null,
    customPortalGuest: template.customPortalGuest ?? null,
    customPortalHost: template.customPortalHost ?? null,
    returnUrl: template.returnUrl ?? null,
  };
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
