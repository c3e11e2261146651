import { beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { buildOrganisationTree, errorCode, type OrganisationTree } from './organisation-tree.test-kit';
import { organisationSubtree } from './organisations.service';

type Headers = Record<string, string>;
const BASE = '/management/v1/organisations';

/** Decision 0011: an admin sees and changes only its own organisation and those below it. */
describe.each(DB_KINDS)('organisation-scoped organisation tree on %s', (kind) => {
  const t = useTestApp(kind);
  let tree: OrganisationTree;
  beforeAll(async () => {
    tree = await buildOrganisationTree(t);
  });

  const codes = async (headers: Headers) =>
    ((await t.app.inject({ method: 'GET', url: BASE, headers })).json() as { organisations: { code: string }[] }).organisations
      .map((o) => o.code)
      .sort();
  const post = (headers: Headers, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: BASE, headers, payload });
  const patch = (headers: Headers, code: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PATCH', url: `${BASE}/${code}`, headers, payload });

  it('computes a subtree with one recursive query (own code first; unknown code: empty)', async () => {
    expect(await organisationSubtree(t.store.db, 'region-h')).toEqual(['region-h', 'hospital-b', 'kommune-a']);
    expect(await organisationSubtree(t.store.db, 'kommune-a')).toEqual(['kommune-a']);
    expect(await organisationSubtree(t.store.db, 'nowhere')).toEqual([]);
  });

  it('lists only the subtree; the national admin lists all', async () => {
    expect(await codes(tree.regionH)).toEqual(['hospital-b', 'kommune-a', 'region-h']);
    expect(await codes(tree.kommuneA)).toEqual(['kommune-a']);
    expect(await codes(tree.root)).toEqual(['hospital-b', 'kommune-a', 'region-h', 'region-s', 'vdx']);
  });

  it('answers organisation_not_found for ancestors and siblings on get, change and delete', async () => {
    for (const code of ['vdx', 'region-s']) {
      for (const res of [
        await t.app.inject({ method: 'GET', url: `${BASE}/${code}`, headers: tree.regionH }),
        await patch(tree.regionH, code, { name: 'Overtaget' }),
        await t.app.inject({ method: 'DELETE', url: `${BASE}/${code}`, headers: tree.regionH }),
      ]) {
        expect(res.statusCode, res.body).toBe(404);
        expect(errorCode(res)).toBe('organisation_not_found');
      }
    }
    const sibling = await t.app.inject({ method: 'GET', url: `${BASE}/hospital-b`, headers: tree.kommuneA });
    expect(sibling.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `${BASE}/region-s`, headers: tree.root })).json()).toMatchObject({ name: 'region-s' });
    expect((await t.app.inject({ method: 'GET', url: `${BASE}/kommune-a`, headers: tree.regionH })).statusCode).toBe(200);
  });

  it('creates children only below the subtree, and roots only as the national admin', async () => {
    for (const parentCode of ['region-s', 'vdx', null]) {
      const res = await post(tree.regionH, { code: `x-${String(parentCode)}`, name: 'X', parentCode });
      expect(res.statusCode, res.body).toBe(403);
      expect(errorCode(res)).toBe('organisation_out_of_scope');
    }
    const noParent = await post(tree.kommuneA, { code: 'x-none', name: 'X' });
    expect(errorCode(noParent)).toBe('organisation_out_of_scope');
    expect((await post(tree.regionH, { code: 'skole-c', name: 'Skole C', parentCode: 'kommune-a' })).statusCode).toBe(201);
    expect((await post(tree.root, { code: 'another-root', name: 'Another root' })).statusCode).toBe(201);
    expect(await codes(tree.kommuneA)).toEqual(['kommune-a', 'skole-c']);
  });

  it('moves nodes only within the subtree', async () => {
    for (const parentCode of ['region-s', 'vdx', null]) {
      const res = await patch(tree.regionH, 'hospital-b', { parentCode });
      expect(res.statusCode, res.body).toBe(403);
      expect(errorCode(res)).toBe('organisation_out_of_scope');
    }
    const moved = await patch(tree.regionH, 'skole-c', { parentCode: 'hospital-b' });
    expect(moved.json()).toMatchObject({ parentCode: 'hospital-b' });
    // The next request sees the changed tree: skole-c left kommune-a's subtree.
    expect(await codes(tree.kommuneA)).toEqual(['kommune-a']);
    expect((await patch(tree.regionH, 'hospital-b', { name: 'Hospital B' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `${BASE}/hospital-b`, headers: tree.root })).json()).toMatchObject({ parentCode: 'region-h' });
  });
});
