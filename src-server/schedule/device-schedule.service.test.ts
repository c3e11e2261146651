import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../src-shared/devices/events.schema';
import { ManualClock } from '../../src-shared/platform/clock';
import type { RoomAppointment } from '../appointments/appointments.service';
import { FakeMeetings, FakeRooms } from '../appointments/appointments.test-kit';
import { DomainEventBus } from '../events/domain-events';
import { DeviceScheduleService, scheduleEtag } from './device-schedule.service';

function setup() {
  const clock = new ManualClock('2026-03-02T08:00:00Z');
  const meetings = new FakeMeetings();
  const rooms = new FakeRooms();
  const roles = new Map<string, Map<string, 'host' | 'guest'>>(); // room → meeting → role
  const appointments = {
    async roomAppointments(roomId: string, from: Date, to: Date): Promise<RoomAppointment[]> {
      const mine = roles.get(roomId) ?? new Map();
      const found = await meetings.meetingsBetween([...mine.keys()], from, to);
      return found.map((meeting) => ({ meeting, role: mine.get(meeting.uuid)! }));
    },
    async roomsOfMeeting(uuid: string) {
      return [...roles].filter(([, m]) => m.has(uuid)).map(([room]) => room);
    },
  };
  const invite = (room: string, uuid: string, role: 'host' | 'guest') => {
    if (!roles.has(room)) roles.set(room, new Map());
    roles.get(room)!.set(uuid, role);
  };
  const service = new DeviceScheduleService({ clock, appointments, rooms, conferenceNodeUrl: 'https://node.vdx.test' });
  return { clock, meetings, rooms, invite, service };
}

describe('DeviceScheduleService', () => {
  it("gives the PIN of the room's role, the alias, the node URL and endMeetingOnEndTime", async () => {
    const { meetings, rooms, invite, service } = setup();
    rooms.put({ id: 'host-room' });
    rooms.put({ id: 'guest-room' });
    meetings.put({ uuid: 'm-1', subject: 'Konsultation', alias: '7001@vdx.test', hostPin: '1111', guestPin: '2222', endMeetingOnEndTime: false });
    invite('host-room', 'm-1', 'host');
    invite('guest-room', 'm-1', 'guest');
    const host = await service.schedule('host-room', {});
    expect(host.meetings).toEqual([
      {
        meetingUuid: 'm-1',
        subject: 'Konsultation',
        startTime: '2026-03-02T09:00:00.000Z',
        endTime: '2026-03-02T10:00:00.000Z',
        alias: '7001@vdx.test',
        role: 'host',
        pin: '1111',
        conferenceNodeUrl: 'https://node.vdx.test',
        endMeetingOnEndTime: false,
      },
    ]);
    expect((await service.schedule('guest-room', {})).meetings[0]).toMatchObject({ role: 'guest', pin: '2222' });
  });

  it('hides subjects for a private room and keeps to the window', async () => {
    const { meetings, rooms, invite, service } = setup();
    rooms.put({ id: 'r', showSubjects: false });
    meetings.put({ uuid: 'soon', subject: 'Hemmeligt' });
    meetings.put({ uuid: 'later', startTime: '2026-03-20T09:00:00.000Z', endTime: '2026-03-20T10:00:00.000Z' });
    invite('r', 'soon', 'guest');
    invite('r', 'later', 'guest');
    const s = await service.schedule('r', {});
    expect(s.meetings.map((m) => [m.meetingUuid, m.subject])).toEqual([['soon', null]]);
    expect(s.from).toBe('2026-03-02T07:00:00.000Z');
    expect(s.to).toBe('2026-03-09T07:00:00.000Z');
    const wide = await service.schedule('r', { from: '2026-03-01T00:00:00Z', to: '2026-03-31T00:00:00Z' });
    expect(wide.meetings).toHaveLength(2);
    await expect(service.schedule('r', { from: '2026-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' })).rejects.toMatchObject({ status: 400 });
    await expect(service.schedule('gone', {})).rejects.toMatchObject({ status: 404 });
  });

  it('keeps its ETag while only the window slides, and changes it when a meeting changes', async () => {
    const { clock, meetings, rooms, invite, service } = setup();
    rooms.put({ id: 'r' });
    meetings.put({ uuid: 'm' });
    invite('r', 'm', 'host');
    const first = scheduleEtag(await service.schedule('r', {}));
    clock.advance(60_000);
    expect(scheduleEtag(await service.schedule('r', {}))).toBe(first);
    meetings.put({ uuid: 'm', startTime: '2026-03-02T09:30:00.000Z' });
    expect(scheduleEtag(await service.schedule('r', {}))).not.toBe(first);
  });

  it('pushes schedule_changed to the rooms a meeting or appointment change affects', async () => {
    const { invite, service } = setup();
    invite('a', 'm-1', 'host');
    invite('b', 'm-1', 'guest');
    invite('c', 'm-2', 'guest');
    const events = new DomainEventBus();
    const pushed: [string, DeviceEvent][] = [];
    const off = service.pushChanges(events, { publishToRoom: (room, e) => (pushed.push([room, e]), '1') });
    events.emit('meeting.changed', { meetingUuid: 'm-1', organisationCode: 'vdx', change: 'updated' });
    await expect.poll(() => pushed.length, { timeout: 2000 }).toBe(2);
    expect(pushed.map(([room]) => room).sort()).toEqual(['a', 'b']);
    expect(pushed[0]![1]).toEqual({ type: 'schedule_changed', data: { meetingUuid: 'm-1', at: '2026-03-02T08:00:00.000Z' } });
    events.emit('appointment.changed', { meetingUuid: 'm-2', roomIds: ['c', 'c'] });
    expect(pushed.at(-1)).toEqual(['c', { type: 'schedule_changed', data: { meetingUuid: 'm-2', at: '2026-03-02T08:00:00.000Z' } }]);
    expect(pushed).toHaveLength(3);
    off();
    events.emit('appointment.changed', { meetingUuid: 'm-2', roomIds: ['c'] });
    expect(pushed).toHaveLength(3);
  });
});
