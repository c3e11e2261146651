import { beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisationTree, errorCode, type OrganisationTree } from '../organisations/organisation-tree.test-kit';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';

type Headers = Record<string, string>;

/** Decision 0011: fixed VMRs and live conferences carry no organisation; they are the national root's. */
describe.each(DB_KINDS)('fixed VMRs and live conferences under organisation scope on %s', (kind) => {
  const t = useTestApp(kind);
  let tree: OrganisationTree;
  beforeAll(async () => {
    tree = await buildOrganisationTree(t);
    const created = await t.app.inject({
      method: 'POST',
      url: '/management/v1/vmrs',
      headers: tree.root,
      payload: { alias: 'national', name: 'Nationalt rum', hostPin: '1234' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const joined = await t.app.inject({
      method: 'POST',
      url: '/api/client/v2/conferences/national/request_token',
      headers: { pin: '1234' },
      payload: { display_name: 'Vært' },
    });
    expect(joined.statusCode, joined.body).toBe(200);
  });

  const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Headers, payload?: object) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  it('shows other admins no VMRs and no live conferences; the national admin sees them', async () => {
    expect((await inject('GET', '/management/v1/vmrs', tree.regionH)).json()).toEqual({ vmrs: [] });
    expect((await inject('GET', '/management/v1/conferences', tree.regionH)).json()).toEqual({ conferences: [] });
    expect((await inject('GET', '/management/v1/vmrs', tree.root)).json<{ vmrs: unknown[] }>().vmrs).toHaveLength(1);
    expect((await inject('GET', '/management/v1/conferences', tree.root)).json<{ conferences: unknown[] }>().conferences).toHaveLength(1);
  });

  it('answers other admins as for an unknown VMR or conference, and refuses them a new one', async () => {
    for (const res of [
      await inject('GET', '/management/v1/vmrs/national', tree.kommuneA),
      await inject('PATCH', '/management/v1/vmrs/national', tree.kommuneA, { name: 'Overtaget' }),
      await inject('DELETE', '/management/v1/vmrs/national', tree.kommuneA),
    ]) {
      expect(res.statusCode, res.body).toBe(404);
      expect(errorCode(res)).toBe('vmr_not_found');
    }
    const end = await inject('POST', '/management/v1/conferences/national/end', tree.regionH);
    expect(end.statusCode).toBe(404);
    expect(errorCode(end)).toBe('conference_not_live');
    const create = await inject('POST', '/management/v1/vmrs', tree.regionH, { alias: 'regional', name: 'Regionalt', hostPin: '4321' });
    expect(create.statusCode).toBe(403);
    expect(errorCode(create)).toBe('organisation_out_of_scope');
    expect((await inject('GET', '/management/v1/vmrs/national', tree.root)).json()).toMatchObject({ name: 'Nationalt rum' });
    expect((await inject('GET', '/management/v1/conferences', tree.root)).json<{ conferences: unknown[] }>().conferences).toHaveLength(1);
  });
});
