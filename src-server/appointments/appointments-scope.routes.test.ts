import { beforeAll, describe, expect, it } from 'vitest';
import { ORG, call, callers, meetingBody, templateBody, type Callers } from '../booking/booking.test-support';
import { createRoom } from '../devices/device-fleet.test-kit';
import { buildOrganisationTree, errorCode, type OrganisationTree } from '../organisations/organisation-tree.test-kit';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';

/**
 * Decision 0011: a management admin acts on meetings' participants and reads room calendars only
 * within its organisation subtree (outside it, as any other organisation's caller would: 403).
 */
describe.each(DB_KINDS)('appointments under organisation scope on %s', (kind) => {
  const t = useTestApp(kind);
  let tree: OrganisationTree;
  let c: Callers;
  let uuid: string;
  let room: string;
  beforeAll(async () => {
    tree = await buildOrganisationTree(t);
    c = await callers(t);
    expect((await call(t, c.admin, 'POST', 'scheduling-templates', templateBody())).statusCode).toBe(200);
    uuid = (await call(t, c.planner, 'POST', 'meetings', meetingBody({ subject: 'Regionens møde' }))).json().uuid;
    room = (await createRoom(t, tree.root, { name: 'Stue 1', organisationCode: ORG })).id;
  });

  const as = (headers: Record<string, string>, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  it("refuses an admin below the meeting's organisation; its own and the national admin may act", async () => {
    const url = `/appointments/v1/meetings/${uuid}/participants`;
    for (const res of [await as(tree.kommuneA, 'GET', url), await as(tree.kommuneA, 'POST', url, { kind: 'person', name: 'X' })]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(errorCode(res)).toBe('meeting_not_yours');
    }
    expect((await as(tree.regionH, 'POST', url, { kind: 'room', roomId: room, role: 'host' })).statusCode).toBe(201);
    expect((await as(tree.root, 'GET', url)).json<{ participants: unknown[] }>().participants).toHaveLength(1);
  });

  it("lets an admin read only its subtree's room calendars", async () => {
    const url = `/appointments/v1/rooms/${room}/calendar.ics`;
    const below = await as(tree.kommuneA, 'GET', url);
    expect(below.statusCode).toBe(403);
    expect(errorCode(below)).toBe('room_not_yours');
    const own = await as(tree.regionH, 'GET', url);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('Regionens møde');
    expect((await as(tree.root, 'GET', url)).statusCode).toBe(200);
  });
});
