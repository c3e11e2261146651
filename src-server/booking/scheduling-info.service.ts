import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import type {
  CreateSchedulingInfo,
  MeetingDto,
  PoolInfoDto,
  ProvisionStatus,
  ReserveQuery,
  SchedulingInfoDto,
  SchedulingInfoQuery,
  UpdateSchedulingInfo,
} from '../../src-shared/booking/booking.schemas';
import type { VdxUser } from '../../src-shared/booking/booking.schemas';
import { organisationSubtree } from '../organisations/organisations.service';
import type { BookingCaller } from './booking.access';
import type { BookingContext, InfoRow } from './booking.context';
import { toSchedulingInfoDto, toTemplateDto } from './booking.mapping';
import { allocatePin, allocateUri, requireTemplate } from './scheduling-allocation';
import { VdxCode, vdxError } from './vdx-errors';

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

/**
 * Scheduling infos (the technical side of a meeting): reading them, the provisioning queues, the
 * pool and its reservations, and the in-process API of embedded provisioners.
 *
 * Provision lifecycle (the provisioner moves it on via PUT /scheduling-info or setProvisionStatus):
 *
 *   AWAITS_PROVISION ──► STARTING_TO_PROVISION ──► PROVISIONED_OK ──► STARTING_TO_DEPROVISION ──► DEPROVISION_OK
 *                                   └──► PROVISION_PROBLEMS                      └──► DEPROVISION_PROBLEMS
 *
 * Queues: provision = AWAITS_PROVISION whose VMR is due (meeting start − vmrAvailableBefore ≤ now;
 * pool infos at once) and whose meeting has not already ended. Deprovision = PROVISIONED_OK whose
 * meeting has ended (endTime ≤ now) — so a meeting moves to the deprovision queue by itself when
 * its end passes; nothing has to sweep.
 */
export class SchedulingInfoService {
  constructor(private readonly ctx: BookingContext) {}

  async getSchedulingInfo(caller: BookingCaller, uuid: string): Promise<SchedulingInfoDto> {
    const info = await this.ctx.store.db
      .selectFrom('booking_scheduling_infos')
      .selectAll()
      .where((eb) => eb.or([eb('uuid', '=', uuid), eb('meeting_uuid', '=', uuid)]))
      .executeTakeFirst();
    if (!info) throw schedulingInfoNotFound();
    if (!(await this.#mayRead(caller, info.organisation_code))) {
      throw vdxError(403, VdxCode.basic, 'other_organisation', 'The scheduling info belongs to an organisation the user may not read');
    }
    const meeting = info.meeting_uuid ? await this.ctx.meetingRow(this.ctx.store.db, info.meeting_uuid) : undefined;
    return toSchedulingInfoDto(info, meeting, this.ctx.links);
  }

  /**
   * Who reads a scheduling info, as the real service (and its integration tests) has it:
   * provisioners any; a planner or admin those of the organisation and its sub-organisations;
   * anyone else those of the organisation — whoever organises the meeting.
   */
  async #mayRead(caller: BookingCaller, organisation: string): Promise<boolean> {
    if (caller.provisioner || organisation === caller.organisation) return true;
    return caller.administrator && (await organisationSubtree(this.ctx.store.db, caller.organisation)).includes(organisation);
  }

  /**
   * GET /v2/scheduling-info: the organisation's infos (a provisioner's: every organisation's) in
   * the given status whose VMR start (meeting start − vmrAvailableBefore) or meeting end lies in
   * [from-start-time, to-end-time]. Pool infos without a meeting have neither, so never match.
   */
  async listSchedulingInfo(caller: BookingCaller, query: SchedulingInfoQuery): Promise<SchedulingInfoDto[]> {
    const from = query['from-start-time'].toISOString();
    const to = query['to-end-time'].toISOString();
    let q = this.ctx.store.db.selectFrom('booking_scheduling_infos as s').innerJoin('booking_meetings as m', 'm.uuid', 's.meeting_uuid').selectAll('s');
    if (!caller.provisioner) {
      const organisations = caller.administrator ? await organisationSubtree(this.ctx.store.db, caller.organisation) : [caller.organisation];
      q = q.where('s.organisation_code', 'in', organisations);
    }
    q = q
      .where('s.provision_status', '=', query['provision-status'])
      // provision_due_at is the VMR start of a meeting's info (pool infos keep their creation time).
      .where((eb) =>
        eb.or([
          eb.and([eb('s.provision_due_at', '>=', from), eb('s.provision_due_at', '<=', to)]),
          eb.and([eb('m.end_time', '>=', from), eb('m.end_time', '<=', to)]),
        ]),
      );
    return this.ctx.withMeetings(await q.orderBy('s.provision_due_at').orderBy('s.uuid').execute());
  }

  /**
   * POST /v2/scheduling-info: a pool scheduling info for an organisation (22 unknown organisation,
   * 23 not pool-enabled) from the given template (26 unknown, 27 another organisation's), created
   * by the calling provisioner.
   */
  async createSchedulingInfo(caller: BookingCaller, input: CreateSchedulingInfo): Promise<SchedulingInfoDto> {
    const row = await this.ctx.retryOnUriRace(() =>
      this.ctx.store.db.transaction().execute(async (trx) => {
        const org = await trx.selectFrom('organisations').select(['code', 'pool_size']).where('code', '=', input.organizationId).executeTakeFirst();
        if (!org) throw vdxError(400, VdxCode.organisationNotFound, 'organisation_not_found', `OrganisationId ${input.organizationId} in request not found.`);
        if (org.pool_size <= 0) {
          throw vdxError(400, VdxCode.organisationNotPoolEnabled, 'organisation_not_pool_enabled', `Scheduling information can not be created on organisation ${org.code} that is not pool enabled.`);
        }
        const template = await requireTemplate(trx, org.code, input.schedulingTemplateId);
        const uri = await allocateUri(trx, template.body);
        const hostPin = allocatePin('host', template.body.hostPinRequired, template.body.hostPinRangeLow, template.body.hostPinRangeHigh);
        const guestPin = allocatePin('guest', template.body.guestPinRequired, template.body.guestPinRangeLow, template.body.guestPinRangeHigh);
        const now = this.ctx.now();
        const by = { organisationId: caller.organisation, email: caller.email };
        const info = this.ctx.newInfo({ uuid: randomUUID(), meetingUuid: null, organisation: org.code, template, uri, hostPin, guestPin, pool: true, input: {}, start: null, end: null, shortId: null, now, by });
        info.provision_status = input.provisionStatus ?? 'AWAITS_PROVISION';
        info.provision_vmr_id = input.provisionVmrId ?? null;
        // The real service's words for a new pool info.
        info.provision_status_description = input.provisionStatusDescription ?? (input.provisionStatus ? null : 'Pooled awaiting provisioning.');
        if (input.provisionStatus) info.provision_timestamp = now;
        return trx.insertInto('booking_scheduling_infos').values(info).returningAll().executeTakeFirstOrThrow();
      }),
    );
    this.ctx.emit([{ kind: 'info', uuid: row.uuid, status: row.provision_status }]);
    return toSchedulingInfoDto(row, undefined, this.ctx.links);
  }

  /**
   * PUT /v2/scheduling-info/{uuid}: a provisioner's report, by `by` (the calling user; null for an
   * in-process provisioner). Also the in-process provisioner's entry.
   */
  async setProvisionStatus(uuid: string, report: ProvisionReport | UpdateSchedulingInfo, by: VdxUser | null = null): Promise<SchedulingInfoDto> {
    const now = this.ctx.now();
    const info = await this.ctx.store.db.transaction().execute(async (trx) => {
      const found = await trx
        .selectFrom('booking_scheduling_infos')
        .select('uuid')
        .where((eb) => eb.or([eb('uuid', '=', uuid), eb('meeting_uuid', '=', uuid)]))
        .executeTakeFirst();
      if (!found) throw schedulingInfoNotFound();
      return trx
        .updateTable('booking_scheduling_infos')
        .set({ ...reportValues(report, now), ...(by ? { updated_by_org: by.organisationId, updated_by_email: by.email } : {}) })
        .where('uuid', '=', found.uuid)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    this.ctx.emit([{ kind: 'info', uuid: info.uuid, status: info.provision_status }]);
    const meeting = info.meeting_uuid ? await this.ctx.meetingRow(this.ctx.store.db, info.meeting_uuid) : undefined;
    return toSchedulingInfoDto(info, meeting, this.ctx.links);
  }

  /** Scheduling infos whose VMR should be created now (every organisation). */
  async provisionQueue(): Promise<SchedulingInfoDto[]> {
    const rows = await this.ctx.store.db
      .selectFrom('booking_scheduling_infos')
      .selectAll()
      .where('provision_status', '=', 'AWAITS_PROVISION')
      .where('provision_due_at', '<=', this.ctx.now())
      // A meeting that ended without ever being provisioned needs no VMR any more.
      .where((eb) => eb.or([eb('deprovision_due_at', 'is', null), eb('deprovision_due_at', '>', this.ctx.now())]))
      .orderBy('provision_due_at')
      .limit(1000)
      .execute();
    return this.ctx.withMeetings(rows);
  }

  /**
   * The in-process provisioner's report on an info it took from the provision queue, made only
   * while the info still AWAITS_PROVISION: of several instances (or a timer and a join on one)
   * racing for the same meeting, one claims it; the others read who did. Answers whether this
   * call claimed it and the status the info has now (null: it is gone, e.g. the meeting deleted).
   */
  async claimProvision(uuid: string, report: ProvisionReport): Promise<{ claimed: boolean; provisionStatus: ProvisionStatus | null }> {
    const now = this.ctx.now();
    const claimed = await this.ctx.store.db
      .updateTable('booking_scheduling_infos')
      .set(reportValues(report, now))
      .where('uuid', '=', uuid)
      .where('provision_status', '=', 'AWAITS_PROVISION')
      .returning(['uuid', 'provision_status'])
      .executeTakeFirst();
    if (claimed) {
      this.ctx.emit([{ kind: 'info', uuid, status: claimed.provision_status }]);
      return { claimed: true, provisionStatus: claimed.provision_status as ProvisionStatus };
    }
    const current = await this.ctx.store.db.selectFrom('booking_scheduling_infos').select('provision_status').where('uuid', '=', uuid).executeTakeFirst();
    return { claimed: false, provisionStatus: (current?.provision_status as ProvisionStatus | undefined) ?? null };
  }

  /** When the next info still waiting enters the provision queue (null: none waits). */
  async nextProvisionDue(): Promise<Date | null> {
    const row = await this.ctx.store.db
      .selectFrom('booking_scheduling_infos')
      .select((eb) => eb.fn.min('provision_due_at').as('due'))
      .where('provision_status', '=', 'AWAITS_PROVISION')
      .where('provision_due_at', '>', this.ctx.now())
      .executeTakeFirst();
    return row?.due ? new Date(row.due) : null;
  }

  /** Scheduling infos whose VMR should go now: provisioned and the meeting has ended. */
  async deprovisionQueue(): Promise<SchedulingInfoDto[]> {
    const rows = await this.ctx.store.db
      .selectFrom('booking_scheduling_infos')
      .selectAll()
      // Written literally: the partial index of provisioned infos (migration 0202) names this condition.
      .where('provision_status', '=', sql.lit('PROVISIONED_OK'))
      .where('deprovision_due_at', '<=', this.ctx.now())
      .orderBy('deprovision_due_at')
      .limit(1000)
      .execute();
    return this.ctx.withMeetings(rows);
  }

  /**
   * GET /v2/pool: per pool-enabled organisation the wanted and the available count, the unused
   * provisioned infos (newest first) and the template pool infos are made from (the pool template,
   * else the default one). Callers other than provisioners see their own organisation only.
   */
  async pool(caller: BookingCaller): Promise<PoolInfoDto[]> {
    const db = this.ctx.store.db;
    let q = db.selectFrom('organisations').select(['code', 'pool_size']).where('pool_size', '>', 0);
    if (!caller.provisioner) q = q.where('code', '=', caller.organisation);
    const orgs = await q.orderBy('code').execute();
    const result: PoolInfoDto[] = [];
    for (const org of orgs) {
      const free = await db
        .selectFrom('booking_scheduling_infos')
        .selectAll()
        .where('organisation_code', '=', org.code)
        .where('meeting_uuid', 'is', null)
        .where('reservation_id', 'is', null)
        .where('provision_status', '=', 'PROVISIONED_OK')
        .orderBy('created_at', 'desc')
        .execute();
      const template = await db
        .selectFrom('booking_templates')
        .selectAll()
        .where('organisation_code', '=', org.code)
        .where((eb) => eb.or([eb('is_pool', '=', 1), eb('is_default', '=', 1)]))
        .orderBy('is_pool', 'desc')
        .orderBy('id')
        .executeTakeFirst();
      result.push({
        organisationId: org.code,
        desiredPoolSize: org.pool_size,
        availablePoolSize: free.length,
        schedulingTemplate: template ? toTemplateDto(template, this.ctx.links) : null,
        schedulingInfoList: free.map((r) => toSchedulingInfoDto(r, undefined, this.ctx.links)),
      });
    }
    return result;
  }

  /**
   * GET /v2/scheduling-info-reserve: reserves an unused provisioned pool info of the caller's
   * organisation whose VMR has the asked-for settings (the spec's defaults for those left out), as
   * the real service picks one; none → 404.
   */
  async reserve(caller: BookingCaller, settings: ReserveQuery): Promise<SchedulingInfoDto> {
    await this.ctx.requireOrganisation(caller.organisation);
    const info = await this.ctx.store.db.transaction().execute(async (trx) => {
      const free = await this.ctx.unusedPoolInfo(trx, caller.organisation, settings);
      if (!free) throw vdxError(404, VdxCode.basic, 'no_unused_scheduling_info', 'Resource: SchedulingInfo in field: SchedulingInfo not found.');
      return trx
        .updateTable('booking_scheduling_infos')
        .set({ reservation_id: randomUUID(), updated_at: this.ctx.now() })
        .where('uuid', '=', free.uuid)
        .where('reservation_id', 'is', null)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return toSchedulingInfoDto(info, undefined, this.ctx.links);
  }

  /** GET /v2/scheduling-info-reserve/{uuid}: a reservation of the caller's organisation (else 404). */
  async getReservation(caller: BookingCaller, reservationId: string): Promise<SchedulingInfoDto> {
    const info = await this.ctx.store.db.selectFrom('booking_scheduling_infos').selectAll().where('reservation_id', '=', reservationId).executeTakeFirst();
    if (!info || info.organisation_code !== caller.organisation) {
      throw vdxError(404, VdxCode.basic, 'reservation_not_found', 'Resource: schedulingInfo in field: reservationId not found.');
    }
    const meeting = info.meeting_uuid ? await this.ctx.meetingRow(this.ctx.store.db, info.meeting_uuid) : undefined;
    return toSchedulingInfoDto(info, meeting, this.ctx.links);
  }

  // in-process provisioner API

  /** A meeting and its scheduling info by the meeting's (or the info's) uuid. */
  async bookedByUuid(uuid: string): Promise<BookedMeeting | undefined> {
    const info = await this.ctx.store.db
      .selectFrom('booking_scheduling_infos')
      .selectAll()
      .where((eb) => eb.or([eb('uuid', '=', uuid), eb('meeting_uuid', '=', uuid)]))
      .executeTakeFirst();
    return info ? this.#booked(info) : undefined;
  }

  /** A meeting and its scheduling info by address, with (`123@vdx.test`) or without domain. */
  async bookedByUri(uri: string): Promise<BookedMeeting | undefined> {
    const column = uri.includes('@') ? 'uri_with_domain' : 'uri_without_domain';
    const info = await this.ctx.store.db.selectFrom('booking_scheduling_infos').selectAll().where(column, '=', uri).orderBy('created_at', 'desc').executeTakeFirst();
    return info ? this.#booked(info) : undefined;
  }

  async #booked(info: InfoRow): Promise<BookedMeeting> {
    const meeting = info.meeting_uuid
      ? await this.ctx.store.db.selectFrom('booking_meetings').selectAll().where('uuid', '=', info.meeting_uuid).executeTakeFirst()
      : undefined;
    const schedulingInfo = toSchedulingInfoDto(info, meeting, this.ctx.links);
    return { meeting: schedulingInfo.meetingDetails, schedulingInfo };
  }}

function schedulingInfoNotFound() {
  return vdxError(404, VdxCode.basic, 'scheduling_info_not_found', 'Resource: schedulingInfo in field: uuid not found.');
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
