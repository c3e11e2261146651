import { expect } from 'vitest';
import type { TestApp } from '../test-support/test-app';
import { authHeader } from '../test-support/tokens';

type Headers = Record<string, string>;

/**
 * The tree the organisation-scope tests share (decision 0011):
 *
 *   vdx (bootstrap, national) ─┬─ region-h ─┬─ kommune-a
 *                              │            └─ hospital-b
 *                              └─ region-s
 *
 * with a management-admin header for the national root, region-h and kommune-a. The tree is made
 * through the API by the root admin; tokens for existing organisations keep their parents.
 */
export interface OrganisationTree {
  root: Headers;
  regionH: Headers;
  kommuneA: Headers;
}

export async function buildOrganisationTree(t: TestApp): Promise<OrganisationTree> {
  const root = await authHeader(t, { roles: [], organisation: t.config.bootstrapOrganisation, managementAdmin: true });
  const nodes: [string, string][] = [
    ['region-h', t.config.bootstrapOrganisation],
    ['kommune-a', 'region-h'],
    ['hospital-b', 'region-h'],
    ['region-s', t.config.bootstrapOrganisation],
  ];
  for (const [code, parentCode] of nodes) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/management/v1/organisations',
      headers: root,
      payload: { code, name: code, parentCode },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  return {
    root,
    regionH: await authHeader(t, { roles: [], organisation: 'region-h', managementAdmin: true }),
    kommuneA: await authHeader(t, { roles: [], organisation: 'kommune-a', managementAdmin: true }),
  };
}

/** The `error.code` of an answer in our error shape. */
export function errorCode(res: { json(): unknown }): string | undefined {
  return (res.json() as { error?: { code?: string } }).error?.code;
}
