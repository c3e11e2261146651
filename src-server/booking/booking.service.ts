import { randomUUID } from 'node:crypto';
import type { Insertable, Selectable } from 'kysely';
import type {
  AdditionalInformation,
  CreateMeeting,
  CreateSchedulingInfo,
  MeetingDto,
  MeetingSearchQuery,
  PatchMeeting,
  ProvisionStatus,
  SchedulingInfoDto,
  SchedulingTemplateDto,
  SchedulingTemplateInput,
  UpdateMeeting,
  UpdateSchedulingInfo,
} from '../../src-shared/booking/booking.schemas';
import type { Clock } from '../../src-shared/platform/clock';
import type { Store } from '../db/database';
import type { DomainEventBus } from '../events/domain-events';
import { assertMeetingAccess, sameEmail, type BookingCaller } from './booking.access';
import { toMeetingDto, toSchedulingInfoDto, toTemplateDto, type LinkBases } from './booking.mapping';
import type { MeetingTable, SchedulingInfoTable } from './booking.tables';
import {
  allocatePin,
  allocateUri,
  customUri,
  portalLink,
  resolveTemplate,
  shortIdFor,
  uniqueViolation,
  vmrSettingsFor,
  type AllocatedUri,
  type Db,
  type ResolvedTemplate,
} from './scheduling-allocation';
import { VdxCode, vdxError } from './vdx-errors';

export interface BookingConfig {
  publicUrl: string;
  shortLinkBase: string;
  portalLinkTemplate: string;
  bootstrapOrganisation: string;
}

/** A meeting and its scheduling info, as the in-process provisioner sees them. */
export interface BookedMeeting {
  meeting: MeetingDto | null;
  schedulingInfo: SchedulingInfoDto;
}

/** What a provisioner reports about a scheduling info. */
export interface ProvisionReport {
  provisionStatus: ProvisionStatus;
  provisionVmrId?: string | null;
  provisionStatusDescription?: string | null;
}

type MeetingRow = Selectable<MeetingTable>;
type InfoRow = Selectable<SchedulingInfoTable>;
type Event =
  | { kind: 'meeting'; uuid: string; organisation: string; change: 'created' | 'updated' | 'deleted' }
  | { kind: 'info'; uuid: string; status: string; provisionDueAt?: string };

/** A write that changed nothing a second attempt could fix (a lost race on a unique address). */
const WRITE_ATTEMPTS = 3;

/**
 * The VDX booking capability: scheduling templates, meetings and their scheduling infos, the
 * provisioning queues, pool and reservations. Every write that touches more than one row runs in
 * one transaction, and domain events are emitted only after it has committed.
 *
 * Provision lifecycle (the provisioner moves it on via PUT /scheduling-info or setProvisionStatus):
 *
 *   AWAITS_PROVISION ──► STARTING_TO_PROVISION ──► PROVISIONED_OK ──► STARTING_TO_DEPROVISION ──► DEPROVISION_OK
 *                                   └──► PROVISION_PROBLEMS                      └──► DEPROVISION_PROBLEMS
 *
 * Queues: provision = AWAITS_PROVISION whose VMR is due (meeting start − vmrAvailableBefore ≤ now;
 * pool infos at once) and whose meeting has not already ended. Deprovision = PROVISIONED_OK whose meeting has ended (endTime ≤ now) — so
 * a meeting moves to the deprovision queue by itself when its end passes; nothing has to sweep.
 */
export class BookingService {
  readonly #links: LinkBases;
  readonly #domain: string;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly events: DomainEventBus,
    private readonly config: BookingConfig,
  ) {
    this.#links = { publicUrl: config.publicUrl, shortLinkBase: config.shortLinkBase };
    this.#domain = new URL(config.publicUrl).hostname;
  }

  // ---------------------------------------------------------------- templates

  async listTemplates(caller: BookingCaller): Promise<SchedulingTemplateDto[]> {
    const rows = await this.store.db
      .selectFrom('booking_templates')
      .selectAll()
      .where('organisation_code', '=', caller.organisation)
      .orderBy('id')
      .execute();
    return rows.map(toTemplateDto);
  }

  async getTemplate(caller: BookingCaller, id: number): Promise<SchedulingTemplateDto> {
    return toTemplateDto(await this.#templateRow(this.store.db, caller, id));
  }

  async createTemplate(caller: BookingCaller, input: SchedulingTemplateInput): Promise<SchedulingTemplateDto> {
    await this.#requireOrganisation(caller.organisation);
    const now = this.#now();
    const row = await this.store.db.transaction().execute(async (trx) => {
      await this.#applyTemplateFlags(trx, caller.organisation, input, null);
      return trx
        .insertInto('booking_templates')
        .values({
          organisation_code: caller.organisation,
          is_default: input.isDefaultTemplate ? 1 : 0,
          is_pool: input.isPoolTemplate ? 1 : 0,
          body: JSON.stringify(templateBody(input)),
          created_by: caller.email ?? caller.principal.subject,
          updated_by: null,
          created_at: now,
          updated_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return toTemplateDto(row);
  }

  async updateTemplate(caller: BookingCaller, id: number, input: SchedulingTemplateInput): Promise<SchedulingTemplateDto> {
    const row = await this.store.db.transaction().execute(async (trx) => {
      await this.#templateRow(trx, caller, id);
      await this.#applyTemplateFlags(trx, caller.organisation, input, id);
      return trx
        .updateTable('booking_templates')
        .set({
          is_default: input.isDefaultTemplate ? 1 : 0,
          is_pool: input.isPoolTemplate ? 1 : 0,
          body: JSON.stringify(templateBody(input)),
          updated_by: caller.email ?? caller.principal.subject,
          updated_at: this.#now(),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return toTemplateDto(row);
  }

  async deleteTemplate(caller: BookingCaller, id: number): Promise<void> {
    await this.store.db.transaction().execute(async (trx) => {
      await this.#templateRow(trx, caller, id);
      // Scheduling infos keep their copied settings; they only lose the reference.
      await trx.updateTable('booking_scheduling_infos').set({ template_id: null }).where('template_id', '=', id).execute();
      await trx.deleteFrom('booking_templates').where('id', '=', id).execute();
    });
  }

  async #templateRow(db: Db, caller: BookingCaller, id: number) {
    const row = await db.selectFrom('booking_templates').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw vdxError(404, VdxCode.templateNotFound, 'template_not_found', `Scheduling template ${id} not found`);
    if (row.organisation_code !== caller.organisation) {
      throw vdxError(403, VdxCode.templateNotInOrganisation, 'template_other_organisation', `Scheduling template ${id} belongs to another organisation`);
    }
    return row;
  }

  /** One pool template per organisation (406 code 18); a new default clears the old one. */
  async #applyTemplateFlags(trx: Db, organisation: string, input: SchedulingTemplateInput, selfId: number | null) {
    if (input.isPoolTemplate) {
      let q = trx.selectFrom('booking_templates').select('id').where('organisation_code', '=', organisation).where('is_pool', '=', 1);
      if (selfId !== null) q = q.where('id', '!=', selfId);
      if (await q.executeTakeFirst()) {
        throw vdxError(406, VdxCode.onePoolTemplate, 'pool_template_exists', 'The organisation already has a pool template');
      }
    }
    if (input.isDefaultTemplate) {
      let u = trx.updateTable('booking_templates').set({ is_default: 0 }).where('organisation_code', '=', organisation);
      if (selfId !== null) u = u.where('id', '!=', selfId);
      await u.execute();
    }
  }

  // ---------------------------------------------------------------- meetings

  async createMeeting(caller: BookingCaller, input: CreateMeeting): Promise<MeetingDto> {
    assertTimes(input.startTime, input.endTime);
    const additionalInformation = uniqueKeys(input.additionalInformation);
    if (input.schedulingInfoReservationId && (isSet(input.hostPin) || isSet(input.guestPin))) {
      throw vdxError(400, VdxCode.reservationWithPin, 'reservation_with_pin', 'A reservation id can not be combined with hostPin or guestPin');
    }
    const organizer = this.#organizer(caller, input.organizedByEmail);
    const org = await this.#requireOrganisation(caller.organisation);
    const result = await this.#retryOnUriRace(() =>
      this.store.db.transaction().execute(async (trx) => {
        const uuid = randomUUID();
        const shortId = shortIdFor(uuid);
        const now = this.#now();
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
            bootstrapOrganisation: this.config.bootstrapOrganisation,
            domain: this.#domain,
          });
          const guestPinRequired = input.guestPinRequired ?? template.body.guestPinRequired;
          meeting.guest_pin_required = guestPinRequired ? 1 : 0;
          const uri = input.uriWithoutDomain
            ? await customUri(trx, input.uriWithoutDomain, template.body.uriDomain, org.allow_custom_uri_without_domain === 1)
            : await allocateUri(trx, template.body);
          const hostPin = input.hostPin ?? allocatePin('host', template.body.hostPinRequired, template.body.hostPinRangeLow, template.body.hostPinRangeHigh);
          const guestPin = input.guestPin ?? allocatePin('guest', guestPinRequired, template.body.guestPinRangeLow, template.body.guestPinRangeHigh);
          info = this.#newInfo({ uuid, meetingUuid: uuid, organisation: caller.organisation, template, uri, hostPin, guestPin, pool: false, input, start: input.startTime, end: input.endTime, shortId, now });
        }
        await trx.insertInto('booking_meetings').values(meeting).execute();
        await this.#writeLabels(trx, uuid, uniqueLabels(input.labels), false);
        if (info) {
          await trx.insertInto('booking_scheduling_infos').values(info).execute();
        } else if (existingInfo) {
          await trx
            .updateTable('booking_scheduling_infos')
            .set({
              meeting_uuid: uuid,
              deprovision_due_at: meeting.end_time,
              portal_link: this.#portalLinkOf(existingInfo, shortId, input.startTime),
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
    this.#emit([
      { kind: 'meeting', uuid: result.row.uuid, organisation: result.row.organisation_code, change: 'created' },
      { kind: 'info', uuid: result.infoUuid, status: result.status, ...(result.provisionDueAt ? { provisionDueAt: result.provisionDueAt } : {}) },
    ]);
    return toMeetingDto(result.row, this.#links);
  }

  async getMeeting(caller: BookingCaller, uuid: string): Promise<MeetingDto> {
    const row = await this.#meetingRow(this.store.db, uuid);
    assertMeetingAccess(caller, row.organisation_code, row.organizer_email);
    return toMeetingDto(row, this.#links);
  }

  /**
   * GET /v2/meetings: the first filter present decides (short-id, label, subject, organizedBy,
   * search, from/to-start-time as a pair (28), uri-with-domain); none at all → 400 code 36.
   * A meeting-user only ever sees meetings they organise.
   */
  async searchMeetings(caller: BookingCaller, query: MeetingSearchQuery): Promise<MeetingDto[]> {
    let q = this.store.db.selectFrom('booking_meetings').selectAll('booking_meetings').where('booking_meetings.organisation_code', '=', caller.organisation);
    // E-mail addresses compare case-insensitively, as everywhere in booking.
    if (!caller.orgWide) q = q.where((eb) => eb(eb.fn('lower', ['booking_meetings.organizer_email']), '=', (caller.email ?? '').toLowerCase()));
    const hasFrom = query['from-start-time'] !== undefined;
    const hasTo = query['to-start-time'] !== undefined;
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
    } else if (query['uri-with-domain'] !== undefined) {
      const uri = query['uri-with-domain'];
      q = q.where((eb) => eb.exists(eb.selectFrom('booking_scheduling_infos as s').select('s.uuid').whereRef('s.meeting_uuid', '=', 'booking_meetings.uuid').where('s.uri_with_domain', '=', uri)));
    } else {
      throw vdxError(400, VdxCode.searchNeedsParameter, 'search_needs_parameter', 'A meeting search needs at least one query parameter');
    }
    const rows = await q.orderBy('booking_meetings.start_time').orderBy('booking_meetings.uuid').execute();
    return rows.map((r) => toMeetingDto(r, this.#links));
  }

  /** findByUriWithDomain / findByUriWithoutDomain (the latter within the caller's organisation). */
  async findMeetingByUri(caller: BookingCaller, uri: string, withDomain: boolean): Promise<MeetingDto> {
    let q = this.store.db
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
    }));
  }

  /**
   * The shared part of PUT and PATCH. While AWAITS_PROVISION everything may change; once
   * PROVISIONED_OK only the end time is taken (the VMR exists, its address and PINs are sent out);
   * in any other state the answer is 406 code 12.
   */
  async #changeMeeting(caller: BookingCaller, uuid: string, next: (row: MeetingRow) => MeetingChange): Promise<MeetingDto> {
    const { row, info } = await this.store.db.transaction().execute(async (trx) => {
      const current = await this.#meetingRow(trx, uuid);
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
      const now = this.#now();
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
        await trx
          .updateTable('booking_scheduling_infos')
          .set({
            provision_due_at: provisionDueAt,
            deprovision_due_at: change.end.toISOString(),
            portal_link: this.#portalLinkOf(infoRow, current.short_id, change.start),
            updated_at: now,
          })
          .where('uuid', '=', infoRow.uuid)
          .execute();
      }
      const updated = await trx.selectFrom('booking_meetings').selectAll().where('uuid', '=', uuid).executeTakeFirstOrThrow();
      return { row: updated, info: infoRow && provisionDueAt ? { ...infoRow, provision_due_at: provisionDueAt } : undefined };
    }).catch(mapUniqueErrors);
    this.#emit([
      { kind: 'meeting', uuid, organisation: row.organisation_code, change: 'updated' },
      // The due hint lets the provisioner re-arm its timer for a moved meeting.
      ...(info ? [{ kind: 'info' as const, uuid: info.uuid, status: info.provision_status, provisionDueAt: info.provision_due_at }] : []),
    ]);
    return toMeetingDto(row, this.#links);
  }

  /** DELETE: only while AWAITS_PROVISION (else 406 code 13); nothing was provisioned, so nothing is left. */
  async deleteMeeting(caller: BookingCaller, uuid: string): Promise<void> {
    const row = await this.store.db.transaction().execute(async (trx) => {
      const current = await this.#meetingRow(trx, uuid);
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
    this.#emit([{ kind: 'meeting', uuid, organisation: row.organisation_code, change: 'deleted' }]);
  }

  // ---------------------------------------------------------------- scheduling info

  async getSchedulingInfo(caller: BookingCaller, uuid: string): Promise<SchedulingInfoDto> {
    const info = await this.store.db
      .selectFrom('booking_scheduling_infos')
      .selectAll()
      .where((eb) => eb.or([eb('uuid', '=', uuid), eb('meeting_uuid', '=', uuid)]))
      .executeTakeFirst();
    if (!info) throw vdxError(404, VdxCode.basic, 'scheduling_info_not_found', `No scheduling info ${uuid}`);
    const meeting = info.meeting_uuid ? await this.#meetingRow(this.store.db, info.meeting_uuid) : undefined;
    if (!caller.provisioner) {
      if (info.organisation_code !== caller.organisation) {
        throw vdxError(403, VdxCode.basic, 'other_organisation', 'The scheduling info belongs to another organisation');
      }
      if (meeting) assertMeetingAccess(caller, meeting.organisation_code, meeting.organizer_email);
      else if (!caller.orgWide) throw vdxError(403, VdxCode.basic, 'not_organiser', 'Only the organiser may access this scheduling info');
    }
    return toSchedulingInfoDto(info, meeting, this.#links);
  }

  /** GET /v2/scheduling-info: the organisation's (a provisioner's: every organisation's). */
  async listSchedulingInfo(
    caller: BookingCaller,
    query: { 'from-start-time'?: Date; 'to-start-time'?: Date; 'provision-status'?: ProvisionStatus },
  ): Promise<SchedulingInfoDto[]> {
    const hasFrom = query['from-start-time'] !== undefined;
    const hasTo = query['to-start-time'] !== undefined;
    if (hasFrom !== hasTo) {
      throw vdxError(400, VdxCode.fromToPair, 'from_to_pair', 'from-start-time and to-start-time must both be given or neither');
    }
    let q = this.store.db.selectFrom('booking_scheduling_infos as s').leftJoin('booking_meetings as m', 'm.uuid', 's.meeting_uuid').selectAll('s');
    if (!caller.provisioner) q = q.where('s.organisation_code', '=', caller.organisation);
    if (!caller.orgWide) q = q.where((eb) => eb(eb.fn('lower', ['m.organizer_email']), '=', (caller.email ?? '').toLowerCase()));
    if (query['provision-status']) q = q.where('s.provision_status', '=', query['provision-status']);
    if (hasFrom) {
      q = q.where('m.start_time', '>=', query['from-start-time']!.toISOString()).where('m.start_time', '<=', query['to-start-time']!.toISOString());
    }
    return this.#withMeetings(await q.orderBy('s.provision_due_at').orderBy('s.uuid').execute());
  }

  /**
   * POST /v2/scheduling-info: a pool scheduling info for an organisation (22 unknown organisation,
   * 23 not pool-enabled). Its template: the given one, else the organisation's pool template, else
   * the usual default order.
   */
  async createSchedulingInfo(caller: BookingCaller, input: CreateSchedulingInfo): Promise<SchedulingInfoDto> {
    const row = await this.#retryOnUriRace(() =>
      this.store.db.transaction().execute(async (trx) => {
        const org = await trx.selectFrom('organisations').select(['code', 'pool_size']).where('code', '=', input.organizationId).executeTakeFirst();
        if (!org) throw vdxError(400, VdxCode.organisationNotFound, 'organisation_not_found', `Organisation ${input.organizationId} not found`);
        if (org.pool_size <= 0) throw vdxError(400, VdxCode.organisationNotPoolEnabled, 'organisation_not_pool_enabled', `Organisation ${org.code} is not pool-enabled`);
        let templateId = input.schedulingTemplateId;
        if (templateId === undefined || templateId === null) {
          const pool = await trx.selectFrom('booking_templates').select('id').where('organisation_code', '=', org.code).where('is_pool', '=', 1).executeTakeFirst();
          templateId = pool?.id;
        }
        const template = await resolveTemplate(trx, org.code, templateId, { bootstrapOrganisation: this.config.bootstrapOrganisation, domain: this.#domain });
        const uri = await allocateUri(trx, template.body);
        const hostPin = allocatePin('host', template.body.hostPinRequired, template.body.hostPinRangeLow, template.body.hostPinRangeHigh);
        const guestPin = allocatePin('guest', template.body.guestPinRequired, template.body.guestPinRangeLow, template.body.guestPinRangeHigh);
        const now = this.#now();
        const info = this.#newInfo({ uuid: randomUUID(), meetingUuid: null, organisation: org.code, template, uri, hostPin, guestPin, pool: true, input: {}, start: null, end: null, shortId: null, now });
        info.provision_status = input.provisionStatus ?? 'AWAITS_PROVISION';
        info.provision_vmr_id = input.provisionVmrId ?? null;
        info.provision_status_description = input.provisionStatusDescription ?? null;
        if (input.provisionStatus) info.provision_timestamp = now;
        return trx.insertInto('booking_scheduling_infos').values(info).returningAll().executeTakeFirstOrThrow();
      }),
    );
    void caller;
    this.#emit([{ kind: 'info', uuid: row.uuid, status: row.provision_status }]);
    return toSchedulingInfoDto(row, undefined, this.#links);
  }

  /** PUT /v2/scheduling-info/{uuid}: a provisioner's report. Also the in-process provisioner's entry. */
  async setProvisionStatus(uuid: string, report: ProvisionReport | UpdateSchedulingInfo): Promise<SchedulingInfoDto> {
    const now = this.#now();
    const info = await this.store.db.transaction().execute(async (trx) => {
      const found = await trx
        .selectFrom('booking_scheduling_infos')
        .select('uuid')
        .where((eb) => eb.or([eb('uuid', '=', uuid), eb('meeting_uuid', '=', uuid)]))
        .executeTakeFirst();
      if (!found) throw vdxError(404, VdxCode.basic, 'scheduling_info_not_found', `No scheduling info ${uuid}`);
      return trx
        .updateTable('booking_scheduling_infos')
        .set(reportValues(report, now))
        .where('uuid', '=', found.uuid)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    this.#emit([{ kind: 'info', uuid: info.uuid, status: info.provision_status }]);
    const meeting = info.meeting_uuid ? await this.#meetingRow(this.store.db, info.meeting_uuid) : undefined;
    return toSchedulingInfoDto(info, meeting, this.#links);
  }

  /** Scheduling infos whose VMR should be created now (every organisation). */
  async provisionQueue(): Promise<SchedulingInfoDto[]> {
    const rows = await this.store.db
      .selectFrom('booking_scheduling_infos')
      .selectAll()
      .where('provision_status', '=', 'AWAITS_PROVISION')
      .where('provision_due_at', '<=', this.#now())
      // A meeting that ended without ever being provisioned needs no VMR any more.
      .where((eb) => eb.or([eb('deprovision_due_at', 'is', null), eb('deprovision_due_at', '>', this.#now())]))
      .orderBy('provision_due_at')
      .limit(1000)
      .execute();
    return this.#withMeetings(rows);
  }

  /**
   * The in-process provisioner's report on an info it took from the provision queue, made only
   * while the info still AWAITS_PROVISION: of several instances (or a timer and a join on one)
   * racing for the same meeting, one claims it; the others read who did. Answers whether this
   * call claimed it and the status the info has now (null: it is gone, e.g. the meeting deleted).
   */
  async claimProvision(uuid: string, report: ProvisionReport): Promise<{ claimed: boolean; provisionStatus: ProvisionStatus | null }> {
    const now = this.#now();
    const claimed = await this.store.db
      .updateTable('booking_scheduling_infos')
      .set(reportValues(report, now))
      .where('uuid', '=', uuid)
      .where('provision_status', '=', 'AWAITS_PROVISION')
      .returning(['uuid', 'provision_status'])
      .executeTakeFirst();
    if (claimed) {
      this.#emit([{ kind: 'info', uuid, status: claimed.provision_status }]);
      return { claimed: true, provisionStatus: claimed.provision_status as ProvisionStatus };
    }
    const current = await this.store.db.selectFrom('booking_scheduling_infos').select('provision_status').where('uuid', '=', uuid).executeTakeFirst();
    return { claimed: false, provisionStatus: (current?.provision_status as ProvisionStatus | undefined) ?? null };
  }

  /** When the next info still waiting enters the provision queue (null: none waits). */
  async nextProvisionDue(): Promise<Date | null> {
    const row = await this.store.db
      .selectFrom('booking_scheduling_infos')
      .select((eb) => eb.fn.min('provision_due_at').as('due'))
      .where('provision_status', '=', 'AWAITS_PROVISION')
      .where('provision_due_at', '>', this.#now())
      .executeTakeFirst();
    return row?.due ? new Date(row.due) : null;
  }

  /** Scheduling infos whose VMR should go now: provisioned and the meeting has ended. */
  async deprovisionQueue(): Promise<SchedulingInfoDto[]> {
    const rows = await this.store.db
      .selectFrom('booking_scheduling_infos')
      .selectAll()
      .where('provision_status', '=', 'PROVISIONED_OK')
      .where('deprovision_due_at', '<=', this.#now())
      .orderBy('deprovision_due_at')
      .limit(1000)
      .execute();
    return this.#withMeetings(rows);
  }

  /** GET /v2/pool: per pool-enabled organisation, the wanted and the available count. */
  async pool(caller: BookingCaller) {
    let q = this.store.db.selectFrom('organisations').select(['code', 'pool_size']).where('pool_size', '>', 0);
    if (!caller.provisioner) q = q.where('code', '=', caller.organisation);
    const orgs = await q.orderBy('code').execute();
    const result = [];
    for (const org of orgs) {
      const available = await this.store.db
        .selectFrom('booking_scheduling_infos')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('organisation_code', '=', org.code)
        .where('is_pool', '=', 1)
        .where('meeting_uuid', 'is', null)
        .where('reservation_id', 'is', null)
        .where('provision_status', 'in', ['AWAITS_PROVISION', 'STARTING_TO_PROVISION', 'PROVISIONED_OK'])
        .executeTakeFirstOrThrow();
      const template = await this.store.db
        .selectFrom('booking_templates')
        .selectAll()
        .where('organisation_code', '=', org.code)
        .where('is_pool', '=', 1)
        .executeTakeFirst();
      result.push({
        organizationId: org.code,
        desiredPoolSize: org.pool_size,
        availablePoolSize: Number(available.n),
        schedulingTemplate: template ? toTemplateDto(template) : null,
      });
    }
    return result;
  }

  /** GET /v2/scheduling-info-reserve: takes an unused provisioned pool info (23, 20). */
  async reserve(caller: BookingCaller): Promise<SchedulingInfoDto> {
    const org = await this.#requireOrganisation(caller.organisation);
    if (org.pool_size <= 0) throw vdxError(400, VdxCode.organisationNotPoolEnabled, 'organisation_not_pool_enabled', 'The organisation is not pool-enabled');
    const info = await this.store.db.transaction().execute(async (trx) => {
      const free = await this.#unusedPoolInfo(trx, caller.organisation);
      if (!free) throw vdxError(406, VdxCode.noUnusedSchedulingInfo, 'no_unused_scheduling_info', 'No unused scheduling info is left for the organisation');
      return trx
        .updateTable('booking_scheduling_infos')
        .set({ reservation_id: randomUUID(), updated_at: this.#now() })
        .where('uuid', '=', free.uuid)
        .where('reservation_id', 'is', null)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return toSchedulingInfoDto(info, undefined, this.#links);
  }

  /** GET /v2/scheduling-info-reserve/{uuid}: a reservation of the caller's organisation (404 code 29). */
  async getReservation(caller: BookingCaller, reservationId: string): Promise<SchedulingInfoDto> {
    const info = await this.store.db.selectFrom('booking_scheduling_infos').selectAll().where('reservation_id', '=', reservationId).executeTakeFirst();
    if (!info || info.organisation_code !== caller.organisation) {
      throw vdxError(404, VdxCode.reservationNotFound, 'reservation_not_found', `Reservation ${reservationId} not found`);
    }
    const meeting = info.meeting_uuid ? await this.#meetingRow(this.store.db, info.meeting_uuid) : undefined;
    return toSchedulingInfoDto(info, meeting, this.#links);
  }

  // ---------------------------------------------------------------- in-process provisioner API

  /** A meeting and its scheduling info by the meeting's (or the info's) uuid. */
  async bookedByUuid(uuid: string): Promise<BookedMeeting | undefined> {
    const info = await this.store.db
      .selectFrom('booking_scheduling_infos')
      .selectAll()
      .where((eb) => eb.or([eb('uuid', '=', uuid), eb('meeting_uuid', '=', uuid)]))
      .executeTakeFirst();
    return info ? this.#booked(info) : undefined;
  }

  /** A meeting and its scheduling info by address, with (`123@vdx.test`) or without domain. */
  async bookedByUri(uri: string): Promise<BookedMeeting | undefined> {
    const column = uri.includes('@') ? 'uri_with_domain' : 'uri_without_domain';
    const info = await this.store.db.selectFrom('booking_scheduling_infos').selectAll().where(column, '=', uri).orderBy('created_at', 'desc').executeTakeFirst();
    return info ? this.#booked(info) : undefined;
  }

  async #booked(info: InfoRow): Promise<BookedMeeting> {
    const meeting = info.meeting_uuid
      ? await this.store.db.selectFrom('booking_meetings').selectAll().where('uuid', '=', info.meeting_uuid).executeTakeFirst()
      : undefined;
    const schedulingInfo = toSchedulingInfoDto(info, meeting, this.#links);
    return { meeting: schedulingInfo.meetingDetails, schedulingInfo };
  }

  // ---------------------------------------------------------------- internals

  #now(): string {
    return this.clock.now().toISOString();
  }

  #emit(events: Event[]): void {
    for (const e of events) {
      if (e.kind === 'meeting') this.events.emit('meeting.changed', { meetingUuid: e.uuid, organisationCode: e.organisation, change: e.change });
      else this.events.emit('scheduling-info.changed', { uuid: e.uuid, provisionStatus: e.status, ...(e.provisionDueAt ? { provisionDueAt: e.provisionDueAt } : {}) });
    }
  }

  async #requireOrganisation(code: string) {
    const org = await this.store.db
      .selectFrom('organisations')
      .select(['code', 'pool_size', 'allow_custom_uri_without_domain'])
      .where('code', '=', code)
      .executeTakeFirst();
    if (!org) throw vdxError(401, VdxCode.organisationNotFound, 'organisation_not_found', `The caller's organisation ${code} is not known`);
    return org;
  }

  /** Only organisation-wide roles may book on behalf of someone else (else 403). */
  #organizer(caller: BookingCaller, organizedByEmail: string | null | undefined): string | null {
    if (!organizedByEmail) return caller.email;
    if (!caller.orgWide && !sameEmail(organizedByEmail, caller.email)) {
      throw vdxError(403, VdxCode.basic, 'not_organiser', 'A meeting-user can only book meetings they organise themselves');
    }
    return organizedByEmail;
  }

  async #meetingRow(db: Db, uuid: string): Promise<MeetingRow> {
    const row = await db.selectFrom('booking_meetings').selectAll().where('uuid', '=', uuid).executeTakeFirst();
    if (!row) throw vdxError(404, VdxCode.basic, 'meeting_not_found', `Meeting ${uuid} not found`);
    return row;
  }

  async #assertExternalIdFree(db: Db, organisation: string, externalId: string, selfUuid: string | null) {
    let q = db.selectFrom('booking_meetings').select('uuid').where('organisation_code', '=', organisation).where('external_id', '=', externalId);
    if (selfUuid) q = q.where('uuid', '!=', selfUuid);
    if (await q.executeTakeFirst()) {
      throw vdxError(400, VdxCode.externalIdNotUnique, 'external_id_not_unique', 'externalId is already used in the organisation');
    }
  }

  /** For a reservation (29) or meetingType POOL (23, 20): the pool info the meeting takes over. */
  async #poolInfoFor(trx: Db, caller: BookingCaller, input: CreateMeeting, poolSize: number): Promise<InfoRow | undefined> {
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
    if (input.meetingType !== 'POOL') return undefined;
    if (poolSize <= 0) throw vdxError(400, VdxCode.organisationNotPoolEnabled, 'organisation_not_pool_enabled', 'The organisation is not pool-enabled');
    const info = await this.#unusedPoolInfo(trx, caller.organisation);
    if (!info) throw vdxError(406, VdxCode.noUnusedSchedulingInfo, 'no_unused_scheduling_info', 'No unused scheduling info is left for the organisation');
    return info;
  }

  #unusedPoolInfo(trx: Db, organisation: string) {
    return trx
      .selectFrom('booking_scheduling_infos')
      .selectAll()
      .where('organisation_code', '=', organisation)
      .where('is_pool', '=', 1)
      .where('meeting_uuid', 'is', null)
      .where('reservation_id', 'is', null)
      .where('provision_status', '=', 'PROVISIONED_OK')
      .orderBy('created_at')
      .executeTakeFirst();
  }

  #newInfo(a: {
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
  }): Insertable<SchedulingInfoTable> {
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
      created_at: a.now,
      updated_at: null,
    };
  }

  #portalLinkOf(info: InfoRow, shortId: string, start: Date): string {
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

  async #writeLabels(trx: Db, uuid: string, labels: string[], replace: boolean) {
    if (replace) await trx.deleteFrom('booking_meeting_labels').where('meeting_uuid', '=', uuid).execute();
    if (labels.length > 0) {
      await trx.insertInto('booking_meeting_labels').values(labels.map((label) => ({ meeting_uuid: uuid, label }))).execute();
    }
  }

  async #withMeetings(rows: InfoRow[]): Promise<SchedulingInfoDto[]> {
    const ids = rows.map((r) => r.meeting_uuid).filter((u): u is string => u !== null);
    const meetings = ids.length
      ? await this.store.db.selectFrom('booking_meetings').selectAll().where('uuid', 'in', ids).execute()
      : [];
    const byUuid = new Map(meetings.map((m) => [m.uuid, m]));
    return rows.map((r) => toSchedulingInfoDto(r, r.meeting_uuid ? byUuid.get(r.meeting_uuid) : undefined, this.#links));
  }

  /**
   * Two concurrent bookings may draw the same free address (PostgreSQL runs them in parallel);
   * the unique index stops the second, which then simply draws again.
   */
  async #retryOnUriRace<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        const violated = uniqueViolation(err);
        if (violated && /uri_with_domain/.test(violated) && attempt < WRITE_ATTEMPTS) continue;
        return mapUniqueErrors(err);
      }
    }
  }
}

interface MeetingChange {
  subject: string;
  description: string | null;
  projectCode: string | null;
  start: Date;
  end: Date;
  organizer: string | null;
  guestMicrophone: string;
  guestPinRequired: boolean;
  labels: string[];
  additionalInformation: AdditionalInformation[];
  externalId: string | null;
}

function currentChange(row: MeetingRow): MeetingChange {
  return {
    subject: row.subject,
    description: row.description,
    projectCode: row.project_code,
    start: new Date(row.start_time),
    end: new Date(row.end_time),
    organizer: row.organizer_email,
    guestMicrophone: row.guest_microphone,
    guestPinRequired: row.guest_pin_required === 1,
    labels: JSON.parse(row.labels) as string[],
    additionalInformation: JSON.parse(row.additional_information) as AdditionalInformation[],
    externalId: row.external_id,
  };
}

/** Races that pre-checks cannot rule out on PostgreSQL end here as the VDX answer they stand for. */
function mapUniqueErrors(err: unknown): never {
  const violated = uniqueViolation(err);
  if (violated && /external_id/.test(violated)) {
    throw vdxError(400, VdxCode.externalIdNotUnique, 'external_id_not_unique', 'externalId is already used in the organisation');
  }
  if (violated && /short_id/.test(violated)) throw vdxError(406, VdxCode.shortIdFailed, 'short_id_failed', 'Could not generate a unique shortId');
  if (violated && /uri_with_domain/.test(violated)) throw vdxError(406, VdxCode.noUniqueUri, 'no_unique_uri', 'No unused URI could be assigned');
  throw err;
}

function assertTimes(start: Date, end: Date): void {
  if (end.getTime() <= start.getTime()) {
    throw vdxError(400, VdxCode.validation, 'end_before_start', 'endTime must be after startTime');
  }
}

function uniqueKeys(info: AdditionalInformation[] | null | undefined): AdditionalInformation[] {
  const list = info ?? [];
  if (new Set(list.map((i) => i.key)).size !== list.length) {
    throw vdxError(400, VdxCode.additionalInfoKeysNotUnique, 'additional_information_keys', 'additionalInformation keys must be unique');
  }
  return list.map(({ key, value }) => ({ key, value }));
}

function uniqueLabels(labels: string[] | null | undefined): string[] {
  return [...new Set(labels ?? [])];
}

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** The columns a provisioner's report writes. */
function reportValues(report: ProvisionReport | UpdateSchedulingInfo, now: string) {
  return {
    provision_status: report.provisionStatus,
    ...(report.provisionVmrId !== undefined ? { provision_vmr_id: report.provisionVmrId } : {}),
    ...(report.provisionStatusDescription !== undefined ? { provision_status_description: report.provisionStatusDescription } : {}),
    provision_timestamp: now,
    updated_at: now,
  };
}

function dueAt(start: Date, minutesBefore: number): string {
  return new Date(start.getTime() - minutesBefore * 60_000).toISOString();
}

/** Case-insensitive "contains", with LIKE's wildcards in the user's text taken literally. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[%_\\]/g, '')}%`;
}

/** The stored template body: the input without the two flags that live in their own columns. */
function templateBody(input: SchedulingTemplateInput): Omit<SchedulingTemplateInput, 'isDefaultTemplate' | 'isPoolTemplate'> {
  const { isDefaultTemplate: _d, isPoolTemplate: _p, ...body } = input;
  return body;
}
