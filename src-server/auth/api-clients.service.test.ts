import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_VDX_ROLES } from '../../src-shared/auth/roles';
import { DB_KINDS, TEST_ADMIN } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { ApiClients } from './api-clients.service';

describe.each(DB_KINDS)('ApiClients on %s', (kind) => {
  const t = useTestApp(kind);
  let clients: ApiClients;
  beforeAll(async () => {
    clients = new ApiClients(t.store, t.clock);
  });

  it('bootstraps the admin client with every meeting role, management-admin and every scope', async () => {
    const admin = await clients.get(TEST_ADMIN.clientId);
    expect(admin).toMatchObject({
      kind: 'system',
      organisation: 'vdx',
      email: 'admin@localhost',
      managementAdmin: true,
      revokedAt: null,
    });
    expect([...admin!.roles].sort()).toEqual([...ALL_VDX_ROLES].sort());
    expect(admin!.scopes).toEqual(expect.arrayContaining(['booking', 'management', 'device', 'provisioning']));
    expect(await clients.authenticate(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret)).not.toBeNull();
  });

  it('creates a client with a 256-bit secret that only authenticates itself', async () => {
    const { client, clientSecret } = await clients.create({
      kind: 'system',
      name: 'Booking system',
      organisation: 'vdx',
      roles: ['meeting-planner'],
      managementAdmin: false,
      scopes: ['booking'],
    });
    expect(Buffer.from(clientSecret, 'base64url').length).toBeGreaterThanOrEqual(32);
    expect(JSON.stringify(client)).not.toContain(clientSecret);
    const row = await t.store.db.selectFrom('api_clients').selectAll().where('client_id', '=', client.clientId).executeTakeFirstOrThrow();
    expect(row.secret_hash).toMatch(/^scrypt\$/);
    expect(row.secret_hash).not.toContain(clientSecret);
    expect(await clients.authenticate(client.clientId, clientSecret)).toMatchObject({ clientId: client.clientId });
    expect(await clients.authenticate(client.clientId, clientSecret + 'x')).toBeNull();
    expect(await clients.authenticate(client.clientId, '')).toBeNull();
    expect(await clients.authenticate('no-such-client', clientSecret)).toBeNull();
  });

  it('rotates a secret: the old one stops working, the new one works', async () => {
    const { client, clientSecret: oldSecret } = await clients.create({
      kind: 'system',
      name: 'Rotating',
      organisation: 'vdx',
      roles: [],
      managementAdmin: false,
      scopes: ['booking'],
    });
    const { clientSecret: newSecret } = await clients.rotateSecret(client.clientId);
    expect(newSecret).not.toBe(oldSecret);
    expect(await clients.authenticate(client.clientId, oldSecret)).toBeNull();
    expect(await clients.authenticate(client.clientId, newSecret)).not.toBeNull();
  });

  it('revokes all clients of a device and only those', async () => {
    const make = (deviceId: string) =>
      clients.create({ kind: 'device', name: deviceId, organisation: 'vdx', roles: [], managementAdmin: false, scopes: ['device'], deviceId });
    const a1 = await make('dev-a');
    const a2 = await make('dev-a');
    const b = await make('dev-b');
    expect(a1.client).toMatchObject({ kind: 'device', deviceId: 'dev-a', scopes: ['device'] });
    const revoked = await clients.revokeByDevice('dev-a');
    expect(revoked.sort()).toEqual([a1.client.clientId, a2.client.clientId].sort());
    expect(await clients.isActive(a1.client.clientId)).toBe(false);
    expect(await clients.isActive(a2.client.clientId)).toBe(false);
    expect(await clients.isActive(b.client.clientId)).toBe(true);
    expect(await clients.authenticate(a1.client.clientId, a1.clientSecret)).toBeNull();
    expect(await clients.revokeByDevice('dev-a')).toEqual([]);
    expect((await clients.list({ deviceId: 'dev-a' })).length).toBe(0);
    expect((await clients.list({ deviceId: 'dev-a', includeRevoked: true })).length).toBe(2);
  });

  it('updates roles without touching the secret, and refuses changes to revoked clients', async () => {
    const { client, clientSecret } = await clients.create({
      kind: 'system',
      name: 'Roles',
      organisation: 'vdx',
      roles: ['meeting-user'],
      managementAdmin: false,
      scopes: ['booking'],
    });
    const updated = await clients.updateRoles(client.clientId, ['meeting-admin', 'meeting-admin'], true);
    expect(updated).toMatchObject({ roles: ['meeting-admin'], managementAdmin: true });
    expect(await clients.authenticate(client.clientId, clientSecret)).not.toBeNull();
    await clients.revoke(client.clientId);
    await expect(clients.updateRoles(client.clientId, [])).rejects.toMatchObject({ code: 'api_client_revoked' });
    await expect(clients.rotateSecret(client.clientId)).rejects.toMatchObject({ code: 'api_client_revoked' });
    await expect(clients.revoke('nope')).rejects.toMatchObject({ code: 'api_client_not_found' });
  });

  it('makes a creation part of a caller transaction (rolled back together)', async () => {
    let createdId = '';
    await expect(
      t.store.db.transaction().execute(async (trx) => {
        const { client } = await clients.create(
          { kind: 'system', name: 'Tx', organisation: 'vdx', roles: [], managementAdmin: false, scopes: ['booking'] },
          trx,
        );
        createdId = client.clientId;
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(createdId).not.toBe('');
    expect(await clients.get(createdId)).toBeUndefined();
  });
});
