import { beforeAll, describe, expect, it } from 'vitest';
import { AuditEntryList } from '../../src-shared/audit/audit.schema';
import { bearer } from '../auth/token.test-support';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';

describe.each(DB_KINDS)('reading the audit trail on %s', (kind) => {
  const t = useTestApp(kind);
  let admin: { authorization: string };
  beforeAll(async () => {
    // Three organisation writes an hour apart: 08:00, 09:00, 10:00 UTC.
    for (const code of ['first', 'second', 'third']) {
      admin = await bearer(t.app); // tokens live an hour; the clock moves an hour per write
      const res = await t.app.inject({ method: 'POST', url: '/management/v1/organisations', headers: admin, payload: { code, name: code } });
      expect(res.statusCode).toBe(201);
      t.clock.advance(3600_000);
    }
    admin = await bearer(t.app);
  });

  const read = async (query: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/management/v1/audit${query}`, headers: admin });
    expect(res.statusCode).toBe(200);
    return AuditEntryList.parse(res.json()).entries;
  };

  it('lists entries newest first with who did what', async () => {
    const entries = await read('?entityType=organisation');
    expect(entries.map((e) => e.entityId)).toEqual(['third', 'second', 'first']);
    expect(entries[0]).toMatchObject({ action: 'organisation.create', actor: 'test-admin', actorOrganisation: 'vdx', before: null, after: { code: 'third' } });
  });

  it('filters by time (from inclusive, to exclusive, any UTC offset), entity and limit', async () => {
    expect((await read('?entityType=organisation&from=2026-03-02T09:00:00Z')).map((e) => e.entityId)).toEqual(['third', 'second']);
    expect((await read('?entityType=organisation&to=2026-03-02T09:00:00Z')).map((e) => e.entityId)).toEqual(['first']);
    expect((await read(`?entityType=organisation&from=${encodeURIComponent('2026-03-02T10:00:00+01:00')}&to=2026-03-02T10:00:00Z`)).map((e) => e.entityId)).toEqual(['second']);
    expect((await read('?entityType=organisation&entityId=second')).map((e) => e.entityId)).toEqual(['second']);
    expect((await read('?entityType=organisation&limit=1')).map((e) => e.entityId)).toEqual(['third']);
    expect(await read('?entityType=no-such-type')).toEqual([]);
  });

  it('refuses bad queries with 400', async () => {
    for (const query of ['?from=yesterday', '?limit=0', '?limit=1001', '?limit=x', '?from=2026-03-03T00:00:00Z&to=2026-03-02T00:00:00Z', '?other=1']) {
      const res = await t.app.inject({ method: 'GET', url: `/management/v1/audit${query}`, headers: admin });
      expect({ query, status: res.statusCode }).toEqual({ query, status: 400 });
      expect(res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });
});
