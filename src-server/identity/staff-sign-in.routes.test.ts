import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src-shared/platform/clock';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { authorize, bookMeeting, CookieJar, createPerson, follow, openSignInPage, redeem, signIn, submitSignIn, PASSWORD } from './staff-sign-in.test-support';

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
    // RFC 8176 amr: a relying party can tell how the person proved who they are.
    expect(id).toMatchObject({ email: 'klinik.laege@region.dk', name: 'Klinik Læge', organisation: 'vdx', roles: ['meeting-user'], amr: ['pwd'] });

    const booked = await bookMeeting(t, tokens.access_token, 'Stuegang');
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

  it("takes a browser's token request from our own origin (browsers send Origin with every POST) and refuses another origin's", async () => {
    await createPerson(t, { email: 'browser@region.dk', roles: ['meeting-user'] });
    const codeFor = async () => {
      const { res, flow } = await authorize(t);
      const posted = await submitSignIn(t, flow.jar, String(res.headers.location), 'browser@region.dk', PASSWORD);
      const back = await follow(t, flow.jar, posted, flow.redirectUri);
      return { flow, code: new URL(String(back.headers.location)).searchParams.get('code')! };
    };
    const exchange = async (origin: string) => {
      const { flow, code } = await codeFor();
      return t.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        payload: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: flow.redirectUri, client_id: 'vdx-web', code_verifier: flow.verifier }).toString(),
      });
    };
    const own = await exchange(new URL(t.config.publicUrl).origin);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toHaveProperty('access_token');
    const other = await exchange('https://evil.example');
    expect(other.statusCode).toBe(400);
    expect(other.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('shows the page in English on request, and answers in English', async () => {
    await createPerson(t, { email: 'english@region.dk', roles: ['meeting-user'] });
    const { flow, interaction } = await openSignInPage(t);
    const da = await t.app.inject({ method: 'GET', url: interaction, headers: { cookie: flow.jar.header() } });
    const toEnglish = /href="([^"]+)" lang="en"/.exec(da.body)?.[1];
    expect(toEnglish).toBeTruthy();
    const en = await t.app.inject({ method: 'GET', url: toEnglish!.replaceAll('&amp;', '&'), headers: { cookie: flow.jar.header() } });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Sign in with your e-mail and password.');
    expect(en.body).toContain('<input type="hidden" name="lang" value="en">');
    const wrong = await submitSignIn(t, flow.jar, interaction, 'english@region.dk', 'not the password at all', '10.9.3.1', 'en');
    expect(wrong.body).toContain('Wrong e-mail or password.');
    expect(wrong.body).toContain('value="english@region.dk"');
    // ui_locales on the authorization request chooses English from the start.
    const { res, flow: second } = await authorize(t, { uiLocales: 'en-GB' });
    const page = await t.app.inject({ method: 'GET', url: String(res.headers.location), headers: { cookie: second.jar.header() } });
    expect(page.body).toContain('<html lang="en">');
  });

  it('serves the sign-in page uncached under a strict CSP, with the provider cookie httpOnly and SameSite', async () => {
    const { flow, interaction } = await openSignInPage(t);
    const page = await t.app.inject({ method: 'GET', url: interaction, headers: { cookie: flow.jar.header() } });
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.body).not.toContain('<script');
    const { res } = await authorize(t);
    const cookies = [res.headers['set-cookie']].flat().filter(Boolean) as string[];
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/; httponly/i);
      expect(cookie).toMatch(/; samesite=lax/i);
    }
  });

  it('answers a sign-in page of an interaction this browser is not in with a Danish error page', async () => {
    const { interaction } = await openSignInPage(t);
    const elsewhere = await t.app.inject({ method: 'GET', url: interaction });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.body).toContain('Login kunne ikke gennemføres');
    const posted = await submitSignIn(t, new CookieJar(), interaction, 'x@region.dk', PASSWORD);
    expect(posted.statusCode).toBe(400);
    expect(posted.headers.location).toBeUndefined();
    const garbage = await t.app.inject({ method: 'POST', url: `${new URL(interaction, t.config.publicUrl).pathname}/login`, headers: { 'content-type': 'application/json' }, payload: '{"email": 42' });
    expect(garbage.statusCode).toBeGreaterThanOrEqual(400);
    expect(garbage.statusCode).toBeLessThan(500);
  });
});

describe('people sign in under an https public URL', () => {
  const t = useTestApp('sqlite', () => ({ env: { VDX_PUBLIC_URL: 'https://vdx.test' }, clock: new ManualClock(new Date()) }));

  it('marks every sign-in cookie Secure', async () => {
    await createPerson(t, { email: 'secure@region.dk', roles: ['meeting-user'] });
    const jar = new CookieJar();
    const { res } = await authorize(t, { jar });
    const cookies = [res.headers['set-cookie']].flat().filter(Boolean) as string[];
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) expect(cookie).toMatch(/; secure/i);
    const { tokens } = await signIn(t, 'secure@region.dk');
    expect(decodeJwt(tokens.access_token).iss).toBe('https://vdx.test');
  });
});
