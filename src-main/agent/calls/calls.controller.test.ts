import { describe, expect, it } from 'vitest';
import type { CallSummary } from '../../../src-shared/devices/heartbeat.schema';
import type { AgentState, CallCommand, RoomInfo } from '../../../src-shared/ipc/room-bridge.contract';
import type { OutboxItem } from '../health/outbox';
import type { ShellControl } from '../platform/platform';
import type { ScheduledMeeting } from '../schedule/room-schedule';
import { controllerContext } from '../test-support/controller-context';
import { CallsController, JOIN_TIMEOUT_SECONDS, LEAVE_TIMEOUT_SECONDS } from './calls.controller';

const room: RoomInfo = {
  deviceId: 'd1', roomId: 'r1', roomName: 'Mødelokale 3', organisation: null, theme: null, showSubjects: true, locale: 'da', conferenceBaseUrl: 'https://node.test',
};
const meeting: ScheduledMeeting = {
  id: 'm1', subject: 'Tavlemøde', startTime: '2026-03-02T10:00:00Z', endTime: '2026-03-02T11:00:00Z', alias: 'm1@vdx.test', pin: '1234',
  role: 'host', conferenceBaseUrl: 'https://node-2.test', endMeetingOnEndTime: true,
};

function setup(meetings: ScheduledMeeting[] = [meeting]) {
  const ctx = controllerContext('2026-03-02T09:59:00Z');
  const shellCalls: string[] = [];
  const reports: OutboxItem[] = [];
  let heartbeatsAsked = 0;
  const shell = { setCallActive: (a: boolean) => shellCalls.push(`callActive:${a}`) } as unknown as ShellControl;
  const calls = new CallsController(ctx, {
    shell, earlyJoinSeconds: 0, autoJoin: true, meetings: () => meetings,
    requireRoom: () => room, room: () => room,
    health: { heartbeatNow: () => void heartbeatsAsked++, report: (item) => void reports.push(item) },
  });
  const commands = () => ctx.of<CallCommand>('call:command');
  const states = () => ctx.of<AgentState>('provisioning:changed').map((s) => s.kind);
  const tickAt = async (iso: string) => {
    ctx.clock.set(iso);
    await calls.tick(ctx.clock.now());
  };
  return { ctx, calls, shellCalls, reports, commands, states, tickAt, heartbeats: () => heartbeatsAsked };
}

describe('calls: joining', () => {
  it('joins a meeting at its start with its PIN and node in the join command, never in the state the UI draws', async () => {
    const s = setup();
    await s.tickAt('2026-03-02T09:59:59Z');
    expect(s.commands()).toEqual([]);
    await s.tickAt('2026-03-02T10:00:00Z');
    expect(s.commands()).toEqual([
      { action: 'join', meetingId: 'm1', alias: 'm1@vdx.test', pin: '1234', conferenceBaseUrl: 'https://node-2.test', displayName: 'Mødelokale 3', reason: 'schedule', endTime: '2026-03-02T11:00:00Z' },
    ]);
    expect(s.ctx.state.current).toMatchObject({ kind: 'joining', call: { meetingId: 'm1', reason: 'schedule' } });
    expect(JSON.stringify(s.ctx.state.current)).not.toContain('1234');
    expect(s.calls.replay()).toMatchObject({ action: 'join', pin: '1234' });
  });

  it('gives up on a join the UI never connects: leave command, a counted failure, back to ready', async () => {
    const s = setup();
    await s.tickAt('2026-03-02T10:00:00Z');
    s.ctx.clock.advance(JOIN_TIMEOUT_SECONDS * 1000);
    await s.calls.tick(s.ctx.clock.now());
    expect(s.ctx.state.current.kind).toBe('joining'); // not yet: the limit itself is allowed
    s.ctx.clock.advance(1000);
    await s.calls.tick(s.ctx.clock.now());
    // The same tick retries (rule 5 of the call policy) only after the retry pause.
    expect(s.commands().map((c) => c.action)).toEqual(['join', 'leave']);
    expect(s.states().slice(-1)).toEqual(['ready']);
    expect(s.shellCalls).toEqual(['callActive:false']);
  });

  it('closes a call whose leave the UI never confirms after the leave timeout', async () => {
    const s = setup();
    await s.tickAt('2026-03-02T10:00:00Z');
    await s.calls.handlers['call:connected']({ alias: 'm1@vdx.test' });
    expect(s.ctx.state.current.kind).toBe('in_call');
    expect(s.heartbeats()).toBe(1);
    await s.calls.handlers['call:leave']();
    await s.tickAt('2026-03-02T10:00:' + String(LEAVE_TIMEOUT_SECONDS).padStart(2, '0') + 'Z');
    expect(s.ctx.state.current.kind).toBe('in_call');
    s.ctx.clock.advance(1000);
    await s.calls.tick(s.ctx.clock.now());
    expect(s.ctx.state.current.kind).toBe('ready');
    // A person left: the room does not rejoin by itself.
    s.ctx.clock.advance(60_000);
    await s.calls.tick(s.ctx.clock.now());
    expect(s.commands().filter((c) => c.action === 'join')).toHaveLength(1);
  });

  it('refuses a second call while one runs (busy), and acts only on the call it runs (not_in_call)', async () => {
    const s = setup();
    await s.tickAt('2026-03-02T10:00:00Z');
    await expect(s.calls.handlers['call:join']({ alias: 'other@vdx.test' })).rejects.toMatchObject({ code: 'busy' });
    await expect(s.calls.handlers['call:connected']({ alias: 'other@vdx.test' })).rejects.toMatchObject({ code: 'not_in_call' });
    await expect(s.calls.handlers['call:join']({ meetingId: 'nope' })).rejects.toMatchObject({ code: 'meeting_not_found' });
  });

});

describe('calls: ending', () => {
  it('reports a summary when the call ends and counts an errored end as a failed attempt', async () => {
    const s = setup();
    await s.tickAt('2026-03-02T10:00:00Z');
    await s.calls.handlers['call:connected']({ alias: 'm1@vdx.test' });
    await s.calls.handlers['call:ended']({
      summary: {
        alias: 'm1@vdx.test', meetingId: 'm1', startedAt: '2026-03-02T10:00:00Z', endedAt: '2026-03-02T10:30:00Z', endReason: 'error',
        avgPacketLossPercent: 0.5, avgJitterMs: 3, avgBitrateKbps: 900, avgFrameRate: 25, freezeCount: 1, freezeSeconds: 2, maxParticipants: 2,
      },
    });
    const summary = s.reports[0] as { kind: 'call_summary'; body: CallSummary };
    expect(summary).toMatchObject({ kind: 'call_summary', body: { alias: 'm1@vdx.test', meetingUuid: 'm1', durationSeconds: 1800, endReason: 'error' } });
    expect(s.ctx.state.current.kind).toBe('ready');
    // An errored end is a failure, not a person leaving: the room tries again after the pause.
    await s.tickAt('2026-03-02T10:31:00Z');
    expect(s.commands().filter((c) => c.action === 'join')).toHaveLength(2);
  });

  it('leaves on a command and then stays out; says so when there is nothing to leave', async () => {
    const s = setup();
    expect(s.calls.leaveForCommand()).toBe(false);
    await s.calls.joinForCommand('m1@vdx.test', '9999');
    expect(s.commands()[0]).toMatchObject({ action: 'join', reason: 'command', pin: '9999', meetingId: 'm1' });
    expect(s.calls.leaveForCommand()).toBe(true);
    expect(s.commands()[1]).toEqual({ action: 'leave', reason: 'command' });
  });
});
