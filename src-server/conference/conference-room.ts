import type { DirectMediaPolicy } from '../../src-shared/conference/vmr.schema';

/**
 * What the conference node needs to know about a room, whichever way it came to exist
 * (a fixed VMR from management, or a booked meeting made live by the provisioner).
 */
export interface RoomDefinition {
  /** Stable id: `vmr:<alias>` or `booked:<schedulingInfoUuid>`. */
  id: string;
  source: 'vmr' | 'booked';
  /** Every alias the room answers to, lower-cased (a booked meeting has `uriWithDomain` and `uriWithoutDomain`). */
  aliases: string[];
  name: string;
  /** Null: no host PIN (then everyone without a guest PIN joins as host). */
  hostPin: string | null;
  guestPin: string | null;
  directMedia: DirectMediaPolicy;
  maxParticipants: number | null;
  guestsCanPresent: boolean;
  muteAllGuests: boolean;
  lockedByDefault: boolean;
  /** Joins are accepted from this instant (null: always). */
  availableFrom: Date | null;
  /** Joins are refused from this instant (null: never ends). */
  endsAt: Date | null;
  /** At `endsAt`, everyone still in the conference is disconnected. */
  endMeetingOnEndTime: boolean;
  /** What the call records file a booked meeting's calls under (absent: a fixed VMR of the node's own). */
  records?: {
    meetingUuid: string | null;
    organisationCode: string | null;
    /** MedCom's health-check test meetings: recorded, never counted. */
    excluded: boolean;
  };
}

export function isRoomOpen(room: RoomDefinition, now: Date): boolean {
  const t = now.getTime();
  if (room.availableFrom && t < room.availableFrom.getTime()) return false;
  if (room.endsAt && t >= room.endsAt.getTime()) return false;
  return true;
}
