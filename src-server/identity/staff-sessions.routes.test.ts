import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { DB_KINDS, type TestApp } from '../test-support/test-app';
import { authHeader } from '../test-support/tokens';
import { DESKTOP_CLIENT_ID, WEB_CLIENT_ID } from './staff-oidc.provider';
import { authorize, CookieJar, createPerson, follow, identitySuite, PASSWORD, refresh, signIn, silentRenew, tryPassword, type StaffTokens, type WallClock } from './staff-sign-in.test-support';

const MINUTE = 60_000;

describe.each(DB_KINDS)("people's sessions on %s (idle 60 min, absolute 10 h, rotation, sign-out)", (kind) => {
  let t: TestApp;
  let clock: WallClock;
  identitySuite(kind, (built) => ({ t, clock } = built));

  const bookingList = (token: string) =>
    t.app.inject({
      method: 'GET',
      url: '/videoapi/v2/meetings?from-start-time=2026-01-01T00:00:00Z&to-start-time=2027-12-31T00:00:00Z',
      headers: { authorization: `Bearer ${token}` },
    });
  const admin = () => authHeader(t, { roles: [], organisation: 'vdx', managementAdmin: true });

  it('renews silently in the browser that signed in; another browser is told login_required', async () => {
    await createPerson(t, { email: 'silent@region.dk', roles: ['meeting-user'] });
    const { flow } = await signIn(t, 'silent@region.dk', { ip: '10.8.0.1' });
    const renewed = await silentRenew(t, flow.jar);
    expect(renewed.tokens && decodeJwt(renewed.tokens.access_token)['dk:medcom:email']).toBe('silent@region.dk');
    expect(await silentRenew(t, new CookieJar())).toEqual({ error: 'login_required' });
  });

  it('refuses a used refresh token and then ends that whole chain (reuse means theft)', async () => {
    await createPerson(t, { email: 'stolen@region.dk', roles: ['meeting-user'] });
    const { tokens } = await signIn(t, 'stolen@region.dk', { ip: '10.8.0.2' });
    const rotated = (await refresh(t, tokens.refresh_token!)).json() as StaffTokens;
    expect(rotated.refresh_token).toBeTruthy();
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    const reused = await refresh(t, tokens.refresh_token!);
    expect(reused.statusCode).toBe(400);
    expect(reused.json()).toMatchObject({ error: 'invalid_grant' });
    // The thief replayed the old one: the legitimate newest token stops as well.
    expect((await refresh(t, rotated.refresh_token!)).statusCode).toBe(400);
  });

  it('ends a sign-in nobody renewed for 60 minutes: refresh refused, silent renewal login_required', async () => {
    await createPerson(t, { email: 'idle@region.dk', roles: ['meeting-user'] });
    const { tokens, flow } = await signIn(t, 'idle@region.dk', { ip: '10.8.0.3' });
    clock.advance(61 * MINUTE);
    const refused = await refresh(t, tokens.refresh_token!);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: 'invalid_grant' });
    expect(await silentRenew(t, flow.jar)).toEqual({ error: 'login_required' });
    expect((await bookingList(tokens.access_token)).statusCode).toBe(401);
  });

  it('keeps a sign-in alive past the idle time while a page renews it', async () => {
    await createPerson(t, { email: 'busy@region.dk', roles: ['meeting-user'] });
    const { tokens, flow } = await signIn(t, 'busy@region.dk', { ip: '10.8.0.4' });
    let refreshToken = tokens.refresh_token!;
    for (let i = 0; i < 6; i++) {
      clock.advance(30 * MINUTE);
      const res = await refresh(t, refreshToken);
      expect(res.statusCode, `after ${(i + 1) * 30} min: ${res.body}`).toBe(200);
      const next = res.json() as StaffTokens;
      refreshToken = next.refresh_token!;
      expect((await bookingList(next.access_token)).statusCode).toBe(200);
    }
    expect((await silentRenew(t, flow.jar)).tokens).toBeTruthy();
  });

  it('ends every sign-in 10 hours after the password, however busy', async () => {
    await createPerson(t, { email: 'longday@region.dk', roles: ['meeting-user'] });
    const { tokens, flow } = await signIn(t, 'longday@region.dk', { ip: '10.8.0.5' });
    let refreshToken = tokens.refresh_token!;
    for (let elapsed = 50; elapsed < 600; elapsed += 50) {
      clock.advance(50 * MINUTE);
      const res = await refresh(t, refreshToken);
      expect(res.statusCode, `after ${elapsed} min: ${res.body}`).toBe(200);
      refreshToken = (res.json() as StaffTokens).refresh_token!;
      if (elapsed % 100 === 0) expect((await silentRenew(t, flow.jar)).tokens, `silent after ${elapsed} min`).toBeTruthy();
    }
    clock.advance(50 * MINUTE); // 10 h 0 min
    expect((await refresh(t, refreshToken)).statusCode).toBe(400);
    expect(await silentRenew(t, flow.jar)).toEqual({ error: 'login_required' });
    // Signing in again starts a new day.
    const again = await signIn(t, 'longday@region.dk', { ip: '10.8.0.5', jar: flow.jar });
    expect((await refresh(t, again.tokens.refresh_token!)).statusCode).toBe(200);
  });

  it('signs out: the refresh token is revoked and the provider session ends', async () => {
    await createPerson(t, { email: 'leaving@region.dk', roles: ['meeting-user'] });
    const { tokens, flow } = await signIn(t, 'leaving@region.dk', { ip: '10.8.0.6' });
    const second = await silentRenew(t, flow.jar);

    const revoked = await t.app.inject({
      method: 'POST',
      url: '/oauth/revoke',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ client_id: WEB_CLIENT_ID, token: tokens.refresh_token!, token_type_hint: 'refresh_token' }).toString(),
    });
    expect(revoked.statusCode).toBe(200);
    expect((await refresh(t, tokens.refresh_token!)).statusCode).toBe(400);

    // The session module's hidden iframe: the provider's confirmation form, submitted.
    const query = new URLSearchParams({ client_id: WEB_CLIENT_ID, post_logout_redirect_uri: `${t.config.publicUrl}/oidc/silent-callback` });
    const page = await t.app.inject({ method: 'GET', url: `/oidc/session/end?${query}`, headers: { cookie: flow.jar.header() } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Vil du logge ud af VDX på denne computer?');
    const action = /<form[^>]*id="op.logoutForm"[^>]*action="([^"]+)"|<form[^>]*action="([^"]+)"[^>]*id="op.logoutForm"/.exec(page.body);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body)?.[1];
    expect(action && xsrf).toBeTruthy();
    const confirmed = await t.app.inject({
      method: 'POST',
      url: new URL(action![1] ?? action![2]!, t.config.publicUrl).pathname,
      headers: { cookie: flow.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ xsrf: xsrf!, logout: 'yes' }).toString(),
    });
    flow.jar.take(confirmed);
    expect(confirmed.statusCode).toBe(303);
    expect(String(confirmed.headers.location)).toBe(`${t.config.publicUrl}/oidc/silent-callback`);

    expect(await silentRenew(t, flow.jar)).toEqual({ error: 'login_required' });
    // Every refresh token of that sign-in ends with it, not only the revoked one.
    expect((await refresh(t, second.tokens!.refresh_token!)).statusCode).toBe(400);
  });

  it("does not let another client revoke a person's refresh token", async () => {
    await createPerson(t, { email: 'kept@region.dk', roles: ['meeting-user'] });
    const { tokens } = await signIn(t, 'kept@region.dk', { ip: '10.8.0.9' });
    await t.app.inject({
      method: 'POST',
      url: '/oauth/revoke',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ client_id: DESKTOP_CLIENT_ID, token: tokens.refresh_token!, token_type_hint: 'refresh_token' }).toString(),
    });
    expect((await refresh(t, tokens.refresh_token!)).statusCode).toBe(200);
  });

  it("stops a disabled person's access token at once, and refresh and silent renewal with it", async () => {
    const person = await createPerson(t, { email: 'leaver@region.dk', roles: ['meeting-user'] });
    const { tokens, flow } = await signIn(t, 'leaver@region.dk', { ip: '10.8.0.7' });
    expect((await bookingList(tokens.access_token)).statusCode).toBe(200);
    const disabled = await t.app.inject({ method: 'PATCH', url: `/management/v1/users/${person.id}`, headers: await admin(), payload: { disabled: true } });
    expect(disabled.statusCode).toBe(200);
    const refused = await bookingList(tokens.access_token);
    expect(refused.statusCode).toBe(401);
    expect((await refresh(t, tokens.refresh_token!)).statusCode).toBe(400);
    expect(await silentRenew(t, flow.jar)).toEqual({ error: 'login_required' });
    // A full-page visit shows the sign-in form again (not an error), which refuses them.
    const { res } = await authorize(t, { jar: flow.jar });
    const page = await follow(t, flow.jar, res, `${t.config.publicUrl}/oidc/interaction/`);
    expect(String(page.headers.location)).toContain('/oidc/interaction/');
    expect((await tryPassword(t, 'leaver@region.dk', PASSWORD, '10.8.0.7')).statusCode).toBe(401);
  });

  it('gives tokens issued after a roles change the new roles', async () => {
    const person = await createPerson(t, { email: 'promoted@region.dk', roles: ['meeting-user'] });
    const { tokens } = await signIn(t, 'promoted@region.dk', { ip: '10.8.0.8' });
    expect(decodeJwt(tokens.access_token)['dk:medcom:video:role']).toEqual(['meeting-user']);
    await t.app.inject({ method: 'PATCH', url: `/management/v1/users/${person.id}`, headers: await admin(), payload: { roles: ['meeting-planner'] } });
    const next = (await refresh(t, tokens.refresh_token!)).json() as StaffTokens;
    expect(decodeJwt(next.access_token)['dk:medcom:video:role']).toEqual(['meeting-planner']);
  });
});
