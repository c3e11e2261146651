import { describe, expect, it } from 'vitest';
import type { ScheduledMeeting } from '../schedule/room-schedule';
import { decideCall, MAX_JOIN_ATTEMPTS, type CallPolicyInput } from './call-policy';

const m = (id: string, start: string, end: string, endMeetingOnEndTime = true): ScheduledMeeting => ({
  id, subject: null, startTime: `2026-03-02T${start}:00.000Z`, endTime: `2026-03-02T${end}:00.000Z`, alias: `${id}@vdx`,
  pin: null, role: 'host', conferenceBaseUrl: 'http://x', endMeetingOnEndTime,
});
const input = (now: string, meetings: ScheduledMeeting[], extra: Partial<CallPolicyInput> = {}): CallPolicyInput => ({
  now: new Date(`2026-03-02T${now}:00.000Z`), meetings, earlyJoinSeconds: 0, call: { phase: 'idle' },
  excused: new Set(), failures: new Map(), autoJoin: true, ...extra,
});

describe('call policy', () => {
  it('joins the earliest-started due meeting when idle', () => {
    const meetings = [m('late', '10:15', '11:00'), m('early', '10:00', '10:30')];
    expect(decideCall(input('10:20', meetings))).toMatchObject({ action: 'join', meeting: { id: 'early' } });
    expect(decideCall(input('09:59', meetings))).toEqual({ action: 'none' });
    expect(decideCall(input('11:00', meetings))).toEqual({ action: 'none' });
  });

  it('keeps the running call through an overlap and leaves at endTime only when told to', () => {
    const meetings = [m('a', '10:00', '10:30'), m('b', '10:15', '11:00'), m('c', '10:00', '10:30', false)];
    expect(decideCall(input('10:20', meetings, { call: { phase: 'in_call', meetingId: 'a' } }))).toEqual({ action: 'none' });
    expect(decideCall(input('10:30', meetings, { call: { phase: 'in_call', meetingId: 'a' } }))).toEqual({ action: 'leave', meetingId: 'a' });
    expect(decideCall(input('10:45', meetings, { call: { phase: 'in_call', meetingId: 'c' } }))).toEqual({ action: 'none' });
    expect(decideCall(input('12:00', meetings, { call: { phase: 'in_call', meetingId: null } }))).toEqual({ action: 'none' });
  });

  it('skips excused meetings and gives up after repeated failures', () => {
    const meetings = [m('a', '10:00', '11:00'), m('b', '10:10', '11:00')];
    expect(decideCall(input('10:20', meetings, { excused: new Set(['a']) }))).toMatchObject({ meeting: { id: 'b' } });
    const failures = new Map([['a', { count: MAX_JOIN_ATTEMPTS, lastAt: new Date('2026-03-02T10:00:00Z') }]]);
    expect(decideCall(input('10:20', meetings, { failures }))).toMatchObject({ meeting: { id: 'b' } });
    expect(decideCall(input('10:20', meetings, { autoJoin: false }))).toEqual({ action: 'none' });
  });
});
