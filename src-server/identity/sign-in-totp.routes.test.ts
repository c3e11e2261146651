import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import type { StaffUser } from '../../src-shared/identity/staff-users.schema';
import { DB_KINDS, type TestApp } from '../test-support/test-app';
import { authHeader } from '../test-support/tokens';
import { SIGN_IN_LIMITS, totpCode } from './staff-sign-in.service';
import type { WallClock } from './staff-sign-in.test-support';
import { createPerson, finishSignIn, openSignInPage, PASSWORD, submitSignIn, submitTotp, identitySuite } from './staff-sign-in.test-support';

const TOTP_WRONG_DA = 'Koden er forkert eller brugt. Prøv den næste kode.';

describe.each(DB_KINDS)('TOTP second factor on %s', (kind) => {
  let t: TestApp;
  let clock: WallClock;
  identitySuite(kind, (built) => ({ t, clock } = built));

  const admin = () => authHeader(t, { roles: [], organisation: 'vdx', managementAdmin: true });
  const enrol = async (person: StaffUser) => {
    const res = await t.app.inject({ method: 'POST', url: `/management/v1/users/${person.id}/totp`, headers: await admin() });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { secret: string; otpauthUrl: string };
    expect(body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/.+secret=/);
    return body.secret;
  };
  /** Password accepted: the TOTP page of a fresh sign-in. */
  const passwordStep = async (email: string, ip = '10.7.0.1') => {
    const { flow, interaction } = await openSignInPage(t);
    const page = await submitSignIn(t, flow.jar, interaction, email, PASSWORD, ip);
    return { flow, page };
  };

  it('asks an enrolled person for the code after the password, and the right code signs them in', async () => {
    const person = await createPerson(t, { email: 'twofactor@region.dk', roles: ['meeting-user'] });
    const secret = await enrol(person);
    const user = (await t.app.inject({ method: 'GET', url: `/management/v1/users/${person.id}`, headers: await admin() })).json() as StaffUser;
    expect(user.totpEnabled).toBe(true);
    expect(JSON.stringify(user)).not.toContain(secret);

    const { flow, page } = await passwordStep('twofactor@region.dk');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Indtast den 6-cifrede kode fra din godkendelsesapp.');
    expect(page.body).toContain('autocomplete="one-time-code"');
    const tokens = await finishSignIn(t, flow, await submitTotp(t, flow.jar, page, totpCode(secret, clock.now())));
    expect(decodeJwt(tokens.access_token)['dk:medcom:email']).toBe('twofactor@region.dk');
    expect(decodeJwt(tokens.id_token!).amr).toEqual(['pwd', 'otp']);
  });

  it('refuses a code that was already used, and takes the next one', async () => {
    const person = await createPerson(t, { email: 'replay@region.dk', roles: ['meeting-user'] });
    const secret = await enrol(person);
    const code = totpCode(secret, clock.now());
    const first = await passwordStep('replay@region.dk');
    await finishSignIn(t, first.flow, await submitTotp(t, first.flow.jar, first.page, code));

    const second = await passwordStep('replay@region.dk');
    const replayed = await submitTotp(t, second.flow.jar, second.page, code);
    expect(replayed.statusCode).toBe(401);
    expect(replayed.body).toContain(TOTP_WRONG_DA);
    // The code of the step before is older still: refused too.
    const older = await submitTotp(t, second.flow.jar, second.page, totpCode(secret, new Date(clock.now().getTime() - 30_000)));
    expect(older.statusCode).toBe(401);

    clock.advance(30_000);
    const next = await submitTotp(t, second.flow.jar, second.page, totpCode(secret, clock.now()));
    expect((await finishSignIn(t, second.flow, next)).access_token).toBeTruthy();
  });

  it('a wrong code does not sign in, and 5 in a row lock the account', async () => {
    const person = await createPerson(t, { email: 'guesser@region.dk', roles: ['meeting-user'] });
    const secret = await enrol(person);
    const { flow, page } = await passwordStep('guesser@region.dk', '10.7.1.1');
    const wrong = totpCode(secret, new Date(clock.now().getTime() + 10 * 60_000));
    for (let i = 1; i < SIGN_IN_LIMITS.accountMaxFailures; i++) {
      const res = await submitTotp(t, flow.jar, page, wrong, '10.7.1.1');
      expect(res.statusCode).toBe(401);
      expect(res.headers.location).toBeUndefined();
    }
    expect((await submitTotp(t, flow.jar, page, wrong, '10.7.1.1')).statusCode).toBe(429);
    // Locked: neither the right code nor the password gets in.
    const right = await submitTotp(t, flow.jar, page, totpCode(secret, clock.now()), '10.7.1.1');
    expect(right.statusCode).toBe(429);
    expect(right.body).toContain('For mange forkerte forsøg.');
    expect((await passwordStep('guesser@region.dk', '10.7.1.2')).page.statusCode).toBe(429);
  });

  it('needs the password step of this very sign-in: a made-up or borrowed step is refused', async () => {
    const person = await createPerson(t, { email: 'borrowed@region.dk', roles: ['meeting-user'] });
    const secret = await enrol(person);
    const mine = await passwordStep('borrowed@region.dk');
    // Another browser's sign-in page with this person's TOTP step forged or copied into it.
    const other = await openSignInPage(t);
    const uid = new URL(other.interaction, t.config.publicUrl).pathname.split('/').pop()!;
    const forged = { ...mine.page, body: mine.page.body.replace(/\/oidc\/interaction\/[^/"]+\/totp/, `/oidc/interaction/${uid}/totp`) };
    const borrowed = await submitTotp(t, other.flow.jar, forged as typeof mine.page, totpCode(secret, clock.now()));
    expect(borrowed.statusCode).toBe(400);
    expect(borrowed.headers.location).toBeUndefined();
    const madeUp = { ...forged, body: forged.body.replace(/name="pending" value="[^"]+"/, 'name="pending" value="eyJ1aWQiOiJ4In0.bm90LWEtbWFj"') };
    expect((await submitTotp(t, other.flow.jar, madeUp as typeof mine.page, totpCode(secret, clock.now()))).statusCode).toBe(400);
    // The step expires: 5 minutes after the password it no longer works.
    clock.advance(5 * 60_000 + 1000);
    expect((await submitTotp(t, mine.flow.jar, mine.page, totpCode(secret, clock.now()))).statusCode).toBe(400);
  });

  it('removing the second factor signs in with the password alone', async () => {
    const person = await createPerson(t, { email: 'removed@region.dk', roles: ['meeting-user'] });
    await enrol(person);
    const removed = await t.app.inject({ method: 'DELETE', url: `/management/v1/users/${person.id}/totp`, headers: await admin() });
    expect(removed.json()).toMatchObject({ totpEnabled: false });
    const { flow, page } = await passwordStep('removed@region.dk');
    expect((await finishSignIn(t, flow, page)).access_token).toBeTruthy();
  });
});
