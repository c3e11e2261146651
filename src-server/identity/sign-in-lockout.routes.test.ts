import { describe, expect, it } from 'vitest';
import { DB_KINDS, type TestApp } from '../test-support/test-app';
import { SIGN_IN_LIMITS } from './staff-sign-in.service';
import type { WallClock } from './staff-sign-in.test-support';
import { createPerson, finishSignIn, openSignInPage, PASSWORD, submitSignIn, tryPassword, identitySuite } from './staff-sign-in.test-support';

const LOCKED_DA = 'For mange forkerte forsøg. Prøv igen om 15 minutter.';
const WRONG_DA = 'Forkert e-mail eller adgangskode.';

describe.each(DB_KINDS)('sign-in lockout on %s', (kind) => {
  let t: TestApp;
  let clock: WallClock;
  identitySuite(kind, (built) => ({ t, clock } = built));

  it('locks an account for 15 minutes after 5 wrong passwords in a row, from any address, then lets the right one in', async () => {
    await createPerson(t, { email: 'locked@region.dk', roles: ['meeting-user'] });
    for (let i = 1; i < SIGN_IN_LIMITS.accountMaxFailures; i++) {
      const wrong = await tryPassword(t, 'locked@region.dk', `wrong guess number ${i}`, `10.3.0.${i}`);
      expect(wrong.statusCode).toBe(401);
      expect(wrong.body).toContain(WRONG_DA);
    }
    const fifth = await tryPassword(t, 'locked@region.dk', 'wrong guess number 5', '10.3.0.5');
    expect(fifth.statusCode).toBe(429);
    expect(fifth.body).toContain(LOCKED_DA);

    // Locked: the right password from a fresh address does not get in either.
    const right = await tryPassword(t, 'locked@region.dk', PASSWORD, '10.3.9.9');
    expect(right.statusCode).toBe(429);
    expect(right.body).toContain(LOCKED_DA);
    expect(right.headers.location).toBeUndefined();

    clock.advance(14 * 60_000);
    const stillLocked = await tryPassword(t, 'locked@region.dk', PASSWORD, '10.3.9.9');
    expect(stillLocked.statusCode).toBe(429);
    expect(stillLocked.body).toContain('Prøv igen om 1 minut.');

    clock.advance(60_000);
    const { flow, interaction } = await openSignInPage(t);
    const tokens = await finishSignIn(t, flow, await submitSignIn(t, flow.jar, interaction, 'locked@region.dk', PASSWORD, '10.3.9.9'));
    expect(tokens.access_token).toBeTruthy();
  });

  it('counts only failures in a row: a success starts the count again', async () => {
    await createPerson(t, { email: 'forgetful@region.dk', roles: ['meeting-user'] });
    for (let round = 0; round < 2; round++) {
      for (let i = 1; i < SIGN_IN_LIMITS.accountMaxFailures; i++) {
        expect((await tryPassword(t, 'forgetful@region.dk', 'not quite right', '10.4.0.1')).statusCode).toBe(401);
      }
      expect((await tryPassword(t, 'forgetful@region.dk', PASSWORD, '10.4.0.1')).statusCode).toBe(303);
    }
  });

  it('treats an unknown e-mail exactly like a known one: same sentence, same lock', async () => {
    const answers: string[] = [];
    for (let i = 1; i <= SIGN_IN_LIMITS.accountMaxFailures; i++) {
      const res = await tryPassword(t, 'nobody-here@region.dk', PASSWORD, `10.5.0.${i}`);
      answers.push(`${res.statusCode}`);
      expect(res.body).toContain(i < SIGN_IN_LIMITS.accountMaxFailures ? WRONG_DA : LOCKED_DA);
    }
    expect(answers).toEqual(['401', '401', '401', '401', '429']);
  });

  // 50 scrypt checks: slow on a loaded machine, hence the longer limit.
  it('holds an address after 50 failures in 15 minutes (any accounts), while other addresses still sign in', { timeout: 120_000 }, async () => {
    await createPerson(t, { email: 'behind-nat@region.dk', roles: ['meeting-user'] });
    const attacker = '10.6.6.6';
    // One sign-in page, many submissions (as a script would).
    const { flow, interaction } = await openSignInPage(t);
    for (let i = 0; i < SIGN_IN_LIMITS.addressMaxFailures; i++) {
      const res = await submitSignIn(t, flow.jar, interaction, `sprayed-${i}@region.dk`, `guess ${i} of many`, attacker);
      expect(res.statusCode, `attempt ${i + 1}`).toBe(401);
    }
    // The address is held even for a person with the right password ...
    const held = await tryPassword(t, 'behind-nat@region.dk', PASSWORD, attacker);
    expect(held.statusCode).toBe(429);
    expect(held.body).toContain('For mange forkerte forsøg.');
    // ... whose account is not locked: from another address they get in.
    expect((await tryPassword(t, 'behind-nat@region.dk', PASSWORD, '10.6.6.7')).statusCode).toBe(303);

    clock.advance(SIGN_IN_LIMITS.addressWindowMs);
    expect((await tryPassword(t, 'behind-nat@region.dk', PASSWORD, attacker)).statusCode).toBe(303);
  });
});
