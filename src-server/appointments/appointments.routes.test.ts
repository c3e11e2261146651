import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Participant } from '../../src-shared/appointments/appointments.contract';
import type { DomainEvents } from '../events/domain-events';
import { ORG, call, callers, meetingBody, templateBody, type Callers } from '../booking/booking.test-support';
import { createRoom } from '../schedule/fleet.test-kit';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { adminAuth } from '../updates/test-tokens';
import { AppointmentsService } from './appointments.service';

describe.each(DB_KINDS)('appointments routes on %s', (kind) => {
  const t = useTestApp(kind);
  let c: Callers;
  let uuid: string;
  let alias: string;
  let room: string;
  let privateRoom: string;
  const changes: DomainEvents['appointment.changed'][] = [];
  const participants = (token: string | null, meeting = uuid) => call(t, token, 'GET', `/appointments/v1/meetings/${meeting}/participants`);
  const add = (token: string | null, body: unknown, meeting = uuid) => call(t, token, 'POST', `/appointments/v1/meetings/${meeting}/participants`, body);

  beforeAll(async () => {
    c = await callers(t);
    expect((await call(t, c.admin, 'POST', 'scheduling-templates', templateBody())).statusCode).toBe(200);
    const meeting = await call(t, c.planner, 'POST', 'meetings', meetingBody({ subject: 'Samtale; genoptræning, uge 11' }));
    uuid = meeting.json().uuid;
    alias = (await call(t, c.planner, 'GET', `scheduling-info/${uuid}`)).json().uriWithDomain;
    room = await createRoom(t, { organisationCode: ORG, name: 'Stue 4' });
    privateRoom = await createRoom(t, { organisationCode: ORG, name: 'Samtalerum', showSubjects: false });
    t.handles.domainEvents.on('appointment.changed', (e) => void changes.push(e));
  });

  it('invites rooms with a role and people with a normalised phone, and announces room changes', async () => {
    const host = await add(c.planner, { kind: 'room', roomId: room, role: 'host' });
    expect(host.statusCode).toBe(201);
    expect(Participant.parse(host.json())).toMatchObject({ kind: 'room', roomId: room, role: 'host', meetingUuid: uuid });
    const guest = await add(c.admin, { kind: 'room', roomId: privateRoom, role: 'guest' });
    expect(guest.statusCode).toBe(201);
    const person = await add(c.planner, { kind: 'person', name: 'Borger Hansen', phone: '12 34 56 78', email: 'borger@example.dk' });
    expect(person.statusCode).toBe(201);
    expect(person.json()).toMatchObject({ kind: 'person', name: 'Borger Hansen', phone: '+4512345678', roomId: null });
    expect(changes).toEqual([
      { meetingUuid: uuid, roomIds: [room] },
      { meetingUuid: uuid, roomIds: [privateRoom] },
      { meetingUuid: uuid, roomIds: [] },
    ]);
    const list = await participants(c.userA);
    expect(list.statusCode).toBe(200);
    expect(list.json().participants.map((p: Participant) => p.kind)).toEqual(['room', 'room', 'person']);
  });

  it("shows the meeting's rooms on the VDX Booking API's own meeting answers, VDX fields untouched", async () => {
    const expected = [
      { roomId: room, role: 'host' },
      { roomId: privateRoom, role: 'guest' },
    ];
    const one = (await call(t, c.planner, 'GET', `meetings/${uuid}`)).json();
    expect(one.rooms).toEqual(expected);
    expect(one).toMatchObject({ uuid, subject: 'Samtale; genoptræning, uge 11' });
    const list = (await call(t, c.planner, 'GET', 'meetings?search=genoptr')).json() as { uuid: string; rooms: unknown }[];
    expect(list.find((m) => m.uuid === uuid)?.rooms).toEqual(expected);
    const info = (await call(t, c.planner, 'GET', `scheduling-info/${uuid}`)).json();
    expect(info.meetingDetails.rooms).toEqual(expected);
    expect(info.rooms).toBeUndefined();
  });

  it('answers a meeting the request just created with rooms: [] without looking rooms up', async () => {
    const lookups = vi.spyOn(AppointmentsService.prototype, 'roomsOfMeetings');
    try {
      const created = await call(t, c.planner, 'POST', 'meetings', meetingBody({ subject: 'Ny samtale' }));
      expect(created.statusCode).toBeLessThan(300);
      expect(created.json().rooms).toEqual([]);
      expect(lookups).not.toHaveBeenCalled();
      // Any later answer about the same meeting does look its rooms up.
      expect((await call(t, c.planner, 'GET', `meetings/${created.json().uuid}`)).json().rooms).toEqual([]);
      expect(lookups).toHaveBeenCalledTimes(1);
    } finally {
      lookups.mockRestore();
    }
  });

  it("lists the caller's organisation's rooms (id and name, by name) to any booker, and no one else's", async () => {
    const other = await createRoom(t, { organisationCode: 'region-s', name: 'Region Syd rum' });
    for (const token of [c.userA, c.planner]) {
      const res = await call(t, token, 'GET', '/appointments/v1/rooms');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ rooms: [{ id: privateRoom, name: 'Samtalerum' }, { id: room, name: 'Stue 4' }] });
    }
    const theirs = await call(t, c.otherPlanner, 'GET', '/appointments/v1/rooms');
    expect(theirs.json()).toEqual({ rooms: [{ id: other, name: 'Region Syd rum' }] });
    const noRole = await call(t, c.noRole, 'GET', '/appointments/v1/rooms');
    expect(noRole.statusCode).toBe(403);
    expect(noRole.json()).toMatchObject({ error: { code: 'booking_role_required' } });
    expect((await call(t, null, 'GET', '/appointments/v1/rooms')).statusCode).toBe(401);
  });

  it('lets management-admin act on any meeting', async () => {
    const res = await participants((await adminAuth(t)).authorization.slice(7));
    expect(res.statusCode).toBe(200);
    expect(res.json().participants).toHaveLength(3);
  });

  it('refuses bad input, duplicates, unknown rooms/meetings and foreign callers — storing nothing', async () => {
    const cases: [unknown, number, string][] = [
      [{ kind: 'room', roomId: room, role: 'boss' }, 400, 'validation_failed'],
      [{ kind: 'person' }, 400, 'validation_failed'],
      [{ kind: 'person', name: 'X', phone: 'ring mig' }, 400, 'validation_failed'],
      [{ kind: 'person', name: 'X', email: 'not-an-email' }, 400, 'validation_failed'],
      [{ kind: 'robot' }, 400, 'validation_failed'],
      [{ kind: 'room', roomId: room, role: 'guest' }, 409, 'participant_exists'],
      [{ kind: 'room', roomId: 'no-such-room', role: 'guest' }, 404, 'room_not_found'],
    ];
    for (const [body, status, code] of cases) {
      const res = await add(c.planner, body);
      expect({ status: res.statusCode, code: res.json().error?.code }, JSON.stringify(body)).toEqual({ status, code });
    }
    expect((await add(c.planner, { kind: 'person', name: 'X' }, 'no-such-meeting')).statusCode).toBe(404);
    expect((await add(c.otherPlanner, { kind: 'person', name: 'X' })).statusCode).toBe(403);
    expect((await add(c.noRole, { kind: 'person', name: 'X' })).statusCode).toBe(403);
    expect((await add(null, { kind: 'person', name: 'X' })).statusCode).toBe(401);
    expect((await participants(c.otherPlanner)).statusCode).toBe(403);
    expect((await participants(c.planner)).json().participants).toHaveLength(3);
  });

  it("serves the room's calendar as RFC 5545, hiding subjects where the room asks", async () => {
    const ics = await call(t, c.planner, 'GET', `/appointments/v1/rooms/${room}/calendar.ics`);
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toContain('text/calendar');
    const text = ics.body.replace(/\r\n /g, '');
    expect(ics.body.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    expect(text).toContain(`UID:${uuid}@vdx.test\r\n`);
    expect(text).toContain('DTSTART:20260310T090000Z\r\nDTEND:20260310T100000Z\r\n');
    expect(text).toContain('SUMMARY:Samtale\\; genoptræning\\, uge 11\r\n');
    expect(text).toContain(`LOCATION:${alias}\r\n`);
    expect(text).toMatch(/\r\nURL:http[^\r]+\r\n/);
    const hidden = await call(t, c.planner, 'GET', `/appointments/v1/rooms/${privateRoom}/calendar.ics`);
    expect(hidden.body).toContain('SUMMARY:Optaget\r\n');
    expect(hidden.body).not.toContain('genoptræning');
    expect((await call(t, c.otherPlanner, 'GET', `/appointments/v1/rooms/${room}/calendar.ics`)).statusCode).toBe(403);
    expect((await call(t, c.planner, 'GET', '/appointments/v1/rooms/nope/calendar.ics')).statusCode).toBe(404);
    const empty = await call(t, c.planner, 'GET', `/appointments/v1/rooms/${room}/calendar.ics?from=2027-01-01T00:00:00Z&to=2027-02-01T00:00:00Z`);
    expect(empty.body).not.toContain('BEGIN:VEVENT');
  });

  it('removes a participant once, announcing the room', async () => {
    const list = (await participants(c.planner)).json().participants as Participant[];
    const host = list.find((p) => p.roomId === room)!;
    changes.length = 0;
    const del = await call(t, c.planner, 'DELETE', `/appointments/v1/meetings/${uuid}/participants/${host.id}`);
    expect(del.statusCode).toBe(204);
    expect(changes).toEqual([{ meetingUuid: uuid, roomIds: [room] }]);
    expect((await call(t, c.planner, 'DELETE', `/appointments/v1/meetings/${uuid}/participants/${host.id}`)).statusCode).toBe(404);
    expect((await participants(c.planner)).json().participants).toHaveLength(2);
  });
});
