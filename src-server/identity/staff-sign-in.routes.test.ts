import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src-shared/platform/clock';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { authorize, createPerson, follow, redeem, refresh, signIn, submitSignIn, PASSWORD } from './staff-sign-in.test-support';

describe.each(DB_KINDS)('people sign in through the embedded OpenID Provider on %s', (kind) => {
  // The provider stamps tokens with the real time; our clock starts there so both agree.
  const t = useTestApp(kind, () => ({ clock: new ManualClock(new Date()) }));

  it('signs a clinician in and the access token carries the VDX claims the booking API rules by', async () => {
    await createPerson(t, { email: 'Klinik.Laege@Region.dk', roles: ['meeting-user'], name: 'Klinik Læge' });
    const { tokens } = await signIn(t, 'klinik.laege@region.dk');
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.refresh_token).toBeTruthy();
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({
      iss: 'http://vdx.test',
      'dk:medcom:video:role': ['meeting-user'],
      'dk:medcom:organisation_id': 'vdx',
      'dk:medcom:email': 'klinik.laege@region.dk',
      client_id: 'vdx-web',
    });
    expect(claims['management-admin']).toBeUndefined();
    const id = decodeJwt(tokens.id_token!);
    expect(id).toMatchObject({ email: 'klinik.laege@region.dk', name: 'Klinik Læge', organisation: 'vdx', roles: ['meeting-user'] });

    const start = new Date(t.clock.now().getTime() + 3600_000);
    const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const booked = await t.app.inject({
      method: 'POST',
      url: '/videoapi/v2/meetings',
      headers: { authorization: `Bearer ${tokens.access_token}` },
      payload: { subject: 'Stuegang', startTime: iso(start), endTime: iso(new Date(start.getTime() + 1800_000)) },
    });
    expect(booked.statusCode, booked.body).toBe(200);
    expect(booked.json()).toMatchObject({ organizedBy: { email: 'klinik.laege@region.dk' } });
  });

  it('answers a wrong password on the form, in Danish, without signing in', async () => {
    await createPerson(t, { email: 'planner@region.dk', roles: ['meeting-planner'] });
    const { res, flow } = await authorize(t);
    const page = await t.app.inject({ method: 'GET', url: String(res.headers.location), headers: { cookie: flow.jar.header() } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="email"');
    expect(page.body).toContain('name="password"');
    expect(page.body).toContain('<html lang="da">');
    const wrong = await submitSignIn(t, flow.jar, String(res.headers.location), 'planner@region.dk', 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('Forkert e-mail eller adgangskode.');
    const right = await submitSignIn(t, flow.jar, String(res.headers.location), 'planner@region.dk', PASSWORD);
    expect(right.statusCode).toBe(303);
    const back = await follow(t, flow.jar, right, flow.redirectUri);
    expect((await redeem(t, flow, back)).statusCode).toBe(200);
  });

  it('rotates refresh tokens: the new one works, the used one no longer does', async () => {
    await createPerson(t, { email: 'rotate@region.dk', roles: ['meeting-user'] });
    const { tokens } = await signIn(t, 'rotate@region.dk');
    const first = await refresh(t, tokens.refresh_token!);
    expect(first.statusCode, first.body).toBe(200);
    const next = first.json() as { refresh_token: string; access_token: string };
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(decodeJwt(next.access_token)['dk:medcom:email']).toBe('rotate@region.dk');
    const reused = await refresh(t, tokens.refresh_token!);
    expect(reused.statusCode).toBe(400);
    expect(reused.json()).toMatchObject({ error: 'invalid_grant' });
  });
});
