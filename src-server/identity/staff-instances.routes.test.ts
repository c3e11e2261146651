import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAppOn, freshDatabaseUrl, type TestApp } from '../test-support/test-app';
import { createPerson, refresh, signIn, silentRenew, WallClock, type StaffTokens } from './staff-sign-in.test-support';

describe('sign-ins are shared by instances on one PostgreSQL database', () => {
  let a: TestApp;
  let b: TestApp;
  let clock: WallClock;
  beforeAll(async () => {
    clock = new WallClock();
    const url = await freshDatabaseUrl('postgres');
    a = await createTestAppOn(url, {}, clock);
    b = await createTestAppOn(url, {}, clock);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    clock?.restore();
  });

  it('a sign-in on one instance renews and refreshes on the other', async () => {
    await createPerson(a, { email: 'roaming@region.dk', roles: ['meeting-user'] });
    const { tokens, flow } = await signIn(a, 'roaming@region.dk');
    const renewed = await silentRenew(b, flow.jar);
    expect(decodeJwt(renewed.tokens!.access_token)['dk:medcom:email']).toBe('roaming@region.dk');
    const refreshed = await refresh(b, tokens.refresh_token!);
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    // The token instance B issued is good on instance A (403: known, just no admin; a bad token is 401),
    // and the rotated refresh token is spent on both.
    const next = refreshed.json() as StaffTokens;
    expect((await a.app.inject({ method: 'GET', url: '/management/v1/users', headers: { authorization: `Bearer ${next.access_token}` } })).statusCode).toBe(403);
    expect((await refresh(a, tokens.refresh_token!)).statusCode).toBe(400);
  });
});

describe('sign-ins survive a restart (SQLite file)', () => {
  let dir: string;
  let clock: WallClock;
  beforeAll(() => {
    clock = new WallClock();
    dir = mkdtempSync(path.join(tmpdir(), 'vdx-identity-'));
  });
  afterAll(() => {
    clock?.restore();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the browser stays signed in and the refresh token works after the server restarts', async () => {
    const url = `sqlite:${path.join(dir, 'vdx.db')}`;
    const before = await createTestAppOn(url, {}, clock);
    await createPerson(before, { email: 'restart@region.dk', roles: ['meeting-user'] });
    const { tokens, flow } = await signIn(before, 'restart@region.dk');
    await before.close();

    const after = await createTestAppOn(url, {}, clock);
    try {
      const renewed = await silentRenew(after, flow.jar);
      expect(decodeJwt(renewed.tokens!.access_token)['dk:medcom:email']).toBe('restart@region.dk');
      expect((await refresh(after, tokens.refresh_token!)).statusCode).toBe(200);
    } finally {
      await after.close();
    }
  });
});
