/**
 * When the room joins and leaves by itself — a pure function of the schedule, the time and what
 * the room is doing, so every rule is testable without timers.
 *
 * Rules
 * 1. A meeting is *due* from `start − earlyJoinSeconds` until its `endTime`.
 * 2. Idle and something is due → join the due meeting that started earliest (ties: the one that
 *    ends first, then by id). A meeting the room is *excused* from (a person left it, the far end
 *    ended it, or joining failed {@link MAX_JOIN_ATTEMPTS} times) is not joined again by itself.
 * 3. **Overlaps: never two calls at once.** The call that is running keeps the room until it ends;
 *    a meeting that starts meanwhile waits. When the running meeting ends (at its `endTime` if
 *    `endMeetingOnEndTime`, else when people hang up), the next due meeting is joined — late, but
 *    joined. A manual or commanded join while in a call is refused (`busy`).
 * 4. In a scheduled call with `endMeetingOnEndTime` → leave at `endTime`. Without it the room stays
 *    until people leave (the UI shows that the meeting has run over).
 * 5. A failed join is retried after {@link JOIN_RETRY_SECONDS}, at most {@link MAX_JOIN_ATTEMPTS} times.
 */
import type { ScheduledMeeting } from '../schedule/room-schedule';
import { autoJoinAt } from '../schedule/room-schedule';

export const MAX_JOIN_ATTEMPTS = 3;
export const JOIN_RETRY_SECONDS = 20;

export interface CallPolicyInput {
  now: Date;
  meetings: readonly ScheduledMeeting[];
  earlyJoinSeconds: number;
  /** What the room is doing. `meetingId` null = an ad-hoc call (never ended by the schedule). */
  call: { phase: 'idle' } | { phase: 'joining' | 'in_call'; meetingId: string | null };
  /** Meetings the room will not join by itself again (rule 2). */
  excused: ReadonlySet<string>;
  /** Failed auto-join attempts per meeting, with the time of the last one (rule 5). */
  failures: ReadonlyMap<string, { count: number; lastAt: Date }>;
  /** Whether auto-join is on (kiosks: yes; desktops: by setting). */
  autoJoin: boolean;
}

export type CallDecision =
  | { action: 'none' }
  | { action: 'join'; meeting: ScheduledMeeting }
  | { action: 'leave'; meetingId: string };

/** The meetings due now (rule 1), in join order (rule 2). */
export function dueMeetings(input: Pick<CallPolicyInput, 'now' | 'meetings' | 'earlyJoinSeconds'>): ScheduledMeeting[] {
  const now = input.now.getTime();
  return input.meetings
    .filter((m) => autoJoinAt(m, input.earlyJoinSeconds).getTime() <= now && Date.parse(m.endTime) > now)
    .sort((a, b) => a.startTime.localeCompare(b.startTime) || a.endTime.localeCompare(b.endTime) || a.id.localeCompare(b.id));
}

export function decideCall(input: CallPolicyInput): CallDecision {
  const now = input.now.getTime();
  if (input.call.phase !== 'idle') {
    const { meetingId } = input.call;
    if (meetingId === null) return { action: 'none' };
    const current = input.meetings.find((m) => m.id === meetingId);
    if (current && current.endMeetingOnEndTime && Date.parse(current.endTime) <= now) {
      return { action: 'leave', meetingId };
    }
    return { action: 'none' };
  }
  if (!input.autoJoin) return { action: 'none' };
  for (const meeting of dueMeetings(input)) {
    if (input.excused.has(meeting.id)) continue;
    const failed = input.failures.get(meeting.id);
    if (failed) {
      if (failed.count >= MAX_JOIN_ATTEMPTS) continue;
      if (now - failed.lastAt.getTime() < JOIN_RETRY_SECONDS * 1000) return { action: 'none' };
    }
    return { action: 'join', meeting };
  }
  return { action: 'none' };
}
