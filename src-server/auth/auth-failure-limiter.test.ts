import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src-shared/platform/clock';
import { TEST_ADMIN } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { installErrorHandling } from '../http/errors';
import { installZodSchemas } from '../http/zod-schemas';
import { ApiClients } from './api-clients.service';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { oauthErrorFormat, oauthRoutes } from './oauth.routes';
import { SigningKeys } from './signing-keys';
import { basicAuth } from './token.test-support';

const WINDOW_MS = 5 * 60_000;

describe('AuthFailureLimiter', () => {
  const limits = { client: { maxFailures: 3, windowMs: 60_000 }, ip: { maxFailures: 5, windowMs: 60_000 } };

  it('holds a key once it reaches its failures, until the oldest ages out of the window', () => {
    const clock = new ManualClock('2026-03-02T08:00:00Z');
    const limiter = new AuthFailureLimiter(clock, limits);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds({ client: 'a' })).toBe(0);
      limiter.recordFailure({ client: 'a' });
      clock.advance(10_000);
    }
    // Failures at 0 s, 10 s, 20 s; now 30 s: the first ages out at 60 s.
    expect(limiter.retryAfterSeconds({ client: 'a' })).toBe(30);
    expect(limiter.retryAfterSeconds({ client: 'b' })).toBe(0);
    clock.advance(30_000);
    expect(limiter.retryAfterSeconds({ client: 'a' })).toBe(0);
  });

  it('forgets the least recently failing keys beyond its bound', () => {
    const clock = new ManualClock();
    const limiter = new AuthFailureLimiter(clock, { ...limits, client: { maxFailures: 1, windowMs: 60_000 } }, 2);
    limiter.recordFailure({ client: 'a' });
    limiter.recordFailure({ client: 'b' });
    limiter.recordFailure({ client: 'c' });
    expect(limiter.retryAfterSeconds({ client: 'a' })).toBe(0);
    expect(limiter.retryAfterSeconds({ client: 'c' })).toBeGreaterThan(0);
  });
});

// The failure counts live in memory, not in the database: one engine is enough here.
describe('token endpoint rate limit', () => {
  const t = useTestApp('sqlite');

  const request = (clientId: string, secret: string, remoteAddress: string) =>
    t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      remoteAddress,
      headers: { authorization: basicAuth(clientId, secret) },
      payload: { grant_type: 'client_credentials' },
    });

  it('holds a client id after 10 failures for 5 minutes, even with the right secret, from any address', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await request(TEST_ADMIN.clientId, `wrong-${i}`, `10.1.0.${i + 1}`)).statusCode).toBe(401);
    }
    const held = await request(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret, '10.1.1.1');
    expect(held.statusCode).toBe(429);
    expect(held.json()).toEqual({ error: 'slow_down', error_description: expect.any(String) });
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(held.headers['retry-after'])).toBeLessThanOrEqual(300);
    expect(held.headers['cache-control']).toBe('no-store');

    t.clock.advance(WINDOW_MS);
    expect((await request(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret, '10.1.1.1')).statusCode).toBe(200);
  }, 90_000); // a dozen scrypt hashes: seconds normally, much longer on a loaded CI machine

  it('holds an address after its failures across client ids, but not other addresses', async () => {
    // The route module with a small per-address limit (the app's is 50; each failure costs a scrypt).
    const limited = Fastify();
    installZodSchemas(limited);
    installErrorHandling(limited, [{ prefix: '/oauth/', format: oauthErrorFormat }]);
    await limited.register(formbody);
    oauthRoutes(limited, {
      apiClients: new ApiClients(t.store, t.clock),
      tokens: t.handles.accessTokens,
      signingKeys: new SigningKeys(t.store, t.clock, 3600),
      limiter: new AuthFailureLimiter(t.clock, { client: { maxFailures: 10, windowMs: WINDOW_MS }, ip: { maxFailures: 5, windowMs: WINDOW_MS } }),
    });
    const send = (clientId: string, secret: string, remoteAddress: string) =>
      limited.inject({ method: 'POST', url: '/oauth/token', remoteAddress, headers: { authorization: basicAuth(clientId, secret) }, payload: { grant_type: 'client_credentials' } });
    try {
      const address = '10.2.0.1';
      for (let i = 0; i < 5; i++) expect((await send(`made-up-${i}`, 'guess', address)).statusCode).toBe(401);
      const held = await send(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret, address);
      expect(held.statusCode).toBe(429);
      expect(held.json()).toMatchObject({ error: 'slow_down' });
      expect((await send(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret, '10.2.0.2')).statusCode).toBe(200);
      t.clock.advance(WINDOW_MS);
      expect((await send(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret, address)).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
