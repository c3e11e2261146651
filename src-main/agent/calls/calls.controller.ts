/**
 * Calls: the joining → in-call machine. The agent decides (schedule, a person, a command, a link),
 * the room UI connects; this controller keeps the running call with its PIN and conference node,
 * the meetings the room is excused from, the failed attempts per meeting, and the timeouts that
 * keep a renderer that never answers from wedging the room. The rules are in `call-policy.ts`.
 */
import { randomBytes } from 'node:crypto';
import type { CallSummary as ServerCallSummary, Heartbeat } from '../../../src-shared/devices/heartbeat.schema';
import type { CallCommand, CallInfo, CallQuality, RoomInfo } from '../../../src-shared/ipc/room-bridge.contract';
import { AgentError, OK, type BridgeHandlers } from '../bridge/agent-handlers';
import type { ShellControl } from '../platform/platform';
import type { AgentContext } from '../runtime/agent-context';
import type { ScheduledMeeting } from '../schedule/room-schedule';
import type { HealthController } from '../health/health.controller';
import { decideCall } from './call-policy';

/** How long the renderer has to connect a call before we give up. */
export const JOIN_TIMEOUT_SECONDS = 60;
/** How long after `call:command leave` we wait for `call:ended` before forcing the state. */
export const LEAVE_TIMEOUT_SECONDS = 15;

export type CallPhase = 'idle' | 'joining' | 'in_call';
type LeaveReason = Extract<CallCommand, { action: 'leave' }>['reason'];

interface ActiveCall {
  phase: 'joining' | 'in_call';
  info: CallInfo;
  since: Date;
  callId: string;
  quality: CallQuality | null;
  leaveRequestedAt: Date | null;
  /** Only for the join command: the PIN and node never go into the state the UI and logs see. */
  pin: string | null;
  conferenceBaseUrl: string;
}

/** A call to start: what it is, its PIN and the conference node to dial. */
export interface CallTarget {
  info: CallInfo;
  pin: string | null;
  conferenceBaseUrl: string;
}

export interface CallsOptions {
  shell: ShellControl;
  requireRoom(): RoomInfo;
  room(): RoomInfo | null;
  meetings(): readonly ScheduledMeeting[];
  earlyJoinSeconds: number;
  autoJoin: boolean;
  /** `heartbeatNow`: management sees the change now, not at the next interval; `report`: the call summary. */
  health: Pick<HealthController, 'heartbeatNow' | 'report'>;
}

export class CallsController {
  #call: ActiveCall | null = null;
  readonly #excused = new Set<string>();
  readonly #failures = new Map<string, { count: number; lastAt: Date }>();

  constructor(
    private readonly ctx: AgentContext,
    private readonly o: CallsOptions,
  ) {}

  get phase(): CallPhase {
    return this.#call?.phase ?? 'idle';
  }

  readonly handlers = {
    'call:join': async (request) => {
      this.o.requireRoom();
      if ('meetingId' in request) {
        const meeting = this.o.meetings().find((m) => m.id === request.meetingId);
        if (!meeting || Date.parse(meeting.endTime) <= this.ctx.clock.now().getTime()) {
          throw new AgentError('meeting_not_found', 'Mødet findes ikke (længere) på dagsordenen.');
        }
        this.#excused.delete(meeting.id);
        return this.#join(meetingCall(meeting, 'manual'));
      }
      return this.#join(this.#adHocCall(request.alias, request.pin ?? null, 'manual'));
    },
    'call:connected': async (request) => {
      const call = this.#callTo(request.alias, 'Intet opkald til den adresse.');
      if (call.phase === 'joining') {
        call.phase = 'in_call';
        call.since = this.ctx.clock.now();
        if (call.info.meetingId) this.#failures.delete(call.info.meetingId);
        this.o.shell.setCallActive(true);
        this.ctx.log.info('in call', { alias: call.info.alias, meetingId: call.info.meetingId, reason: call.info.reason });
        this.#publish();
        this.o.health.heartbeatNow();
      }
      return OK;
    },
    'call:failed': async (request) => {
      const call = this.#callTo(request.alias, 'Intet opkald til den adresse.');
      this.ctx.log.warn('joining failed', { alias: request.alias, code: request.error.code, error: request.error.message });
      this.#recordFailure(call.info.meetingId);
      this.#end();
      return OK;
    },
    'call:leave': async () => {
      if (!this.#call) throw new AgentError('not_in_call', 'Der er intet opkald at forlade.');
      this.requestLeave('manual');
      return OK;
    },
    'call:report-stats': async (request) => {
      if (this.#call) this.#call.quality = request.quality;
      return OK;
    },
    'call:ended': async (request) => {
      const call = this.#call;
      const s = request.summary;
      const meetingId = s.meetingId ?? call?.info.meetingId ?? null;
      if (meetingId) {
        if (s.endReason === 'error') this.#recordFailure(meetingId);
        else this.#excused.add(meetingId);
      }
      const summary: ServerCallSummary = {
        callId: call?.callId ?? randomBytes(12).toString('base64url'),
        alias: s.alias,
        ...(meetingId ? { meetingUuid: meetingId } : {}),
        startedAt: s.startedAt,
        endedAt: s.endedAt,
        durationSeconds: Math.max(0, (Date.parse(s.endedAt) - Date.parse(s.startedAt)) / 1000),
        averages: {
          packetLossPercent: s.avgPacketLossPercent,
          jitterMs: s.avgJitterMs,
          bitrateKbps: s.avgBitrateKbps,
          frameRate: s.avgFrameRate ?? 0,
        },
        freezes: { count: s.freezeCount, totalSeconds: s.freezeSeconds },
        endReason: s.endReason,
      };
      this.o.health.report({ kind: 'call_summary', body: summary });
      this.ctx.log.info('call ended', { alias: s.alias, meetingId, reason: s.endReason, seconds: summary.durationSeconds });
      if (call) this.#end();
      this.o.health.heartbeatNow();
      return OK;
    },
  } satisfies Pick<BridgeHandlers, 'call:join' | 'call:connected' | 'call:failed' | 'call:leave' | 'call:report-stats' | 'call:ended'>;

  /**
   * Timeouts first (a renderer that never connects, or never confirms a leave, must not wedge the
   * room), then the policy: join what is due, leave what has ended.
   */
  async tick(now: Date): Promise<void> {
    const t = now.getTime();
    const call = this.#call;
    if (call?.phase === 'joining' && t - call.since.getTime() > JOIN_TIMEOUT_SECONDS * 1000) {
      this.ctx.log.warn('the room UI did not connect the call in time', { alias: call.info.alias, code: 'join_timeout' });
      this.#recordFailure(call.info.meetingId);
      this.ctx.events.emit('call:command', { action: 'leave', reason: 'command' });
      this.#end();
    } else if (call?.leaveRequestedAt && t - call.leaveRequestedAt.getTime() > LEAVE_TIMEOUT_SECONDS * 1000) {
      this.ctx.log.warn('no call summary after leaving; closing the call', { code: 'leave_timeout' });
      this.#end();
    }

    const decision = decideCall({
      now,
      meetings: this.o.meetings(),
      earlyJoinSeconds: this.o.earlyJoinSeconds,
      call: this.#call ? { phase: this.#call.phase, meetingId: this.#call.info.meetingId } : { phase: 'idle' },
      excused: this.#excused,
      failures: this.#failures,
      autoJoin: this.o.autoJoin,
    });
    if (decision.action === 'join') await this.#join(meetingCall(decision.meeting, 'schedule'));
    else if (decision.action === 'leave' && !this.#call?.leaveRequestedAt) this.requestLeave('schedule_end');
  }

  /** `join_meeting` command: the scheduled meeting with that alias (its PIN unless one is given), else ad hoc. */
  async joinForCommand(alias: string, pin: string | undefined): Promise<void> {
    const meeting = this.o.meetings().find((m) => m.alias === alias);
    const target = meeting ? { ...meetingCall(meeting, 'command'), ...(pin ? { pin } : {}) } : this.#adHocCall(alias, pin ?? null, 'command');
    if (meeting) this.#excused.delete(meeting.id);
    await this.#join(target);
  }

  /** `leave_meeting` command: false when there is no call. The room does not rejoin by itself. */
  leaveForCommand(): boolean {
    if (!this.#call) return false;
    if (this.#call.info.meetingId) this.#excused.add(this.#call.info.meetingId);
    this.requestLeave('command');
    return true;
  }

  /** A desktop's own join (staff: a meeting as its host, with the host PIN). */
  joinTarget(target: CallTarget): Promise<CallCommand> {
    return this.#join(target);
  }

  /** A `vdxroom://join` link. */
  async joinLink(alias: string, pin: string | null): Promise<void> {
    await this.#join(this.#adHocCall(alias, pin, 'link'));
  }

  requestLeave(reason: LeaveReason): void {
    const call = this.#call;
    if (!call) return;
    if (reason === 'manual' && call.info.meetingId) this.#excused.add(call.info.meetingId);
    call.leaveRequestedAt = this.ctx.clock.now();
    this.ctx.log.info('leaving', { alias: call.info.alias, reason });
    this.ctx.events.emit('call:command', { action: 'leave', reason });
  }

  /** The UI went away (renderer crash, page closed): a call it was running is over. */
  rendererGone(): void {
    if (!this.#call) return;
    this.ctx.log.warn('the room UI went away during a call', { alias: this.#call.info.alias, code: 'renderer_gone' });
    this.#recordFailure(this.#call.info.meetingId);
    this.#end();
  }

  /** The enrolment is going away: forget the call without a state change (deprovisioning sets it). */
  drop(): void {
    this.#call = null;
    this.o.shell.setCallActive(false);
  }

  /** A UI that reloads mid-join must still join. */
  replay(): CallCommand | null {
    return this.#call?.phase === 'joining' && !this.#call.leaveRequestedAt ? this.#joinCommand(this.#call) : null;
  }

  /** What the heartbeat says about the call. */
  heartbeatView(): Pick<Heartbeat, 'callState' | 'callQuality'> {
    const call = this.#call;
    if (call?.phase !== 'in_call') return { callState: { state: 'idle' }, callQuality: null };
    const q = call.quality;
    return {
      callState: { state: 'in_call', alias: call.info.alias, since: call.since.toISOString(), ...(call.info.meetingId ? { meetingUuid: call.info.meetingId } : {}) },
      callQuality: q
        ? {
            packetLossPercent: q.packetLossPercent,
            jitterMs: q.jitterMs,
            bitrateKbps: q.bitrateKbps + (q.sendBitrateKbps ?? 0),
            resolution: q.width !== null && q.height !== null ? { width: q.width, height: q.height } : null,
            frameRate: q.frameRate ?? 0,
            ...(q.roundTripMs !== null ? { roundTripMs: q.roundTripMs } : {}),
          }
        : null,
    };
  }

  #callTo(alias: string, message: string): ActiveCall {
    const call = this.#call;
    if (!call || call.info.alias !== alias) throw new AgentError('not_in_call', message);
    return call;
  }

  #adHocCall(alias: string, pin: string | null, reason: CallInfo['reason']): CallTarget {
    const room = this.o.requireRoom();
    return { info: { meetingId: null, alias, reason, endTime: null }, pin, conferenceBaseUrl: room.conferenceBaseUrl };
  }

  #joinCommand(call: ActiveCall): CallCommand {
    const room = this.o.requireRoom();
    return {
      action: 'join',
      meetingId: call.info.meetingId,
      alias: call.info.alias,
      pin: call.pin,
      conferenceBaseUrl: call.conferenceBaseUrl,
      displayName: room.roomName,
      reason: call.info.reason,
      endTime: call.info.endTime,
    };
  }

  async #join(target: CallTarget): Promise<CallCommand> {
    this.o.requireRoom();
    if (this.#call) throw new AgentError('busy', 'Rummet er allerede i et opkald.');
    const call: ActiveCall = {
      phase: 'joining',
      info: target.info,
      since: this.ctx.clock.now(),
      callId: randomBytes(12).toString('base64url'),
      quality: null,
      leaveRequestedAt: null,
      pin: target.pin,
      conferenceBaseUrl: target.conferenceBaseUrl,
    };
    this.#call = call;
    this.ctx.log.info('joining', { alias: target.info.alias, meetingId: target.info.meetingId, reason: target.info.reason });
    this.#publish();
    const command = this.#joinCommand(call);
    this.ctx.events.emit('call:command', command);
    return command;
  }

  #recordFailure(meetingId: string | null): void {
    if (!meetingId) return;
    const prev = this.#failures.get(meetingId);
    this.#failures.set(meetingId, { count: (prev?.count ?? 0) + 1, lastAt: this.ctx.clock.now() });
  }

  #end(): void {
    this.#call = null;
    this.o.shell.setCallActive(false);
    this.#publish();
  }

  /** The call (or its absence) into the agent state; without a room there is nothing to show. */
  #publish(): void {
    const call = this.#call;
    const room = this.o.room();
    if (!room) return;
    if (!call) this.ctx.state.set({ kind: 'ready', room });
    else this.ctx.state.set({ kind: call.phase, room, call: call.info, since: call.since.toISOString() });
  }
}

function meetingCall(meeting: ScheduledMeeting, reason: CallInfo['reason']): CallTarget {
  return {
    info: { meetingId: meeting.id, alias: meeting.alias, reason, endTime: meeting.endTime },
    pin: meeting.pin,
    conferenceBaseUrl: meeting.conferenceBaseUrl,
  };
}
