import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, createConferenceTestApp } from '../conference/conference.test-support';
import { DB_KINDS } from '../test-support/test-app';
import { useForSuite } from '../test-support/use-test-app';

/** The value of one series in Prometheus text format (undefined: the series is absent). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(DB_KINDS)('Prometheus metrics (/metrics) on %s', (kind) => {
  const t = useForSuite(() => createConferenceTestApp(kind));
  let admin: Record<string, string>;
  beforeAll(async () => {
    admin = await adminHeaders(t);
  });
  const scrape = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    return res.body;
  };

  it('times requests per route pattern, never per concrete URL', async () => {
    const meeting = '/videoapi/v2/meetings/3f0b6c4e-1d7a-4c55-9a61-2b8e5d0c7a11';
    const first = await t.app.inject({ method: 'GET', url: meeting });
    expect(first.statusCode).toBe(401);
    await t.app.inject({ method: 'GET', url: meeting.replace('3f0b6c4e', '4a1c7d5f') });
    const text = await scrape();
    expect(sample(text, 'vdx_http_request_duration_seconds_count{method="GET",route="/videoapi/v2/meetings/:uuid",status="401"}')).toBe(2);
    expect(text).not.toContain('3f0b6c4e');
  });

  it('counts live conferences and their participants, where they are', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/management/v1/vmrs', headers: admin, payload: { alias: 'metrik-rum', name: 'Metrikrummet', hostPin: '2468', guestPin: '1357', lockedByDefault: true } });
    expect(created.statusCode, created.body).toBe(201);
    const join = (pin: string) =>
      t.app.inject({ method: 'POST', url: '/api/client/v2/conferences/metrik-rum/request_token', headers: { pin }, payload: { display_name: 'Deltager' } });
    expect((await join('2468')).statusCode).toBe(200);
    expect((await join('1357')).statusCode).toBe(200);
    const text = await scrape();
    const conferences = (sample(text, 'vdx_conferences_live{media="direct"}') ?? 0) + (sample(text, 'vdx_conferences_live{media="server"}') ?? 0);
    expect(conferences).toBe(1);
    // The host is in the conference, the guest waits to be admitted (the room is locked); neither has media up yet.
    expect(sample(text, 'vdx_conference_participants{service_type="conference",in_call="false"}')).toBe(1);
    expect(sample(text, 'vdx_conference_participants{service_type="waiting_room",in_call="false"}')).toBe(1);
  });

  it('reports the fleet, the process and, on PostgreSQL, the connection pool', async () => {
    const text = await scrape();
    for (const status of ['online', 'offline', 'degraded']) expect(sample(text, `vdx_devices{status="${status}"}`)).toBe(0);
    expect(sample(text, 'vdx_devices_connected')).toBe(0);
    expect(sample(text, 'vdx_process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'vdx_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    if (kind === 'postgres') expect(sample(text, 'vdx_db_pool_connections{state="max"}')).toBe(10);
    else expect(text).not.toContain('vdx_db_pool_connections');
  });

  it('has every series the Grafana dashboard in docs/ charts', async () => {
    const dashboard = JSON.parse(readFileSync('docs/grafana/vdx-room-server.json', 'utf8')) as { panels: { targets: { expr: string }[] }[] };
    const names = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/vdx_[a-z0-9_]+/g) ?? [])));
    expect(names.size).toBeGreaterThan(8);
    const text = await scrape();
    const served = new Set(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0]));
    for (const name of names) {
      if (kind === 'sqlite' && name.startsWith('vdx_db_pool')) continue;
      expect(served.has(name), name).toBe(true);
    }
  });

  it('serves loopback callers only while no token is set, not requests a proxy forwarded', async () => {
    const forwarded = await t.app.inject({ method: 'GET', url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(forwarded.statusCode).toBe(403);
    expect(forwarded.json()).toMatchObject({ error: { code: 'metrics_loopback_only' } });
    const remote = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.20.30.40' });
    expect(remote.statusCode).toBe(403);
  });
});

describe('Prometheus metrics with VDX_METRICS_TOKEN', () => {
  const token = 'prometheus-scrape-token-0123456789';
  const t = useForSuite(() => createConferenceTestApp('sqlite', { env: { VDX_METRICS_TOKEN: token } }));

  it('needs the bearer token, from anywhere', async () => {
    const scrape = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.20.30.40', headers });
    expect((await scrape({})).statusCode).toBe(401);
    expect((await scrape({ authorization: `Bearer ${token.slice(0, -1)}x` })).statusCode).toBe(401);
    const ok = await scrape({ authorization: `Bearer ${token}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('# TYPE vdx_http_request_duration_seconds histogram');
  });
});
