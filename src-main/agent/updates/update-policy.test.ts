import { describe, expect, it } from 'vitest';
import { DEFAULT_MAINTENANCE_WINDOW, type MaintenanceWindow } from '../../../src-shared/devices/common.schema';
import type { ScheduledMeeting } from '../schedule/room-schedule';
import { decideInstall, insideMaintenanceWindow } from './update-policy';

const m = (start: string, end: string): ScheduledMeeting => ({
  id: start, subject: null, startTime: start, endTime: end, alias: 'a@vdx', pin: null, role: 'host',
  conferenceBaseUrl: 'http://x', endMeetingOnEndTime: true,
});
const base = {
  downloadedVersion: '1.3.0',
  callPhase: 'idle' as const,
  maintenanceWindow: DEFAULT_MAINTENANCE_WINDOW,
  meetings: [] as ScheduledMeeting[],
  earlyJoinSeconds: 0,
};

describe('update install policy', () => {
  it('installs when idle inside the nightly window (Copenhagen time, winter and summer)', () => {
    expect(decideInstall({ ...base, now: new Date('2026-03-03T01:30:00Z') })).toEqual({ install: true }); // 02:30 CET
    expect(decideInstall({ ...base, now: new Date('2026-07-03T00:30:00Z') })).toEqual({ install: true }); // 02:30 CEST
    expect(decideInstall({ ...base, now: new Date('2026-07-03T03:30:00Z') })).toMatchObject({ reason: 'outside_maintenance_window' }); // 05:30 CEST
  });

  it('never installs during a call or with nothing downloaded', () => {
    const now = new Date('2026-03-03T01:30:00Z');
    expect(decideInstall({ ...base, now, callPhase: 'in_call' })).toMatchObject({ reason: 'in_call' });
    expect(decideInstall({ ...base, now, callPhase: 'joining' })).toMatchObject({ reason: 'in_call' });
    expect(decideInstall({ ...base, now, downloadedVersion: null })).toMatchObject({ reason: 'nothing_downloaded' });
  });

  it('waits when a meeting runs or starts within 15 minutes (counting early join)', () => {
    const now = new Date('2026-03-03T01:30:00Z');
    expect(decideInstall({ ...base, now, meetings: [m('2026-03-03T01:44:00Z', '2026-03-03T02:00:00Z')] })).toMatchObject({ reason: 'meeting_soon' });
    expect(decideInstall({ ...base, now, meetings: [m('2026-03-03T01:00:00Z', '2026-03-03T01:40:00Z')] })).toMatchObject({ reason: 'meeting_soon' });
    expect(decideInstall({ ...base, now, meetings: [m('2026-03-03T01:46:00Z', '2026-03-03T02:00:00Z')] })).toEqual({ install: true });
    expect(decideInstall({ ...base, now, earlyJoinSeconds: 120, meetings: [m('2026-03-03T01:46:00Z', '2026-03-03T02:00:00Z')] })).toMatchObject({ reason: 'meeting_soon' });
    expect(decideInstall({ ...base, now, meetings: [m('2026-03-03T00:00:00Z', '2026-03-03T01:00:00Z')] })).toEqual({ install: true });
  });

  it('handles windows that run past midnight, on the listed day only', () => {
    const w: MaintenanceWindow = { timeZone: 'Europe/Copenhagen', slots: [{ days: ['sat'], start: '22:00', end: '03:00' }] };
    expect(insideMaintenanceWindow(new Date('2026-03-07T21:30:00Z'), w)).toBe(true); // Sat 22:30
    expect(insideMaintenanceWindow(new Date('2026-03-08T01:30:00Z'), w)).toBe(true); // Sun 02:30
    expect(insideMaintenanceWindow(new Date('2026-03-08T02:30:00Z'), w)).toBe(false); // Sun 03:30
    expect(insideMaintenanceWindow(new Date('2026-03-06T21:30:00Z'), w)).toBe(false); // Fri 22:30
  });
});
