import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvents } from '../events/domain-events';
import type { VdxRole } from '../../src-shared/auth/roles';
import { DB_KINDS, TEST_ADMIN } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { API, ORG, call, callers, expectVdxError, meetingBody, templateBody, type Callers, stopEmbeddedProvisioner } from './booking.test-support';

describe.each(DB_KINDS)('VDX booking meetings on %s', (kind) => {
  const t = useTestApp(kind);
  let c: Callers;
  beforeAll(async () => {
    c = await callers(t);
    await stopEmbeddedProvisioner(t);
    const res = await call(t, c.admin, 'POST', 'scheduling-templates', templateBody());
    expect(res.statusCode).toBe(200);
  });

  const create = async (token: string, overrides: Record<string, unknown> = {}) => {
    const res = await call(t, token, 'POST', 'meetings', meetingBody(overrides));
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Record<string, unknown> & { uuid: string; shortId: string };
  };

  it('creates a meeting and answers with it, timestamps in Copenhagen time', async () => {
    const res = await call(t, c.userA, 'POST', 'meetings', meetingBody({
      projectCode: 'PRJ-1',
      labels: ['fysioterapi', 'fysioterapi', 'opfølgning'],
      additionalInformation: [{ key: 'afdeling', value: 'Ortopædkirurgi' }],
      externalId: 'ext-1',
      guestMicrophone: 'muted',
    }));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/hal\+json/);
    const m = res.json();
    expect(m).toMatchObject({
      subject: 'Samtale om genoptræning',
      description: 'Videokonsultation',
      projectCode: 'PRJ-1',
      startTime: '2026-03-10T10:00:00+01:00',
      endTime: '2026-03-10T11:00:00+01:00',
      organizedBy: { organisationId: ORG, email: 'a@region-h.dk' },
      createdBy: { organisationId: ORG, email: 'a@region-h.dk' },
      createdTime: '2026-03-02T09:00:00+01:00',
      guestMicrophone: 'muted',
      guestPinRequired: false,
      labels: ['fysioterapi', 'opfølgning'],
      additionalInformation: [{ key: 'afdeling', value: 'Ortopædkirurgi' }],
      externalId: 'ext-1',
    });
    expect(m.shortId).toBe(createHash('sha256').update(m.uuid).digest('hex').slice(0, 12));
    expect(m.shortLink).toBe(`${t.config.shortLinkBase}${m.shortId}`);
    expect(m._links.self.href).toBe(`http://vdx.test${API}/meetings/${m.uuid}`);
  });

  it('hands out every free number of a crowded range before answering 406 code 15', async () => {
    // A booking's first draw is inserted unchecked; a clash with a taken number draws again, checked.
    const tpl = await call(t, c.admin, 'POST', 'scheduling-templates', templateBody({ isDefaultTemplate: false, uriDomain: 'five.test', uriNumberRangeLow: 10, uriNumberRangeHigh: 15 }));
    const schedulingTemplateId = tpl.json().id as number;
    const numbers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const m = await create(c.planner, { schedulingTemplateId });
      numbers.push((await call(t, c.planner, 'GET', `scheduling-info/${m.uuid}`)).json().uriWithoutDomain as string);
    }
    expect(numbers.sort()).toEqual(['10', '11', '12', '13', '14']);
    expectVdxError(await call(t, c.planner, 'POST', 'meetings', meetingBody({ schedulingTemplateId })), 406, 15);
  });

  it('stores nothing of a meeting whose scheduling info cannot be written (uuid taken by an info: 400)', async () => {
    const first = await create(c.planner, { labels: ['a', 'b'] });
    const info = await t.store.db.selectFrom('booking_scheduling_infos').selectAll().where('uuid', '=', first.uuid).executeTakeFirstOrThrow();
    const taken = '6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b';
    await t.store.db
      .insertInto('booking_scheduling_infos')
      .values({ ...info, uuid: taken, meeting_uuid: null, uri_with_domain: 'rh9999@video.test', uri_without_domain: '9999' })
      .execute();
    const res = await call(t, c.planner, 'POST', 'meetings', meetingBody({ uuid: taken, labels: ['c'] }));
    expectVdxError(res, 400, 10);
    expect((await call(t, c.planner, 'GET', `meetings/${taken}`)).statusCode).toBe(404);
    const labels = await t.store.db.selectFrom('booking_meeting_labels').select('label').where('meeting_uuid', '=', taken).execute();
    expect(labels).toEqual([]);
    expect((await call(t, c.planner, 'GET', `meetings?label=a`)).json()).toContainEqual(expect.objectContaining({ uuid: first.uuid }));
  });

  it('writes summer times with +02:00 and ignores fractions of a second', async () => {
    const m = await create(c.userA, { startTime: '2026-06-10T09:00:00.987Z', endTime: '2026-06-10T10:30:00.1Z' });
    expect(m.startTime).toBe('2026-06-10T11:00:00+02:00');
    expect(m.endTime).toBe('2026-06-10T12:30:00+02:00');
  });

  it('gives the meeting an address and PINs from its template', async () => {
    const m = await create(c.userA);
    const info = (await call(t, c.userA, 'GET', `scheduling-info/${m.uuid}`)).json();
    const number = Number(/^rh(\d+)@video\.test$/.exec(info.uriWithDomain)?.[1]);
    expect(number).toBeGreaterThanOrEqual(1000);
    expect(number).toBeLessThan(2000);
    // As the real service writes it: the number alone, the prefix only in the full address.
    expect(info.uriWithoutDomain).toBe(String(number));
    expect(info.hostPin).toBeGreaterThanOrEqual(1000);
    expect(info.hostPin).toBeLessThan(10000);
    expect(info.guestPin).toBeNull();
    expect(info).toMatchObject({ provisionStatus: 'AWAITS_PROVISION', vmrAvailableBefore: 15, vmrStartTime: '2026-03-10T09:45:00+01:00', maxParticipants: 10, conferencingSysId: 7 });
    expect(info.meetingDetails.uuid).toBe(m.uuid);
  });

  it('takes guestPinRequired as the short link\'s flag (default false); the template decides the guest PIN', async () => {
    const flagged = await create(c.userA, { guestPinRequired: true });
    expect(flagged.guestPinRequired).toBe(true);
    expect((await call(t, c.userA, 'GET', `scheduling-info/${flagged.uuid}`)).json().guestPin).toBeNull();
    const tpl = (await call(t, c.admin, 'POST', 'scheduling-templates', templateBody({ isDefaultTemplate: false, guestPinRequired: true }))).json();
    const m = await create(c.userA, { schedulingTemplateId: tpl.id });
    expect(m.guestPinRequired).toBe(false);
    const info = (await call(t, c.userA, 'GET', `scheduling-info/${m.uuid}`)).json();
    expect(info.guestPin).toBeGreaterThanOrEqual(100000);
    expect(info.guestPin).toBeLessThan(1000000);
  });

  it('rejects years without 4 digits (25) and impossible dates (10)', async () => {
    expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody({ startTime: '226-03-10T09:00:00Z' })), 400, 25);
    expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody({ endTime: '20260-03-10T09:00:00Z' })), 400, 25);
    expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody({ startTime: '2026-02-30T09:00:00Z' })), 400, 10);
    expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody({ startTime: 'tomorrow' })), 400, 10);
  });

  it('rejects malformed JSON, overlong fields and unknown enum values with the VDX body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${API}/meetings`,
      headers: { authorization: `Bearer ${c.userA}`, 'content-type': 'application/json' },
      payload: '{"subject": ',
    });
    const body = expectVdxError(res, 400, 10);
    expect(body.path).toBe(`${API}/meetings`);
    expect(body.error).toBe('Bad Request');
    expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody({ subject: 'x'.repeat(101) })), 400, 10);
    expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody({ description: 'x'.repeat(501) })), 400, 10);
    expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody({ externalId: 'x'.repeat(201) })), 400, 10);
    expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody({ guestMicrophone: 'loud' })), 400, 10);
  });

  it('answers unknown /videoapi routes and missing tokens in the VDX format', async () => {
    expectVdxError(await call(t, c.userA, 'GET', 'no-such-thing'), 404, 11);
    expectVdxError(await call(t, null, 'GET', 'meetings?search=x'), 401, 11);
    expectVdxError(await call(t, 'not-a-token', 'GET', 'meetings?search=x'), 401, 11);
  });

  it('answers user-setup problems: no e-mail for a meeting-user or no organisation 401, an unknown organisation 403', async () => {
    // Minted directly: tokenFor would create the organisation.
    const mint = async (organisation: string, roles: VdxRole[], email?: string) =>
      (await t.handles.accessTokens.issue({ clientId: TEST_ADMIN.clientId, organisation, email, roles, managementAdmin: false, scopes: [] })).accessToken;
    expectVdxError(await call(t, await mint(ORG, ['meeting-user']), 'GET', 'meetings?search=x'), 401, 11);
    expectVdxError(await call(t, await mint('', ['meeting-planner'], 'x@region-h.dk'), 'GET', 'meetings?search=x'), 401, 11);
    const unknownOrg = await mint('no-such-organisation', ['meeting-planner'], 'x@nowhere.dk');
    // The spec's 403: "The organisation of the user has not been created in the Video API".
    expectVdxError(await call(t, unknownOrg, 'POST', 'meetings', meetingBody()), 403, 11);
    expect(await t.store.db.selectFrom('booking_meetings').select('uuid').where('organisation_code', '=', 'no-such-organisation').execute()).toEqual([]);
  });

  it('refuses expired tokens with 401 code 11', async () => {
    const now = t.clock.now();
    try {
      t.clock.advance(3601 * 1000);
      const body = expectVdxError(await call(t, c.planner, 'GET', 'meetings?search=x'), 401, 11);
      expect(body.detailed_error).toMatch(/expired/);
    } finally {
      t.clock.set(now);
    }
  });

  it('enforces roles: no meeting role → 401, a role without the right → 403, provisioner may read but not write', async () => {
    expectVdxError(await call(t, c.noRole, 'GET', 'info'), 401, 11);
    expectVdxError(await call(t, c.noRole, 'POST', 'meetings', meetingBody()), 401, 11);
    expectVdxError(await call(t, c.provisioner, 'POST', 'meetings', meetingBody()), 403, 11);
    const m = await create(c.planner);
    expect((await call(t, c.provisioner, 'GET', `meetings/${m.uuid}`)).statusCode).toBe(200);
    expect((await call(t, c.provisionerUser, 'POST', 'meetings', meetingBody())).statusCode).toBe(200);
    for (const token of [c.userA, c.planner, c.admin, c.provisioner, c.provisionerUser]) {
      const info = await call(t, token, 'GET', 'info');
      expect(info.statusCode).toBe(200);
      expect(info.json().info).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'git' }), { key: 'build', value: expect.objectContaining({ apiSpecVersion: '1.12.3' }) }]));
    }
  });

  it('lets a meeting-user see and change only their own meetings', async () => {
    const mine = await create(c.userA);
    const theirs = await create(c.userB);
    expect((await call(t, c.userA, 'GET', `meetings/${mine.uuid}`)).statusCode).toBe(200);
    expectVdxError(await call(t, c.userA, 'GET', `meetings/${theirs.uuid}`), 403, 11);
    expectVdxError(await call(t, c.userA, 'PATCH', `meetings/${theirs.uuid}`, { subject: 'x' }), 403, 11);
    expectVdxError(await call(t, c.userA, 'DELETE', `meetings/${theirs.uuid}`), 403, 11);
    // Scheduling infos are the organisation's: the real service (and its integration tests) let a
    // meeting-user read those of colleagues' meetings.
    expect((await call(t, c.userA, 'GET', `scheduling-info/${theirs.uuid}`)).statusCode).toBe(200);
    const list = (await call(t, c.userA, 'GET', 'meetings?search=genoptr')).json() as { uuid: string }[];
    expect(list.map((m) => m.uuid)).toContain(mine.uuid);
    expect(list.map((m) => m.uuid)).not.toContain(theirs.uuid);
  });

  it('lets a meeting-user book only as themselves (another organiser is ignored), a planner on behalf of others', async () => {
    // The real API takes organizedByEmail only from organisation-wide roles and ignores it otherwise.
    expect((await create(c.userA, { organizedByEmail: 'b@region-h.dk' })).organizedBy).toEqual({ organisationId: ORG, email: 'a@region-h.dk' });
    const own = await create(c.userA, { organizedByEmail: 'A@region-h.dk' });
    expect(own.organizedBy).toEqual({ organisationId: ORG, email: 'a@region-h.dk' });
    const listed = (await call(t, c.userA, 'GET', `meetings?short-id=${own.shortId}`)).json() as { uuid: string }[];
    expect(listed.map((x) => x.uuid)).toEqual([own.uuid]);
    const m = await create(c.planner, { organizedByEmail: 'b@region-h.dk' });
    expect(m.organizedBy).toEqual({ organisationId: ORG, email: 'b@region-h.dk' });
    expect(m.createdBy).toEqual({ organisationId: ORG, email: 'planner@region-h.dk' });
    expect((await call(t, c.userB, 'GET', `meetings/${m.uuid}`)).statusCode).toBe(200);
  });

  it('keeps other organisations out (403) and reports unknown meetings (404)', async () => {
    const m = await create(c.planner);
    expectVdxError(await call(t, c.otherPlanner, 'GET', `meetings/${m.uuid}`), 403, 11);
    expectVdxError(await call(t, c.otherPlanner, 'PUT', `meetings/${m.uuid}`, meetingBody()), 403, 11);
    expectVdxError(await call(t, c.otherPlanner, 'GET', `scheduling-info/${m.uuid}`), 403, 11);
    expectVdxError(await call(t, c.planner, 'GET', 'meetings/0b5d2b8e-9d63-4a59-8a8e-2f1d7a6a0c11'), 404, 11);
    expectVdxError(await call(t, c.planner, 'PATCH', 'meetings/0b5d2b8e-9d63-4a59-8a8e-2f1d7a6a0c11', { subject: 'x' }), 404, 11);
    expectVdxError(await call(t, c.planner, 'GET', 'meetings/not-a-uuid'), 400, 10);
  });

  describe('search filters', () => {
    let a: { uuid: string; shortId: string };
    let b: { uuid: string; shortId: string };
    let uri: string;
    beforeAll(async () => {
      a = await create(c.planner, { subject: 'Filter Alfa', labels: ['filter-label'], startTime: '2027-01-05T09:00:00Z', endTime: '2027-01-05T10:00:00Z', organizedByEmail: 'filter@region-h.dk' });
      b = await create(c.planner, { subject: 'Filter Beta', description: 'unik-beskrivelse', startTime: '2027-01-06T09:00:00Z', endTime: '2027-01-06T10:00:00Z' });
      uri = (await call(t, c.planner, 'GET', `scheduling-info/${b.uuid}`)).json().uriWithDomain;
    });
    const ids = async (query: string) => {
      const res = await call(t, c.planner, 'GET', `meetings?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/hal\+json/);
      return (res.json() as { uuid: string }[]).map((m) => m.uuid);
    };

    it('finds by short-id, label, subject, organizedBy, search, time window and uri', async () => {
      expect(await ids(`short-id=${a.shortId}`)).toEqual([a.uuid]);
      expect(await ids('label=filter-label')).toEqual([a.uuid]);
      // The whole subject, in any case (the real service's equality under its collation).
      expect(await ids('subject=filter%20alfa')).toEqual([a.uuid]);
      expect(await ids('subject=filter')).toEqual([]);
      expect(await ids('organizedBy=filter@region-h.dk')).toEqual([a.uuid]);
      expect(await ids('search=unik-beskrivelse')).toEqual([b.uuid]);
      expect(await ids('from-start-time=2027-01-05T00:00:00Z&to-start-time=2027-01-05T23:59:59Z')).toEqual([a.uuid]);
      expect(await ids(`uri-with-domain=${encodeURIComponent(uri)}`)).toEqual([b.uuid]);
    });

    it('uses the first filter present', async () => {
      expect(await ids(`short-id=${a.shortId}&subject=Beta`)).toEqual([a.uuid]);
      expect(await ids('label=filter-label&search=unik-beskrivelse')).toEqual([a.uuid]);
      expect(await ids('subject=Filter%20Beta&from-start-time=2027-01-05T00:00:00Z')).toEqual([b.uuid]);
    });

    it('needs from-start-time and to-start-time together (28) and some parameter (36)', async () => {
      expectVdxError(await call(t, c.planner, 'GET', 'meetings?from-start-time=2027-01-05T00:00:00Z'), 400, 28);
      expectVdxError(await call(t, c.planner, 'GET', 'meetings?to-start-time=2027-01-05T00:00:00Z'), 400, 28);
      expectVdxError(await call(t, c.planner, 'GET', 'meetings'), 400, 36);
      expectVdxError(await call(t, c.planner, 'GET', 'meetings?from-start-time=27-01-05T00:00:00Z&to-start-time=2027-01-05T00:00:00Z'), 400, 25);
    });

    it('finds a meeting by its address with and without domain', async () => {
      const withDomain = await call(t, c.planner, 'GET', `meetings/findByUriWithDomain?uri=${encodeURIComponent(uri)}`);
      expect(withDomain.statusCode).toBe(200);
      expect(withDomain.json().uuid).toBe(b.uuid);
      const withoutDomain = (await call(t, c.planner, 'GET', `scheduling-info/${b.uuid}`)).json().uriWithoutDomain;
      const without = await call(t, c.planner, 'GET', `meetings/findByUriWithoutDomain?uri=${withoutDomain}`);
      expect(without.json().uuid).toBe(b.uuid);
      expectVdxError(await call(t, c.planner, 'GET', 'meetings/findByUriWithDomain?uri=nothing@video.test'), 404, 11);
      expectVdxError(await call(t, c.planner, 'GET', 'meetings/findByUriWithoutDomain'), 400, 10);
      // Looked up within the caller's organisation: another's meeting is not found.
      expectVdxError(await call(t, c.otherPlanner, 'GET', `meetings/findByUriWithDomain?uri=${encodeURIComponent(uri)}`), 404, 11);
    });
  });

  it('replaces a meeting with PUT', async () => {
    const m = await create(c.userA, { labels: ['gammel'], projectCode: 'P' });
    const res = await call(t, c.userA, 'PUT', `meetings/${m.uuid}`, {
      subject: 'Nyt emne',
      startTime: '2026-03-11T09:00:00Z',
      endTime: '2026-03-11T09:30:00Z',
      labels: ['ny'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      subject: 'Nyt emne',
      description: null,
      projectCode: null,
      startTime: '2026-03-11T10:00:00+01:00',
      labels: ['ny'],
      updatedBy: { organisationId: ORG, email: 'a@region-h.dk' },
    });
    expect((await call(t, c.userA, 'GET', 'meetings?label=gammel')).json()).toEqual([]);
    const info = (await call(t, c.userA, 'GET', `scheduling-info/${m.uuid}`)).json();
    expect(info.vmrStartTime).toBe('2026-03-11T09:45:00+01:00');
    expectVdxError(await call(t, c.userA, 'PUT', `meetings/${m.uuid}`, { subject: 'x' }), 400, 10);
  });

  it('PATCH leaves absent fields alone, clears nulls, and refuses null where not allowed (30)', async () => {
    const m = await create(c.userA, { projectCode: 'P-7', labels: ['a'], additionalInformation: [{ key: 'k', value: 'v' }] });
    const res = await call(t, c.userA, 'PATCH', `meetings/${m.uuid}`, { description: null, labels: null, subject: 'Ændret' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ subject: 'Ændret', description: null, projectCode: 'P-7', labels: [], additionalInformation: [{ key: 'k', value: 'v' }] });
    for (const field of ['subject', 'startTime', 'endTime', 'guestMicrophone', 'guestPinRequired']) {
      expectVdxError(await call(t, c.userA, 'PATCH', `meetings/${m.uuid}`, { [field]: null }), 400, 30);
    }
    expect((await call(t, c.userA, 'GET', `meetings/${m.uuid}`)).json().subject).toBe('Ændret');
    // A cleared organiser is the caller, as the real service has it.
    expect((await call(t, c.userA, 'PATCH', `meetings/${m.uuid}`, { organizedByEmail: null })).json().organizedBy).toEqual({ organisationId: ORG, email: 'a@region-h.dk' });
  });

  it('needs unique additional-information keys (35)', async () => {
    const dup = [{ key: 'k', value: '1' }, { key: 'k', value: '2' }];
    expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody({ additionalInformation: dup })), 400, 35);
    const m = await create(c.userA);
    expectVdxError(await call(t, c.userA, 'PATCH', `meetings/${m.uuid}`, { additionalInformation: dup }), 400, 35);
  });

  it('keeps externalId unique per organisation (21)', async () => {
    await create(c.planner, { externalId: 'ekstern-42' });
    expectVdxError(await call(t, c.planner, 'POST', 'meetings', meetingBody({ externalId: 'ekstern-42' })), 400, 21);
    // Neither PUT nor PATCH carries externalId in the spec: it is set once, at creation.
    const other = await create(c.planner, { externalId: 'ekstern-43' });
    expect((await call(t, c.planner, 'PATCH', `meetings/${other.uuid}`, { externalId: 'ekstern-42' })).json().externalId).toBe('ekstern-43');
    const res = await call(t, c.otherPlanner, 'POST', 'meetings', meetingBody({ externalId: 'ekstern-42' }));
    expect(res.statusCode).toBe(200);
  });

  it('changes only the end time once provisioned, and nothing in other states (12)', async () => {
    const m = await create(c.planner);
    expect((await call(t, c.provisionerUser, 'PUT', `scheduling-info/${m.uuid}`, { provisionStatus: 'PROVISIONED_OK', provisionVmrId: 'vmr-1' })).statusCode).toBe(200);
    const res = await call(t, c.planner, 'PATCH', `meetings/${m.uuid}`, { subject: 'ignoreres', endTime: '2026-03-10T11:00:00Z' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ subject: 'Samtale om genoptræning', endTime: '2026-03-10T12:00:00+01:00' });
    expectVdxError(await call(t, c.planner, 'DELETE', `meetings/${m.uuid}`), 406, 13);
    await call(t, c.provisionerUser, 'PUT', `scheduling-info/${m.uuid}`, { provisionStatus: 'STARTING_TO_DEPROVISION' });
    expectVdxError(await call(t, c.planner, 'PATCH', `meetings/${m.uuid}`, { endTime: '2026-03-10T12:00:00Z' }), 406, 12);
    expectVdxError(await call(t, c.planner, 'PUT', `meetings/${m.uuid}`, meetingBody()), 406, 12);
  });

  it('deletes a meeting that awaits provisioning, with its scheduling info', async () => {
    const m = await create(c.userA);
    const res = await call(t, c.userA, 'DELETE', `meetings/${m.uuid}`);
    expect(res.statusCode).toBe(204);
    expectVdxError(await call(t, c.userA, 'GET', `meetings/${m.uuid}`), 404, 11);
    expectVdxError(await call(t, c.userA, 'GET', `scheduling-info/${m.uuid}`), 404, 11);
    const infos = await t.store.db.selectFrom('booking_scheduling_infos').select('uuid').where('meeting_uuid', '=', m.uuid).execute();
    expect(infos).toEqual([]);
  });

  it('announces meeting and scheduling-info changes after they are stored', async () => {
    const seen: string[] = [];
    const checks: Promise<string>[] = [];
    const offMeeting = t.handles.domainEvents.on('meeting.changed', (e: DomainEvents['meeting.changed']) => {
      seen.push(e.change);
      // Looked up at once: the write must already be visible to others when the event fires.
      checks.push(
        t.store.db.selectFrom('booking_meetings').select('uuid').where('uuid', '=', e.meetingUuid).executeTakeFirst()
          .then((row) => `${e.change}:${row ? 'stored' : 'absent'}`),
      );
    });
    const offInfo = t.handles.domainEvents.on('scheduling-info.changed', (e) => void seen.push(`info:${e.provisionStatus}`));
    try {
      const m = await create(c.userA);
      await call(t, c.userA, 'PATCH', `meetings/${m.uuid}`, { subject: 'x' });
      await call(t, c.userA, 'DELETE', `meetings/${m.uuid}`);
      expect(seen).toEqual(['created', 'info:AWAITS_PROVISION', 'updated', 'info:AWAITS_PROVISION', 'deleted']);
      expect(await Promise.all(checks)).toEqual(['created:stored', 'updated:stored', 'deleted:absent']);
    } finally {
      offMeeting();
      offInfo();
    }
  });
});
