import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATION_ALPHABET } from '../../../src-shared/devices/activation.schema';
import { Room } from '../../../src-shared/devices/rooms.schema';
import { THEME_IMAGE_MAX_CHARS } from '../../../src-shared/devices/themes.schema';
import { DB_KINDS } from '../../test-support/test-app';
import { useTestApp } from '../../test-support/use-test-app';
import { adminHeaders, createCode, createRoom, enrolBody } from '../device-fleet.test-kit';

const PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe.each(DB_KINDS)('rooms, themes and activation codes on %s', (kind) => {
  const t = useTestApp(kind);
  let admin: Record<string, string>;
  beforeAll(async () => {
    admin = await adminHeaders(t);
  });

  const auditCount = async (action: string) =>
    (await t.store.db.selectFrom('audit_log').select('id').where('action', '=', action).execute()).length;

  it('creates a room with documented defaults and audits it', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/management/v1/rooms', headers: admin, payload: { name: 'Lokale 2.14' } });
    expect(res.statusCode).toBe(201);
    const room = Room.parse(res.json());
    expect(room).toMatchObject({
      name: 'Lokale 2.14',
      organisationCode: t.config.bootstrapOrganisation,
      updateChannel: 'stable',
      showSubjects: true,
      pinnedVersion: null,
      maintenanceWindow: { timeZone: 'Europe/Copenhagen' },
    });
    expect(await auditCount('room.create')).toBeGreaterThan(0);
  });

  it('reads, lists, updates and deletes rooms', async () => {
    const room = await createRoom(t, admin, { name: 'Alpha', location: 'Bygning 1' });
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/management/v1/rooms/${room.id}`,
      headers: admin,
      payload: {
        showSubjects: false,
        fixedVmrAlias: 'alpha@vdx.test',
        updateChannel: 'beta',
        maintenanceWindow: { timeZone: 'Europe/Copenhagen', slots: [{ days: ['sat'], start: '22:00', end: '02:00' }] },
      },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(patch.json()).toMatchObject({ showSubjects: false, fixedVmrAlias: 'alpha@vdx.test', updateChannel: 'beta', location: 'Bygning 1' });
    const get = await t.app.inject({ method: 'GET', url: `/management/v1/rooms/${room.id}`, headers: admin });
    expect(get.json()).toMatchObject({ updateChannel: 'beta' });
    const list = await t.app.inject({ method: 'GET', url: '/management/v1/rooms', headers: admin });
    expect((list.json() as { id: string }[]).map((r) => r.id)).toContain(room.id);
    const del = await t.app.inject({ method: 'DELETE', url: `/management/v1/rooms/${room.id}`, headers: admin });
    expect(del.statusCode).toBe(204);
    const gone = await t.app.inject({ method: 'GET', url: `/management/v1/rooms/${room.id}`, headers: admin });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ error: { code: 'room_not_found' } });
    expect(await auditCount('room.delete')).toBe(1);
  });

  it('refuses bad room input with 400 and stores nothing', async () => {
    const before = (await t.store.db.selectFrom('rooms').select('id').execute()).length;
    for (const payload of [
      {},
      { name: '' },
      { name: 'x', maintenanceWindow: { timeZone: 'Mars/Olympus', slots: [] } },
      { name: 'x', maintenanceWindow: { slots: [{ days: ['mon'], start: '25:00', end: '02:00' }] } },
      { name: 'x', updateChannel: 'nightly' },
      { name: 'x', organisationCode: 'no-such-org' },
      { name: 'x', themeId: 'no-such-theme' },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/management/v1/rooms', headers: admin, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await t.store.db.selectFrom('rooms').select('id').execute()).length).toBe(before);
  });

  it('requires a management-admin token', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/management/v1/rooms' })).statusCode).toBe(401);
  });

  it('keeps a room with devices from being deleted', async () => {
    const room = await createRoom(t, admin);
    const { code } = await createCode(t, admin, room.id);
    const enrol = await t.app.inject({ method: 'POST', url: '/device/v1/enroll', payload: enrolBody(code) });
    expect(enrol.statusCode).toBe(201);
    const del = await t.app.inject({ method: 'DELETE', url: `/management/v1/rooms/${room.id}`, headers: admin });
    expect(del.statusCode).toBe(409);
    expect(del.json()).toMatchObject({ error: { code: 'room_has_devices' } });
  });

  it('creates typeable one-time codes with a vdxroom URL, stored only hashed', async () => {
    const room = await createRoom(t, admin);
    const created = await createCode(t, admin, room.id);
    expect(created.code).toMatch(new RegExp(`^[${ACTIVATION_ALPHABET}]{4}-[${ACTIVATION_ALPHABET}]{4}-[${ACTIVATION_ALPHABET}]{4}$`));
    expect(created.code).not.toMatch(/[01OIL5SBZUV2]/);
    expect(created.url).toBe(`vdxroom://activate?server=${encodeURIComponent('http://vdx.test')}&code=${created.code}`);
    expect(Date.parse(created.expiresAt) - t.clock.now().getTime()).toBe(7 * 24 * 3600_000);
    const rows = await t.store.db.selectFrom('activation_codes').selectAll().where('id', '=', created.id).execute();
    expect(rows[0]!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(created.code.replace(/-/g, ''));
    const audits = await t.store.db.selectFrom('audit_log').select(['before', 'after']).where('entity_id', '=', created.id).execute();
    expect(JSON.stringify(audits)).not.toContain(created.code.replace(/-/g, ''));
  });

  it('lists codes without the code, and revokes them', async () => {
    const room = await createRoom(t, admin);
    const a = await createCode(t, admin, room.id, { note: 'ved vinduet' });
    const b = await createCode(t, admin, room.id, { expiresAt: new Date(t.clock.now().getTime() + 3600_000).toISOString() });
    const revoke = await t.app.inject({ method: 'POST', url: `/management/v1/rooms/${room.id}/activation-codes/${a.id}/revoke`, headers: admin });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json()).toMatchObject({ status: 'revoked' });
    const list = await t.app.inject({ method: 'GET', url: `/management/v1/rooms/${room.id}/activation-codes`, headers: admin });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(a.code);
    expect(list.body).not.toContain(b.code);
    const byId = Object.fromEntries((list.json() as { id: string; status: string }[]).map((c) => [c.id, c.status]));
    expect(byId).toEqual({ [a.id]: 'revoked', [b.id]: 'active' });
    const past = await t.app.inject({
      method: 'POST',
      url: `/management/v1/rooms/${room.id}/activation-codes`,
      headers: admin,
      payload: { expiresAt: '2020-01-01T00:00:00Z' },
    });
    expect(past.statusCode).toBe(400);
    const noRoom = await t.app.inject({ method: 'POST', url: '/management/v1/rooms/nope/activation-codes', headers: admin, payload: {} });
    expect(noRoom.statusCode).toBe(404);
  });

  it('manages themes, caps inline image size and delivers them via the room', async () => {
    const create = await t.app.inject({
      method: 'POST',
      url: '/management/v1/themes',
      headers: admin,
      payload: {
        name: 'Region Blå',
        logo: PIXEL,
        colours: { primary: '#0a4d8c', background: '#ffffff', text: '#111111' },
        welcomeText: { da: 'Velkommen', en: 'Welcome' },
      },
    });
    expect(create.statusCode, create.body).toBe(201);
    const theme = create.json() as { id: string };
    const big = await t.app.inject({
      method: 'POST',
      url: '/management/v1/themes',
      headers: admin,
      payload: { name: 'Stor', logo: `data:image/png;base64,${'A'.repeat(THEME_IMAGE_MAX_CHARS)}`, colours: { primary: '#000', background: '#fff', text: '#000' } },
    });
    expect(big.statusCode).toBe(400);
    const badColour = await t.app.inject({
      method: 'POST',
      url: '/management/v1/themes',
      headers: admin,
      payload: { name: 'x', colours: { primary: 'blue', background: '#fff', text: '#000' } },
    });
    expect(badColour.statusCode).toBe(400);
    const script = await t.app.inject({
      method: 'POST',
      url: '/management/v1/themes',
      headers: admin,
      payload: { name: 'x', logo: 'javascript:alert(1)', colours: { primary: '#000', background: '#fff', text: '#000' } },
    });
    expect(script.statusCode).toBe(400);

    const patch = await t.app.inject({ method: 'PATCH', url: `/management/v1/themes/${theme.id}`, headers: admin, payload: { name: 'Region Blå 2' } });
    expect(patch.json()).toMatchObject({ name: 'Region Blå 2', welcomeText: { da: 'Velkommen' } });
    const list = await t.app.inject({ method: 'GET', url: '/management/v1/themes', headers: admin });
    expect((list.json() as { id: string }[]).some((x) => x.id === theme.id)).toBe(true);

    const room = await createRoom(t, admin, { themeId: theme.id });
    const inUse = await t.app.inject({ method: 'DELETE', url: `/management/v1/themes/${theme.id}`, headers: admin });
    expect(inUse.statusCode).toBe(409);
    await t.app.inject({ method: 'PATCH', url: `/management/v1/rooms/${room.id}`, headers: admin, payload: { themeId: null } });
    const del = await t.app.inject({ method: 'DELETE', url: `/management/v1/themes/${theme.id}`, headers: admin });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/management/v1/themes/${theme.id}`, headers: admin })).statusCode).toBe(404);
  });

  it('accepts a message for a room and refuses one for an unknown room', async () => {
    const room = await createRoom(t, admin);
    const ok = await t.app.inject({
      method: 'POST',
      url: `/management/v1/rooms/${room.id}/messages`,
      headers: admin,
      payload: { text: 'Lokalet lukker kl. 16' },
    });
    expect(ok.statusCode).toBe(202);
    expect(ok.json()).toMatchObject({ text: 'Lokalet lukker kl. 16', severity: 'info', connectedDevices: 0 });
    const missing = await t.app.inject({ method: 'POST', url: '/management/v1/rooms/nope/messages', headers: admin, payload: { text: 'x' } });
    expect(missing.statusCode).toBe(404);
    const empty = await t.app.inject({ method: 'POST', url: `/management/v1/rooms/${room.id}/messages`, headers: admin, payload: { text: '' } });
    expect(empty.statusCode).toBe(400);
  });
});
