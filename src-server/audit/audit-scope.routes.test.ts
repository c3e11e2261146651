import { beforeAll, describe, expect, it } from 'vitest';
import { AuditEntryList } from '../../src-shared/audit/audit.schema';
import { createCode, createRoom, enrolDevice } from '../devices/device-fleet.test-kit';
import { buildOrganisationTree, type OrganisationTree } from '../organisations/organisation-tree.test-kit';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';

type Headers = Record<string, string>;

/**
 * Decision 0011: an admin reads the audit entries made by actors of its subtree and those about
 * organisations, rooms, devices, themes and API clients in its subtree.
 */
describe.each(DB_KINDS)('organisation-scoped audit trail on %s', (kind) => {
  const t = useTestApp(kind);
  let tree: OrganisationTree;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    tree = await buildOrganisationTree(t);
    ids.roomA = (await createRoom(t, tree.root, { name: 'A', organisationCode: 'kommune-a' })).id;
    ids.roomS = (await createRoom(t, tree.root, { name: 'S', organisationCode: 'region-s' })).id;
    ids.roomB = (await createRoom(t, tree.regionH, { name: 'B', organisationCode: 'hospital-b' })).id;
    // Seen through its actor only: the audit table does not know an activation code's organisation.
    ids.codeB = (await createCode(t, tree.regionH, ids.roomB)).id;
    ids.deviceA = (await enrolDevice(t, tree.root, ids.roomA)).deviceId;
    ids.deviceS = (await enrolDevice(t, tree.root, ids.roomS)).deviceId;
    for (const id of [ids.deviceA, ids.deviceS]) {
      expect((await t.app.inject({ method: 'POST', url: `/management/v1/devices/${id}/revoke`, headers: tree.root })).statusCode).toBe(200);
    }
    const client = (headers: Headers, organisation: string) =>
      t.app.inject({ method: 'POST', url: '/management/v1/api-clients', headers, payload: { name: organisation, roles: [], scopes: ['booking'], organisation } });
    ids.clientS = (await client(tree.root, 'region-s')).json<{ clientId: string }>().clientId;
    ids.clientA = (await client(tree.root, 'kommune-a')).json<{ clientId: string }>().clientId;
  });

  const seen = async (headers: Headers) => {
    const res = await t.app.inject({ method: 'GET', url: '/management/v1/audit?limit=1000', headers });
    expect(res.statusCode).toBe(200);
    return AuditEntryList.parse(res.json()).entries.map((e) => `${e.action} ${e.entityId}`);
  };

  it('shows a regional admin the entries about its subtree and by its own actors, nothing else', async () => {
    const entries = await seen(tree.regionH);
    expect(entries).toEqual(
      expect.arrayContaining([
        'organisation.create region-h',
        'organisation.create kommune-a',
        'organisation.create hospital-b',
        `room.create ${ids.roomA}`,
        `room.create ${ids.roomB}`,
        `device.revoke ${ids.deviceA}`,
        `api-client.create ${ids.clientA}`,
        `activation_code.create ${ids.codeB}`,
      ]),
    );
    for (const hidden of ['organisation.create region-s', `room.create ${ids.roomS}`, `device.revoke ${ids.deviceS}`, `api-client.create ${ids.clientS}`]) {
      expect(entries).not.toContain(hidden);
    }
  });

  it('shows a municipal admin only its own organisation’s entries', async () => {
    const entries = await seen(tree.kommuneA);
    expect(entries).toContain(`room.create ${ids.roomA}`);
    expect(entries).toContain(`device.revoke ${ids.deviceA}`);
    expect(entries).not.toContain(`room.create ${ids.roomB}`);
    expect(entries).not.toContain(`activation_code.create ${ids.codeB}`);
    expect(entries).not.toContain('organisation.create region-h');
  });

  it('shows the national admin everything', async () => {
    const entries = await seen(tree.root);
    expect(entries).toEqual(
      expect.arrayContaining(['organisation.create region-s', `room.create ${ids.roomS}`, `device.revoke ${ids.deviceS}`, `api-client.create ${ids.clientS}`]),
    );
  });
});
