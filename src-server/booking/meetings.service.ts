import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type {
  AdditionalInformation,
  CreateMeeting,
  MeetingDto,
  MeetingSearchQuery,
  PatchMeeting,
  UpdateMeeting,
} from '../../src-shared/booking/booking.schemas';
import { assertMeetingAccess, type BookingCaller } from './booking.access';
import { dueAt, mapUniqueErrors, type BookingContext, type InfoRow, type MeetingRow } from './booking.context';
import { toMeetingDto } from './booking.mapping';
import { bookingQueries } from './booking.queries';
import type { SchedulingInfoTable } from './booking.tables';
import { assertTimes, currentChange, isSet, likePattern, uniqueKeys, uniqueLabels, type MeetingChange } from './meeting-rules';
import { allocatePin, allocateUri, customUri, resolveTemplate, shortIdFor, type Db } from './scheduling-allocation';
import { VdxCode, vdxError } from './vdx-errors';

/**
 * Meetings: create (with a new scheduling info, or taking over a pool one), read, search, change
 * and delete. Every write that touches more than one row runs in one transaction, and domain
 * events are emitted only after it has committed.
 */
/** A meeting starting later than this from now gets its own scheduling info (the real API's 2 minutes). */
const FUTURE_MEETING_MS = 2 * 60_000;

export class MeetingsService {
  constructor(private readonly ctx: BookingContext) {}

  async createMeeting(caller: BookingCaller, input: CreateMeeting): Promise<MeetingDto> {
    assertTimes(input.startTime, input.endTime);
    const additionalInformation = uniqueKeys(input.additionalInformation);
    if (input.schedulingInfoReservationId && (isSet(input.hostPin) || isSet(input.guestPin))) {
      throw vdxError(400, VdxCode.reservationWithPin, 'reservation_with_pin', 'A reservation id can not be combined with hostPin or guestPin');
    }
    const organizer = this.#organizer(caller, input.organizedByEmail);
    const org = await this.ctx.requireOrganisation(caller.organisation);
    // An ad hoc (POOL) meeting needs an organisation that keeps a pool (the real API's rule).
    if (input.meetingType === 'POOL' && org.pool_size <= 0) {
      throw vdxError(400, VdxCode.adHocNotAllowed, 'ad_hoc_not_allowed', `Can not create ad hoc meeting on non ad hoc organization: ${caller.organisation}`);
    }
    const result = await this.ctx.retryOnUriRace(() =>
      this.ctx.store.db.transaction().execute(async (trx) => {
        const uuid = input.uuid ?? randomUUID();
        if (input.uuid && (await trx.selectFrom('booking_meetings').select('uuid').where('uuid', '=', input.uuid).executeTakeFirst())) {
          throw vdxError(400, VdxCode.validation, 'uuid_not_unique', `A meeting with the uuid ${input.uuid} exists already`);
        }
        const shortId = shortIdFor(uuid);
        const now = this.ctx.now();
        // A shortId collision (48 bits of SHA-256) is left to the unique index: → 406 code 24.
        if (input.externalId) await this.#assertExternalIdFree(trx, caller.organisation, input.externalId, null);
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
          guest_pin_required: 0,
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
        const existingInfo = await this.#poolInfoFor(trx, caller, input, org.pool_size);
        let info: Insertable<SchedulingInfoTable> | undefined;
        if (existingInfo) {
          meeting.guest_pin_required = existingInfo.guest_pin === null ? 0 : 1;
        } else {
          const template = await resolveTemplate(trx, caller.organisation, input.schedulingTemplateId, {
            bootstrapOrganisation: this.ctx.config.bootstrapOrganisation,
            domain: this.ctx.domain,
          });
          const guestPinRequired = input.guestPinRequired ?? template.body.guestPinRequired;
          meeting.guest_pin_required = guestPinRequired ? 1 : 0;
          const uri = input.uriWithoutDomain
            ? await customUri(trx, input.uriWithoutDomain, template.body.uriDomain, org.allow_custom_uri_without_domain === 1)
            : await allocateUri(trx, template.body);
          const hostPin = input.hostPin ?? allocatePin('host', template.body.hostPinRequired, template.body.hostPinRangeLow, template.body.hostPinRangeHigh);
          const guestPin = input.guestPin ?? allocatePin('guest', guestPinRequired, template.body.guestPinRangeLow, template.body.guestPinRangeHigh);
          info = this.ctx.newInfo({ uuid, meetingUuid: uuid, organisation: caller.organisation, template, uri, hostPin, guestPin, pool: false, input, start: input.startTime, end: input.endTime, shortId, now });
        }
        await bookingQueries.insertMeeting.run(trx, { row: meeting });
        await this.#writeLabels(trx, uuid, uniqueLabels(input.labels), false);
        if (info) {
          await bookingQueries.insertInfo.run(trx, { row: info });
        } else if (existingInfo) {
          await trx
            .updateTable('booking_scheduling_infos')
            .set({
              meeting_uuid: uuid,
              deprovision_due_at: meeting.end_time,
              portal_link: this.ctx.portalLinkOf(existingInfo, shortId, input.startTime),
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
   * GET /v2/meetings: the first filter present decides (short-id, label, subject, organizedBy,
   * search, from/to-start-time as a pair (28), uri-with-domain); none at all → 400 code 36.
   * A meeting-user only ever sees meetings they organise.
   */
  async searchMeetings(caller: BookingCaller, query: MeetingSearchQuery): Promise<MeetingDto[]> {
    let q = this.ctx.store.db.selectFrom('booking_meetings').selectAll('booking_meetings').where('booking_meetings.organisation_code', '=', caller.organisation);
    // E-mail addresses compare case-insensitively, as everywhere in booking.
    if (!caller.orgWide) q = q.where((eb) => eb(eb.fn('lower', ['booking_meetings.organizer_email']), '=', (caller.email ?? '').toLowerCase()));
    const hasFrom = query['from-start-time'] !== undefined;
    const hasTo = query['to-start-time'] !== undefined;
    const uriWithDomain = query.uriWithDomain ?? query['uri-with-domain'];
    if (query['short-id'] !== undefined) {
      q = q.where('booking_meetings.short_id', '=', query['short-id']);
    } else if (query.label !== undefined) {
      const label = query.label;
      q = q.where((eb) => eb.exists(eb.selectFrom('booking_meeting_labels as l').select('l.label').whereRef('l.meeting_uuid', '=', 'booking_meetings.uuid').where('l.label', '=', label)));
    } else if (query.subject !== undefined) {
      q = q.where((eb) => eb(eb.fn('lower', ['booking_meetings.subject']), 'like', likePattern(query.subject!)));
    } else if (query.organizedBy !== undefined) {
      q = q.where((eb) => eb(eb.fn('lower', ['booking_meetings.organizer_email']), '=', query.organizedBy!.toLowerCase()));
    } else if (query.search !== undefined) {
      // The spec: search also honours from-start-time/to-start-time when they come (as a pair).
      if (hasFrom !== hasTo) {
        throw vdxError(400, VdxCode.fromToPair, 'from_to_pair', 'from-start-time and to-start-time must both be given or neither');
      }
      if (hasFrom) {
        q = q
          .where('booking_meetings.start_time', '>=', query['from-start-time']!.toISOString())
          .where('booking_meetings.start_time', '<=', query['to-start-time']!.toISOString());
      }
      const pattern = likePattern(query.search);
      q = q.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['booking_meetings.subject']), 'like', pattern),
          eb(eb.fn('lower', ['booking_meetings.description']), 'like', pattern),
          eb(eb.fn('lower', ['booking_meetings.organizer_email']), 'like', pattern),
          eb(eb.fn('lower', ['booking_meetings.project_code']), 'like', pattern),
          eb(eb.fn('lower', ['booking_meetings.labels']), 'like', pattern),
        ]),
      );
    } else if (hasFrom || hasTo) {
      if (!hasFrom || !hasTo) {
        throw vdxError(400, VdxCode.fromToPair, 'from_to_pair', 'from-start-time and to-start-time must both be given or neither');
      }
      q = q
        .where('booking_meetings.start_time', '>=', query['from-start-time']!.toISOString())
        .where('booking_meetings.start_time', '<=', query['to-start-time']!.toISOString());
    } else if (uriWithDomain !== undefined) {
      const uri = uriWithDomain;
      q = q.where((eb) => eb.exists(eb.selectFrom('booking_scheduling_infos as s').select('s.uuid').whereRef('s.meeting_uuid', '=', 'booking_meetings.uuid').where('s.uri_with_domain', '=', uri)));
    } else {
      throw vdxError(400, VdxCode.searchNeedsParameter, 'search_needs_parameter', 'A meeting search needs at least one query parameter');
    }
    const rows = await q.orderBy('booking_meetings.start_time').orderBy('booking_meetings.uuid').execute();
    return rows.map((r) => toMeetingDto(r, this.ctx.links));
  }

  /** findByUriWithDomain / findByUriWithoutDomain (the latter within the caller's organisation). */
  async findMeetingByUri(caller: BookingCaller, uri: string, withDomain: boolean): Promise<MeetingDto> {
    let q = this.ctx.store.db
      .selectFrom('booking_scheduling_infos')
      .select(['meeting_uuid', 'organisation_code'])
      .where('meeting_uuid', 'is not', null);
    q = withDomain
      ? q.where('uri_with_domain', '=', uri)
      : q.where('uri_without_domain', '=', uri).orderBy((eb) => eb.case().when('organisation_code', '=', caller.organisation).then(0).else(1).end());
    const hit = await q.executeTakeFirst();
    if (!hit?.meeting_uuid) throw vdxError(404, VdxCode.basic, 'meeting_not_found', `No meeting with the URI ${uri}`);
    return this.getMeeting(caller, hit.meeting_uuid);
  }

  async updateMeeting(caller: BookingCaller, uuid: string, input: UpdateMeeting): Promise<MeetingDto> {
    return this.#changeMeeting(caller, uuid, (row) => ({
      subject: input.subject,
      description: input.description ?? null,
      projectCode: input.projectCode ?? null,
      start: input.startTime,
      end: input.endTime,
      // PUT replaces the editable fields; the organiser and the guest settings stay when omitted.
      organizer: input.organizedByEmail === undefined || input.organizedByEmail === null ? row.organizer_email : this.#organizer(caller, input.organizedByEmail),
      guestMicrophone: input.guestMicrophone ?? row.guest_microphone,
      guestPinRequired: input.guestPinRequired ?? row.guest_pin_required === 1,
      labels: uniqueLabels(input.labels),
      additionalInformation: uniqueKeys(input.additionalInformation),
      externalId: input.externalId === undefined ? row.external_id : input.externalId,
    }));
  }

  /** PATCH: absent = unchanged, null = cleared where the field may be empty, else 400 code 30. */
  async patchMeeting(caller: BookingCaller, uuid: string, input: PatchMeeting): Promise<MeetingDto> {
    for (const field of ['subject', 'startTime', 'endTime', 'organizedByEmail', 'guestMicrophone', 'guestPinRequired'] as const) {
      if (input[field] === null) {
        throw vdxError(400, VdxCode.fieldNotNullable, 'field_not_nullable', `${field} can not be set to null`);
      }
    }
    return this.#changeMeeting(caller, uuid, (row) => ({
      subject: input.subject ?? row.subject,
      description: input.description === undefined ? row.description : input.description,
      projectCode: input.projectCode === undefined ? row.project_code : input.projectCode,
      start: input.startTime ?? new Date(row.start_time),
      end: input.endTime ?? new Date(row.end_time),
      organizer: input.organizedByEmail ? this.#organizer(caller, input.organizedByEmail) : row.organizer_email,
      guestMicrophone: input.guestMicrophone ?? row.guest_microphone,
      guestPinRequired: input.guestPinRequired ?? row.guest_pin_required === 1,
      labels: input.labels === undefined ? (JSON.parse(row.labels) as string[]) : uniqueLabels(input.labels),
      additionalInformation:
        input.additionalInformation === undefined
          ? (JSON.parse(row.additional_information) as AdditionalInformation[])
          : uniqueKeys(input.additionalInformation),
      externalId: input.externalId === undefined ? row.external_id : input.externalId,
    }), { hostPin: input.hostPin, guestPin: input.guestPin, callType: input.callType });
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
        throw vdxError(406, VdxCode.updateNeedsStatus, 'meeting_not_updatable', 'The meeting can only be changed while it is AWAITS_PROVISION or PROVISIONED_OK');
      }
      const wanted = next(current);
      const change: MeetingChange =
        status === 'PROVISIONED_OK' ? { ...currentChange(current), end: wanted.end } : wanted;
      assertTimes(change.start, change.end);
      if (change.externalId && change.externalId !== current.external_id) {
        await this.#assertExternalIdFree(trx, current.organisation_code, change.externalId, uuid);
      }
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
          external_id: change.externalId,
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
        throw vdxError(406, VdxCode.deleteNeedsStatus, 'meeting_not_deletable', 'The meeting can only be deleted while it is AWAITS_PROVISION');
      }
      await trx.deleteFrom('booking_scheduling_infos').where('meeting_uuid', '=', uuid).execute();
      await trx.deleteFrom('booking_meeting_labels').where('meeting_uuid', '=', uuid).execute();
      await trx.deleteFrom('booking_meetings').where('uuid', '=', uuid).execute();
      return current;
    });
    this.ctx.emit([{ kind: 'meeting', uuid, organisation: row.organisation_code, change: 'deleted' }]);
  }

  /**
   * `organizedByEmail` counts only from organisation-wide roles; anyone else (and an empty value)
   * books for themselves — the real API ignores it silently rather than refusing.
   */
  #organizer(caller: BookingCaller, organizedByEmail: string | null | undefined): string | null {
    if (!organizedByEmail || !caller.orgWide) return caller.email;
    return organizedByEmail;
  }

  async #assertExternalIdFree(db: Db, organisation: string, externalId: string, selfUuid: string | null) {
    let q = db.selectFrom('booking_meetings').select('uuid').where('organisation_code', '=', organisation).where('external_id', '=', externalId);
    if (selfUuid) q = q.where('uuid', '!=', selfUuid);
    if (await q.executeTakeFirst()) {
      throw vdxError(400, VdxCode.externalIdNotUnique, 'external_id_not_unique', 'externalId is already used in the organisation');
    }
  }

  /**
   * The pool info a new meeting takes over, in the real API's order: a custom address or explicit
   * PINs always get a new info; a reservation takes the reserved one (29); a meeting starting more
   * than two minutes from now gets a new one; any other meeting of a pool organisation takes an
   * unused provisioned pool info, and an ad hoc (POOL) one must find one (400 code 20).
   */
  async #poolInfoFor(trx: Db, caller: BookingCaller, input: CreateMeeting, poolSize: number): Promise<InfoRow | undefined> {
    if (input.uriWithoutDomain || isSet(input.hostPin) || isSet(input.guestPin)) return undefined;
    if (input.schedulingInfoReservationId) {
      const info = await trx
        .selectFrom('booking_scheduling_infos')
        .selectAll()
        .where('reservation_id', '=', input.schedulingInfoReservationId)
        .where('organisation_code', '=', caller.organisation)
        .where('meeting_uuid', 'is', null)
        .executeTakeFirst();
      if (!info) throw vdxError(400, VdxCode.reservationNotFound, 'reservation_not_found', 'schedulingInfoReservationId is not a free reservation of the organisation');
      return info;
    }
    if (input.startTime.getTime() > this.ctx.clock.now().getTime() + FUTURE_MEETING_MS) return undefined;
    if (poolSize <= 0) return undefined;
    const info = await this.ctx.unusedPoolInfo(trx, caller.organisation);
    if (!info && input.meetingType === 'POOL') {
      throw vdxError(400, VdxCode.noUnusedSchedulingInfo, 'no_unused_scheduling_info', `Unused scheduling information not found for organisation ${caller.organisation}`);
    }
    return info;
  }

  async #writeLabels(trx: Db, uuid: string, labels: string[], replace: boolean) {
    if (replace) await trx.deleteFrom('booking_meeting_labels').where('meeting_uuid', '=', uuid).execute();
    if (labels.length > 0) {
      await bookingQueries.insertLabels.run(trx, { rows: labels.map((label) => ({ meeting_uuid: uuid, label })) });
    }
  }}

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
