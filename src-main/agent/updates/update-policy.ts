/**
 * When a downloaded update may be installed — a pure function, because "an update interrupted my
 * meeting" is the complaint room fleets hear most (docs DEVICE-FLEET.md).
 *
 * Install only when all hold:
 * 1. an update is downloaded;
 * 2. the room is idle (not joining, not in a call);
 * 3. now is inside the room's maintenance window (weekly slots in the window's time zone; a slot
 *    whose end is not after its start runs past midnight into the next day);
 * 4. no meeting is running, or starts within {@link MEETING_GUARD_MINUTES} minutes (counting its
 *    early-join lead).
 * `check_update` forces a *check* (download) at once; it does not bypass these rules — the install
 * still waits for them, so IT can never interrupt a meeting by accident.
 */
import type { MaintenanceWindow, Weekday } from '../../../src-shared/devices/common.schema';
import type { ScheduledMeeting } from '../schedule/room-schedule';

export const MEETING_GUARD_MINUTES = 15;

export type InstallDecision =
  | { install: true }
  | { install: false; reason: 'nothing_downloaded' | 'in_call' | 'outside_maintenance_window' | 'meeting_soon' };

export interface UpdatePolicyInput {
  now: Date;
  downloadedVersion: string | null;
  callPhase: 'idle' | 'joining' | 'in_call';
  maintenanceWindow: MaintenanceWindow;
  meetings: readonly ScheduledMeeting[];
  earlyJoinSeconds: number;
}

const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Weekday and minutes since midnight of `at` in `timeZone`. */
function localTime(at: Date, timeZone: string): { day: Weekday; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = get('weekday').slice(0, 3).toLowerCase() as Weekday;
  return { day, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function insideMaintenanceWindow(now: Date, window: MaintenanceWindow): boolean {
  const { day, minutes } = localTime(now, window.timeZone);
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7]!;
  for (const slot of window.slots) {
    const start = toMinutes(slot.start);
    const end = toMinutes(slot.end);
    if (end > start) {
      if (slot.days.includes(day) && minutes >= start && minutes < end) return true;
    } else {
      // Runs past midnight: the evening part belongs to the listed day, the morning part to the next.
      if (slot.days.includes(day) && minutes >= start) return true;
      if (slot.days.includes(yesterday) && minutes < end) return true;
    }
  }
  return false;
}

export function decideInstall(input: UpdatePolicyInput): InstallDecision {
  if (!input.downloadedVersion) return { install: false, reason: 'nothing_downloaded' };
  if (input.callPhase !== 'idle') return { install: false, reason: 'in_call' };
  if (!insideMaintenanceWindow(input.now, input.maintenanceWindow)) {
    return { install: false, reason: 'outside_maintenance_window' };
  }
  const now = input.now.getTime();
  const guardUntil = now + MEETING_GUARD_MINUTES * 60_000;
  const busy = input.meetings.some((m) => {
    const start = Date.parse(m.startTime) - input.earlyJoinSeconds * 1000;
    return start < guardUntil && Date.parse(m.endTime) > now;
  });
  if (busy) return { install: false, reason: 'meeting_soon' };
  return { install: true };
}
