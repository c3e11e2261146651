import { beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { tokenFor } from '../test-support/tokens';
import {
  ORG,
  SPEC_MEETING,
  VDX_ROLES,
  call,
  callers,
  chars,
  expectRoleRules,
  expectSpecFields,
  expectVdxError,
  follow,
  meetingBody,
  stopEmbeddedProvisioner,
  templateBody,
  type Callers,
  type Method,
  type Role,
  type Target,
} from './booking.test-support';

/**
 * Contract tests of the VDX Booking API v2 (spec 1.12.3, tag "Video Meetings V2"), operation by
 * operation: the role rules the real integration tests pin, required fields, types, the spec's
 * limits at their boundary, the detailed_error_code of every documented failure, and the fields
 * of the answers. docs/booking-api-conformance.md maps each check to the spec; the readings
 * chosen where the spec is vague are listed there. One app per database kind.
 */
type Body = Record<string, unknown>;

const WRITERS: readonly Role[] = ['meeting-admin', 'meeting-user', 'meeting-planner', 'meeting-provisioner-user'];
const READERS: readonly Role[] = VDX_ROLES;
const UNKNOWN_UUID = '0b5d2b8e-9d63-4a59-8a8e-2f1d7a6a0c11';
const POOL_ORG = 'contract-pool-org';
const CUSTOM_ORG = 'contract-custom-org';
const SEARCH_ORG = 'contract-search-org';

describe.each(DB_KINDS)('VDX Booking API v2 contract (meetings) on %s', (kind) => {
  const t = useTestApp(kind);
  let c: Callers;
  /** Planner+admin of an organisation that allows custom addresses, and one keeping a pool. */
  let custom: string;
  let poolAdmin: string;
  let poolTemplateId: number;

  beforeAll(async () => {
    c = await callers(t);
    await stopEmbeddedProvisioner(t);
    expect((await call(t, c.admin, 'POST', 'scheduling-templates', templateBody())).statusCode).toBe(200);
    custom = await tokenFor(t, { roles: ['meeting-admin', 'meeting-planner'], organisation: CUSTOM_ORG, email: 'p@custom.dk', allowCustomUriWithoutDomain: true });
    expect((await call(t, custom, 'POST', 'scheduling-templates', templateBody({ uriDomain: 'custom.test' }))).statusCode).toBe(200);
    poolAdmin = await tokenFor(t, { roles: ['meeting-admin', 'meeting-planner'], organisation: POOL_ORG, email: 'admin@pool.dk', poolSize: 3 });
    poolTemplateId = (await call(t, poolAdmin, 'POST', 'scheduling-templates', templateBody({ isPoolTemplate: true, uriPrefix: 'pool', uriDomain: 'pool.test' }))).json().id;
  });

  const create = async (token: string, overrides: Body = {}) => {
    const res = await call(t, token, 'POST', 'meetings', meetingBody(overrides));
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Body & { uuid: string; shortId: string };
  };
  const infoOf = async (uuid: string) => (await call(t, c.planner, 'GET', `scheduling-info/${uuid}`)).json() as Body;
  const provisioned = async (uuid: string) =>
    expect((await call(t, c.provisionerUser, 'PUT', `scheduling-info/${uuid}`, { provisionStatus: 'PROVISIONED_OK' })).statusCode).toBe(200);
  /** A provisioned, unused pool info of the pool organisation (ours: POST may report the status at once). */
  const readyPoolInfo = async () => {
    const res = await call(t, c.provisionerUser, 'POST', 'scheduling-info', { organizationId: POOL_ORG, schedulingTemplateId: poolTemplateId, provisionStatus: 'PROVISIONED_OK' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Body & { uuid: string };
  };

  const roleRules = (method: Method, target: Target, allowed: readonly Role[], body?: () => Body) => expectRoleRules(() => ({ t, c }), method, target, allowed, body);

  describe('POST /videoapi/v2/meetings', () => {
    roleRules('POST', 'meetings', WRITERS, () => meetingBody());

    it('answers 200 to only the required fields, with the documented defaults and every meeting field', async () => {
      const res = await call(t, c.userA, 'POST', 'meetings', { subject: 'Kun det krævede', startTime: '2026-03-10T09:00:00Z', endTime: '2026-03-10T10:00:00Z' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/hal\+json/);
      const m = res.json();
      expectSpecFields(m, SPEC_MEETING);
      expect(m).toMatchObject({
        description: null,
        projectCode: null,
        externalId: null,
        labels: [],
        additionalInformation: [],
        guestMicrophone: 'on',
        guestPinRequired: false,
        organizedBy: { organisationId: ORG, email: 'a@region-h.dk' },
        createdBy: { organisationId: ORG, email: 'a@region-h.dk' },
        // Present with empty fields until someone changes the meeting (the real IT pins the object).
        updatedBy: { organisationId: null, email: null },
        updatedTime: null,
      });
      expect(m.shortId).toHaveLength(12);
      expect(m.shortlink).toBe(m.shortLink);
    });

    it('answers _links whose hrefs resolve: self to the meeting, scheduling-info to its info', async () => {
      const m = await create(c.userA);
      const links = m._links as { self: { href: string }; 'scheduling-info': { href: string } };
      expect((await follow(t, c.userA, links.self.href)).uuid).toBe(m.uuid);
      expect(((await follow(t, c.userA, links['scheduling-info'].href)).meetingDetails as Body).uuid).toBe(m.uuid);
    });

    it.each(['subject', 'startTime', 'endTime'])('answers 400 code 10 without the required %s', async (field) => {
      const body: Body = meetingBody();
      delete body[field];
      expectVdxError(await call(t, c.userA, 'POST', 'meetings', body), 400, 10);
    });

    it.each<[string, Body]>([
      ['subject as a number', { subject: 5 }],
      ['an empty subject (required: not empty)', { subject: '' }],
      ['startTime that is no date', { startTime: 'i morgen' }],
      ['an impossible endTime', { endTime: '2026-02-30T10:00:00Z' }],
      ['guestMicrophone outside its enum', { guestMicrophone: 'loud' }],
      ['meetingType outside its enum', { meetingType: 'ADHOC' }],
      ['vmrType outside its enum', { vmrType: 'webinar' }],
      ['hostView outside its enum', { hostView: 'one_main_one_pip' }],
      ['vmrQuality outside its enum (full_hd was renamed fullhd in 1.7.12)', { vmrQuality: 'full_hd' }],
      ['guestPinRequired as a string', { guestPinRequired: 'ja' }],
      ['labels as a string', { labels: 'fysioterapi' }],
      ['additionalInformation without a value', { additionalInformation: [{ key: 'k' }] }],
      ['a uuid that is no uuid', { uuid: 'abc' }],
      ['a schedulingInfoReservationId that is no uuid', { schedulingInfoReservationId: 'abc' }],
      ['hostPin with a fraction', { hostPin: 1234.5 }],
      ['maxParticipants beyond int32', { maxParticipants: 2 ** 31 }],
      ['schedulingTemplateId as a word', { schedulingTemplateId: 'fem' }],
    ])('answers 400 code 10 to %s', async (_name, overrides) => {
      expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody(overrides)), 400, 10);
    });

    it.each<[string, Body, Body]>([
      ['subject ≤ 100', { subject: chars(100) }, { subject: chars(101) }],
      ['description ≤ 500', { description: chars(500) }, { description: chars(501) }],
      ['projectCode ≤ 100', { projectCode: chars(100) }, { projectCode: chars(101) }],
      ['externalId ≤ 200', { externalId: chars(200, 'e') }, { externalId: chars(201, 'e') }],
      ['hostPin ≥ 1000', { hostPin: 1000 }, { hostPin: 999 }],
      ['hostPin ≤ 999999999', { hostPin: 999_999_999 }, { hostPin: 1_000_000_000 }],
      ['guestPin ≥ 1000', { guestPin: 1000 }, { guestPin: 999 }],
      ['guestPin ≤ 999999999', { guestPin: 999_999_999 }, { guestPin: 1_000_000_000 }],
      ['additionalInformation key ≤ 100', { additionalInformation: [{ key: chars(100), value: 'v' }] }, { additionalInformation: [{ key: chars(101), value: 'v' }] }],
      ['additionalInformation value ≤ 100', { additionalInformation: [{ key: 'k', value: chars(100) }] }, { additionalInformation: [{ key: 'k', value: chars(101) }] }],
    ])('keeps the limit %s: the maximum passes, one beyond answers 400 code 10', async (_name, ok, beyond) => {
      expect((await call(t, c.userA, 'POST', 'meetings', meetingBody(ok))).statusCode).toBe(200);
      expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody(beyond)), 400, 10);
    });

    it('keeps uriWithoutDomain ≤ 100 where custom addresses are allowed', async () => {
      expect((await call(t, custom, 'POST', 'meetings', meetingBody({ uriWithoutDomain: chars(100, 'a') }))).statusCode).toBe(200);
      expectVdxError(await call(t, custom, 'POST', 'meetings', meetingBody({ uriWithoutDomain: chars(101, 'b') })), 400, 10);
    });

    it('takes maxParticipants 0 (the spec default) as "the template\'s", and a positive one over it', async () => {
      expect((await infoOf((await create(c.userA, { maxParticipants: 0 })).uuid)).maxParticipants).toBe(10);
      expect((await infoOf((await create(c.userA, { maxParticipants: 4 })).uuid)).maxParticipants).toBe(4);
    });

    it('takes integers as digit strings too, as the real service reads them', async () => {
      expect((await infoOf((await create(c.userA, { hostPin: '4321', maxParticipants: '7' })).uuid)).hostPin).toBe(4321);
    });

    it('honours uuid, callType, PINs and the VMR settings on create', async () => {
      const uuid = '5f0d0c8a-6f1e-4c57-9a43-3e2f1b0f9d21';
      const m = await create(c.userA, {
        uuid, callType: 'AudioSendRecvVideoSendRecv', hostPin: 24680, guestPin: 13579, vmrType: 'lecture', hostView: 'two_mains_twentyone_pips',
        guestView: 'one_main_zero_pips', vmrQuality: 'fullhd', enableOverlayText: false, guestsCanPresent: false, forcePresenterIntoMain: false,
        forceEncryption: true, muteAllGuests: true, endMeetingOnEndTime: true,
      });
      expect(m.uuid).toBe(uuid);
      expect(await infoOf(uuid)).toMatchObject({
        callType: 'AudioSendRecvVideoSendRecv', hostPin: 24680, guestPin: 13579, vmrType: 'lecture', hostView: 'two_mains_twentyone_pips',
        guestView: 'one_main_zero_pips', vmrQuality: 'fullhd', enableOverlayText: false, guestsCanPresent: false, forcePresenterIntoMain: false,
        forceEncryption: true, muteAllGuests: true, endMeetingOnEndTime: true,
      });
      expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody({ uuid })), 400, 10);
    });

    it('takes organizedByEmail from a planner or admin, and ignores it from other roles', async () => {
      for (const token of [c.planner, c.admin]) {
        expect((await create(token, { organizedByEmail: 'b@region-h.dk' })).organizedBy).toEqual({ organisationId: ORG, email: 'b@region-h.dk' });
      }
      expect((await create(c.userA, { organizedByEmail: 'b@region-h.dk' })).organizedBy).toEqual({ organisationId: ORG, email: 'a@region-h.dk' });
      // A plain string (no e-mail format), and an empty one counts as not given.
      expect((await create(c.planner, { organizedByEmail: 'ikke-en-adresse' })).organizedBy).toMatchObject({ email: 'ikke-en-adresse' });
      expect((await create(c.planner, { organizedByEmail: '' })).organizedBy).toMatchObject({ email: 'planner@region-h.dk' });
    });

    it('uses a valid schedulingTemplateId, and the default for an unknown one', async () => {
      const tpl = (await call(t, c.admin, 'POST', 'scheduling-templates', templateBody({ isDefaultTemplate: false, uriDomain: 'other.test' }))).json();
      expect((await infoOf((await create(c.userA, { schedulingTemplateId: tpl.id })).uuid)).uriWithDomain).toMatch(/@other\.test$/);
      expect((await infoOf((await create(c.userA, { schedulingTemplateId: 987_654 })).uuid)).uriWithDomain).toMatch(/@video\.test$/);
    });

    it('answers 400 code 21 to an externalId the organisation already uses', async () => {
      await create(c.planner, { externalId: 'contract-ext-1' });
      const body = expectVdxError(await call(t, c.planner, 'POST', 'meetings', meetingBody({ externalId: 'contract-ext-1' })), 400, 21);
      expect(body.detailed_error).toBe('ExternalId not unique within organisation.');
    });

    it('answers 400 code 25 to a year with other than 4 digits', async () => {
      expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody({ startTime: '226-03-10T09:00:00Z' })), 400, 25);
      expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody({ endTime: '20260-03-10T09:00:00Z' })), 400, 25);
    });

    it('answers 400 code 35 to additional-information keys that repeat', async () => {
      expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody({ additionalInformation: [{ key: 'k', value: '1' }, { key: 'k', value: '2' }] })), 400, 35);
    });

    it('answers custom addresses with 31 (not allowed), 33 (characters), 32 (taken)', async () => {
      expectVdxError(await call(t, c.planner, 'POST', 'meetings', meetingBody({ uriWithoutDomain: 'lokale1' })), 400, 31);
      expectVdxError(await call(t, custom, 'POST', 'meetings', meetingBody({ uriWithoutDomain: 'lokale-1' })), 400, 33);
      expectVdxError(await call(t, custom, 'POST', 'meetings', meetingBody({ uriWithoutDomain: '' })), 400, 33);
      const m = await create(custom, { uriWithoutDomain: 'Lokale1' });
      expect((await call(t, custom, 'GET', `scheduling-info/${m.uuid}`)).json()).toMatchObject({ uriWithoutDomain: 'Lokale1', uriWithDomain: 'Lokale1@custom.test' });
      expectVdxError(await call(t, custom, 'POST', 'meetings', meetingBody({ uriWithoutDomain: 'Lokale1' })), 400, 32);
    });

    it('answers template setup problems with 406: URI range 14, full range 15, guest PIN 16, host PIN 17', async () => {
      const tpl = async (o: Body) => (await call(t, c.admin, 'POST', 'scheduling-templates', templateBody({ isDefaultTemplate: false, ...o }))).json().id as number;
      expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody({ schedulingTemplateId: await tpl({ uriNumberRangeLow: 5, uriNumberRangeHigh: 5 }) })), 406, 14);
      const one = await tpl({ uriDomain: 'one.test', uriNumberRangeLow: 5, uriNumberRangeHigh: 6 });
      await create(c.userA, { schedulingTemplateId: one });
      expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody({ schedulingTemplateId: one })), 406, 15);
      expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody({ schedulingTemplateId: await tpl({ guestPinRequired: true, guestPinRangeLow: null }) })), 406, 16);
      expectVdxError(await call(t, c.userA, 'POST', 'meetings', meetingBody({ schedulingTemplateId: await tpl({ hostPinRangeLow: 9, hostPinRangeHigh: 1 }) })), 406, 17);
    });

    it('answers an ad hoc (POOL) meeting with 19 outside a pool organisation, 20 when its pool is empty, else takes a pool info', async () => {
      expectVdxError(await call(t, c.planner, 'POST', 'meetings', meetingBody({ meetingType: 'POOL' })), 400, 19);
      const now = t.clock.now().getTime();
      const adHoc = meetingBody({ meetingType: 'POOL', startTime: new Date(now + 60_000).toISOString(), endTime: new Date(now + 3_600_000).toISOString() });
      const free = await readyPoolInfo();
      const m = (await call(t, poolAdmin, 'POST', 'meetings', adHoc)).json();
      expect((await call(t, poolAdmin, 'GET', `scheduling-info/${m.uuid}`)).json()).toMatchObject({ uuid: free.uuid, provisionStatus: 'PROVISIONED_OK' });
      expectVdxError(await call(t, poolAdmin, 'POST', 'meetings', adHoc), 400, 20);
    });

    it('books an ad hoc meeting without a pool where the organisation allows them (the bootstrap organisation does)', async () => {
      const bootstrap = await tokenFor(t, { roles: ['meeting-planner'], organisation: t.config.bootstrapOrganisation, email: 'p@vdx.test' });
      const now = t.clock.now().getTime();
      const m = await create(bootstrap, { meetingType: 'POOL', startTime: new Date(now + 60_000).toISOString(), endTime: new Date(now + 3_600_000).toISOString() });
      expect((await call(t, bootstrap, 'GET', `scheduling-info/${m.uuid}`)).json()).toMatchObject({ uuid: m.uuid, provisionStatus: 'AWAITS_PROVISION' });
    });

    it('books on a reservation (29 unknown, 34 with a PIN)', async () => {
      const free = await readyPoolInfo();
      const reservation = (await call(t, poolAdmin, 'GET', 'scheduling-info-reserve')).json();
      expect(reservation.uuid).toBe(free.uuid);
      expectVdxError(await call(t, poolAdmin, 'POST', 'meetings', meetingBody({ schedulingInfoReservationId: reservation.reservationId, guestPin: 1234 })), 400, 34);
      expectVdxError(await call(t, poolAdmin, 'POST', 'meetings', meetingBody({ schedulingInfoReservationId: UNKNOWN_UUID })), 400, 29);
      const m = await create(poolAdmin, { schedulingInfoReservationId: reservation.reservationId });
      expect((await call(t, poolAdmin, 'GET', `scheduling-info/${m.uuid}`)).json()).toMatchObject({ uuid: free.uuid, reservationId: reservation.reservationId });
    });
  });

  describe('GET /videoapi/v2/meetings', () => {
    let planner: string;
    let user: string;
    const m: Record<'alfa' | 'beta' | 'gamma', { uuid: string; shortId: string }> = {} as never;
    let uriBeta: string;
    beforeAll(async () => {
      planner = await tokenFor(t, { roles: ['meeting-planner', 'meeting-admin'], organisation: SEARCH_ORG, email: 'planner@search.dk' });
      user = await tokenFor(t, { roles: ['meeting-user'], organisation: SEARCH_ORG, email: 'user@search.dk' });
      await call(t, planner, 'POST', 'scheduling-templates', templateBody({ uriDomain: 'search.test' }));
      m.alfa = await create(planner, { subject: 'Søg Alfa', labels: ['etiket-a'], startTime: '2027-02-01T09:00:00Z', endTime: '2027-02-01T10:00:00Z', organizedByEmail: 'user@search.dk' });
      m.beta = await create(planner, { subject: 'Søg Beta', description: 'unik beskrivelse', startTime: '2027-02-02T09:00:00Z', endTime: '2027-02-02T10:00:00Z' });
      m.gamma = await create(planner, { subject: 'Søg Gamma', projectCode: 'PRJ-G', startTime: '2027-02-03T09:00:00Z', endTime: '2027-02-03T10:00:00Z' });
      uriBeta = (await call(t, planner, 'GET', `scheduling-info/${m.beta.uuid}`)).json().uriWithDomain;
    });
    const ids = async (query: string, token = planner) => {
      const res = await call(t, token, 'GET', `meetings?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/hal\+json/);
      return (res.json() as { uuid: string }[]).map((x) => x.uuid);
    };

    roleRules('GET', 'meetings?search=x', READERS);

    it.each<[string, () => string, () => string[]]>([
      ['short-id (one meeting)', () => `short-id=${m.alfa.shortId}`, () => [m.alfa.uuid]],
      ['label (exact)', () => 'label=etiket-a', () => [m.alfa.uuid]],
      ['subject (the whole subject, any case)', () => `subject=${encodeURIComponent('søg beta')}`, () => [m.beta.uuid]],
      ['organizedBy (the organiser\'s e-mail)', () => 'organizedBy=user@search.dk', () => [m.alfa.uuid]],
      ['search in subject and description', () => 'search=unik', () => [m.beta.uuid]],
      ['search for a label, an organiser or an address', () => `search=${encodeURIComponent(uriBeta)}`, () => [m.beta.uuid]],
      ['search narrowed by from/to-start-time (strictly between)', () => 'search=S%C3%B8g&from-start-time=2027-02-01T09:00:00Z&to-start-time=2027-02-03T09:00:01Z', () => [m.beta.uuid, m.gamma.uuid]],
      ['from-start-time + to-start-time (start within, inclusive)', () => 'from-start-time=2027-02-02T09:00:00Z&to-start-time=2027-02-03T09:00:00Z', () => [m.beta.uuid, m.gamma.uuid]],
      ['uriWithDomain', () => `uriWithDomain=${encodeURIComponent(uriBeta)}`, () => [m.beta.uuid]],
      ['the first parameter present (short-id before subject)', () => `short-id=${m.gamma.shortId}&subject=${encodeURIComponent('Søg Alfa')}`, () => [m.gamma.uuid]],
      ['an empty parameter as absent', () => `label=&subject=${encodeURIComponent('Søg Alfa')}`, () => [m.alfa.uuid]],
    ])('filters by %s', async (_name, query, expected) => {
      expect(await ids(query())).toEqual(expected());
    });

    it('lets a meeting-user see only the meetings they organise', async () => {
      expect(await ids('search=S%C3%B8g', user)).toEqual([m.alfa.uuid]);
      expectVdxError(await call(t, user, 'GET', `meetings?short-id=${m.beta.shortId}`), 403, 11);
    });

    it('answers every meeting field, with _links, on each item', async () => {
      const list = (await call(t, planner, 'GET', 'meetings?search=S%C3%B8g')).json() as Body[];
      for (const item of list) expectSpecFields(item, SPEC_MEETING, String(item.uuid));
      expect((await follow(t, planner, (list[0]!._links as { self: { href: string } }).self.href)).uuid).toBe(list[0]!.uuid);
    });

    it.each<[string, string, number, number]>([
      ['no parameter', '', 400, 36],
      ['from-start-time without to-start-time', 'from-start-time=2027-02-01T00:00:00Z', 400, 28],
      ['to-start-time without from-start-time', 'to-start-time=2027-02-01T00:00:00Z', 400, 28],
      ['search with only one end of the window', 'search=x&from-start-time=2027-02-01T00:00:00Z', 400, 28],
      ['a year with 5 digits', 'from-start-time=20270-02-01T00:00:00Z&to-start-time=2027-02-02T00:00:00Z', 400, 25],
      ['a short-id of 11 characters (always 12)', 'short-id=abcdefghijk', 400, 10],
      ['an empty short-id', 'short-id=', 400, 10],
      ['a short-id no meeting has', 'short-id=000000000000', 404, 11],
    ])('answers %s with %i code %i', async (_name, query, status, code) => {
      expectVdxError(await call(t, planner, 'GET', `meetings?${query}`), status, code);
    });
  });

  describe('GET /videoapi/v2/meetings/{uuid}', () => {
    let mine: { uuid: string };
    beforeAll(async () => {
      mine = await create(c.userA);
    });
    roleRules('GET', () => `meetings/${mine.uuid}`, READERS);

    it('answers the meeting with every field', async () => {
      const res = await call(t, c.userA, 'GET', `meetings/${mine.uuid}`);
      expect(res.headers['content-type']).toMatch(/^application\/hal\+json/);
      expectSpecFields(res.json(), SPEC_MEETING);
    });

    it.each<[string, () => [string, string], number]>([
      ['another organisation\'s meeting', () => [c.otherPlanner, `meetings/${mine.uuid}`], 403],
      ['another user\'s meeting to a meeting-user', () => [c.userB, `meetings/${mine.uuid}`], 403],
      ['an unknown uuid', () => [c.planner, `meetings/${UNKNOWN_UUID}`], 404],
    ])('answers %s with %i code 11', async (_name, req, status) => {
      const [token, url] = req();
      expectVdxError(await call(t, token, 'GET', url), status, 11);
    });

    it('answers 400 code 10 to a uuid that is no uuid', async () => {
      expectVdxError(await call(t, c.planner, 'GET', 'meetings/not-a-uuid'), 400, 10);
    });
  });

  describe('PUT /videoapi/v2/meetings/{uuid}', () => {
    roleRules('PUT', async () => `meetings/${(await create(c.userA)).uuid}`, WRITERS, () => meetingBody());

    it('replaces the update-meeting fields; absent optional ones become empty, others stay', async () => {
      const m = await create(c.planner, {
        description: 'd', projectCode: 'p', labels: ['l'], additionalInformation: [{ key: 'k', value: 'v' }], externalId: 'contract-put-1',
        guestMicrophone: 'muted', guestPinRequired: true, organizedByEmail: 'b@region-h.dk',
      });
      const res = await call(t, c.planner, 'PUT', `meetings/${m.uuid}`, { subject: 'Nyt', startTime: '2026-03-11T09:00:00Z', endTime: '2026-03-11T09:30:00Z' });
      expect(res.statusCode, res.body).toBe(200);
      const put = res.json();
      expectSpecFields(put, SPEC_MEETING);
      expect(put).toMatchObject({
        subject: 'Nyt', description: null, projectCode: null, labels: [], additionalInformation: [],
        // Not PUT's fields: they stay.
        externalId: 'contract-put-1', guestMicrophone: 'muted', guestPinRequired: true,
        // The spec (0.3.1): without organizedByEmail the updating user becomes the organiser.
        organizedBy: { organisationId: ORG, email: 'planner@region-h.dk' },
        updatedBy: { organisationId: ORG, email: 'planner@region-h.dk' },
      });
      expect(put.updatedTime).toEqual(expect.any(String));
    });

    it.each(['subject', 'startTime', 'endTime'])('answers 400 code 10 without the required %s', async (field) => {
      const m = await create(c.userA);
      const body: Body = meetingBody();
      delete body[field];
      expectVdxError(await call(t, c.userA, 'PUT', `meetings/${m.uuid}`, body), 400, 10);
    });

    it('keeps subject ≤ 100 and description ≤ 500', async () => {
      const m = await create(c.userA);
      expect((await call(t, c.userA, 'PUT', `meetings/${m.uuid}`, meetingBody({ subject: chars(100), description: chars(500) }))).statusCode).toBe(200);
      expectVdxError(await call(t, c.userA, 'PUT', `meetings/${m.uuid}`, meetingBody({ subject: chars(101) })), 400, 10);
      expectVdxError(await call(t, c.userA, 'PUT', `meetings/${m.uuid}`, meetingBody({ description: chars(501) })), 400, 10);
    });

    it('changes only endTime once PROVISIONED_OK, and answers 406 code 12 in other states', async () => {
      const m = await create(c.planner);
      await provisioned(m.uuid);
      const res = await call(t, c.planner, 'PUT', `meetings/${m.uuid}`, meetingBody({ subject: 'ignoreres', endTime: '2026-03-10T11:00:00Z' }));
      expect(res.json()).toMatchObject({ subject: 'Samtale om genoptræning', endTime: '2026-03-10T12:00:00+01:00' });
      await call(t, c.provisionerUser, 'PUT', `scheduling-info/${m.uuid}`, { provisionStatus: 'STARTING_TO_DEPROVISION' });
      const body = expectVdxError(await call(t, c.planner, 'PUT', `meetings/${m.uuid}`, meetingBody()), 406, 12);
      expect(body.detailed_error).toBe('Meeting must have status AWAITS_PROVISION (0)  or PROVISIONED_OK (3) in order to be updated');
    });

    it('answers an unknown meeting with 404 and another organisation\'s with 403', async () => {
      expectVdxError(await call(t, c.planner, 'PUT', `meetings/${UNKNOWN_UUID}`, meetingBody()), 404, 11);
      const m = await create(c.planner);
      expectVdxError(await call(t, c.otherPlanner, 'PUT', `meetings/${m.uuid}`, meetingBody()), 403, 11);
    });
  });

  describe('PATCH /videoapi/v2/meetings/{uuid}', () => {
    roleRules('PATCH', async () => `meetings/${(await create(c.userA)).uuid}`, WRITERS, () => ({ subject: 'x' }));

    it('leaves absent fields alone and clears those set to null', async () => {
      const m = await create(c.userA, { description: 'd', projectCode: 'p', labels: ['l'], additionalInformation: [{ key: 'k', value: 'v' }], hostPin: 1111 });
      const res = await call(t, c.userA, 'PATCH', `meetings/${m.uuid}`, { description: null, labels: null, additionalInformation: null, hostPin: null });
      expect(res.statusCode, res.body).toBe(200);
      expectSpecFields(res.json(), SPEC_MEETING);
      expect(res.json()).toMatchObject({ subject: 'Samtale om genoptræning', description: null, projectCode: 'p', labels: [], additionalInformation: [] });
      expect((await infoOf(m.uuid)).hostPin).toBeNull();
    });

    it('sets hostPin, guestPin and callType of the VMR while it awaits provisioning', async () => {
      const m = await create(c.userA);
      expect((await call(t, c.userA, 'PATCH', `meetings/${m.uuid}`, { hostPin: 4321, guestPin: 1234, callType: 'ny-type' })).statusCode).toBe(200);
      expect(await infoOf(m.uuid)).toMatchObject({ hostPin: 4321, guestPin: 1234, callType: 'ny-type' });
    });

    it.each(['subject', 'startTime', 'endTime', 'guestMicrophone', 'guestPinRequired'])('answers 400 code 30 to %s set to null', async (field) => {
      const m = await create(c.userA);
      const body = expectVdxError(await call(t, c.userA, 'PATCH', `meetings/${m.uuid}`, { [field]: null }), 400, 30);
      expect(body.detailed_error).toMatch(/^Field can not be set to null/);
    });

    it.each<[string, Body, Body]>([
      ['hostPin in 1000..999999999', { hostPin: 1000 }, { hostPin: 999 }],
      ['guestPin in 1000..999999999', { guestPin: 999_999_999 }, { guestPin: 1_000_000_000 }],
      ['subject ≤ 100', { subject: chars(100) }, { subject: chars(101) }],
      ['projectCode ≤ 100', { projectCode: chars(100) }, { projectCode: chars(101) }],
    ])('keeps %s at its boundary', async (_name, ok, beyond) => {
      const m = await create(c.userA);
      expect((await call(t, c.userA, 'PATCH', `meetings/${m.uuid}`, ok)).statusCode).toBe(200);
      expectVdxError(await call(t, c.userA, 'PATCH', `meetings/${m.uuid}`, beyond), 400, 10);
    });

    it('answers 406 code 12 unless AWAITS_PROVISION or PROVISIONED_OK, and 404 for an unknown meeting', async () => {
      const m = await create(c.planner);
      await call(t, c.provisionerUser, 'PUT', `scheduling-info/${m.uuid}`, { provisionStatus: 'PROVISION_PROBLEMS' });
      expectVdxError(await call(t, c.planner, 'PATCH', `meetings/${m.uuid}`, { subject: 'x' }), 406, 12);
      expectVdxError(await call(t, c.planner, 'PATCH', `meetings/${UNKNOWN_UUID}`, { subject: 'x' }), 404, 11);
    });
  });

  describe('DELETE /videoapi/v2/meetings/{uuid}', () => {
    roleRules('DELETE', async () => `meetings/${(await create(c.userA)).uuid}`, WRITERS);

    it('answers 204 and the meeting and its scheduling info are gone', async () => {
      const m = await create(c.userA);
      const res = await call(t, c.userA, 'DELETE', `meetings/${m.uuid}`);
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');
      expectVdxError(await call(t, c.userA, 'GET', `meetings/${m.uuid}`), 404, 11);
      expectVdxError(await call(t, c.userA, 'GET', `scheduling-info/${m.uuid}`), 404, 11);
    });

    it('answers 406 code 13 unless AWAITS_PROVISION', async () => {
      const m = await create(c.planner);
      await provisioned(m.uuid);
      const body = expectVdxError(await call(t, c.planner, 'DELETE', `meetings/${m.uuid}`), 406, 13);
      expect(body.detailed_error).toBe('Meeting must have status AWAITS_PROVISION (0) in order to be deleted');
    });

    it('answers 404 for an unknown meeting and 403 for another user\'s (meeting-user)', async () => {
      expectVdxError(await call(t, c.userA, 'DELETE', `meetings/${UNKNOWN_UUID}`), 404, 11);
      const theirs = await create(c.userB);
      expectVdxError(await call(t, c.userA, 'DELETE', `meetings/${theirs.uuid}`), 403, 11);
    });
  });

  describe.each<[string, boolean]>([
    ['GET /videoapi/v2/meetings/findByUriWithDomain', true],
    ['GET /videoapi/v2/meetings/findByUriWithoutDomain', false],
  ])('%s', (_op, withDomain) => {
    const path = withDomain ? 'meetings/findByUriWithDomain' : 'meetings/findByUriWithoutDomain';
    let m: { uuid: string };
    let uri: string;
    beforeAll(async () => {
      m = await create(c.userA);
      const info = await infoOf(m.uuid);
      uri = String(withDomain ? info.uriWithDomain : info.uriWithoutDomain);
    });
    roleRules('GET', () => `${path}?uri=${encodeURIComponent(uri)}`, READERS);

    it('answers the meeting on that address with every field and resolving _links', async () => {
      const res = await call(t, c.userA, 'GET', `${path}?uri=${encodeURIComponent(uri)}`);
      expect(res.headers['content-type']).toMatch(/^application\/hal\+json/);
      expectSpecFields(res.json(), SPEC_MEETING);
      expect((await follow(t, c.userA, res.json()._links['scheduling-info'].href)).uuid).toBe(m.uuid);
    });

    it.each<[string, () => [string, string], number, number]>([
      ['the required uri missing', () => [c.planner, path], 400, 10],
      ['an address nobody has', () => [c.planner, `${path}?uri=${withDomain ? 'ingen@video.test' : '0'}`], 404, 11],
      ['another organisation\'s address (looked up within the caller\'s)', () => [c.otherPlanner, `${path}?uri=${encodeURIComponent(uri)}`], 404, 11],
      ['another user\'s address to a meeting-user', () => [c.userB, `${path}?uri=${encodeURIComponent(uri)}`], 404, 11],
    ])('answers %s with %i code %i', async (_name, req, status, code) => {
      const [token, url] = req();
      expectVdxError(await call(t, token, 'GET', url), status, code);
    });
  });
});
