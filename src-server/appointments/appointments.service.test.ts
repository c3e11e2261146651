import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddParticipantRequest } from '../../src-shared/appointments/appointments.contract';
import { ManualClock } from '../../src-shared/platform/clock';
import type { Principal } from '../auth/principal';
import type { Store } from '../db/database';
import { DomainEventBus, type DomainEvents } from '../events/domain-events';
import { DB_KINDS, freshStore } from '../test-support/test-app';
import { AppointmentsService } from './appointments.service';
import { FakeMeetings, FakeRooms } from './appointments.test-kit';

const booker: Principal = { subject: 'planner', organisation: 'vdx', roles: ['meeting-planner'], managementAdmin: false, scopes: [], issuer: 'local' };
const foreign: Principal = { ...booker, subject: 'other', organisation: 'region-x' };
const admin: Principal = { ...booker, subject: 'admin', organisation: 'it', roles: [], managementAdmin: true };

describe.each(DB_KINDS)('AppointmentsService on %s', (kind) => {
  let store: Store;
  let service: AppointmentsService;
  const meetings = new FakeMeetings();
  const rooms = new FakeRooms();
  const events = new DomainEventBus();
  const seen: DomainEvents['appointment.changed'][] = [];

  beforeAll(async () => {
    store = await freshStore(kind);
    service = new AppointmentsService({ store, clock: new ManualClock('2026-03-02T08:00:00Z'), events, meetings, rooms });
    events.on('appointment.changed', (e) => void seen.push(e));
    meetings.put({ uuid: 'm-1' });
    meetings.put({ uuid: 'm-2', startTime: '2026-03-05T09:00:00.000Z', endTime: '2026-03-05T09:30:00.000Z' });
    rooms.put({ id: 'room-a' });
    rooms.put({ id: 'room-b' });
  });
  afterAll(async () => store.close());

  const add = (actor: Principal, uuid: string, body: unknown) => service.add(actor, uuid, AddParticipantRequest.parse(body));

  it('adds rooms with roles and people, and announces the rooms it touched', async () => {
    const host = await add(booker, 'm-1', { kind: 'room', roomId: 'room-a', role: 'host' });
    expect(host).toMatchObject({ kind: 'room', roomId: 'room-a', role: 'host', meetingUuid: 'm-1' });
    const person = await add(booker, 'm-1', { kind: 'person', name: 'Borger Jensen', phone: '12 34 56 78', email: 'b@example.dk' });
    expect(person).toMatchObject({ kind: 'person', phone: '+4512345678', roomId: null });
    await add(admin, 'm-2', { kind: 'room', roomId: 'room-a', role: 'guest' });
    expect(seen).toEqual([
      { meetingUuid: 'm-1', roomIds: ['room-a'] },
      { meetingUuid: 'm-1', roomIds: [] },
      { meetingUuid: 'm-2', roomIds: ['room-a'] },
    ]);
    expect((await service.list(booker, 'm-1')).map((p) => p.kind)).toEqual(['room', 'person']);
    expect(await service.roomsOfMeeting('m-1')).toEqual(['room-a']);
  });

  it('refuses a second entry of the same room, unknown rooms and meetings, and other organisations', async () => {
    await expect(add(booker, 'm-1', { kind: 'room', roomId: 'room-a', role: 'guest' })).rejects.toMatchObject({ status: 409, code: 'participant_exists' });
    await expect(add(booker, 'm-1', { kind: 'room', roomId: 'nope', role: 'guest' })).rejects.toMatchObject({ status: 404, code: 'room_not_found' });
    await expect(add(booker, 'missing', { kind: 'person', name: 'X' })).rejects.toMatchObject({ status: 404, code: 'meeting_not_found' });
    await expect(add(foreign, 'm-1', { kind: 'person', name: 'X' })).rejects.toMatchObject({ status: 403 });
    expect(await service.list(booker, 'm-1')).toHaveLength(2);
  });

  it("lists a room's meetings in a window with its role in each", async () => {
    const all = await service.roomAppointments('room-a', new Date('2026-03-01T00:00:00Z'), new Date('2026-03-10T00:00:00Z'));
    expect(all.map((a) => [a.meeting.uuid, a.role])).toEqual([
      ['m-1', 'host'],
      ['m-2', 'guest'],
    ]);
    const first = await service.roomAppointments('room-a', new Date('2026-03-02T00:00:00Z'), new Date('2026-03-03T00:00:00Z'));
    expect(first.map((a) => a.meeting.uuid)).toEqual(['m-1']);
    expect(await service.roomAppointments('room-b', new Date(0), new Date('2030-01-01T00:00:00Z'))).toEqual([]);
  });

  it('removes a participant and announces it; a second removal is a 404', async () => {
    const [host] = await service.list(booker, 'm-1');
    seen.length = 0;
    await service.remove(booker, 'm-1', host!.id);
    expect(seen).toEqual([{ meetingUuid: 'm-1', roomIds: ['room-a'] }]);
    await expect(service.remove(booker, 'm-1', host!.id)).rejects.toMatchObject({ status: 404 });
    await expect(service.remove(booker, 'm-2', 'whatever')).rejects.toMatchObject({ status: 404 });
  });
});

describe('phone numbers', () => {
  const phone = (p: string) => AddParticipantRequest.safeParse({ kind: 'person', name: 'A', phone: p });
  it('normalises Danish 8-digit and 00-prefixed numbers to E.164', () => {
    expect(phone('12345678').data).toMatchObject({ phone: '+4512345678' });
    expect(phone('0046 70 123 45 67').data).toMatchObject({ phone: '+46701234567' });
    expect(phone('+45 12-34-56-78').data).toMatchObject({ phone: '+4512345678' });
  });
  it('refuses what is no phone number', () => {
    for (const bad of ['1234', 'abc', '+0123456789', '123456789012345678']) expect(phone(bad).success, bad).toBe(false);
  });
});
