import { describe, expect, it } from 'vitest';
import { DB_KINDS, type TestApp } from '../test-support/test-app';
import { bookMeeting, createOrganisation, createPerson, identitySuite, signIn, type WallClock } from './staff-sign-in.test-support';

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

describe.each(DB_KINDS)("people's tokens on the booking and management APIs on %s", (kind) => {
  let t: TestApp;
  let clock: WallClock;
  identitySuite(kind, (built) => ({ t, clock } = built));

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const book = (token: string, subject: string, extra: object = {}) => bookMeeting(t, token, subject, extra);
  const myMeetings = async (token: string) => {
    const from = iso(clock.now());
    const to = iso(new Date(clock.now().getTime() + 7 * 24 * 3600_000));
    const res = await t.app.inject({ method: 'GET', url: `/videoapi/v2/meetings?from-start-time=${from}&to-start-time=${to}`, headers: as(token) });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Array<{ subject: string; organizedBy: { email: string } }> | { _embedded?: { meetingDtoList?: Array<{ subject: string; organizedBy: { email: string } }> } };
    const list = Array.isArray(body) ? body : (body._embedded?.meetingDtoList ?? []);
    return list.map((m) => `${m.subject} (${m.organizedBy.email})`).sort();
  };

  it('a meeting-user sees their own meetings, a planner the organisation’s, another organisation none', async () => {
    await createOrganisation(t, 'region-h');
    await createOrganisation(t, 'region-s');
    await createPerson(t, { email: 'anne@region-h.dk', roles: ['meeting-user'], organisationCode: 'region-h' });
    await createPerson(t, { email: 'bo@region-h.dk', roles: ['meeting-user'], organisationCode: 'region-h' });
    await createPerson(t, { email: 'planner@region-h.dk', roles: ['meeting-planner'], organisationCode: 'region-h' });
    await createPerson(t, { email: 'planner@region-s.dk', roles: ['meeting-planner'], organisationCode: 'region-s' });
    const anne = (await signIn(t, 'anne@region-h.dk', { ip: '10.9.1.1' })).tokens.access_token;
    const bo = (await signIn(t, 'bo@region-h.dk', { ip: '10.9.1.2' })).tokens.access_token;
    const planner = (await signIn(t, 'planner@region-h.dk', { ip: '10.9.1.3' })).tokens.access_token;
    const south = (await signIn(t, 'planner@region-s.dk', { ip: '10.9.1.4' })).tokens.access_token;

    const annes = await book(anne, 'Stuegang');
    expect(annes.statusCode, annes.body).toBe(200);
    expect(annes.json()).toMatchObject({ subject: 'Stuegang', organizedBy: { email: 'anne@region-h.dk' } });
    expect((await book(bo, 'Konference')).statusCode).toBe(200);
    // A planner books on behalf of a colleague: the meeting is the colleague's.
    const onBehalf = await book(planner, 'Samtale', { organizedByEmail: 'anne@region-h.dk' });
    expect(onBehalf.statusCode, onBehalf.body).toBe(200);
    expect(onBehalf.json()).toMatchObject({ organizedBy: { email: 'anne@region-h.dk' } });

    expect(await myMeetings(anne)).toEqual(['Samtale (anne@region-h.dk)', 'Stuegang (anne@region-h.dk)']);
    expect(await myMeetings(bo)).toEqual(['Konference (bo@region-h.dk)']);
    expect(await myMeetings(planner)).toEqual(['Konference (bo@region-h.dk)', 'Samtale (anne@region-h.dk)', 'Stuegang (anne@region-h.dk)']);
    expect(await myMeetings(south)).toEqual([]);

    // Bo cannot open Anne's meeting; Anne can.
    const id = (annes.json() as { uuid: string }).uuid;
    expect((await t.app.inject({ method: 'GET', url: `/videoapi/v2/meetings/${id}`, headers: as(bo) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/videoapi/v2/meetings/${id}`, headers: as(anne) })).statusCode).toBe(200);
  });

  it('management-admin on the person reaches the management API; without it a person is refused', async () => {
    await createPerson(t, { email: 'it@vdx.dk', roles: ['management-admin'] });
    await createPerson(t, { email: 'clinician@vdx.dk', roles: ['meeting-user'] });
    const it = (await signIn(t, 'it@vdx.dk', { ip: '10.9.2.1' })).tokens.access_token;
    const clinician = (await signIn(t, 'clinician@vdx.dk', { ip: '10.9.2.2' })).tokens.access_token;
    const users = await t.app.inject({ method: 'GET', url: '/management/v1/users', headers: as(it) });
    expect(users.statusCode, users.body).toBe(200);
    expect((users.json() as { users: Array<{ email: string }> }).users.map((u) => u.email)).toContain('clinician@vdx.dk');
    expect((await t.app.inject({ method: 'GET', url: '/management/v1/rooms', headers: as(it) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/management/v1/users', headers: as(clinician) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/management/v1/rooms', headers: as(clinician) })).statusCode).toBe(403);
    // A management admin without a meeting role is no booker.
    expect((await book(it, 'Not mine to book')).statusCode).toBe(401);
  });
});
