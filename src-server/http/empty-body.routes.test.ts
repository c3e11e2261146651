import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ALL_VDX_ROLES } from '../../src-shared/auth/roles';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { mintTestToken } from '../updates/test-tokens';
import { mayBeEmpty, type RegisteredRoute } from './zod-schemas';

/** Path parameter values tried in turn until the route's params schema takes them. */
const PARAM_CANDIDATES = ['1', '00000000-0000-4000-8000-000000000000', 'room-1', 'a'];

function fillParams(route: RegisteredRoute): string {
  const names = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  const schema = route.schema.params instanceof z.ZodType ? route.schema.params : undefined;
  const values: Record<string, string> = Object.fromEntries(names.map((n) => [n, PARAM_CANDIDATES[0]!]));
  for (const name of names) {
    const fits = PARAM_CANDIDATES.find((c) => !schema || schema.safeParse({ ...values, [name]: c }).success);
    if (fits === undefined) throw new Error(`no test value fits the path parameter ${name} of ${route.method} ${route.url}`);
    values[name] = fits;
  }
  if (schema) expect(schema.safeParse(values).success, `params of ${route.url}`).toBe(true);
  return route.url.replace(/:([A-Za-z0-9_]+)/g, (_, n: string) => values[n]!);
}

/** True when the answer refuses the request because of its body (each API family words it its own way). */
const refusesBody = (res: LightMyRequestResponse) => res.statusCode === 400 && /body|JSON/i.test(res.body);

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe.each(DB_KINDS)('request bodies that may be left out (%s)', (kind) => {
  const t = useTestApp(kind);
  let auth: Record<string, string>;
  let routes: RegisteredRoute[];
  /** Routes that declare no body at all (actions such as revoke or disconnect). */
  let bodiless: RegisteredRoute[];

  beforeAll(async () => {
    // One caller with every role, so each family's handler gets past authentication to the body.
    const token = await mintTestToken(t, {
      roles: [...ALL_VDX_ROLES],
      managementAdmin: true,
      scopes: ['management', 'booking', 'provisioning'],
    });
    auth = { authorization: `Bearer ${token}` };
    routes = t.app.registeredRoutes.filter((r) => WITH_BODY.has(r.method) && r.schema.body !== undefined);
    bodiless = t.app.registeredRoutes.filter((r) => WITH_BODY.has(r.method) && r.schema.body === undefined);
  });

  it('every route whose body is all optional takes none, sent with or without a JSON Content-Type', async () => {
    const optional = routes.filter((r) => mayBeEmpty(r.schema.body));
    // The walk must cover every family's routes of this kind, or it proves nothing.
    for (const prefix of ['/management/v1/', '/api/client/v2/', '/videoapi/v2/']) {
      expect(optional.some((r) => r.url.startsWith(prefix)), prefix).toBe(true);
    }
    for (const route of optional) {
      const url = fillParams(route);
      for (const headers of [auth, { ...auth, 'content-type': 'application/json' }]) {
        const res = await t.app.inject({ method: route.method as InjectOptions['method'], url, headers });
        const what = `${route.method} ${route.url} (${headers['content-type'] ?? 'no Content-Type'}): ${res.statusCode} ${res.body}`;
        expect(refusesBody(res), what).toBe(false);
        expect(res.statusCode, what).toBeLessThan(500);
      }
    }
  });

  it('a route that declares no body answers a request without one without failing', async () => {
    expect(bodiless.length).toBeGreaterThan(0);
    for (const route of bodiless) {
      const res = await t.app.inject({ method: route.method as InjectOptions['method'], url: fillParams(route), headers: auth });
      const what = `${route.method} ${route.url}: ${res.statusCode} ${res.body}`;
      expect(res.statusCode, what).toBeLessThan(500);
    }
  });

  it('a route whose body has required fields answers 400 naming the first missing one', async () => {
    const required = routes.filter((r) => !mayBeEmpty(r.schema.body));
    expect(required.length).toBeGreaterThan(0);
    for (const route of required) {
      const res = await t.app.inject({ method: route.method as InjectOptions['method'], url: fillParams(route), headers: auth });
      const what = `${route.method} ${route.url}: ${res.statusCode} ${res.body}`;
      expect(res.statusCode, what).toBe(400);
      expect(res.body, what).toMatch(/body[.:]/);
      expect(res.body, what).not.toMatch(/received null/);
    }
  });

  it('an activation code is created with no body and no Content-Type (201)', async () => {
    const room = await t.app.inject({ method: 'POST', url: '/management/v1/rooms', headers: auth, payload: { name: 'Stue 1' } });
    expect(room.statusCode, room.body).toBe(201);
    const res = await t.app.inject({ method: 'POST', url: `/management/v1/rooms/${room.json<{ id: string }>().id}/activation-codes`, headers: auth });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ code: expect.any(String) });
  });

  it('the Pexip client API takes release_token and disconnect without a body, as the SDK may post them', async () => {
    const vmr = await t.app.inject({ method: 'POST', url: '/management/v1/vmrs', headers: auth, payload: { alias: 'tom-krop', name: 'Tom krop', hostPin: '2468' } });
    expect(vmr.statusCode, vmr.body).toBe(201);
    const base = '/api/client/v2/conferences/tom-krop';
    const join = async () => {
      const res = await t.app.inject({ method: 'POST', url: `${base}/request_token`, headers: { pin: '2468' } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ result: { token: string } }>().result.token;
    };
    const first = await join();
    const released = await t.app.inject({ method: 'POST', url: `${base}/release_token`, headers: { token: first } });
    expect(released.statusCode, released.body).toBe(200);
    const second = await join();
    const ended = await t.app.inject({ method: 'POST', url: `${base}/disconnect`, headers: { token: second, 'content-type': 'application/json' } });
    expect(ended.statusCode, ended.body).toBe(200);
  });

  it('malformed JSON is still refused, and /oauth/token without a body is an OAuth invalid_request', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/management/v1/rooms', headers: { ...auth, 'content-type': 'application/json' }, payload: '{' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'malformed_json' } });
    const token = await t.app.inject({ method: 'POST', url: '/oauth/token' });
    expect(token.statusCode, token.body).toBe(400);
    expect(token.json()).toMatchObject({ error: 'invalid_request' });
  });
});
