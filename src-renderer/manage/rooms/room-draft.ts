import { DEFAULT_MAINTENANCE_WINDOW, type MaintenanceWindow, type UpdateChannel, type Weekday } from '../../../src-shared/devices/common.schema';
import type { Room, RoomCreate } from '../../../src-shared/devices/rooms.schema';

/** One weekly maintenance slot as the form edits it. */
export interface SlotDraft {
  days: Weekday[];
  start: string;
  end: string;
}

/** A room as its form edits it: every field a string or a flag, as the inputs hold them. */
export interface RoomDraft {
  name: string;
  location: string;
  themeId: string;
  fixedVmrAlias: string;
  updateChannel: UpdateChannel;
  showSubjects: boolean;
  timeZone: string;
  slots: SlotDraft[];
}

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A new room's form: the server's defaults (nightly 02:00–05:00 Copenhagen time, stable channel). */
export function emptyRoomDraft(): RoomDraft {
  return {
    name: '',
    location: '',
    themeId: '',
    fixedVmrAlias: '',
    updateChannel: 'stable',
    showSubjects: true,
    timeZone: DEFAULT_MAINTENANCE_WINDOW.timeZone,
    slots: DEFAULT_MAINTENANCE_WINDOW.slots.map((s) => ({ ...s, days: [...s.days] })),
  };
}

export function draftOfRoom(room: Room): RoomDraft {
  return {
    name: room.name,
    location: room.location ?? '',
    themeId: room.themeId ?? '',
    fixedVmrAlias: room.fixedVmrAlias ?? '',
    updateChannel: room.updateChannel,
    showSubjects: room.showSubjects,
    timeZone: room.maintenanceWindow.timeZone,
    slots: room.maintenanceWindow.slots.map((s) => ({ ...s, days: [...s.days] })),
  };
}

/** What is wrong with a draft, per field (`slot.{i}` for a maintenance slot); empty when it can be sent. */
export type DraftProblems = Partial<Record<'name' | 'fixedVmrAlias' | `slot.${number}`, 'required' | 'noDays' | 'time' | 'alias'>>;

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A SIP-style alias, e.g. `afd-12@vdx.dk`: what the room app can dial. */
const ALIAS = /^[^\s@]+@[^\s@]+$/;

export function draftProblems(draft: RoomDraft): DraftProblems {
  const problems: DraftProblems = {};
  if (!draft.name.trim()) problems.name = 'required';
  const alias = draft.fixedVmrAlias.trim();
  if (alias && !ALIAS.test(alias)) problems.fixedVmrAlias = 'alias';
  draft.slots.forEach((slot, i) => {
    if (slot.days.length === 0) problems[`slot.${i}`] = 'noDays';
    else if (!HH_MM.test(slot.start) || !HH_MM.test(slot.end)) problems[`slot.${i}`] = 'time';
  });
  return problems;
}

/** The request body for a draft (create and update take the same fields; empty texts become null). */
export function roomBody(draft: RoomDraft): Omit<RoomCreate, 'organisationCode'> & { maintenanceWindow: MaintenanceWindow } {
  const orNull = (s: string) => (s.trim() ? s.trim() : null);
  return {
    name: draft.name.trim(),
    location: orNull(draft.location),
    themeId: orNull(draft.themeId),
    fixedVmrAlias: orNull(draft.fixedVmrAlias),
    updateChannel: draft.updateChannel,
    showSubjects: draft.showSubjects,
    // Days in week order, so the stored window reads the same however they were ticked.
    maintenanceWindow: {
      timeZone: draft.timeZone,
      slots: draft.slots.map((s) => ({ days: WEEKDAYS.filter((d) => s.days.includes(d)), start: s.start, end: s.end })),
    },
  };
}
