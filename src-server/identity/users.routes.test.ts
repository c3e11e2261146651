import { beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, type TestApp } from '../test-support/test-app';
import { authHeader } from '../test-support/tokens';
import { createOrganisation, createPerson, identitySuite, PASSWORD, refresh, signIn, silentRenew, tryPassword } from './staff-sign-in.test-support';

const USERS = '/management/v1/users';

describe.each(DB_KINDS)('the users API (/management/v1/users) on %s', (kind) => {
  let t: TestApp;
  let national: { authorization: string };
  identitySuite(kind, (built) => ({ t } = built));
  beforeAll(async () => {
    national = await authHeader(t, { roles: [], organisation: 'vdx', managementAdmin: true });
    await createOrganisation(t, 'region-h');
    await createOrganisation(t, 'hvidovre', 'region-h');
    await createOrganisation(t, 'region-s');
  });

  const post = (headers: Record<string, string>, payload: object) => t.app.inject({ method: 'POST', url: USERS, headers, payload });

  it('creates a person and answers the record without the password, also in later reads', async () => {
    const res = await post(national, {
      email: 'Anne.Hansen@Region-H.dk',
      name: 'Anne Hansen',
      organisationCode: 'region-h',
      roles: ['meeting-user', 'meeting-planner'],
      password: PASSWORD,
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as Record<string, unknown>;
    expect(created).toMatchObject({
      id: expect.any(String),
      email: 'anne.hansen@region-h.dk',
      name: 'Anne Hansen',
      organisationCode: 'region-h',
      roles: ['meeting-user', 'meeting-planner'],
      disabled: false,
    });
    const read = await t.app.inject({ method: 'GET', url: `${USERS}/${created.id as string}`, headers: national });
    const list = await t.app.inject({ method: 'GET', url: `${USERS}?q=anne`, headers: national });
    expect(read.json()).toEqual(created);
    expect((list.json() as { users: unknown[] }).users).toEqual([created]);
    for (const body of [res.body, read.body, list.body]) {
      expect(body).not.toContain(PASSWORD);
      expect(body).not.toMatch(/password|hash|scrypt|secret/i);
    }
    // The audit trail has the creation, and no password in it either.
    const audit = await t.app.inject({ method: 'GET', url: `/management/v1/audit?entityType=user&entityId=${created.id as string}`, headers: national });
    expect(audit.body).toContain('user.create');
    expect(audit.body).not.toContain(PASSWORD);
  });

  it('refuses a password under 12 characters with 400 password_too_short, and takes 12', async () => {
    const short = await post(national, { email: 'short@region-h.dk', name: 'Short', organisationCode: 'region-h', roles: ['meeting-user'], password: 'elevenchars' });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ error: { code: 'password_too_short', message: expect.any(String) } });
    expect(short.body).not.toContain('elevenchars');
    const twelve = await post(national, { email: 'short@region-h.dk', name: 'Short', organisationCode: 'region-h', roles: ['meeting-user'], password: 'twelve chars' });
    expect(twelve.statusCode, twelve.body).toBe(201);
    const tokens = await signIn(t, 'short@region-h.dk', { password: 'twelve chars', ip: '10.1.0.1' });
    expect(tokens.tokens.access_token).toBeTruthy();
  });

  it('answers 409 user_exists for an e-mail that exists, in any case', async () => {
    await createPerson(t, { email: 'twice@region-h.dk', roles: ['meeting-user'], organisationCode: 'region-h' });
    const again = await post(national, { email: 'TWICE@region-h.dk', name: 'Twice', organisationCode: 'region-h', roles: ['meeting-user'] });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'user_exists' } });
  });

  it('accepts the five meeting roles and management-admin, and refuses any other role with 400', async () => {
    const all = ['meeting-user', 'meeting-planner', 'meeting-admin', 'meeting-provisioner', 'meeting-provisioner-user', 'management-admin'];
    const ok = await post(national, { email: 'allroles@region-h.dk', name: 'All', organisationCode: 'region-h', roles: all });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((ok.json() as { roles: string[] }).roles.sort()).toEqual([...all].sort());
    for (const roles of [['meeting-superuser'], ['meeting-user', 'admin'], ['Meeting-User']]) {
      const bad = await post(national, { email: `bad-${roles.length}-${roles[0]}@region-h.dk`.toLowerCase(), name: 'Bad', organisationCode: 'region-h', roles });
      expect(bad.statusCode, JSON.stringify(roles)).toBe(400);
      expect(bad.json()).toMatchObject({ error: { code: expect.any(String) } });
    }
    const found = await t.app.inject({ method: 'GET', url: `${USERS}?q=bad-`, headers: national });
    expect((found.json() as { users: unknown[] }).users).toEqual([]);
  });

  it('refuses malformed people with 400 and a stable code, never a 500', async () => {
    const cases: Array<[object, string?]> = [
      [{ email: 'not-an-email', name: 'X', roles: ['meeting-user'] }],
      [{ email: 'noname@region-h.dk', name: '   ', roles: ['meeting-user'] }],
      [{ email: 'noroles@region-h.dk', name: 'X' }],
      [{ email: 'extra@region-h.dk', name: 'X', roles: [], passwordHash: 'x' }],
      [{ email: 'org@region-h.dk', name: 'X', roles: [], organisationCode: 'nowhere' }, 'organisation_not_found'],
    ];
    for (const [payload, code] of cases) {
      const res = await post(national, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: code ?? expect.any(String) } });
    }
  });

  it('changes name, roles and disabled with PATCH, and nothing else', async () => {
    const person = await createPerson(t, { email: 'patch@region-h.dk', roles: ['meeting-user'], organisationCode: 'region-h' });
    const url = `${USERS}/${person.id}`;
    const patched = await t.app.inject({ method: 'PATCH', url, headers: national, payload: { name: 'Patricia Ch.', roles: ['meeting-planner'] } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Patricia Ch.', roles: ['meeting-planner'], disabled: false, email: 'patch@region-h.dk', organisationCode: 'region-h' });
    const disabled = await t.app.inject({ method: 'PATCH', url, headers: national, payload: { disabled: true } });
    expect(disabled.json()).toMatchObject({ disabled: true, name: 'Patricia Ch.' });
    expect((await t.app.inject({ method: 'GET', url, headers: national })).json()).toMatchObject({ disabled: true, roles: ['meeting-planner'] });
    for (const payload of [{ email: 'other@region-h.dk' }, { organisationCode: 'region-s' }, { password: PASSWORD }, {}, { roles: ['root'] }]) {
      const res = await t.app.inject({ method: 'PATCH', url, headers: national, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const unknown = await t.app.inject({ method: 'PATCH', url: `${USERS}/no-such-person`, headers: national, payload: { name: 'X' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'user_not_found' } });
  });

  it('is for management admins only', async () => {
    const planner = await authHeader(t, { roles: ['meeting-planner', 'meeting-admin'], organisation: 'vdx', email: 'p@vdx.dk' });
    expect((await t.app.inject({ method: 'GET', url: USERS, headers: planner })).statusCode).toBe(403);
    expect((await post(planner, { email: 'x@vdx.dk', name: 'X', roles: ['meeting-user'] })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: USERS })).statusCode).toBe(401);
  });

  describe('organisation scoping (decision 0011)', () => {
    let southAdmin: { authorization: string };
    let northAdmin: { authorization: string };
    let inHvidovre: { id: string };
    beforeAll(async () => {
      southAdmin = await authHeader(t, { roles: [], organisation: 'region-s', managementAdmin: true });
      northAdmin = await authHeader(t, { roles: [], organisation: 'region-h', managementAdmin: true });
      inHvidovre = await createPerson(t, { email: 'scoped@hvidovre.dk', roles: ['meeting-user'], organisationCode: 'hvidovre' });
    });

    it('lets an admin of another organisation neither see nor change the person', async () => {
      const url = `${USERS}/${inHvidovre.id}`;
      for (const res of [
        await t.app.inject({ method: 'GET', url, headers: southAdmin }),
        await t.app.inject({ method: 'PATCH', url, headers: southAdmin, payload: { disabled: true } }),
        await t.app.inject({ method: 'POST', url: `${url}/reset-link`, headers: southAdmin }),
        await t.app.inject({ method: 'POST', url: `${url}/totp`, headers: southAdmin }),
      ]) {
        expect(res.statusCode).toBe(404);
        expect(res.json()).toMatchObject({ error: { code: 'user_not_found' } });
      }
      const list = (await t.app.inject({ method: 'GET', url: USERS, headers: southAdmin })).json() as { users: Array<{ email: string }> };
      expect(list.users.map((u) => u.email)).not.toContain('scoped@hvidovre.dk');
      const created = await post(southAdmin, { email: 'intruder@hvidovre.dk', name: 'X', organisationCode: 'hvidovre', roles: ['meeting-user'] });
      expect(created.statusCode).toBe(403);
      expect(created.json()).toMatchObject({ error: { code: 'organisation_out_of_scope' } });
      // Nothing changed.
      expect((await t.app.inject({ method: 'GET', url, headers: national })).json()).toMatchObject({ disabled: false });
    });

    it("lets the parent organisation's admin see, change and create people in its subtree", async () => {
      const url = `${USERS}/${inHvidovre.id}`;
      expect((await t.app.inject({ method: 'GET', url, headers: northAdmin })).statusCode).toBe(200);
      const list = (await t.app.inject({ method: 'GET', url: USERS, headers: northAdmin })).json() as { users: Array<{ organisationCode: string }> };
      expect(list.users.length).toBeGreaterThan(0);
      expect(new Set(list.users.map((u) => u.organisationCode))).toEqual(new Set(['region-h', 'hvidovre']));
      expect((await t.app.inject({ method: 'PATCH', url, headers: northAdmin, payload: { name: 'Scoped Person' } })).json()).toMatchObject({ name: 'Scoped Person' });
      const created = await post(northAdmin, { email: 'new@hvidovre.dk', name: 'New', organisationCode: 'hvidovre', roles: ['meeting-user'] });
      expect(created.statusCode, created.body).toBe(201);
      // Without organisationCode a person joins the admin's own organisation.
      const own = await post(northAdmin, { email: 'own@region-h.dk', name: 'Own', roles: ['meeting-user'] });
      expect(own.json()).toMatchObject({ organisationCode: 'region-h' });
    });
  });

  describe('reset links', () => {
    // A fresh admin token each time: these tests move the clock past a token's life.
    const resetLink = async (id: string) => {
      const headers = await authHeader(t, { roles: [], organisation: 'vdx', managementAdmin: true });
      const res = await t.app.inject({ method: 'POST', url: `${USERS}/${id}/reset-link`, headers });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { url: string; expiresAt: string };
    };
    const choose = (url: string, password: string, repeat = password) =>
      t.app.inject({
        method: 'POST',
        url: new URL(url).pathname,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ password, passwordRepeat: repeat }).toString(),
      });

    it('a person without a password cannot sign in until a reset link sets one', async () => {
      const person = await createPerson(t, { email: 'nopass@region-h.dk', roles: ['meeting-user'], organisationCode: 'region-h', password: null });
      const refused = await tryPassword(t, 'nopass@region-h.dk', PASSWORD, '10.2.0.1');
      expect(refused.statusCode).toBe(401);
      expect(refused.body).toContain('Forkert e-mail eller adgangskode.');
      // An empty password is no way in either.
      expect((await tryPassword(t, 'nopass@region-h.dk', '', '10.2.0.1')).statusCode).toBe(401);

      const link = await resetLink(person.id);
      expect(link.url).toMatch(/^http:\/\/vdx\.test\/account\/reset\/[A-Za-z0-9_-]{43}$/);
      expect(new Date(link.expiresAt).getTime() - t.clock.now().getTime()).toBe(24 * 3600_000);
      const form = await t.app.inject({ method: 'GET', url: new URL(link.url).pathname });
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('<html lang="da">');
      expect(form.body).toContain('Vælg en ny adgangskode');

      const tooShort = await choose(link.url, 'too short');
      expect(tooShort.statusCode).toBe(400);
      expect(tooShort.body).toContain('Adgangskoden skal have mindst 12 tegn.');
      const mismatch = await choose(link.url, 'a good long passphrase', 'a good long passphrasf');
      expect(mismatch.statusCode).toBe(400);
      expect(mismatch.body).toContain('De to adgangskoder er ikke ens.');
      const done = await choose(link.url, 'a good long passphrase');
      expect(done.statusCode).toBe(200);
      expect(done.body).toContain('Din adgangskode er gemt.');

      const { tokens } = await signIn(t, 'nopass@region-h.dk', { password: 'a good long passphrase', ip: '10.2.0.2' });
      expect(tokens.access_token).toBeTruthy();
    });

    it("ends the person's other sign-ins: old access and refresh tokens and the browser session stop, the new password works", async () => {
      const person = await createPerson(t, { email: 'compromised@region-h.dk', roles: ['meeting-user'], organisationCode: 'region-h' });
      const before = await signIn(t, 'compromised@region-h.dk', { ip: '10.2.3.1' });
      const meetings = (token: string) =>
        t.app.inject({ method: 'GET', url: '/videoapi/v2/meetings?from-start-time=2026-01-01T00:00:00Z&to-start-time=2027-12-31T00:00:00Z', headers: { authorization: `Bearer ${token}` } });
      expect((await meetings(before.tokens.access_token)).statusCode).toBe(200);
      // Tokens carry whole seconds; the reset comes a few seconds after that sign-in.
      t.clock.advance(5_000);
      const link = await resetLink(person.id);
      expect((await choose(link.url, 'a fresh long passphrase')).statusCode).toBe(200);

      expect((await meetings(before.tokens.access_token)).statusCode).toBe(401);
      expect((await refresh(t, before.tokens.refresh_token!)).statusCode).toBe(400);
      expect(await silentRenew(t, before.flow.jar)).toEqual({ error: 'login_required' });
      const after = await signIn(t, 'compromised@region-h.dk', { password: 'a fresh long passphrase', ip: '10.2.3.2' });
      expect((await meetings(after.tokens.access_token)).statusCode).toBe(200);
      expect((await refresh(t, after.tokens.refresh_token!)).statusCode).toBe(200);
    });

    it('works once', async () => {
      const person = await createPerson(t, { email: 'once@region-h.dk', roles: ['meeting-user'], organisationCode: 'region-h' });
      const link = await resetLink(person.id);
      expect((await choose(link.url, 'first new passphrase')).statusCode).toBe(200);
      const again = await choose(link.url, 'second new passphrase');
      expect(again.statusCode).toBe(410);
      expect(again.body).toContain('Linket er ugyldigt, allerede brugt eller udløbet.');
      expect((await t.app.inject({ method: 'GET', url: new URL(link.url).pathname })).statusCode).toBe(410);
      expect((await tryPassword(t, 'once@region-h.dk', 'second new passphrase', '10.2.1.1')).statusCode).toBe(401);
      expect((await tryPassword(t, 'once@region-h.dk', 'first new passphrase', '10.2.1.1')).statusCode).toBe(303);
    });

    it('works for 24 hours', async () => {
      const person = await createPerson(t, { email: 'day@region-h.dk', roles: ['meeting-user'], organisationCode: 'region-h' });
      const early = await resetLink(person.id);
      t.clock.advance(24 * 3600_000 - 60_000);
      expect((await t.app.inject({ method: 'GET', url: new URL(early.url).pathname })).statusCode).toBe(200);
      const late = await resetLink(person.id);
      t.clock.advance(24 * 3600_000);
      expect((await t.app.inject({ method: 'GET', url: new URL(late.url).pathname })).statusCode).toBe(410);
      expect((await choose(late.url, 'too late a passphrase')).statusCode).toBe(410);
      expect((await tryPassword(t, 'day@region-h.dk', PASSWORD, '10.2.2.1')).statusCode).toBe(303);
    });

    it('a new link supersedes the older one', async () => {
      const person = await createPerson(t, { email: 'newer@region-h.dk', roles: ['meeting-user'], organisationCode: 'region-h' });
      const older = await resetLink(person.id);
      const newer = await resetLink(person.id);
      expect(newer.url).not.toBe(older.url);
      expect((await choose(older.url, 'from the older link')).statusCode).toBe(410);
      expect((await choose(newer.url, 'from the newer link')).statusCode).toBe(200);
    });

    it('an unknown or mangled link is refused without a 500', async () => {
      for (const path of ['/account/reset/nothing-here', `/account/reset/${'x'.repeat(43)}`, `/account/reset/${'y'.repeat(300)}`]) {
        const res = await t.app.inject({ method: 'GET', url: path });
        expect(res.statusCode, path).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, path).toBeLessThan(500);
      }
    });
  });
});
