import { beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisationTree, errorCode, type OrganisationTree } from '../organisations/organisation-tree.test-kit';
import { DB_KINDS, TEST_ADMIN } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';

type Headers = Record<string, string>;
const BASE = '/management/v1/api-clients';

/** Decision 0011: admins create, list and manage API clients only in their organisation subtree. */
describe.each(DB_KINDS)('organisation-scoped API clients on %s', (kind) => {
  const t = useTestApp(kind);
  let tree: OrganisationTree;
  let siblingClient: string;
  beforeAll(async () => {
    tree = await buildOrganisationTree(t);
    siblingClient = (await create(tree.root, 'region-s')).json<{ clientId: string }>().clientId;
  });

  function create(headers: Headers, organisation?: string) {
    return t.app.inject({
      method: 'POST',
      url: BASE,
      headers,
      payload: { name: `Klient ${organisation ?? 'egen'}`, roles: ['meeting-planner'], scopes: ['booking'], ...(organisation ? { organisation } : {}) },
    });
  }
  const listed = async (headers: Headers) =>
    (await t.app.inject({ method: 'GET', url: BASE, headers })).json<{ clients: { organisation: string }[] }>().clients.map((c) => c.organisation).sort();

  it('creates clients only inside the subtree; the organisation defaults to the caller’s', async () => {
    for (const organisation of ['region-s', 'vdx']) {
      const res = await create(tree.regionH, organisation);
      expect(res.statusCode, res.body).toBe(403);
      expect(errorCode(res)).toBe('organisation_out_of_scope');
    }
    expect((await create(tree.kommuneA, 'region-h')).statusCode).toBe(403);
    expect((await create(tree.regionH, 'kommune-a')).json()).toMatchObject({ organisation: 'kommune-a' });
    expect((await create(tree.regionH)).json()).toMatchObject({ organisation: 'region-h' });
  });

  it('lists only clients of the subtree; the national admin lists all', async () => {
    expect(await listed(tree.regionH)).toEqual(['kommune-a', 'region-h']);
    expect(await listed(tree.kommuneA)).toEqual(['kommune-a']);
    expect(await listed(tree.root)).toEqual(['kommune-a', 'region-h', 'region-s', 'vdx']);
    const byName = await t.app.inject({ method: 'GET', url: `${BASE}?organisation=region-s`, headers: tree.regionH });
    expect(byName.json()).toEqual({ clients: [] });
  });

  it('answers api_client_not_found for clients outside the subtree on get, change, rotate and revoke', async () => {
    for (const clientId of [TEST_ADMIN.clientId, siblingClient]) {
      for (const res of [
        await t.app.inject({ method: 'GET', url: `${BASE}/${clientId}`, headers: tree.regionH }),
        await t.app.inject({ method: 'PATCH', url: `${BASE}/${clientId}`, headers: tree.regionH, payload: { name: 'Overtaget' } }),
        await t.app.inject({ method: 'POST', url: `${BASE}/${clientId}/rotate-secret`, headers: tree.regionH }),
        await t.app.inject({ method: 'POST', url: `${BASE}/${clientId}/revoke`, headers: tree.regionH }),
      ]) {
        expect(res.statusCode, res.body).toBe(404);
        expect(errorCode(res)).toBe('api_client_not_found');
      }
    }
    const sibling = await t.app.inject({ method: 'GET', url: `${BASE}/${siblingClient}`, headers: tree.root });
    expect(sibling.json()).toMatchObject({ name: 'Klient region-s', revokedAt: null });
  });

  it('lets only the national admin rotate the signing key', async () => {
    const regional = await t.app.inject({ method: 'POST', url: '/management/v1/signing-keys/rotate', headers: tree.regionH });
    expect(regional.statusCode).toBe(403);
    expect(errorCode(regional)).toBe('organisation_out_of_scope');
    expect((await t.app.inject({ method: 'POST', url: '/management/v1/signing-keys/rotate', headers: tree.root })).statusCode).toBe(200);
  });
});
