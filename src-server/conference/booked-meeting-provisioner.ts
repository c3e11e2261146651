import { HEALTH_CHECK_PROJECT_CODE } from '../../src-shared/booking/health-check';
import { systemTimers, type Clock, type Timers } from '../../src-shared/platform/clock';
import type { DirectMediaPolicy } from '../../src-shared/conference/vmr.schema';
import type { DomainEventBus } from '../events/domain-events';
import type { RoomDefinition } from './conference-room';
import { EndReason, type ConferenceRegistry } from './conference-registry';

/**
 * The part of a scheduling info (VDX Booking API) the conference node needs to host the meeting.
 * Structurally a subset of the booking service's `SchedulingInfoDto`.
 */
export interface ProvisionableInfo {
  uuid: string;
  uriWithDomain: string;
  uriWithoutDomain: string;
  hostPin: number | string | null;
  guestPin: number | string | null;
  /** Minutes before the meeting's start the room opens. */
  vmrAvailableBefore: number;
  provisionStatus: string;
  directMedia: DirectMediaPolicy;
  maxParticipants: number | null;
  endMeetingOnEndTime: boolean;
  guestsCanPresent: boolean;
  muteAllGuests: boolean;
  meetingDetails: { subject: string; startTime: string; endTime: string; uuid?: string; projectCode?: string | null } | null;
  /** The booking's organisation (the call records file the meeting's calls under it). */
  organizationId?: string;
}


export type ProvisionStatusReport =
  | 'STARTING_TO_PROVISION'
  | 'PROVISION_PROBLEMS'
  | 'PROVISIONED_OK'
  | 'STARTING_TO_DEPROVISION'
  | 'DEPROVISION_PROBLEMS'
  | 'DEPROVISION_OK';

/** The booking service's provisioning queues, as an embedded provisioner uses them (in process). */
export interface ProvisioningSource {
  /** AWAITS_PROVISION infos whose room should exist now. */
  provisionQueue(): Promise<ProvisionableInfo[]>;
  /** PROVISIONED_OK infos whose meeting has ended. */
  deprovisionQueue(): Promise<ProvisionableInfo[]>;
  setProvisionStatus(
    uuid: string,
    report: { provisionStatus: ProvisionStatusReport; provisionVmrId?: string | null; provisionStatusDescription?: string | null },
  ): Promise<unknown>;
  /**
   * The report on an info taken from the provision queue, written only while it still
   * AWAITS_PROVISION (one of several racing provisioners wins). Answers the status it has now.
   */
  claimProvision(
    uuid: string,
    report: { provisionStatus: ProvisionStatusReport; provisionVmrId?: string | null; provisionStatusDescription?: string | null },
  ): Promise<{ claimed: boolean; provisionStatus: string | null }>;
  /** When the next waiting info falls due (null: none waits). */
  nextProvisionDue(): Promise<Date | null>;
  /** A booked meeting by address: to re-host a meeting this node forgot, or open a due one on demand. */
  bookedByUri?(uri: string): Promise<{ schedulingInfo: ProvisionableInfo } | undefined>;
}

/** The room of a booked meeting; `null` when its scheduling info has no meeting (pool info not yet used). */
export function bookedRoom(info: ProvisionableInfo): RoomDefinition | null {
  const meeting = info.meetingDetails;
  if (!meeting) return null;
  const start = new Date(meeting.startTime);
  const pin = (v: number | string | null) => (v === null || v === undefined ? null : String(v));
  return {
    id: `booked:${info.uuid}`,
    source: 'booked',
    aliases: [...new Set([info.uriWithDomain, info.uriWithoutDomain].filter(Boolean).map((a) => a.toLowerCase()))],
    name: meeting.subject,
    hostPin: pin(info.hostPin),
    guestPin: pin(info.guestPin),
    directMedia: info.directMedia,
    // 0 (the template default) or less is the booking API's "no limit".
    maxParticipants: info.maxParticipants !== null && info.maxParticipants > 0 ? info.maxParticipants : null,
    guestsCanPresent: info.guestsCanPresent,
    muteAllGuests: info.muteAllGuests,
    lockedByDefault: false,
    availableFrom: new Date(start.getTime() - info.vmrAvailableBefore * 60_000),
    endsAt: new Date(meeting.endTime),
    endMeetingOnEndTime: info.endMeetingOnEndTime,
    records: {
      meetingUuid: meeting.uuid ?? null,
      organisationCode: info.organizationId ?? null,
      excluded: meeting.projectCode === HEALTH_CHECK_PROJECT_CODE,
    },
  };
}

/**
 * The conference node as the booking service's embedded provisioner: takes scheduling infos from
 * the provision queue and makes their addresses live here (PROVISIONED_OK + provisionVmrId), and
 * removes them again from the deprovision queue (DEPROVISION_OK).
 *
 * A meeting opens when it falls due, not a poll later (decision 0012): a timer is armed for the
 * next due instant (from the events' due hints and from the queue itself after every pass), and a
 * join that arrives at a due meeting before any timer here has fired provisions it on demand
 * (`resolve`). The poll stays as the safety net. Several instances may race for one meeting; the
 * booking service lets one claim it, and every instance hosts it.
 */
export class BookedMeetingProvisioner {
  #poll: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #unsubscribe: (() => void) | null = null;
  /** The armed timer: the instant it fires at and how to cancel it. */
  #armed: { at: number; cancel: () => void } | null = null;
  #stopped = false;

  constructor(
    private readonly source: ProvisioningSource,
    private readonly registry: ConferenceRegistry,
    private readonly clock: Clock,
    private readonly log: { warn(obj: object, msg: string): void } = { warn: () => undefined },
    private readonly timers: Timers = systemTimers(clock),
  ) {}

  start(events: DomainEventBus, pollMs = 5_000): void {
    this.#unsubscribe = events.on('scheduling-info.changed', (e) => {
      // Why: a pass costs two queue queries, and under booking load one was always running
      // (decision 0007). A change that falls due later only needs the timer set for it; one due
      // now (or one without a hint) needs a pass.
      const due = e.provisionDueAt ? Date.parse(e.provisionDueAt) : NaN;
      if (e.provisionStatus === 'AWAITS_PROVISION' && due > this.clock.now().getTime()) return this.#armAt(due);
      void this.runOnce();
    });
    this.#poll = setInterval(() => void this.runOnce(), pollMs);
    this.#poll.unref();
    void this.runOnce();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    if (this.#poll) clearInterval(this.#poll);
    this.#poll = null;
    this.#armed?.cancel();
    this.#armed = null;
    await this.#running;
  }

  /** When the armed timer fires (null: none armed). */
  get nextWake(): Date | null {
    return this.#armed ? new Date(this.#armed.at) : null;
  }

  /** One pass over both queues, then the timer re-armed; concurrent calls coalesce into one more pass. */
  runOnce(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#pass();
        } while (this.#again);
      } catch (err) {
        this.log.warn({ err }, 'provisioning pass failed');
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  /** Resolves when no pass is running (tests await it after moving the clock). */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /**
   * Asked when someone dials an address this node does not know: re-hosts a PROVISIONED_OK meeting
   * (after a restart, or provisioned by another instance), and provisions a meeting that is due
   * but not yet provisioned, so a join at the opening instant never waits for a timer or a poll.
   */
  async resolve(alias: string): Promise<boolean> {
    const booked = await this.source.bookedByUri?.(alias).catch(() => undefined);
    const info = booked?.schedulingInfo;
    if (!info) return false;
    if (info.provisionStatus === 'AWAITS_PROVISION') return this.#isDue(info) && this.#provision(info);
    if (info.provisionStatus !== 'PROVISIONED_OK') return false;
    const room = bookedRoom(info);
    if (!room || this.#aliasConflict(room)) return false;
    this.registry.setRoom(room);
    return true;
  }

  #armAt(at: number): void {
    if (this.#stopped || (this.#armed && this.#armed.at <= at)) return;
    this.#armed?.cancel();
    const armed = {
      at,
      cancel: this.timers.at(new Date(at), () => {
        if (this.#armed === armed) this.#armed = null;
        void this.runOnce();
      }),
    };
    this.#armed = armed;
  }

  async #pass(): Promise<void> {
    for (const info of await this.source.provisionQueue()) await this.#provision(info);
    for (const info of await this.source.deprovisionQueue()) await this.#deprovision(info);
    // After a pass the armed instant may belong to a meeting since moved or cancelled: arm for the
    // queue's own next due instant instead — unless an event armed a timer while we asked.
    const armedBefore = this.#armed;
    const next = await this.source.nextProvisionDue();
    if (this.#armed === armedBefore) {
      this.#armed?.cancel();
      this.#armed = null;
    }
    if (next) this.#armAt(next.getTime());
  }

  #aliasConflict(room: RoomDefinition): string | undefined {
    return room.aliases.find((a) => {
      const owner = this.registry.roomIdOf(a);
      return owner !== undefined && owner !== room.id;
    });
  }

  /** Whether a dialled, still waiting meeting may open now (the queue asks the same of its infos). */
  #isDue(info: ProvisionableInfo): boolean {
    const room = bookedRoom(info);
    const now = this.clock.now().getTime();
    return !!room && (room.availableFrom?.getTime() ?? 0) <= now && (room.endsAt?.getTime() ?? Infinity) > now;
  }

  /** Claims a due info and hosts its room here; true when the room is live on this node. */
  async #provision(info: ProvisionableInfo): Promise<boolean> {
    const room = bookedRoom(info);
    if (!room) return false; // a pool info without a meeting: provisioned when a meeting takes it
    const clash = this.#aliasConflict(room);
    if (clash) {
      await this.source.claimProvision(info.uuid, {
        provisionStatus: 'PROVISION_PROBLEMS',
        provisionStatusDescription: `Address ${clash} is already in use on this conference node`,
      });
      return false;
    }
    const { claimed, provisionStatus } = await this.source.claimProvision(info.uuid, {
      provisionStatus: 'PROVISIONED_OK',
      provisionVmrId: room.id,
      provisionStatusDescription: `Live on the embedded conference node from ${room.availableFrom?.toISOString()}`,
    });
    // Claimed by another instance (or by this one's timer meanwhile): host it here too.
    if (!claimed && provisionStatus !== 'PROVISIONED_OK') return false;
    this.registry.setRoom(room);
    return true;
  }
  async #deprovision(info: ProvisionableInfo): Promise<void> {
    const roomId = `booked:${info.uuid}`;
    const live = this.registry.live(info.uriWithDomain) ?? this.registry.live(info.uriWithoutDomain);
    const room = this.registry.room(roomId);
    // A meeting allowed to run over its end time is deprovisioned once everyone has left.
    if (live && room && !room.endMeetingOnEndTime && live.participants.size > 0) return;
    await this.registry.removeRoom(roomId, EndReason.byAdministrator);
    await this.source.setProvisionStatus(info.uuid, {
      provisionStatus: 'DEPROVISION_OK',
      provisionVmrId: roomId,
      provisionStatusDescription: `Removed from the embedded conference node at ${this.clock.now().toISOString()}`,
    });
  }
}
