import { describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';

describe.each(DB_KINDS)('system routes on %s', (kind) => {
  const t = useTestApp(kind);

  it('reports liveness', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('reports ready while the database answers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', database: true });
  });

  it('answers unknown routes with a JSON 404 and a stable code', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/no/such/thing' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'route_not_found' } });
  });

  it('answers a served path asked with the wrong method with 405 and Allow, in the API family’s format', async () => {
    const booking = await t.app.inject({ method: 'PUT', url: '/videoapi/v2/meetings' });
    expect(booking.statusCode).toBe(405);
    expect(booking.headers.allow).toBe('GET, HEAD, POST');
    expect(booking.json()).toMatchObject({ status: 405, error: 'Method Not Allowed', detailed_error_code: '10' });
    const withId = await t.app.inject({ method: 'POST', url: '/videoapi/v2/meetings/6a1c5b0e-3f5e-4bb7-9a1f-0d0b8e2c9d11' });
    expect(withId.statusCode).toBe(405);
    expect(withId.headers.allow).toContain('PATCH');
    const ours = await t.app.inject({ method: 'DELETE', url: '/readyz' });
    expect(ours.statusCode).toBe(405);
    expect(ours.json()).toMatchObject({ error: { code: 'method_not_allowed', details: { allowed: ['GET', 'HEAD'] } } });
    // A path nobody serves stays 404, whatever the method.
    expect((await t.app.inject({ method: 'POST', url: '/no/such/thing' })).statusCode).toBe(404);
  });

  it('serves an OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ openapi: '3.1.0' });
  });
});
