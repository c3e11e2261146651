import { beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { tokenFor } from '../test-support/tokens';
import { ORG, OTHER_ORG, call, callers, expectVdxError, meetingBody, templateBody, type Callers, stopEmbeddedProvisioner } from './booking.test-support';

describe.each(DB_KINDS)('VDX booking templates and scheduling info on %s', (kind) => {
  const t = useTestApp(kind, {
    env: {
      VDX_SHORTLINK_BASE: 'https://l.vdx.test/s/',
      VDX_PORTAL_LINK_TEMPLATE: 'https://portal.vdx.test/?url={uriWithDomain}&pin={hostPin}&gp={guestPin}&d={startDate}&t={startTime}&s={shortId}&u={uri}&dom={domain}',
    },
  });
  let c: Callers;
  beforeAll(async () => {
    c = await callers(t);
    await stopEmbeddedProvisioner(t);
  });

  const newTemplate = async (token: string, overrides: Record<string, unknown> = {}) => {
    const res = await call(t, token, 'POST', 'scheduling-templates', templateBody(overrides));
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Record<string, unknown> & { id: number };
  };
  const infoOf = async (uuid: string) => (await call(t, c.planner, 'GET', `scheduling-info/${uuid}`)).json();

  describe('templates', () => {
    it('creates a template and answers with its numeric id', async () => {
      const tpl = await newTemplate(c.admin, { isDefaultTemplate: false, uriDomain: 'tpl.test' });
      expect(tpl.id).toEqual(expect.any(Number));
      expect(tpl).toMatchObject({ organisationId: ORG, uriPrefix: 'rh', uriDomain: 'tpl.test', isDefaultTemplate: false, isPoolTemplate: false, vMRAvailableBefore: 15 });
      const got = await call(t, c.userA, 'GET', `scheduling-templates/${tpl.id}`);
      expect(got.statusCode).toBe(200);
      expect(got.json()).toEqual(tpl);
      const list = await call(t, c.provisioner, 'GET', 'scheduling-templates');
      expect(list.headers['content-type']).toMatch(/^application\/hal\+json/);
      expect((list.json() as { id: number }[]).map((x) => x.id)).toContain(tpl.id);
    });

    it('lets only meeting-admin write templates (403 otherwise)', async () => {
      for (const token of [c.userA, c.planner, c.provisioner, c.provisionerUser]) {
        expectVdxError(await call(t, token, 'POST', 'scheduling-templates', templateBody()), 403, 11);
      }
      const tpl = await newTemplate(c.admin, { isDefaultTemplate: false });
      expectVdxError(await call(t, c.planner, 'PUT', `scheduling-templates/${tpl.id}`, templateBody()), 403, 11);
      expectVdxError(await call(t, c.planner, 'DELETE', `scheduling-templates/${tpl.id}`), 403, 11);
    });

    it('keeps other organisations\' templates apart and reports unknown ids (both 404)', async () => {
      const tpl = await newTemplate(c.admin, { isDefaultTemplate: false });
      expectVdxError(await call(t, c.otherAdmin, 'GET', `scheduling-templates/${tpl.id}`), 404, 11);
      expectVdxError(await call(t, c.otherAdmin, 'PUT', `scheduling-templates/${tpl.id}`, templateBody()), 404, 11);
      expectVdxError(await call(t, c.otherAdmin, 'DELETE', `scheduling-templates/${tpl.id}`), 404, 11);
      expect((await call(t, c.otherAdmin, 'GET', 'scheduling-templates')).json()).not.toContainEqual(expect.objectContaining({ id: tpl.id }));
      expectVdxError(await call(t, c.admin, 'GET', 'scheduling-templates/999999'), 404, 11);
      expectVdxError(await call(t, c.admin, 'GET', 'scheduling-templates/abc'), 400, 10);
    });

    it('updates and deletes a template', async () => {
      const tpl = await newTemplate(c.admin, { isDefaultTemplate: false });
      const put = await call(t, c.admin, 'PUT', `scheduling-templates/${tpl.id}`, templateBody({ isDefaultTemplate: false, maxParticipants: 25 }));
      expect(put.statusCode).toBe(200);
      expect(put.json()).toMatchObject({ id: tpl.id, maxParticipants: 25 });
      expect((await call(t, c.admin, 'DELETE', `scheduling-templates/${tpl.id}`)).statusCode).toBe(204);
      expectVdxError(await call(t, c.admin, 'GET', `scheduling-templates/${tpl.id}`), 404, 11);
    });

    it('keeps one default template per organisation', async () => {
      const first = await newTemplate(c.admin, { isDefaultTemplate: true });
      const second = await newTemplate(c.admin, { isDefaultTemplate: true });
      expect((await call(t, c.admin, 'GET', `scheduling-templates/${first.id}`)).json().isDefaultTemplate).toBe(false);
      expect((await call(t, c.admin, 'GET', `scheduling-templates/${second.id}`)).json().isDefaultTemplate).toBe(true);
      const defaults = (await call(t, c.admin, 'GET', 'scheduling-templates')).json().filter((x: { isDefaultTemplate: boolean }) => x.isDefaultTemplate);
      expect(defaults).toHaveLength(1);
    });

    it('allows one pool template per organisation (406 code 18)', async () => {
      const pool = await newTemplate(c.otherAdmin, { isPoolTemplate: true, isDefaultTemplate: false });
      expectVdxError(await call(t, c.otherAdmin, 'POST', 'scheduling-templates', templateBody({ isPoolTemplate: true })), 406, 18);
      const other = await newTemplate(c.otherAdmin, { isDefaultTemplate: false });
      expectVdxError(await call(t, c.otherAdmin, 'PUT', `scheduling-templates/${other.id}`, templateBody({ isPoolTemplate: true })), 406, 18);
      expect((await call(t, c.otherAdmin, 'PUT', `scheduling-templates/${pool.id}`, templateBody({ isPoolTemplate: true, isDefaultTemplate: false }))).statusCode).toBe(200);
    });

    it('rejects template bodies of the wrong shape', async () => {
      expectVdxError(await call(t, c.admin, 'POST', 'scheduling-templates', templateBody({ uriDomain: 'x'.repeat(101) })), 400, 10);
      expectVdxError(await call(t, c.admin, 'POST', 'scheduling-templates', templateBody({ uriNumberRangeLow: 'tusind' })), 400, 10);
      expectVdxError(await call(t, c.admin, 'POST', 'scheduling-templates', templateBody({ directMedia: 'always' })), 400, 10);
      expectVdxError(await call(t, c.admin, 'POST', 'scheduling-templates', { conferencingSysId: 1 }), 400, 10);
    });
  });

  describe('template choice, addresses and PINs', () => {
    it('uses the given template, else the organisation default, else the shared default', async () => {
      // No default in a fresh organisation and none in the bootstrap organisation: the built-in one.
      const fresh = await tokenFor(t, { roles: ['meeting-planner', 'meeting-admin'], organisation: 'fresh-org', email: 'p@fresh.dk' });
      let m = (await call(t, fresh, 'POST', 'meetings', meetingBody())).json();
      let info = (await call(t, fresh, 'GET', `scheduling-info/${m.uuid}`)).json();
      expect(info.uriWithDomain).toMatch(/^\d{7}@vdx\.test$/);
      expect(info.schedulingTemplateId).toBeNull();
      // The bootstrap organisation's default is the shared default.
      const bootstrapAdmin = await tokenFor(t, { roles: ['meeting-admin'], organisation: t.config.bootstrapOrganisation, email: 'root@vdx.test' });
      const shared = await newTemplate(bootstrapAdmin, { uriPrefix: 'sh', uriDomain: 'shared.test' });
      m = (await call(t, fresh, 'POST', 'meetings', meetingBody())).json();
      info = (await call(t, fresh, 'GET', `scheduling-info/${m.uuid}`)).json();
      expect(info).toMatchObject({ schedulingTemplateId: shared.id });
      expect(info.uriWithDomain).toMatch(/^sh\d{4}@shared\.test$/);
      // The organisation's own default wins over the shared one; an explicit id wins over both.
      const own = await newTemplate(fresh, { uriPrefix: 'own', uriDomain: 'own.test' });
      const explicit = await newTemplate(fresh, { uriPrefix: 'ex', uriDomain: 'ex.test', isDefaultTemplate: false });
      m = (await call(t, fresh, 'POST', 'meetings', meetingBody())).json();
      expect((await call(t, fresh, 'GET', `scheduling-info/${m.uuid}`)).json().schedulingTemplateId).toBe(own.id);
      m = (await call(t, fresh, 'POST', 'meetings', meetingBody({ schedulingTemplateId: explicit.id }))).json();
      expect((await call(t, fresh, 'GET', `scheduling-info/${m.uuid}`)).json().uriWithDomain).toMatch(/^ex\d+@ex\.test$/);
      // An unknown or another organisation's template id is passed over for the default, as the
      // real service does (the spec: "when schedulingTemplateId is given and valid").
      for (const schedulingTemplateId of [987654, shared.id]) {
        m = (await call(t, fresh, 'POST', 'meetings', meetingBody({ schedulingTemplateId }))).json();
        expect((await call(t, fresh, 'GET', `scheduling-info/${m.uuid}`)).json().schedulingTemplateId).toBe(own.id);
      }
    });

    it('fills shortLink and portalLink from the configuration', async () => {
      const tpl = await newTemplate(c.admin, { isDefaultTemplate: false, guestPinRequired: true, uriDomain: 'portal.test' });
      const m = (await call(t, c.planner, 'POST', 'meetings', meetingBody({ schedulingTemplateId: tpl.id, startTime: '2026-07-01T12:30:00Z', endTime: '2026-07-01T13:00:00Z' }))).json();
      expect(m.shortLink).toBe(`https://l.vdx.test/s/${m.shortId}`);
      const info = await infoOf(m.uuid);
      expect(info.portalLink).toBe(
        `https://portal.vdx.test/?url=${encodeURIComponent(info.uriWithDomain)}&pin=${info.hostPin}&gp=${info.guestPin}&d=2026-07-01&t=${encodeURIComponent('14:30')}&s=${m.shortId}&u=${info.uriWithoutDomain}&dom=portal.test`,
      );
      expect(info.shortLink).toBe(m.shortLink);
    });

    it('hands out every address of a small range once, then answers 406 code 15', async () => {
      const tpl = await newTemplate(c.admin, { isDefaultTemplate: false, uriDomain: 'tiny.test', uriNumberRangeLow: 10, uriNumberRangeHigh: 13 });
      const uris = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const res = await call(t, c.planner, 'POST', 'meetings', meetingBody({ schedulingTemplateId: tpl.id }));
        expect(res.statusCode).toBe(200);
        uris.add((await infoOf(res.json().uuid)).uriWithDomain);
      }
      expect([...uris].sort()).toEqual(['rh10@tiny.test', 'rh11@tiny.test', 'rh12@tiny.test']);
      const before = await t.store.db.selectFrom('booking_meetings').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expectVdxError(await call(t, c.planner, 'POST', 'meetings', meetingBody({ schedulingTemplateId: tpl.id })), 406, 15);
      const after = await t.store.db.selectFrom('booking_meetings').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('reports template setup problems: URI range (14), guest PIN (16), host PIN (17)', async () => {
      const badUri = await newTemplate(c.admin, { isDefaultTemplate: false, uriNumberRangeLow: 50, uriNumberRangeHigh: 50 });
      expectVdxError(await call(t, c.planner, 'POST', 'meetings', meetingBody({ schedulingTemplateId: badUri.id })), 406, 14);
      const badGuest = await newTemplate(c.admin, { isDefaultTemplate: false, guestPinRequired: true, guestPinRangeLow: null, guestPinRangeHigh: null });
      expectVdxError(await call(t, c.planner, 'POST', 'meetings', meetingBody({ schedulingTemplateId: badGuest.id })), 406, 16);
      const badHost = await newTemplate(c.admin, { isDefaultTemplate: false, hostPinRangeLow: 9000, hostPinRangeHigh: 100 });
      expectVdxError(await call(t, c.planner, 'POST', 'meetings', meetingBody({ schedulingTemplateId: badHost.id })), 406, 17);
    });

    it('takes explicit PINs', async () => {
      const m = (await call(t, c.planner, 'POST', 'meetings', meetingBody({ hostPin: 424242, guestPin: 131313 }))).json();
      const info = await infoOf(m.uuid);
      expect(info).toMatchObject({ hostPin: 424242, guestPin: 131313 });
    });

    it('takes a custom address only where the organisation allows it (31, 33, 32)', async () => {
      expectVdxError(await call(t, c.planner, 'POST', 'meetings', meetingBody({ uriWithoutDomain: 'myroom' })), 400, 31);
      const allowed = await tokenFor(t, { roles: ['meeting-planner', 'meeting-admin'], organisation: 'custom-org', email: 'p@custom.dk', allowCustomUriWithoutDomain: true });
      await newTemplate(allowed, { uriDomain: 'custom.test' });
      expectVdxError(await call(t, allowed, 'POST', 'meetings', meetingBody({ uriWithoutDomain: 'my-room' })), 400, 33);
      expectVdxError(await call(t, allowed, 'POST', 'meetings', meetingBody({ uriWithoutDomain: 'mødelokale' })), 400, 33);
      const m = (await call(t, allowed, 'POST', 'meetings', meetingBody({ uriWithoutDomain: 'Lokale42' }))).json();
      expect((await call(t, allowed, 'GET', `scheduling-info/${m.uuid}`)).json()).toMatchObject({ uriWithDomain: 'Lokale42@custom.test', uriWithoutDomain: 'Lokale42' });
      expectVdxError(await call(t, allowed, 'POST', 'meetings', meetingBody({ uriWithoutDomain: 'Lokale42' })), 400, 32);
    });
  });

  describe('provisioning', () => {
    it('queues a meeting for provisioning when its VMR is due, then for deprovisioning when it has ended', async () => {
      const start = new Date(t.clock.now().getTime() + 60 * 60_000);
      const end = new Date(start.getTime() + 30 * 60_000);
      const m = (await call(t, c.planner, 'POST', 'meetings', meetingBody({ startTime: start.toISOString(), endTime: end.toISOString() }))).json();
      const queue = async (which: string) => ((await call(t, c.provisionerUser, 'GET', which)).json() as { uuid: string }[]).map((x) => x.uuid);
      expect(await queue('scheduling-info-provision')).not.toContain(m.uuid);
      t.clock.advance(45 * 60_000); // 15 minutes before the start = vMRAvailableBefore
      c = await callers(t); // access tokens live an hour; moving the clock ages them too
      expect(await queue('scheduling-info-provision')).toContain(m.uuid);
      const neverProvisioned = (await call(t, c.planner, 'POST', 'meetings', meetingBody({ startTime: new Date(t.clock.now().getTime() + 5 * 60_000).toISOString(), endTime: new Date(t.clock.now().getTime() + 10 * 60_000).toISOString() }))).json();
      expect(await queue('scheduling-info-provision')).toContain(neverProvisioned.uuid);
      const provisioned = await call(t, c.provisionerUser, 'PUT', `scheduling-info/${m.uuid}`, { provisionStatus: 'PROVISIONED_OK', provisionVmrId: 'vmr-77', provisionStatusDescription: 'ok' });
      expect(provisioned.statusCode).toBe(200);
      expect(provisioned.json()).toMatchObject({ provisionStatus: 'PROVISIONED_OK', provisionVmrId: 'vmr-77', provisionStatusDescription: 'ok' });
      expect(provisioned.json().provisionTimestamp).toMatch(/\+0[12]:00$/);
      expect(await queue('scheduling-info-provision')).not.toContain(m.uuid);
      expect(await queue('scheduling-info-deprovision')).not.toContain(m.uuid);
      t.clock.advance(46 * 60_000);
      c = await callers(t);
      expect(await queue('scheduling-info-deprovision')).toContain(m.uuid);
      expect(await queue('scheduling-info-provision')).not.toContain(neverProvisioned.uuid);
      expect(await queue('scheduling-info-deprovision')).not.toContain(neverProvisioned.uuid);
      expect((await call(t, c.provisionerUser, 'GET', 'scheduling-info-deprovision')).statusCode).toBe(200);
      await call(t, c.provisionerUser, 'PUT', `scheduling-info/${m.uuid}`, { provisionStatus: 'DEPROVISION_OK' });
      expect(await queue('scheduling-info-deprovision')).not.toContain(m.uuid);
      expect((await infoOf(m.uuid)).provisionStatus).toBe('DEPROVISION_OK');
    });

    it('lets only provisioners read the queues and only provisioner-user report status', async () => {
      for (const token of [c.userA, c.planner, c.admin, c.provisioner]) {
        expectVdxError(await call(t, token, 'GET', 'scheduling-info-provision'), 403, 11);
        expectVdxError(await call(t, token, 'GET', 'scheduling-info-deprovision'), 403, 11);
      }
      const m = (await call(t, c.planner, 'POST', 'meetings', meetingBody())).json();
      expectVdxError(await call(t, c.provisioner, 'PUT', `scheduling-info/${m.uuid}`, { provisionStatus: 'PROVISIONED_OK' }), 403, 11);
      expectVdxError(await call(t, c.admin, 'PUT', `scheduling-info/${m.uuid}`, { provisionStatus: 'PROVISIONED_OK' }), 403, 11);
      expectVdxError(await call(t, c.provisionerUser, 'PUT', `scheduling-info/${m.uuid}`, { provisionStatus: 'DONE' }), 400, 10);
      expectVdxError(await call(t, c.provisionerUser, 'PUT', 'scheduling-info/6f1d8f3e-3f52-4f3a-9a51-3b0d7f0f5a11', { provisionStatus: 'PROVISIONED_OK' }), 404, 11);
      expectVdxError(await call(t, c.userA, 'GET', 'scheduling-info/6f1d8f3e-3f52-4f3a-9a51-3b0d7f0f5a11'), 404, 11);
    });

    it('lists scheduling info of the organisation, filtered by status and time', async () => {
      const m = (await call(t, c.planner, 'POST', 'meetings', meetingBody({ startTime: '2028-05-01T08:00:00Z', endTime: '2028-05-01T09:00:00Z' }))).json();
      const list = await call(t, c.planner, 'GET', 'scheduling-info?from-start-time=2028-05-01T00:00:00Z&to-end-time=2028-05-02T00:00:00Z');
      expect(list.statusCode).toBe(200);
      expect(list.headers['content-type']).toMatch(/^application\/hal\+json/);
      expect((list.json() as { uuid: string }[]).map((x) => x.uuid)).toEqual([m.uuid]);
      // provision-status defaults to AWAITS_PROVISION: another status finds nothing here.
      expect((await call(t, c.planner, 'GET', 'scheduling-info?from-start-time=2028-05-01T00:00:00Z&to-end-time=2028-05-02T00:00:00Z&provision-status=PROVISIONED_OK')).json()).toEqual([]);
      expectVdxError(await call(t, c.planner, 'GET', 'scheduling-info?from-start-time=2028-05-01T00:00:00Z'), 400, 10);
      expect((await call(t, c.otherPlanner, 'GET', 'scheduling-info?from-start-time=2028-05-01T00:00:00Z&to-end-time=2028-05-02T00:00:00Z')).json()).toEqual([]);
    });

    it('serves the in-process provisioner API', async () => {
      const m = (await call(t, c.planner, 'POST', 'meetings', meetingBody())).json();
      const info = await infoOf(m.uuid);
      const byUuid = await t.handles.booking.schedulingInfo.bookedByUuid(m.uuid);
      expect(byUuid?.meeting?.uuid).toBe(m.uuid);
      expect((await t.handles.booking.schedulingInfo.bookedByUri(info.uriWithDomain))?.schedulingInfo.uuid).toBe(info.uuid);
      expect((await t.handles.booking.schedulingInfo.bookedByUri(info.uriWithoutDomain))?.meeting?.uuid).toBe(m.uuid);
      const updated = await t.handles.booking.schedulingInfo.setProvisionStatus(m.uuid, { provisionStatus: 'STARTING_TO_PROVISION' });
      expect(updated.provisionStatus).toBe('STARTING_TO_PROVISION');
      expect(await t.handles.booking.schedulingInfo.bookedByUuid('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    });
  });

  describe('pool and reservations', () => {
    const POOL_ORG = 'pool-org';
    let poolAdmin: string;
    let poolTemplateId: number;
    beforeAll(async () => {
      poolAdmin = await tokenFor(t, { roles: ['meeting-admin', 'meeting-planner'], organisation: POOL_ORG, email: 'admin@pool.dk', poolSize: 2 });
      poolTemplateId = (await newTemplate(poolAdmin, { isPoolTemplate: true, isDefaultTemplate: false, uriPrefix: 'pool', uriDomain: 'pool.test' })).id;
    });
    const poolInfo = async (status?: string) => {
      const res = await call(t, c.provisionerUser, 'POST', 'scheduling-info', { organizationId: POOL_ORG, schedulingTemplateId: poolTemplateId, ...(status ? { provisionStatus: status } : {}) });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };

    it('creates pool scheduling info for pool-enabled organisations only (22, 23)', async () => {
      const info = await poolInfo();
      expect(info).toMatchObject({ organizationId: POOL_ORG, provisionStatus: 'AWAITS_PROVISION', schedulingTemplateId: poolTemplateId, meetingDetails: null, reservationId: null });
      expect(info.uriWithDomain).toMatch(/^pool\d+@pool\.test$/);
      expectVdxError(await call(t, c.provisionerUser, 'POST', 'scheduling-info', { organizationId: 'no-such-org', schedulingTemplateId: poolTemplateId }), 400, 22);
      expectVdxError(await call(t, c.provisionerUser, 'POST', 'scheduling-info', { organizationId: ORG, schedulingTemplateId: poolTemplateId }), 400, 23);
      expectVdxError(await call(t, c.admin, 'POST', 'scheduling-info', { organizationId: POOL_ORG, schedulingTemplateId: poolTemplateId }), 403, 11);
      // New pool infos are due at once.
      const queue = (await call(t, c.provisionerUser, 'GET', 'scheduling-info-provision')).json() as { uuid: string }[];
      expect(queue.map((x) => x.uuid)).toContain(info.uuid);
    });

    it('reports the pool and reserves provisioned infos (404 when none is free)', async () => {
      expectVdxError(await call(t, c.admin, 'GET', 'scheduling-info-reserve'), 404, 11);
      expectVdxError(await call(t, c.planner, 'GET', 'scheduling-info-reserve'), 403, 11);
      const pool = (await call(t, poolAdmin, 'GET', 'pool')).json();
      expect(pool).toEqual([expect.objectContaining({ organisationId: POOL_ORG, schedulingInfoList: [], desiredPoolSize: 2, schedulingTemplate: expect.objectContaining({ id: poolTemplateId }) })]);
      // Nothing provisioned yet in this organisation's pool → nothing to reserve.
      await t.store.db.updateTable('booking_scheduling_infos').set({ provision_status: 'PROVISION_PROBLEMS' }).where('organisation_code', '=', POOL_ORG).execute();
      expectVdxError(await call(t, poolAdmin, 'GET', 'scheduling-info-reserve'), 404, 11);
      const ready = await poolInfo('PROVISIONED_OK');
      const available = (await call(t, c.provisioner, 'GET', 'pool')).json().find((p: { organisationId: string }) => p.organisationId === POOL_ORG);
      expect(available.availablePoolSize).toBe(1);
      expect(available.schedulingInfoList.map((i: { uuid: string }) => i.uuid)).toEqual([ready.uuid]);
      const reserved = await call(t, poolAdmin, 'GET', 'scheduling-info-reserve');
      expect(reserved.statusCode).toBe(200);
      expect(reserved.json()).toMatchObject({ uuid: ready.uuid, hostPin: ready.hostPin, reservationId: expect.any(String) });
      const again = await call(t, poolAdmin, 'GET', `scheduling-info-reserve/${reserved.json().reservationId}`);
      expect(again.json().uuid).toBe(ready.uuid);
      expectVdxError(await call(t, c.planner, 'GET', `scheduling-info-reserve/${reserved.json().reservationId}`), 403, 11);
      expectVdxError(await call(t, c.otherAdmin, 'GET', `scheduling-info-reserve/${reserved.json().reservationId}`), 404, 11);
    });

    it('books a meeting on a reservation (29, 34) and on the pool (20)', async () => {
      const ready = await poolInfo('PROVISIONED_OK');
      const reservation = (await call(t, poolAdmin, 'GET', 'scheduling-info-reserve')).json();
      expect(reservation.uuid).toBe(ready.uuid);
      expectVdxError(await call(t, poolAdmin, 'POST', 'meetings', meetingBody({ schedulingInfoReservationId: reservation.reservationId, hostPin: 1234 })), 400, 34);
      expectVdxError(await call(t, poolAdmin, 'POST', 'meetings', meetingBody({ schedulingInfoReservationId: '4c1bd8f5-8d5f-4a0f-9d49-5d6ad0c4f0aa' })), 400, 29);
      expectVdxError(await call(t, c.planner, 'POST', 'meetings', meetingBody({ schedulingInfoReservationId: reservation.reservationId })), 400, 29);
      const m = (await call(t, poolAdmin, 'POST', 'meetings', meetingBody({ schedulingInfoReservationId: reservation.reservationId }))).json();
      const info = (await call(t, poolAdmin, 'GET', `scheduling-info/${m.uuid}`)).json();
      expect(info).toMatchObject({ uuid: ready.uuid, hostPin: ready.hostPin, uriWithDomain: ready.uriWithDomain, provisionStatus: 'PROVISIONED_OK' });
      expect(info.meetingDetails.uuid).toBe(m.uuid);
      expectVdxError(await call(t, poolAdmin, 'POST', 'meetings', meetingBody({ schedulingInfoReservationId: reservation.reservationId })), 400, 29);
      // An ad hoc (POOL) meeting starting now takes an unused provisioned pool info.
      const now = t.clock.now().getTime();
      const adHoc = { meetingType: 'POOL', startTime: new Date(now + 60_000).toISOString(), endTime: new Date(now + 30 * 60_000).toISOString() };
      const free = await poolInfo('PROVISIONED_OK');
      const pooled = (await call(t, poolAdmin, 'POST', 'meetings', meetingBody(adHoc))).json();
      expect((await call(t, poolAdmin, 'GET', `scheduling-info/${pooled.uuid}`)).json().uuid).toBe(free.uuid);
      expectVdxError(await call(t, poolAdmin, 'POST', 'meetings', meetingBody(adHoc)), 400, 20);
      // One starting later than two minutes from now gets its own info, as the real API does.
      const later = (await call(t, poolAdmin, 'POST', 'meetings', meetingBody({ meetingType: 'POOL' }))).json();
      expect((await call(t, poolAdmin, 'GET', `scheduling-info/${later.uuid}`)).json().uuid).toBe(later.uuid);
      // An organisation without a pool allows no ad hoc meetings.
      expectVdxError(await call(t, c.planner, 'POST', 'meetings', meetingBody({ meetingType: 'POOL' })), 400, 19);
    });
  });

  it('keeps another organisation out of pool figures', async () => {
    const res = await call(t, c.otherPlanner, 'GET', 'pool');
    expect(res.statusCode).toBe(200);
    expect((res.json() as { organisationId: string }[]).every((p) => p.organisationId === OTHER_ORG)).toBe(true);
  });
});
