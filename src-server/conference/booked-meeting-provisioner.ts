import type { Clock } from '../../src-shared/platform/clock';
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
  meetingDetails: { subject: string; startTime: string; endTime: string } | null;
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
  /** A booked meeting by address, to re-host a PROVISIONED_OK meeting after a restart. */
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
    maxParticipants: info.maxParticipants ?? null,
    guestsCanPresent: info.guestsCanPresent,
    muteAllGuests: info.muteAllGuests,
    lockedByDefault: false,
    availableFrom: new Date(start.getTime() - info.vmrAvailableBefore * 60_000),
    endsAt: new Date(meeting.endTime),
    endMeetingOnEndTime: info.endMeetingOnEndTime,
  };
}

/**
 * The conference node as the booking service's embedded provisioner: takes scheduling infos from
 * the provision queue and makes their addresses live here (PROVISIONED_OK + provisionVmrId), and
 * removes them again from the deprovision queue (DEPROVISION_OK). Polls, and reacts at once to
 * `scheduling-info.changed`.
 */
export class BookedMeetingProvisioner {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #unsubscribe: (() => void) | null = null;

  constructor(
    private readonly source: ProvisioningSource,
    private readonly registry: ConferenceRegistry,
    private readonly clock: Clock,
    private readonly log: { warn(obj: object, msg: string): void } = { warn: () => undefined },
  ) {}

  start(events: DomainEventBus, pollMs = 5_000): void {
    this.#unsubscribe = events.on('scheduling-info.changed', (e) => {
      // Why: a pass costs two queue queries, and under booking load one was always running. A
      // freshly booked meeting that opens later is not in either queue yet (AWAITS_PROVISION is
      // never in the deprovision queue), so only a due change needs a pass now; the poll below
      // picks up the rest when they fall due, as it does for any meeting without an event.
      if (e.provisionStatus === 'AWAITS_PROVISION' && e.provisionDueAt && Date.parse(e.provisionDueAt) > this.clock.now().getTime()) return;
      void this.runOnce();
    });
    this.#timer = setInterval(() => void this.runOnce(), pollMs);
    this.#timer.unref();
    void this.runOnce();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** One pass over both queues; concurrent calls coalesce into one more pass. */
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

  /** Re-hosts a PROVISIONED_OK meeting this node forgot (restart) when someone dials its address. */
  async resolve(alias: string): Promise<boolean> {
    const booked = await this.source.bookedByUri?.(alias).catch(() => undefined);
    const info = booked?.schedulingInfo;
    if (!info || info.provisionStatus !== 'PROVISIONED_OK') return false;
    const room = bookedRoom(info);
    if (!room || this.#aliasConflict(room)) return false;
    this.registry.setRoom(room);
    return true;
  }

  async #pass(): Promise<void> {
    for (const info of await this.source.provisionQueue()) await this.#provision(info);
    for (const info of await this.source.deprovisionQueue()) await this.#deprovision(info);
  }

  #aliasConflict(room: RoomDefinition): string | undefined {
    return room.aliases.find((a) => {
      const owner = this.registry.roomIdOf(a);
      return owner !== undefined && owner !== room.id;
    });
  }

  async #provision(info: ProvisionableInfo): Promise<void> {
    const room = bookedRoom(info);
    if (!room) return; // a pool info without a meeting: provisioned when a meeting takes it
    const clash = this.#aliasConflict(room);
    if (clash) {
      await this.source.setProvisionStatus(info.uuid, {
        provisionStatus: 'PROVISION_PROBLEMS',
        provisionStatusDescription: `Address ${clash} is already in use on this conference node`,
      });
      return;
    }
    this.registry.setRoom(room);
    await this.source.setProvisionStatus(info.uuid, {
      provisionStatus: 'PROVISIONED_OK',
      provisionVmrId: room.id,
      provisionStatusDescription: `Live on the embedded conference node from ${room.availableFrom?.toISOString()}`,
    });
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
