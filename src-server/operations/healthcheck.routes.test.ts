import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { installZodSchemas } from '../http/zod-schemas';
import { HEALTH_PARTS, HealthcheckResponse, healthcheckRoutes } from './healthcheck';

describe.each(DB_KINDS)('the health check (/v1/healthcheck) on %s', (kind) => {
  const t = useTestApp(kind);

  it('answers every part of MedCom’s health-check shape; all healthy on a fresh server', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/healthcheck' });
    expect(res.statusCode).toBe(200);
    const body = HealthcheckResponse.parse(res.json());
    expect(Object.keys(body).sort()).toEqual([...HEALTH_PARTS].sort());
    for (const part of ['sts', 'video-api', 'video-api-access-token', 'short-link', 'sms'] as const) {
      expect(body[part], part).toMatchObject({ status: true });
      expect(Number.isInteger(body[part]['response-time'])).toBe(true);
    }
  });

  it('reports the booking API down when its database is, and nothing else of it', async () => {
    const ping = t.store.ping;
    t.store.ping = async () => false;
    try {
      const body = HealthcheckResponse.parse((await t.app.inject({ method: 'GET', url: '/v1/healthcheck' })).json());
      expect(body['video-api']).toMatchObject({ status: false, message: 'database unavailable' });
      expect(body.sts.status).toBe(true);
    } finally {
      t.store.ping = ping;
    }
  });
});

describe('the server’s probes of itself in the log', () => {
  const lines: string[] = [];
  const t = useTestApp('sqlite', { env: { VDX_LOG_LEVEL: 'info' }, deps: { logStream: { write: (line: string) => void lines.push(line) } } });

  it('logs the health check a monitor asked for, not the requests its probes make', async () => {
    await t.app.inject({ method: 'GET', url: '/v1/healthcheck' });
    const urls = lines.map((l) => (JSON.parse(l) as { req?: { url?: string } }).req?.url).filter(Boolean);
    expect(urls).toContain('/v1/healthcheck');
    expect(urls).not.toContain('/.well-known/openid-configuration');
    expect(urls).not.toContain('/videoapi/v2/info');
  });
});

describe('health-check probes that fail or hang', () => {
  it('reports a thrown reason and a probe that does not answer in time, and still answers 200', async () => {
    const app = Fastify();
    installZodSchemas(app);
    const ok = async () => undefined;
    healthcheckRoutes(app, { sts: ok, 'video-api': ok, 'short-link': ok, 'video-api-access-token': async () => Promise.reject(new Error('keys unavailable')), sms: () => new Promise(() => undefined) }, { timeoutMs: 50 });
    const res = await app.inject({ method: 'GET', url: '/v1/healthcheck' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body['video-api-access-token']).toMatchObject({ status: false, message: 'keys unavailable' });
    expect(body.sms).toMatchObject({ status: false, message: 'no answer within 50 ms' });
    expect(body.sms['response-time']).toBeGreaterThanOrEqual(45);
    expect(body.sts.status).toBe(true);
    await app.close();
  });
});
