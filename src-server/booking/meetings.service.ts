import { randomUUID } from 'node:crypto';
import { sql, type ExpressionBuilder, type Insertable } from 'kysely';
import type {
  CreateMeeting,
  MeetingDto,
  MeetingSearchQuery,
  PatchMeeting,
  UpdateMeeting,
} from '../../src-shared/booking/booking.schemas';
import { assertMeetingAccess, type BookingCaller } from './booking.access';
import { dueAt, externalIdNotUnique, mapUniqueErrors, type BookingContext, type InfoRow, type MeetingRow } from './booking.context';
import { toMeetingDto } from './booking.mapping';
import { bookingQueries } from './booking.queries';
import type { Database } from '../db/schema';
import type { SchedulingInfoTable } from './booking.tables';
import { currentChange, isSet, likePattern, uniqueKeys, uniqueLabels, type MeetingChange } from './meeting-rules';
import { allocatePin, allocateUri, customUri, resolveTemplate, shortIdFor, type Db } from './scheduling-allocation';
import { VdxCode, vdxError } from './vdx-errors';

/** A meeting starting later than this from now gets its own scheduling info (the real API's 2 minutes). */
const FUTURE_MEETING_MS = 2 * 60_000;

/**
 * Meetings: create (with a new scheduling info, or taking over a pool one), read, search, change
 * and delete. Every write that touches more than one row runs in one transaction, and domain
 * events are emitted only after it has committed.
 *
 * The spec sets no order on startTime and endTime, and the real service keeps any pair (its own
 * integration tests book meetings that end before they start), so neither do we: such a meeting
 * simply never falls due for provisioning.
 */
export class MeetingsService {
  constructor(private readonly ctx: BookingContext) {}

  async createMeeting(caller: BookingCaller, input: CreateMeeting): Promise<MeetingDto> {
    const additionalInformation = uniqueKeys(input.additionalInformation);
    if (input.schedulingInfoReservationId && (isSet(input.hostPin) || isSet(input.guestPin))) {
      throw vdxError(400, VdxCode.reservationWithPin, 'reservation_with_pin', 'Scheduling info reservation can not be used in combination with guest pin and/or host pin.');
    }
    const organizer = this.#organizer(caller, input.organizedByEmail);
    // Only a pool take-over writes more than one statement (the meeting, then the info it takes).
    const mayTakePoolInfo = this.#mayTakePoolInfo(input);
    const result = await this.ctx.retryOnUriRace((attempt) =>
      this.ctx.write(!mayTakePoolInfo, async (trx) => {
        // The organisation comes with its own default template, read with the writes that use it.
        const org = await this.ctx.requireOrganisation(caller.organisation, trx);
        // Ad hoc (POOL) meetings and pool take-overs use the pool of the organisation, or of its
        // nearest ancestor keeping one (the real API's rule). Without a pool, an ad hoc meeting needs
        // the organisation's allowAdHocMeetings: it gets its own VMR at once (the embedded node).
        const poolOrg = await this.ctx.poolOrganisation(trx, org);
        if (input.meetingType === 'POOL' && !poolOrg && org.allow_ad_hoc_meetings !== 1) {
          throw vdxError(400, VdxCode.adHocNotAllowed, 'ad_hoc_not_allowed', `Can not create ad hoc meeting on non ad hoc organization: ${caller.organisation}`);
        }
        const uuid = input.uuid ?? randomUUID();
        if (input.uuid && (await trx.selectFrom('booking_meetings').select('uuid').where('uuid', '=', input.uuid).executeTakeFirst())) {
          throw vdxError(400, VdxCode.validation, 'uuid_not_unique', `uuid: a meeting ${input.uuid} exists already`);
        }
        const shortId = shortIdFor(uuid);
        const now = this.ctx.now();
        // A shortId collision (48 bits of SHA-256) is left to the unique index: → 406 code 24.
        if (isSet(input.externalId)) await this.#assertExternalIdFree(trx, caller.organisation, input.externalId!);
        const meeting: MeetingRow = {
          uuid,
          organisation_code: caller.organisation,
          organizer_email: organizer,
          subject: input.subject,
          description: input.description ?? null,
          project_code: input.projectCode ?? null,
          start_time: input.startTime.toISOString(),
          end_time: input.endTime.toISOString(),
          short_id: shortId,
          guest_microphone: input.guestMicrophone ?? 'on',
          // Whether the short link asks a guest for a PIN: the request's, false by default (the
          // spec's default; whether the VMR has a guest PIN is the template's business).
          guest_pin_required: input.guestPinRequired ? 1 : 0,
          labels: JSON.stringify(uniqueLabels(input.labels)),
          additional_information: JSON.stringify(additionalInformation),
          external_id: input.externalId ?? null,
          created_by_org: caller.organisation,
          created_by_email: caller.email,
          updated_by_org: null,
          updated_by_email: null,
          created_at: now,
          updated_at: null,
        };
        const by = { organisationId: caller.organisation, email: caller.email };
        const existingInfo = mayTakePoolInfo ? await this.#poolInfoFor(trx, caller, input, poolOrg) : undefined;
        let info: Insertable<SchedulingInfoTable> | undefined;
        if (!existingInfo) {
          const template = await resolveTemplate(trx, caller.organisation, input.schedulingTemplateId, {
            bootstrapOrganisation: this.ctx.config.bootstrapOrganisation,
            domain: this.ctx.domain,
          }, org.defaultTemplate);
          const t = template.body;
          const uri = isSet(input.uriWithoutDomain)
            ? await customUri(trx, input.uriWithoutDomain!, t.uriDomain, org.allow_custom_uri_without_domain === 1)
            : await allocateUri(trx, t, { unchecked: attempt === 1 });
          const hostPin = input.hostPin ?? allocatePin('host', t.hostPinRequired, t.hostPinRangeLow, t.hostPinRangeHigh);
          const guestPin = input.guestPin ?? allocatePin('guest', t.guestPinRequired, t.guestPinRangeLow, t.guestPinRangeHigh);
          info = this.ctx.newInfo({ uuid, meetingUuid: uuid, organisation: caller.organisation, template, uri, hostPin, guestPin, pool: false, input, start: input.startTime, end: input.endTime, shortId, now, by });
        }
        if (info) {
          await this.ctx.insertNewMeeting(trx, meeting, info);
        } else if (existingInfo) {
          await bookingQueries.insertMeeting.run(trx, { row: meeting });
          await this.#writeLabels(trx, uuid, uniqueLabels(input.labels), false);
          await trx
            .updateTable('booking_scheduling_infos')
            .set({
              meeting_uuid: uuid,
              // A pool info of an ancestor's pool becomes the meeting's organisation's.
              organisation_code: caller.organisation,
              deprovision_due_at: meeting.end_time,
              portal_link: this.ctx.portalLinkOf(existingInfo, shortId, input.startTime),
              created_by_org: by.organisationId,
              created_by_email: by.email,
              updated_by_org: by.organisationId,
              updated_by_email: by.email,
              updated_at: now,
            })
            .where('uuid', '=', existingInfo.uuid)
            .execute();
        }
        return {
          row: meeting,
          infoUuid: existingInfo?.uuid ?? uuid,
          status: existingInfo?.provision_status ?? 'AWAITS_PROVISION',
          provisionDueAt: existingInfo?.provision_due_at ?? info?.provision_due_at,
        };
      }),
    );
    this.ctx.emit([
      { kind: 'meeting', uuid: result.row.uuid, organisation: result.row.organisation_code, change: 'created' },
      { kind: 'info', uuid: result.infoUuid, status: result.status, ...(result.provisionDueAt ? { provisionDueAt: result.provisionDueAt } : {}) },
    ]);
    return toMeetingDto(result.row, this.ctx.links);
  }

  async getMeeting(caller: BookingCaller, uuid: string): Promise<MeetingDto> {
    const row = await this.ctx.meetingRow(this.ctx.store.db, uuid);
    assertMeetingAccess(caller, row.organisation_code, row.organizer_email);
    return toMeetingDto(row, this.ctx.links);
  }

  /**
   * GET /v2/meetings: the first filter present decides, in the spec's order — short-id (one
   * meeting: 404 when none, 403 when not the caller's), label, subject (the whole subject), organizedBy,
   * search (also narrowed by from/to-start-time), from-start-time + to-start-time (both or
   * neither: 28), uriWithDomain; none at all → 400 code 36. Empty parameters count as absent. A
   * meeting-user only ever sees meetings they organise. Texts compare case-insensitively (the real
   * service's database collation).
   */
  async searchMeetings(caller: BookingCaller, query: MeetingSearchQuery): Promise<MeetingDto[]> {
    if (query['short-id'] !== undefined) return [await this.#byShortId(caller, query['short-id'])];
    let q = this.ctx.store.db.selectFrom('booking_meetings').selectAll('booking_meetings').where('booking_meetings.organisation_code', '=', caller.organisation);
    if (!caller.orgWide) q = q.where((eb) => eb(eb.fn('lower', ['booking_meetings.organizer_email']), '=', (caller.email ?? '').toLowerCase()));
    const from = query['from-start-time'];
    const to = query['to-start-time'];
    const uriWithDomain = query.uriWithDomain ?? query['uri-with-domain'];
    const hasLabel = (label: string) => (eb: ExpressionBuilder<Database, 'booking_meetings'>) =>
      eb.exists(eb.selectFrom('booking_meeting_labels as l').select('l.label').whereRef('l.meeting_uuid', '=', 'booking_meetings.uuid').where(lower('l.label'), '=', label.toLowerCase()));
    const hasUri = (uri: string) => (eb: ExpressionBuilder<Database, 'booking_meetings'>) =>
      eb.exists(eb.selectFrom('booking_scheduling_infos as s').select('s.uuid').whereRef('s.meeting_uuid', '=', 'booking_meetings.uuid').where(lower('s.uri_with_domain'), '=', uri.toLowerCase()));
    if (query.label !== undefined) {
      q = q.where(hasLabel(query.label));
    } else if (query.subject !== undefined) {
      q = q.where((eb) => eb(lower('booking_meetings.subject'), '=', query.subject!.toLowerCase()));
    } else if (query.organizedBy !== undefined) {
      q = q.where((eb) => eb(lower('booking_meetings.organizer_email'), '=', query.organizedBy!.toLowerCase()));
    } else if (query.search !== undefined) {
      const search = query.search;
      if ((from === undefined) !== (to === undefined)) throw fromToPair();
      // The real service: strictly between the two, when both come.
      if (from && to) q = q.where('booking_meetings.start_time', '>', from.toISOString()).where('booking_meetings.start_time', '<', to.toISOString());
      const pattern = likePattern(search);
      q = q.where((eb) =>
        eb.or([
          eb(lower('booking_meetings.organizer_email'), '=', search.toLowerCase()),
          hasLabel(search)(eb),
          eb(lower('booking_meetings.subject'), 'like', pattern),
          eb(lower('booking_meetings.description'), 'like', pattern),
          hasUri(search)(eb),
        ]),
      );
    } else if (from !== undefined || to !== undefined) {
      if (!from || !to) throw fromToPair();
      q = q.where('booking_meetings.start_time', '>=', from.toISOString()).where('booking_meetings.start_time', '<=', to.toISOString());
    } else if (uriWithDomain !== undefined) {
      q = q.where(hasUri(uriWithDomain));
    } else {
      throw vdxError(400, VdxCode.searchNeedsParameter, 'search_needs_parameter', 'Must set at least one query parameter, when searching for meeting.');
    }
    const rows = await q.orderBy('booking_meetings.start_time').orderBy('booking_meetings.uuid').execute();
    return rows.map((r) => toMeetingDto(r, this.ctx.links));
  }

  async #byShortId(caller: BookingCaller, shortId: string): Promise<MeetingDto> {
    const row = await this.ctx.store.db.selectFrom('booking_meetings').selectAll().where('short_id', '=', shortId).executeTakeFirst();
    if (!row) throw vdxError(404, VdxCode.basic, 'meeting_not_found', 'Resource: meeting in field: shortId not found.');
    assertMeetingAccess(caller, row.organisation_code, row.organizer_email);
    return toMeetingDto(row, this.ctx.links);
  }

  /**
   * findByUriWithDomain / findByUriWithoutDomain: the meeting on that address within the caller's
   * organisation (a meeting-user's own only); anything else is not found, as the real service answers.
   */
  async findMeetingByUri(caller: BookingCaller, uri: string, withDomain: boolean): Promise<MeetingDto> {
    let q = this.ctx.store.db
      .selectFrom('booking_scheduling_infos as s')
      .innerJoin('booking_meetings as m', 'm.uuid', 's.meeting_uuid')
      .selectAll('m')
      .where('m.organisation_code', '=', caller.organisation)
      .where(withDomain ? 's.uri_with_domain' : 's.uri_without_domain', '=', uri);
    if (!caller.orgWide) q = q.where((eb) => eb(lower('m.organizer_email'), '=', (caller.email ?? '').toLowerCase()));
    const row = await q.orderBy('m.start_time', 'desc').executeTakeFirst();
    if (!row) throw vdxError(404, VdxCode.basic, 'meeting_not_found', `Resource: meeting in field: ${withDomain ? 'uriWithDomain' : 'uriWithoutDomain'} not found.`);
    return toMeetingDto(row, this.ctx.links);
  }

  /**
   * PUT: replaces the spec's update-meeting fields (absent optional ones become empty) and leaves
   * the rest (guest settings, externalId, PINs). The organiser becomes `organizedByEmail` when a
   * planner or admin gives one, else the caller — the spec's "update user will be the organizer".
   */
  async updateMeeting(caller: BookingCaller, uuid: string, input: UpdateMeeting): Promise<MeetingDto> {
    return this.#changeMeeting(caller, uuid, (row) => ({
      ...currentChange(row),
      subject: input.subject,
      description: input.description ?? null,
      projectCode: input.projectCode ?? null,
      start: input.startTime,
      end: input.endTime,
      organizer: this.#organizer(caller, input.organizedByEmail, row.organizer_email),
      labels: uniqueLabels(input.labels),
      additionalInformation: uniqueKeys(input.additionalInformation),
    }));
  }

  /**
   * PATCH: absent = unchanged, null = cleared where the field may be empty, else 400 code 30. A
   * null or empty organizedByEmail makes the caller the organiser, as in PUT.
   */
  async patchMeeting(caller: BookingCaller, uuid: string, input: PatchMeeting): Promise<MeetingDto> {
    for (const field of ['subject', 'startTime', 'endTime', 'guestMicrophone', 'guestPinRequired'] as const) {
      if (input[field] === null) throw vdxError(400, VdxCode.fieldNotNullable, 'field_not_nullable', `Field can not be set to null: ${field}`);
    }
    return this.#changeMeeting(caller, uuid, (row) => {
      const current = currentChange(row);
      return {
        subject: input.subject ?? current.subject,
        description: input.description === undefined ? current.description : input.description,
        projectCode: input.projectCode === undefined ? current.projectCode : input.projectCode,
        start: input.startTime ?? current.start,
        end: input.endTime ?? current.end,
          organizer: this.#organizer(caller, input.organizedByEmail === undefined ? current.organizer : input.organizedByEmail, current.organizer),
        guestMicrophone: input.guestMicrophone ?? current.guestMicrophone,
        guestPinRequired: input.guestPinRequired ?? current.guestPinRequired,
        labels: input.labels === undefined ? current.labels : uniqueLabels(input.labels),
        additionalInformation: input.additionalInformation === undefined ? current.additionalInformation : uniqueKeys(input.additionalInformation),
      };
    }, { hostPin: input.hostPin, guestPin: input.guestPin, callType: input.callType });
  }

  /**
   * The shared part of PUT and PATCH. While AWAITS_PROVISION everything may change; once
   * PROVISIONED_OK only the end time is taken (the VMR exists, its address and PINs are sent out);
   * in any other state the answer is 406 code 12.
   */
  async #changeMeeting(
    caller: BookingCaller,
    uuid: string,
    next: (row: MeetingRow) => MeetingChange,
    vmr: VmrChoice = {},
  ): Promise<MeetingDto> {
    const { row, info } = await this.ctx.store.db.transaction().execute(async (trx) => {
      const current = await this.ctx.meetingRow(trx, uuid);
      assertMeetingAccess(caller, current.organisation_code, current.organizer_email);
      const infoRow = await trx.selectFrom('booking_scheduling_infos').selectAll().where('meeting_uuid', '=', uuid).executeTakeFirst();
      const status = infoRow?.provision_status ?? 'AWAITS_PROVISION';
      if (status !== 'AWAITS_PROVISION' && status !== 'PROVISIONED_OK') {
        throw vdxError(406, VdxCode.updateNeedsStatus, 'meeting_not_updatable', 'Meeting must have status AWAITS_PROVISION (0)  or PROVISIONED_OK (3) in order to be updated');
      }
      const wanted = next(current);
      const change: MeetingChange =
        status === 'PROVISIONED_OK' ? { ...currentChange(current), end: wanted.end } : wanted;
      const now = this.ctx.now();
      await trx
        .updateTable('booking_meetings')
        .set({
          subject: change.subject,
          description: change.description,
          project_code: change.projectCode,
          start_time: change.start.toISOString(),
          end_time: change.end.toISOString(),
          organizer_email: change.organizer,
          guest_microphone: change.guestMicrophone,
          guest_pin_required: change.guestPinRequired ? 1 : 0,
          labels: JSON.stringify(change.labels),
          additional_information: JSON.stringify(change.additionalInformation),
          updated_by_org: caller.organisation,
          updated_by_email: caller.email,
          updated_at: now,
        })
        .where('uuid', '=', uuid)
        .execute();
      await this.#writeLabels(trx, uuid, change.labels, true);
      const provisionDueAt = infoRow && (infoRow.is_pool === 1 ? infoRow.provision_due_at : dueAt(change.start, infoRow.vmr_available_before));
      if (infoRow && provisionDueAt) {
        // PINs and call type belong to the VMR: changeable only before it exists.
        const pins = status === 'AWAITS_PROVISION' ? vmrColumns(infoRow, vmr) : {};
        await trx
          .updateTable('booking_scheduling_infos')
          .set({
            ...pins,
            provision_due_at: provisionDueAt,
            deprovision_due_at: change.end.toISOString(),
            portal_link: this.ctx.portalLinkOf({ ...infoRow, ...pins }, current.short_id, change.start),
            updated_by_org: caller.organisation,
            updated_by_email: caller.email,
            updated_at: now,
          })
          .where('uuid', '=', infoRow.uuid)
          .execute();
      }
      const updated = await trx.selectFrom('booking_meetings').selectAll().where('uuid', '=', uuid).executeTakeFirstOrThrow();
      return { row: updated, info: infoRow && provisionDueAt ? { ...infoRow, provision_due_at: provisionDueAt } : undefined };
    }).catch(mapUniqueErrors);
    this.ctx.emit([
      { kind: 'meeting', uuid, organisation: row.organisation_code, change: 'updated' },
      // The due hint lets the provisioner re-arm its timer for a moved meeting.
      ...(info ? [{ kind: 'info' as const, uuid: info.uuid, status: info.provision_status, provisionDueAt: info.provision_due_at }] : []),
    ]);
    return toMeetingDto(row, this.ctx.links);
  }

  /** DELETE: only while AWAITS_PROVISION (else 406 code 13); nothing was provisioned, so nothing is left. */
  async deleteMeeting(caller: BookingCaller, uuid: string): Promise<void> {
    const row = await this.ctx.store.db.transaction().execute(async (trx) => {
      const current = await this.ctx.meetingRow(trx, uuid);
      assertMeetingAccess(caller, current.organisation_code, current.organizer_email);
      const info = await trx.selectFrom('booking_scheduling_infos').select(['uuid', 'provision_status']).where('meeting_uuid', '=', uuid).executeTakeFirst();
      if (info && info.provision_status !== 'AWAITS_PROVISION') {
        throw vdxError(406, VdxCode.deleteNeedsStatus, 'meeting_not_deletable', 'Meeting must have status AWAITS_PROVISION (0) in order to be deleted');
      }
      await trx.deleteFrom('booking_scheduling_infos').where('meeting_uuid', '=', uuid).execute();
      await trx.deleteFrom('booking_meeting_labels').where('meeting_uuid', '=', uuid).execute();
      await trx.deleteFrom('booking_meetings').where('uuid', '=', uuid).execute();
      return current;
    });
    this.ctx.emit([{ kind: 'meeting', uuid, organisation: row.organisation_code, change: 'deleted' }]);
  }

  /**
   * The organiser a write leaves: `organizedByEmail` when a planner or admin gives one, else the
   * caller (who, without an e-mail — a machine client — leaves the organiser as it was). The real
   * API ignores the field from other roles silently rather than refusing.
   */
  #organizer(caller: BookingCaller, organizedByEmail: string | null | undefined, current: string | null = null): string | null {
    if (organizedByEmail && caller.administrator) return organizedByEmail;
    return caller.email ?? current;
  }

  async #assertExternalIdFree(db: Db, organisation: string, externalId: string) {
    const taken = await db.selectFrom('booking_meetings').select('uuid').where('organisation_code', '=', organisation).where('external_id', '=', externalId).executeTakeFirst();
    if (taken) throw externalIdNotUnique();
  }

  /**
   * The pool info a new meeting takes over, in the real API's order: a custom address or explicit
   * PINs always get a new info; a reservation takes the reserved one (29); a meeting starting more
   * than two minutes from now gets a new one (those two: `#mayTakePoolInfo`, asked first); any
   * other meeting of a pool organisation takes an unused provisioned pool info with the VMR
   * settings it asks for, and an ad hoc (POOL) one must find one (400 code 20). The pool is the
   * organisation's or its nearest ancestor's (`poolOrg`).
   */
  async #poolInfoFor(trx: Db, caller: BookingCaller, input: CreateMeeting, poolOrg: string | null): Promise<InfoRow | undefined> {
    if (input.schedulingInfoReservationId) {
      const info = await trx
        .selectFrom('booking_scheduling_infos')
        .selectAll()
        .where('reservation_id', '=', input.schedulingInfoReservationId)
        .where('organisation_code', '=', caller.organisation)
        .where('meeting_uuid', 'is', null)
        .executeTakeFirst();
      if (!info) throw vdxError(400, VdxCode.reservationNotFound, 'reservation_not_found', 'ReservationId not owned by organisation or not found.');
      return info;
    }
    if (!poolOrg) return undefined;
    const info = await this.ctx.unusedPoolInfo(trx, poolOrg, input);
    if (!info && input.meetingType === 'POOL') {
      throw vdxError(400, VdxCode.noUnusedSchedulingInfo, 'no_unused_scheduling_info', `Unused scheduling information not found for organisation ${caller.organisation}`);
    }
    return info;
  }

  /** Whether a new meeting may take over a pool info at all (the rules of #poolInfoFor that need no look-up). */
  #mayTakePoolInfo(input: CreateMeeting): boolean {
    if (isSet(input.uriWithoutDomain) || isSet(input.hostPin) || isSet(input.guestPin)) return false;
    if (input.schedulingInfoReservationId) return true;
    return input.startTime.getTime() <= this.ctx.clock.now().getTime() + FUTURE_MEETING_MS;
  }

  async #writeLabels(trx: Db, uuid: string, labels: string[], replace: boolean) {
    if (replace) await trx.deleteFrom('booking_meeting_labels').where('meeting_uuid', '=', uuid).execute();
    if (labels.length > 0) {
      await bookingQueries.insertLabels.run(trx, { rows: labels.map((label) => ({ meeting_uuid: uuid, label })) });
    }
  }
}

/** The column in lower case, for the case-insensitive comparisons of the search. */
function lower(column: string) {
  return sql<string>`lower(${sql.ref(column)})`;
}

function fromToPair() {
  return vdxError(400, VdxCode.fromToPair, 'from_to_pair', 'Either both from-start-time and to-start-time must be provided or none of them must be provided.');
}

/** What a PATCH may change on the meeting's VMR: absent = unchanged, null = cleared. */
interface VmrChoice {
  hostPin?: number | null;
  guestPin?: number | null;
  callType?: string | null;
}

function vmrColumns(info: InfoRow, vmr: VmrChoice): Partial<Pick<InfoRow, 'host_pin' | 'guest_pin' | 'settings'>> {
  const pin = (v: number | null) => (v === null ? null : String(v));
  return {
    ...(vmr.hostPin !== undefined ? { host_pin: pin(vmr.hostPin) } : {}),
    ...(vmr.guestPin !== undefined ? { guest_pin: pin(vmr.guestPin) } : {}),
    ...(vmr.callType !== undefined ? { settings: JSON.stringify({ ...(JSON.parse(info.settings) as object), callType: vmr.callType }) } : {}),
  };
}
