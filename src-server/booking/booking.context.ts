import { sql, type Insertable, type Selectable } from 'kysely';
import type { CreateMeeting, SchedulingInfoDto, VdxUser } from '../../src-shared/booking/booking.schemas';
import type { Clock } from '../../src-shared/platform/clock';
import type { Store } from '../db/database';
import type { DomainEventBus } from '../events/domain-events';
import { organisationLineage } from '../organisations/organisations.service';
import { templateBody, toSchedulingInfoDto, type LinkBases } from './booking.mapping';
import { bookingQueries } from './booking.queries';
import type { MeetingTable, SchedulingInfoTable } from './booking.tables';
import { portalLink, settingsMatch, uniqueViolation, vmrSettingsFor, type AllocatedUri, type WantedVmr, type Db, type ResolvedTemplate } from './scheduling-allocation';
import { VdxCode, vdxError } from './vdx-errors';

export interface BookingConfig {
  publicUrl: string;
  shortLinkBase: string;
  portalLinkTemplate: string;
  bootstrapOrganisation: string;
}

export type MeetingRow = Selectable<MeetingTable>;
export type InfoRow = Selectable<SchedulingInfoTable>;
export type BookingEvent =
  | { kind: 'meeting'; uuid: string; organisation: string; change: 'created' | 'updated' | 'deleted' }
  | { kind: 'info'; uuid: string; status: string; provisionDueAt?: string };

/** The caller's organisation as booking reads it (`requireOrganisation`). */
export interface BookingOrganisation {
  code: string;
  pool_size: number;
  allow_custom_uri_without_domain: number;
  allow_ad_hoc_meetings: number;
  parent_code: string | null;
  /** Its own default template; null when it has none (its ancestors' and the shared ones are not looked at). */
  defaultTemplate: ResolvedTemplate | null;
}

/** A write that changed nothing a second attempt could fix (a lost race on a unique address). */
const WRITE_ATTEMPTS = 3;

/** What a new scheduling info is made of (a meeting's, or a pool info without a meeting yet). */
export interface NewInfo {
  uuid: string;
  meetingUuid: string | null;
  organisation: string;
  template: ResolvedTemplate;
  uri: AllocatedUri;
  hostPin: number | null;
  guestPin: number | null;
  pool: boolean;
  input: Partial<CreateMeeting>;
  start: Date | null;
  end: Date | null;
  shortId: string | null;
  now: string;
  /** Who writes it (null: an in-process writer with no user). */
  by: VdxUser | null;
}

/**
 * What the three booking services (templates, meetings, scheduling info) share: the store, the
 * clock, the event bus, the configuration and the row look-ups and conversions more than one of
 * them needs. Authorisation rules live in booking.access.ts.
 */
export class BookingContext {
  readonly links: LinkBases;
  /** The host name of the public URL: the built-in default template's URI domain. */
  readonly domain: string;

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    private readonly events: DomainEventBus,
    readonly config: BookingConfig,
  ) {
    this.links = { publicUrl: config.publicUrl, shortLinkBase: config.shortLinkBase };
    this.domain = new URL(config.publicUrl).hostname;
  }

  now(): string {
    return this.clock.now().toISOString();
  }

  /** Called only after the writing transaction has committed. */
  emit(events: BookingEvent[]): void {
    for (const e of events) {
      if (e.kind === 'meeting') this.events.emit('meeting.changed', { meetingUuid: e.uuid, organisationCode: e.organisation, change: e.change });
      else this.events.emit('scheduling-info.changed', { uuid: e.uuid, provisionStatus: e.status, ...(e.provisionDueAt ? { provisionDueAt: e.provisionDueAt } : {}) });
    }
  }

  /**
   * The caller's organisation, with its parent and its own default template (null: none), read in
   * one query; one unknown here is refused with 403, as the spec lists it.
   */
  async requireOrganisation(code: string, db: Db = this.store.db): Promise<BookingOrganisation> {
    const row = await bookingQueries.organisation.first(db, { code });
    if (!row) throw vdxError(403, VdxCode.basic, 'organisation_not_found', `The organisation ${code} of the user has not been created in the Video API`);
    const { template_id: id, template_body: body, ...org } = row;
    return { ...org, defaultTemplate: id !== null && body !== null ? { id, organisation: org.code, body: templateBody(body) } : null };
  }

  /**
   * The organisation whose pool serves `code`'s ad hoc meetings: itself when it keeps a pool, else
   * its nearest ancestor that does (the real service's rule); null when none does.
   */
  async poolOrganisation(db: Db, org: Pick<BookingOrganisation, 'code' | 'pool_size' | 'parent_code'>): Promise<string | null> {
    if (org.pool_size > 0) return org.code;
    if (org.parent_code === null) return null;
    const ancestors = await organisationLineage(db, org.parent_code);
    if (ancestors.length === 0) return null;
    const pools = await db.selectFrom('organisations').select(['code', 'pool_size']).where('code', 'in', ancestors).execute();
    return ancestors.find((a) => (pools.find((p) => p.code === a)?.pool_size ?? 0) > 0) ?? null;
  }

  async meetingRow(db: Db, uuid: string): Promise<MeetingRow> {
    const row = await bookingQueries.meeting.first(db, { uuid });
    if (!row) throw vdxError(404, VdxCode.basic, 'meeting_not_found', `Meeting ${uuid} not found`);
    return row;
  }

  /**
   * The oldest unused provisioned pool info of an organisation whose VMR has the wanted settings
   * (each one given; absent = any), as the real service picks one. A pool holds a handful of
   * infos, so the settings (JSON) are compared here rather than in SQL.
   */
  async unusedPoolInfo(trx: Db, organisation: string, wanted: WantedVmr = {}): Promise<InfoRow | undefined> {
    const free = await trx
      .selectFrom('booking_scheduling_infos')
      .selectAll()
      .where('organisation_code', '=', organisation)
      // Written literally: the partial index of pool infos (migration 0202) names this condition.
      .where('is_pool', '=', sql.lit(1))
      .where('meeting_uuid', 'is', null)
      .where('reservation_id', 'is', null)
      .where('provision_status', '=', 'PROVISIONED_OK')
      .orderBy('created_at')
      .orderBy('uuid')
      .execute();
    return free.find((info) => settingsMatch(info.settings, wanted));
  }

  newInfo(a: NewInfo): Insertable<SchedulingInfoTable> {
    const t = a.template.body;
    return {
      uuid: a.uuid,
      meeting_uuid: a.meetingUuid,
      organisation_code: a.organisation,
      template_id: a.template.id,
      uri_with_domain: a.uri.uriWithDomain,
      uri_without_domain: a.uri.uriWithoutDomain,
      uri_domain: a.uri.domain,
      host_pin: a.hostPin === null ? null : String(a.hostPin),
      guest_pin: a.guestPin === null ? null : String(a.guestPin),
      vmr_available_before: t.vMRAvailableBefore,
      provision_status: 'AWAITS_PROVISION',
      provision_status_description: null,
      provision_vmr_id: null,
      provision_timestamp: null,
      provision_due_at: a.start ? dueAt(a.start, t.vMRAvailableBefore) : a.now,
      deprovision_due_at: a.end ? a.end.toISOString() : null,
      portal_link: portalLink(this.config.portalLinkTemplate, { ...a.uri, hostPin: a.hostPin, guestPin: a.guestPin, shortId: a.shortId, start: a.start }),
      ivr_theme: t.ivrTheme ?? null,
      direct_media: t.directMedia ?? 'best_effort',
      conferencing_sys_id: t.conferencingSysId,
      reservation_id: null,
      is_pool: a.pool ? 1 : 0,
      settings: JSON.stringify(vmrSettingsFor(t, a.input)),
      created_by_org: a.by?.organisationId ?? null,
      created_by_email: a.by?.email ?? null,
      created_at: a.now,
      updated_at: null,
    };
  }

  portalLinkOf(info: InfoRow, shortId: string, start: Date): string {
    return portalLink(this.config.portalLinkTemplate, {
      uriWithoutDomain: info.uri_without_domain,
      uriWithDomain: info.uri_with_domain,
      domain: info.uri_domain,
      hostPin: info.host_pin === null ? null : Number(info.host_pin),
      guestPin: info.guest_pin === null ? null : Number(info.guest_pin),
      shortId,
      start,
    });
  }

  /** Scheduling infos with their meetings, in one extra query. */
  async withMeetings(rows: InfoRow[]): Promise<SchedulingInfoDto[]> {
    const ids = rows.map((r) => r.meeting_uuid).filter((u): u is string => u !== null);
    const meetings = ids.length
      ? await this.store.db.selectFrom('booking_meetings').selectAll().where('uuid', 'in', ids).execute()
      : [];
    const byUuid = new Map(meetings.map((m) => [m.uuid, m]));
    return rows.map((r) => toSchedulingInfoDto(r, r.meeting_uuid ? byUuid.get(r.meeting_uuid) : undefined, this.links));
  }

  /**
   * Runs the reads and writes of one booking change. On SQLite always in a transaction: SQLite runs
   * transactions one at a time, so what the reads found (uuid, externalId or address free) still
   * holds when the writes run, and group commit makes transactions cheap. On PostgreSQL a change
   * whose writes are one statement runs without one: its read-committed transaction would not hold
   * the reads either (there the unique indexes decide races, answered by mapUniqueErrors), and
   * BEGIN and COMMIT would be two more round trips.
   */
  write<T>(writesOneStatement: boolean, change: (db: Db) => Promise<T>): Promise<T> {
    if (writesOneStatement && this.store.kind === 'postgres') return change(this.store.db);
    return this.store.db.transaction().execute(change);
  }

  /** A new meeting with its labels and its new scheduling info: one statement on PostgreSQL. */
  async insertNewMeeting(db: Db, meeting: Insertable<MeetingTable>, info: Insertable<SchedulingInfoTable>): Promise<void> {
    if (this.store.kind === 'postgres') {
      await bookingQueries.insertNewMeetingPostgres.run(db, { meeting, info });
      return;
    }
    await bookingQueries.insertMeeting.run(db, { row: meeting });
    await bookingQueries.insertLabelsOfSqlite.run(db, { uuid: meeting.uuid, labels: meeting.labels });
    await bookingQueries.insertInfo.run(db, { row: info });
  }

  /**
   * Two concurrent bookings may draw the same free address (PostgreSQL runs them in parallel);
   * the unique index stops the second, which then simply draws again.
   */
  async retryOnUriRace<T>(write: (attempt: number) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write(attempt);
      } catch (err) {
        const violated = uniqueViolation(err);
        if (violated && ADDRESS_INDEX.test(violated) && attempt < WRITE_ATTEMPTS) continue;
        return mapUniqueErrors(err);
      }
    }
  }
}

/** How SQLite and PostgreSQL name the unique indexes of an address (either form of it). */
const ADDRESS_INDEX = /uri_with_domain|uri_without_domain|booking_scheduling_infos_domain_uri/;

/** Races that pre-checks cannot rule out on PostgreSQL end here as the VDX answer they stand for. */
export function mapUniqueErrors(err: unknown): never {
  const violated = uniqueViolation(err);
  // A meeting's scheduling info has the meeting's uuid, so either table may say it is taken.
  if (violated && /(booking_meetings|booking_scheduling_infos)(_pkey|\.uuid\b)/.test(violated)) {
    throw vdxError(400, VdxCode.validation, 'uuid_not_unique', 'uuid: a meeting or scheduling info with this uuid exists already');
  }
  if (violated && /external_id/.test(violated)) throw externalIdNotUnique();
  if (violated && /short_id/.test(violated)) throw vdxError(400, VdxCode.shortIdFailed, 'short_id_failed', 'Unable to generate unique shortId. Try again.');
  if (violated && ADDRESS_INDEX.test(violated)) {
    throw vdxError(406, VdxCode.noUniqueUri, 'no_unique_uri', 'The Uri assignment failed. It was not possible to create a unique. Consider changing the interval on the template');
  }
  throw err;
}

export function externalIdNotUnique() {
  return vdxError(400, VdxCode.externalIdNotUnique, 'external_id_not_unique', 'ExternalId not unique within organisation.');
}

/** When the VMR should exist: `minutesBefore` before the meeting's start. */
export function dueAt(start: Date, minutesBefore: number): string {
  return new Date(start.getTime() - minutesBefore * 60_000).toISOString();
}
