import { beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { tokenFor } from '../test-support/tokens';
import {
  ORG,
  SPEC_SCHEDULING_INFO,
  SPEC_TEMPLATE,
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
 * Contract tests of the VDX Booking API v2 (spec 1.12.3), tags "Video Scheduling Information V2",
 * "Scheduling Template Administration V2", "Pool V2" and "Info V2", operation by operation (see
 * booking.contract.meetings.test.ts for the meetings and docs/booking-api-conformance.md for the
 * map), plus the CORS preflights of every path. One app per database kind.
 */
type Body = Record<string, unknown>;

const READERS: readonly Role[] = VDX_ROLES;
const UNKNOWN_UUID = '6f1d8f3e-3f52-4f3a-9a51-3b0d7f0f5a11';
const POOL_ORG = 'contract-pool';
const SUB_ORG = 'contract-sub';
const ALLOWED_ORIGIN = 'http://allowed:4100';
/** The seven fields the spec's schedulingTemplateRequest requires. */
const TEMPLATE_REQUIRED = {
  conferencingSysId: 43,
  uriPrefix: 'min',
  uriDomain: 'minimal.test',
  hostPinRequired: true,
  guestPinRequired: false,
  uriNumberRangeLow: 1000,
  uriNumberRangeHigh: 9999,
};

describe.each(DB_KINDS)('VDX Booking API v2 contract (scheduling info, templates, pool, info) on %s', (kind) => {
  const t = useTestApp(kind, { env: { VDX_CORS_ORIGINS: ALLOWED_ORIGIN } });
  let c: Callers;
  let poolAdmin: string;
  let poolTemplateId: number;
  let lectureTemplateId: number;

  beforeAll(async () => {
    c = await callers(t);
    await stopEmbeddedProvisioner(t);
    expect((await call(t, c.admin, 'POST', 'scheduling-templates', templateBody({ customPortalGuest: 'https://portal/g', returnUrl: 'https://retur', callType: 'video' }))).statusCode).toBe(200);
    expect((await call(t, c.otherAdmin, 'POST', 'scheduling-templates', templateBody({ uriDomain: 'other.test' }))).statusCode).toBe(200);
    poolAdmin = await tokenFor(t, { roles: ['meeting-admin', 'meeting-planner'], organisation: POOL_ORG, email: 'admin@pool.dk', poolSize: 4 });
    poolTemplateId = (await call(t, poolAdmin, 'POST', 'scheduling-templates', templateBody({ isPoolTemplate: true, uriPrefix: 'pool', uriDomain: 'pool.test', customPortalHost: 'https://portal/h', callType: 'pool-call' }))).json().id;
    lectureTemplateId = (await call(t, poolAdmin, 'POST', 'scheduling-templates', templateBody({ isDefaultTemplate: false, uriDomain: 'lecture.test', vmrType: 'lecture', vmrQuality: 'fullhd', muteAllGuests: true }))).json().id;
    // A sub-organisation of ORG with a meeting of its own.
    await tokenFor(t, { roles: ['meeting-planner'], organisation: SUB_ORG, email: 'p@sub.dk' });
    await t.store.db.updateTable('organisations').set({ parent_code: ORG }).where('code', '=', SUB_ORG).execute();
  });

  const roleRules = (method: Method, target: Target, allowed: readonly Role[], body?: () => Body) => expectRoleRules(() => ({ t, c }), method, target, allowed, body);
  const createMeeting = async (token: string, overrides: Body = {}) => {
    const res = await call(t, token, 'POST', 'meetings', meetingBody(overrides));
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Body & { uuid: string; shortLink: string };
  };
  const poolInfo = async (overrides: Body = {}) => {
    const res = await call(t, c.provisionerUser, 'POST', 'scheduling-info', { organizationId: POOL_ORG, schedulingTemplateId: poolTemplateId, ...overrides });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Body & { uuid: string };
  };

  describe('GET /videoapi/v2/scheduling-info', () => {
    const window = 'from-start-time=2028-05-01T00:00:00Z&to-end-time=2028-05-02T00:00:00Z';
    let own: { uuid: string };
    let sub: { uuid: string };
    let other: { uuid: string };
    beforeAll(async () => {
      // 08:00–09:00 with the template's 15 minutes before: the VMR starts 07:45.
      const times = { startTime: '2028-05-01T08:00:00Z', endTime: '2028-05-01T09:00:00Z' };
      own = await createMeeting(c.userB, times);
      sub = await createMeeting(await tokenFor(t, { roles: ['meeting-planner'], organisation: SUB_ORG, email: 'p@sub.dk' }), times);
      other = await createMeeting(c.otherPlanner, times);
    });
    const uuids = async (token: string, query = window) => {
      const res = await call(t, token, 'GET', `scheduling-info?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/hal\+json/);
      return (res.json() as { uuid: string }[]).map((x) => x.uuid);
    };

    roleRules('GET', `scheduling-info?${window}`, READERS);

    it.each(['from-start-time', 'to-end-time'])('answers 400 code 10 without the required %s', async (param) => {
      const query = window.split('&').filter((p) => !p.startsWith(param)).join('&');
      expectVdxError(await call(t, c.planner, 'GET', `scheduling-info?${query}`), 400, 10);
    });

    it('answers 400 to a provision-status outside its enum, and defaults it to AWAITS_PROVISION', async () => {
      expectVdxError(await call(t, c.planner, 'GET', `scheduling-info?${window}&provision-status=DONE`), 400, 10);
      expect(await uuids(c.userA)).toEqual([own.uuid]);
      expect(await uuids(c.userA, `${window}&provision-status=PROVISIONED_OK`)).toEqual([]);
    });

    it.each<[string, string, boolean]>([
      ['the VMR start (start − vmrAvailableBefore) within', 'from-start-time=2028-05-01T07:40:00Z&to-end-time=2028-05-01T07:50:00Z', true],
      ['the end within', 'from-start-time=2028-05-01T08:55:00Z&to-end-time=2028-05-01T09:05:00Z', true],
      ['only the meeting\'s middle within', 'from-start-time=2028-05-01T08:10:00Z&to-end-time=2028-05-01T08:50:00Z', false],
    ])('includes an info by its window: %s → %s', async (_name, query, included) => {
      expect((await uuids(c.planner, query)).includes(own.uuid)).toBe(included);
    });

    it('answers the organisation\'s infos; a planner/admin also its sub-organisations\', a provisioner every organisation\'s', async () => {
      expect(await uuids(c.userA)).toEqual([own.uuid]);
      expect((await uuids(c.admin)).sort()).toEqual([own.uuid, sub.uuid].sort());
      expect(await uuids(c.provisioner)).toEqual(expect.arrayContaining([own.uuid, sub.uuid, other.uuid]));
    });

    it('answers every scheduling-info field on each item', async () => {
      const [info] = (await call(t, c.planner, 'GET', `scheduling-info?${window}`)).json() as Body[];
      expectSpecFields(info!, SPEC_SCHEDULING_INFO);
    });

    it('answers 400 code 25 to a year with other than 4 digits', async () => {
      expectVdxError(await call(t, c.planner, 'GET', 'scheduling-info?from-start-time=202-05-01T00:00:00Z&to-end-time=2028-05-02T00:00:00Z'), 400, 25);
    });
  });

  describe('POST /videoapi/v2/scheduling-info', () => {
    roleRules('POST', 'scheduling-info', ['meeting-provisioner-user'], () => ({ organizationId: POOL_ORG, schedulingTemplateId: poolTemplateId }));

    it('creates a pool info from the template, created by the caller, with every field', async () => {
      const res = await call(t, c.provisionerUser, 'POST', 'scheduling-info', { organizationId: POOL_ORG, schedulingTemplateId: poolTemplateId });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/hal\+json/);
      const info = res.json();
      expectSpecFields(info, SPEC_SCHEDULING_INFO);
      expect(info).toMatchObject({
        provisionStatus: 'AWAITS_PROVISION', provisionStatusDescription: 'Pooled awaiting provisioning.', meetingDetails: null, reservationId: null,
        createdBy: { organisationId: ORG, email: null }, customPortalHost: 'https://portal/h', callType: 'pool-call', shortLink: null,
      });
      expect(info.uriWithDomain).toMatch(/^pool\d+@pool\.test$/);
      expect((await follow(t, c.provisionerUser, info._links.self.href)).uuid).toBe(info.uuid);
    });

    it.each(['organizationId', 'schedulingTemplateId'])('answers 400 code 10 without the required %s', async (field) => {
      const body: Body = { organizationId: POOL_ORG, schedulingTemplateId: poolTemplateId };
      delete body[field];
      expectVdxError(await call(t, c.provisionerUser, 'POST', 'scheduling-info', body), 400, 10);
    });

    it('takes the template id as a digit string, as the real ITs send it', async () => {
      expect((await call(t, c.provisionerUser, 'POST', 'scheduling-info', { organizationId: POOL_ORG, schedulingTemplateId: String(poolTemplateId) })).statusCode).toBe(200);
    });

    it('keeps organizationId ≤ 30 (30 passes validation and is looked up: 22; 31 answers 10)', async () => {
      expectVdxError(await call(t, c.provisionerUser, 'POST', 'scheduling-info', { organizationId: chars(30, 'o'), schedulingTemplateId: poolTemplateId }), 400, 22);
      expectVdxError(await call(t, c.provisionerUser, 'POST', 'scheduling-info', { organizationId: chars(31, 'o'), schedulingTemplateId: poolTemplateId }), 400, 10);
    });

    it.each<[string, () => Body, number]>([
      ['an unknown organisation', () => ({ organizationId: 'ingen-org', schedulingTemplateId: poolTemplateId }), 22],
      ['an organisation without a pool', () => ({ organizationId: ORG, schedulingTemplateId: poolTemplateId }), 23],
      ['an unknown template', () => ({ organizationId: POOL_ORG, schedulingTemplateId: 987_654 }), 26],
      ['another organisation\'s template', () => ({ organizationId: POOL_ORG, schedulingTemplateId: 1 }), 27],
    ])('answers %s with 400 code %i', async (_name, body, code) => {
      expectVdxError(await call(t, c.provisionerUser, 'POST', 'scheduling-info', body()), 400, code);
    });
  });

  describe('GET /videoapi/v2/scheduling-info/{uuid}', () => {
    let meeting: { uuid: string; shortLink: string };
    beforeAll(async () => {
      meeting = await createMeeting(c.userB, { guestMicrophone: 'muted' });
    });
    roleRules('GET', () => `scheduling-info/${meeting.uuid}`, READERS);

    it('answers a meeting\'s info with every field, both short link spellings and the template\'s portal settings', async () => {
      const res = await call(t, c.userB, 'GET', `scheduling-info/${meeting.uuid}`);
      expect(res.headers['content-type']).toMatch(/^application\/hal\+json/);
      const info = res.json();
      expectSpecFields(info, SPEC_SCHEDULING_INFO);
      expect(info).toMatchObject({ uuid: meeting.uuid, shortLink: meeting.shortLink, shortlink: meeting.shortLink, customPortalGuest: 'https://portal/g', returnUrl: 'https://retur', callType: 'video' });
      expect(info.meetingDetails.uuid).toBe(meeting.uuid);
      expect((await follow(t, c.userB, info._links.self.href)).uuid).toBe(meeting.uuid);
    });

    it('reads a pool info by its own uuid', async () => {
      const info = await poolInfo();
      expect((await call(t, c.provisioner, 'GET', `scheduling-info/${info.uuid}`)).json()).toMatchObject({ uuid: info.uuid, meetingDetails: null });
    });

    it('lets a meeting-user read the infos of the organisation, a planner/admin also its sub-organisations\'', async () => {
      expect((await call(t, c.userA, 'GET', `scheduling-info/${meeting.uuid}`)).statusCode).toBe(200);
      const sub = await createMeeting(await tokenFor(t, { roles: ['meeting-planner'], organisation: SUB_ORG, email: 'p@sub.dk' }));
      expect((await call(t, c.admin, 'GET', `scheduling-info/${sub.uuid}`)).statusCode).toBe(200);
      expectVdxError(await call(t, c.userA, 'GET', `scheduling-info/${sub.uuid}`), 403, 11);
    });

    it.each<[string, () => [string, string], number, number]>([
      ['another organisation\'s info', () => [c.otherPlanner, `scheduling-info/${meeting.uuid}`], 403, 11],
      ['an unknown uuid', () => [c.planner, `scheduling-info/${UNKNOWN_UUID}`], 404, 11],
      ['a uuid that is no uuid', () => [c.planner, 'scheduling-info/123'], 400, 10],
    ])('answers %s with %i code %i', async (_name, req, status, code) => {
      const [token, url] = req();
      expectVdxError(await call(t, token, 'GET', url), status, code);
    });
  });

  describe('PUT /videoapi/v2/scheduling-info/{uuid}', () => {
    roleRules('PUT', async () => `scheduling-info/${(await createMeeting(c.userA)).uuid}`, ['meeting-provisioner-user'], () => ({ provisionStatus: 'PROVISIONED_OK' }));

    it('records the report, its time and who made it; a PUT without description or VMR id clears them', async () => {
      const m = await createMeeting(c.userA);
      const res = await call(t, c.provisionerUser, 'PUT', `scheduling-info/${m.uuid}`, { provisionStatus: 'PROVISION_PROBLEMS', provisionStatusDescription: 'fejl', provisionVmrId: 'vmr-1' });
      expect(res.statusCode, res.body).toBe(200);
      expectSpecFields(res.json(), SPEC_SCHEDULING_INFO);
      expect(res.json()).toMatchObject({ provisionStatus: 'PROVISION_PROBLEMS', provisionStatusDescription: 'fejl', provisionVmrId: 'vmr-1', updatedBy: { organisationId: ORG, email: null } });
      expect(res.json().provisionTimestamp).toEqual(expect.any(String));
      expect(res.json().updatedTime).toEqual(expect.any(String));
      const again = (await call(t, c.provisionerUser, 'PUT', `scheduling-info/${m.uuid}`, { provisionStatus: 'PROVISIONED_OK' })).json();
      expect(again).toMatchObject({ provisionStatus: 'PROVISIONED_OK', provisionStatusDescription: null, provisionVmrId: null });
    });

    it.each<[string, Body]>([
      ['without the required provisionStatus', { provisionVmrId: 'x' }],
      ['with a provisionStatus outside its enum', { provisionStatus: 'DONE' }],
      ['with a provisionStatusDescription of 201 characters', { provisionStatus: 'PROVISIONED_OK', provisionStatusDescription: chars(201) }],
      ['with a provisionVmrId of 51 characters', { provisionStatus: 'PROVISIONED_OK', provisionVmrId: chars(51) }],
    ])('answers 400 code 10 %s', async (_name, body) => {
      const m = await createMeeting(c.userA);
      expectVdxError(await call(t, c.provisionerUser, 'PUT', `scheduling-info/${m.uuid}`, body), 400, 10);
    });

    it('takes a description of 200 and a VMR id of 50 characters', async () => {
      const m = await createMeeting(c.userA);
      const body = { provisionStatus: 'PROVISIONED_OK', provisionStatusDescription: chars(200), provisionVmrId: chars(50) };
      expect((await call(t, c.provisionerUser, 'PUT', `scheduling-info/${m.uuid}`, body)).statusCode).toBe(200);
    });

    it('answers 404 code 11 for an unknown uuid', async () => {
      expectVdxError(await call(t, c.provisionerUser, 'PUT', `scheduling-info/${UNKNOWN_UUID}`, { provisionStatus: 'PROVISIONED_OK' }), 404, 11);
    });
  });

  describe.each<[string, 'scheduling-info-provision' | 'scheduling-info-deprovision']>([
    ['GET /videoapi/v2/scheduling-info-provision', 'scheduling-info-provision'],
    ['GET /videoapi/v2/scheduling-info-deprovision', 'scheduling-info-deprovision'],
  ])('%s', (_op, queue) => {
    roleRules('GET', queue, ['meeting-provisioner-user']);

    it(queue === 'scheduling-info-provision' ? 'lists the infos whose VMR is due, with every field' : 'lists provisioned infos whose meeting has ended, with every field', async () => {
      const now = t.clock.now();
      try {
        // Starts in 10 minutes (15 before: due now), ends in 20.
        const m = await createMeeting(c.planner, { startTime: new Date(now.getTime() + 600_000).toISOString(), endTime: new Date(now.getTime() + 1_200_000).toISOString() });
        if (queue === 'scheduling-info-deprovision') {
          await call(t, c.provisionerUser, 'PUT', `scheduling-info/${m.uuid}`, { provisionStatus: 'PROVISIONED_OK' });
          t.clock.set(new Date(now.getTime() + 1_260_000));
        }
        const res = await call(t, c.provisionerUser, 'GET', queue);
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^application\/hal\+json/);
        const item = (res.json() as Body[]).find((x) => x.uuid === m.uuid);
        expect(item).toBeDefined();
        expectSpecFields(item!, SPEC_SCHEDULING_INFO);
      } finally {
        t.clock.set(now);
      }
    });
  });

  describe('GET /videoapi/v2/scheduling-info-reserve', () => {
    roleRules('GET', 'scheduling-info-reserve', ['meeting-admin']);

    it('reserves a pool info with the spec\'s default settings when none are asked for', async () => {
      const ready = await poolInfo({ provisionStatus: 'PROVISIONED_OK' });
      const res = await call(t, poolAdmin, 'GET', 'scheduling-info-reserve');
      expect(res.statusCode, res.body).toBe(200);
      const info = res.json();
      expectSpecFields(info, SPEC_SCHEDULING_INFO);
      expect(info).toMatchObject({
        uuid: ready.uuid, reservationId: expect.any(String), vmrType: 'conference', hostView: 'one_main_seven_pips', guestView: 'one_main_seven_pips',
        vmrQuality: 'hd', enableOverlayText: true, guestsCanPresent: true, forcePresenterIntoMain: true, forceEncryption: false, muteAllGuests: false,
      });
    });

    it('reserves only a pool info whose VMR has the asked-for settings (404 when none has)', async () => {
      const lecture = await poolInfo({ schedulingTemplateId: lectureTemplateId, provisionStatus: 'PROVISIONED_OK' });
      const query = 'vmrType=lecture&vmrQuality=fullhd&muteAllGuests=true&enableOverlayText=TRUE&forceEncryption=0';
      expect((await call(t, poolAdmin, 'GET', `scheduling-info-reserve?${query}`)).json()).toMatchObject({ uuid: lecture.uuid, vmrType: 'lecture', vmrQuality: 'fullhd' });
      expectVdxError(await call(t, poolAdmin, 'GET', `scheduling-info-reserve?${query}`), 404, 11);
    });

    it.each(['vmrType=webinar', 'hostView=none', 'vmrQuality=4k', 'muteAllGuests=kanske'])('answers 400 code 10 to %s', async (query) => {
      expectVdxError(await call(t, poolAdmin, 'GET', `scheduling-info-reserve?${query}`), 400, 10);
    });

    it('answers 404 code 11 to an organisation without a pool', async () => {
      expectVdxError(await call(t, c.admin, 'GET', 'scheduling-info-reserve'), 404, 11);
    });
  });

  describe('GET /videoapi/v2/scheduling-info-reserve/{uuid}', () => {
    roleRules('GET', `scheduling-info-reserve/${UNKNOWN_UUID}`, ['meeting-admin']);

    it('answers the reserved info by its reservation id, with every field', async () => {
      await poolInfo({ provisionStatus: 'PROVISIONED_OK' });
      const reserved = (await call(t, poolAdmin, 'GET', 'scheduling-info-reserve')).json();
      const res = await call(t, poolAdmin, 'GET', `scheduling-info-reserve/${reserved.reservationId}`);
      expect(res.statusCode).toBe(200);
      expectSpecFields(res.json(), SPEC_SCHEDULING_INFO);
      expect(res.json()).toMatchObject({ uuid: reserved.uuid, reservationId: reserved.reservationId, meetingDetails: null });
      expectVdxError(await call(t, c.otherAdmin, 'GET', `scheduling-info-reserve/${reserved.reservationId}`), 404, 11);
    });

    it.each<[string, string, number, number]>([
      ['an unknown reservation', UNKNOWN_UUID, 404, 11],
      ['a reservation id that is no uuid', 'abc', 400, 10],
    ])('answers %s with %i code %i', async (_name, id, status, code) => {
      expectVdxError(await call(t, poolAdmin, 'GET', `scheduling-info-reserve/${id}`), status, code);
    });
  });

  describe('GET /videoapi/v2/scheduling-templates', () => {
    roleRules('GET', 'scheduling-templates', READERS);

    it('lists the caller\'s organisation\'s templates only, each with every field', async () => {
      const res = await call(t, c.userA, 'GET', 'scheduling-templates');
      expect(res.headers['content-type']).toMatch(/^application\/hal\+json/);
      const list = res.json() as Body[];
      expect(list.length).toBeGreaterThan(0);
      for (const tpl of list) {
        expect(tpl.organisationId).toBe(ORG);
        expectSpecFields(tpl, SPEC_TEMPLATE, String(tpl.id));
      }
    });
  });

  describe('POST /videoapi/v2/scheduling-templates', () => {
    roleRules('POST', 'scheduling-templates', ['meeting-admin'], () => ({ ...TEMPLATE_REQUIRED }));

    it('answers 200 to only the seven required fields, with the real service\'s defaults for the rest', async () => {
      const res = await call(t, c.admin, 'POST', 'scheduling-templates', TEMPLATE_REQUIRED);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/hal\+json/);
      const tpl = res.json();
      expectSpecFields(tpl, SPEC_TEMPLATE);
      expect(tpl).toEqual({
        ...TEMPLATE_REQUIRED,
        id: expect.any(Number), organisationId: ORG,
        hostPinRangeLow: null, hostPinRangeHigh: null, guestPinRangeLow: null, guestPinRangeHigh: null,
        vMRAvailableBefore: 0, maxParticipants: 0, endMeetingOnEndTime: false, ivrTheme: null, isDefaultTemplate: false, isPoolTemplate: false,
        directMedia: 'never', vmrType: 'conference', hostView: 'one_main_seven_pips', guestView: 'one_main_seven_pips', vmrQuality: 'hd',
        enableOverlayText: true, guestsCanPresent: true, forcePresenterIntoMain: true, forceEncryption: false, muteAllGuests: false,
        customPortalGuest: null, customPortalHost: null, returnUrl: null, callType: null,
        createdBy: { organisationId: ORG, email: 'admin@region-h.dk' }, updatedBy: null, createdTime: expect.any(String), updatedTime: null,
        _links: { self: { href: `http://vdx.test/videoapi/v2/scheduling-templates/${tpl.id}` } },
      });
      expect((await follow(t, c.admin, tpl._links.self.href)).id).toBe(tpl.id);
    });

    it.each(Object.keys(TEMPLATE_REQUIRED))('answers 400 code 10 without the required %s', async (field) => {
      const body: Body = { ...TEMPLATE_REQUIRED };
      delete body[field];
      expectVdxError(await call(t, c.admin, 'POST', 'scheduling-templates', body), 400, 10);
    });

    it.each<[string, Body]>([
      ['conferencingSysId as a word', { conferencingSysId: 'en' }],
      ['hostPinRequired as a string', { hostPinRequired: 'true' }],
      ['uriNumberRangeLow with a fraction', { uriNumberRangeLow: 10.5 }],
      ['vMRAvailableBefore beyond int32', { vMRAvailableBefore: 2 ** 31 }],
      ['directMedia outside its enum', { directMedia: 'always' }],
      ['guestView outside its enum', { guestView: 'all' }],
      ['an empty uriDomain (required: not empty)', { uriDomain: '' }],
    ])('answers 400 code 10 to %s', async (_name, overrides) => {
      expectVdxError(await call(t, c.admin, 'POST', 'scheduling-templates', { ...TEMPLATE_REQUIRED, ...overrides }), 400, 10);
    });

    it.each<[string, number]>([
      ['uriPrefix', 100], ['uriDomain', 100], ['ivrTheme', 100], ['customPortalGuest', 200], ['customPortalHost', 200], ['returnUrl', 200],
    ])('keeps %s ≤ %i: the maximum passes, one beyond answers 400 code 10', async (field, max) => {
      expect((await call(t, c.admin, 'POST', 'scheduling-templates', { ...TEMPLATE_REQUIRED, [field]: chars(max) })).statusCode).toBe(200);
      expectVdxError(await call(t, c.admin, 'POST', 'scheduling-templates', { ...TEMPLATE_REQUIRED, [field]: chars(max + 1) }), 400, 10);
    });

    it('takes 0 where the spec allows it, digit strings as integers, and a range that cannot yield a number (reported only when used)', async () => {
      const res = await call(t, c.admin, 'POST', 'scheduling-templates', { ...TEMPLATE_REQUIRED, vMRAvailableBefore: 0, maxParticipants: 0, conferencingSysId: '1234', uriNumberRangeLow: 201, uriNumberRangeHigh: 100 });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ vMRAvailableBefore: 0, maxParticipants: 0, conferencingSysId: 1234 });
    });

    it('keeps one default template per organisation, and allows one pool template (406 code 18)', async () => {
      const first = (await call(t, c.admin, 'POST', 'scheduling-templates', { ...TEMPLATE_REQUIRED, isDefaultTemplate: true })).json();
      const second = (await call(t, c.admin, 'POST', 'scheduling-templates', { ...TEMPLATE_REQUIRED, isDefaultTemplate: true })).json();
      expect((await call(t, c.admin, 'GET', `scheduling-templates/${first.id}`)).json().isDefaultTemplate).toBe(false);
      expect(second.isDefaultTemplate).toBe(true);
      const body = expectVdxError(await call(t, poolAdmin, 'POST', 'scheduling-templates', { ...TEMPLATE_REQUIRED, isPoolTemplate: true }), 406, 18);
      expect(body.detailed_error).toBe('Create or update of pool template failed due to only one pool template allowed');
    });
  });

  describe('GET /videoapi/v2/scheduling-templates/{id}', () => {
    let id: number;
    beforeAll(async () => {
      id = (await call(t, c.admin, 'POST', 'scheduling-templates', TEMPLATE_REQUIRED)).json().id;
    });
    roleRules('GET', () => `scheduling-templates/${id}`, READERS);

    it('answers the template with every field', async () => {
      const res = await call(t, c.provisioner, 'GET', `scheduling-templates/${id}`);
      expect(res.headers['content-type']).toMatch(/^application\/hal\+json/);
      expectSpecFields(res.json(), SPEC_TEMPLATE);
    });

    it.each<[string, () => [string, string], number, number]>([
      ['another organisation\'s template (not found, as the real IT pins)', () => [c.otherAdmin, `scheduling-templates/${id}`], 404, 11],
      ['an unknown id', () => [c.admin, 'scheduling-templates/999999'], 404, 11],
      ['an id that is no integer', () => [c.admin, 'scheduling-templates/abc'], 400, 10],
    ])('answers %s with %i code %i', async (_name, req, status, code) => {
      const [token, url] = req();
      const body = expectVdxError(await call(t, token, 'GET', url), status, code);
      if (status === 404) expect(body.detailed_error).toBe('Resource: schedulingTemplate in field: id not found.');
    });
  });

  describe('PUT /videoapi/v2/scheduling-templates/{id}', () => {
    const newTemplate = async () => (await call(t, c.admin, 'POST', 'scheduling-templates', { ...TEMPLATE_REQUIRED, callType: 'x', hostPinRangeLow: 1000, hostPinRangeHigh: 9999, vmrType: 'lecture' })).json().id as number;
    roleRules('PUT', async () => `scheduling-templates/${await newTemplate()}`, ['meeting-admin'], () => ({ ...TEMPLATE_REQUIRED }));

    it('replaces the whole template: fields left out go back to their defaults; updatedBy and updatedTime are set', async () => {
      const id = await newTemplate();
      const res = await call(t, c.admin, 'PUT', `scheduling-templates/${id}`, { ...TEMPLATE_REQUIRED, uriPrefix: 'ny', hostView: 'sixteen_mains_zero_pips' });
      expect(res.statusCode, res.body).toBe(200);
      expectSpecFields(res.json(), SPEC_TEMPLATE);
      expect(res.json()).toMatchObject({
        id, uriPrefix: 'ny', hostView: 'sixteen_mains_zero_pips', vmrType: 'conference', callType: null, hostPinRangeLow: null, hostPinRangeHigh: null,
        updatedBy: { organisationId: ORG, email: 'admin@region-h.dk' }, updatedTime: expect.any(String),
      });
    });

    it.each(Object.keys(TEMPLATE_REQUIRED))('answers 400 code 10 without the required %s', async (field) => {
      const id = await newTemplate();
      const body: Body = { ...TEMPLATE_REQUIRED };
      delete body[field];
      expectVdxError(await call(t, c.admin, 'PUT', `scheduling-templates/${id}`, body), 400, 10);
    });

    it('answers 406 code 18 to a second pool template, 404 for another organisation\'s or an unknown one', async () => {
      const other = (await call(t, poolAdmin, 'POST', 'scheduling-templates', TEMPLATE_REQUIRED)).json().id;
      expectVdxError(await call(t, poolAdmin, 'PUT', `scheduling-templates/${other}`, { ...TEMPLATE_REQUIRED, isPoolTemplate: true }), 406, 18);
      expectVdxError(await call(t, c.otherAdmin, 'PUT', `scheduling-templates/${other}`, TEMPLATE_REQUIRED), 404, 11);
      expectVdxError(await call(t, c.admin, 'PUT', 'scheduling-templates/999999', TEMPLATE_REQUIRED), 404, 11);
    });
  });

  describe('DELETE /videoapi/v2/scheduling-templates/{id}', () => {
    const newTemplate = async () => (await call(t, c.admin, 'POST', 'scheduling-templates', TEMPLATE_REQUIRED)).json().id as number;
    roleRules('DELETE', async () => `scheduling-templates/${await newTemplate()}`, ['meeting-admin']);

    it('answers 204, after which the template is not found', async () => {
      const id = await newTemplate();
      const res = await call(t, c.admin, 'DELETE', `scheduling-templates/${id}`);
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');
      expectVdxError(await call(t, c.admin, 'GET', `scheduling-templates/${id}`), 404, 11);
    });

    it('answers 404 code 11 for another organisation\'s template and an unknown id', async () => {
      const id = await newTemplate();
      expectVdxError(await call(t, c.otherAdmin, 'DELETE', `scheduling-templates/${id}`), 404, 11);
      expectVdxError(await call(t, c.admin, 'DELETE', 'scheduling-templates/999999'), 404, 11);
    });
  });

  describe('GET /videoapi/v2/pool', () => {
    roleRules('GET', 'pool', READERS);

    it('answers the pool organisation\'s entry: sizes, its pool template and its unused provisioned infos', async () => {
      const ready = await poolInfo({ provisionStatus: 'PROVISIONED_OK' });
      const res = await call(t, poolAdmin, 'GET', 'pool');
      expect(res.headers['content-type']).toMatch(/^application\/hal\+json/);
      const [entry] = res.json() as Body[];
      expectSpecFields(entry!, { organisationId: 'string', desiredPoolSize: 'integer?', availablePoolSize: 'integer?', schedulingTemplate: 'object?', schedulingInfoList: 'array?' });
      expect(entry).toMatchObject({ organisationId: POOL_ORG, desiredPoolSize: 4, schedulingTemplate: { id: poolTemplateId } });
      const list = entry!.schedulingInfoList as Body[];
      expect(entry!.availablePoolSize).toBe(list.length);
      expect(list.map((i) => i.uuid)).toContain(ready.uuid);
      for (const info of list) expectSpecFields(info, SPEC_SCHEDULING_INFO, String(info.uuid));
      expectSpecFields(entry!.schedulingTemplate as Body, SPEC_TEMPLATE);
    });

    it('answers no entry to an organisation without a pool, and a provisioner every pool organisation\'s', async () => {
      expect((await call(t, c.planner, 'GET', 'pool')).json()).toEqual([]);
      expect(((await call(t, c.provisioner, 'GET', 'pool')).json() as Body[]).map((e) => e.organisationId)).toContain(POOL_ORG);
    });
  });

  describe('GET /videoapi/v2/info', () => {
    roleRules('GET', 'info', READERS);

    it('answers info[] of key/value pairs, a git entry among them', async () => {
      const res = await call(t, c.userA, 'GET', 'info');
      expect(res.statusCode).toBe(200);
      const info = res.json().info as Body[];
      for (const item of info) expectSpecFields(item, { key: 'string', value: 'object' });
      expect(info.map((i) => i.key)).toContain('git');
    });
  });

  describe('CORS preflight (OPTIONS) of every path', () => {
    const PATHS: [string, Method][] = [
      ['info', 'GET'], ['pool', 'GET'], ['meetings', 'GET'], ['meetings', 'POST'], [`meetings/${UNKNOWN_UUID}`, 'GET'], [`meetings/${UNKNOWN_UUID}`, 'PUT'],
      [`meetings/${UNKNOWN_UUID}`, 'PATCH'], [`meetings/${UNKNOWN_UUID}`, 'DELETE'], ['meetings/findByUriWithDomain', 'GET'], ['meetings/findByUriWithoutDomain', 'GET'],
      ['scheduling-info', 'GET'], ['scheduling-info', 'POST'], [`scheduling-info/${UNKNOWN_UUID}`, 'GET'], [`scheduling-info/${UNKNOWN_UUID}`, 'PUT'],
      ['scheduling-info-provision', 'GET'], ['scheduling-info-deprovision', 'GET'], ['scheduling-info-reserve', 'GET'], [`scheduling-info-reserve/${UNKNOWN_UUID}`, 'GET'],
      ['scheduling-templates', 'GET'], ['scheduling-templates', 'POST'], ['scheduling-templates/1', 'GET'], ['scheduling-templates/1', 'PUT'], ['scheduling-templates/1', 'DELETE'],
    ];
    const preflight = (path: string, method: Method, origin: string) =>
      t.app.inject({ method: 'OPTIONS', url: `/videoapi/v2/${path}`, headers: { origin, 'access-control-request-method': method } });

    it.each(PATHS)('allows %s %s from a configured origin and refuses it from another (403)', async (path, method) => {
      const ok = await preflight(path, method, ALLOWED_ORIGIN);
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(String(ok.headers['access-control-allow-methods'])).toContain(method);
      expect((await preflight(path, method, 'http://denied:4200')).statusCode).toBe(403);
    });

    it('marks the answers to a configured origin, and only those', async () => {
      const allowed = await t.app.inject({ method: 'GET', url: '/videoapi/v2/info', headers: { origin: ALLOWED_ORIGIN, authorization: `Bearer ${c.userA}` } });
      expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      const other = await t.app.inject({ method: 'GET', url: '/videoapi/v2/info', headers: { origin: 'http://denied:4200', authorization: `Bearer ${c.userA}` } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
