import { describe, expect, it } from 'vitest';
import { DB_KINDS, type TestApp } from '../test-support/test-app';
import { authHeader } from '../test-support/tokens';
import { totpCode } from './staff-sign-in.service';
import { WEB_CLIENT_ID } from './staff-oidc.provider';
import { authorize, createPerson, finishSignIn, follow, openSignInPage, PASSWORD, redeem, refresh, submitSignIn, submitTotp, tryPassword, identitySuite, type WallClock } from './staff-sign-in.test-support';

describe.each(DB_KINDS)('no secret of a sign-in reaches the log, on %s', (kind) => {
  let t: TestApp;
  let clock: WallClock;
  const lines: string[] = [];
  identitySuite(kind, (built) => ({ t, clock } = built), { VDX_LOG_LEVEL: 'trace' }, { logStream: { write: (line) => void lines.push(line) } });

  it('logs requests but never passwords, reset links, TOTP secrets or codes, tokens, authorization codes or cookies', async () => {
    const secrets: string[] = [PASSWORD];
    const admin = await authHeader(t, { roles: [], organisation: 'vdx', managementAdmin: true });
    const person = await createPerson(t, { email: 'logged@region.dk', roles: ['meeting-user'] });

    // A wrong password, then the right one with a TOTP code.
    const wrongPassword = 'my wrong but secret passphrase';
    secrets.push(wrongPassword);
    await tryPassword(t, 'logged@region.dk', wrongPassword);
    const enrolment = (await t.app.inject({ method: 'POST', url: `/management/v1/users/${person.id}/totp`, headers: admin })).json() as { secret: string; otpauthUrl: string };
    secrets.push(enrolment.secret, enrolment.otpauthUrl);
    const { flow, interaction } = await openSignInPage(t);
    const totpStep = await submitSignIn(t, flow.jar, interaction, 'logged@region.dk', PASSWORD);
    const code = totpCode(enrolment.secret, clock.now());
    const pending = /name="pending" value="([^"]+)"/.exec(totpStep.body)![1]!;
    secrets.push(pending);
    const tokens = await finishSignIn(t, flow, await submitTotp(t, flow.jar, totpStep, code));
    secrets.push(tokens.access_token, tokens.refresh_token!, tokens.id_token!);
    // The session cookie (the interaction cookie's value is only the interaction's id, in every URL of it).
    const session = flow.jar.header().split('; ').find((c) => c.startsWith('vdx_session='));
    expect(session).toBeTruthy();
    secrets.push(session!.slice('vdx_session='.length));
    const rotated = (await refresh(t, tokens.refresh_token!)).json() as { refresh_token: string };
    secrets.push(rotated.refresh_token);

    // A silent renewal: the authorization code arrives in the query of our own callback page.
    const silent = await authorize(t, { jar: flow.jar, prompt: 'none', redirectUri: `${t.config.publicUrl}/oidc/silent-callback` });
    const back = await follow(t, flow.jar, silent.res, silent.flow.redirectUri);
    const location = new URL(String(back.headers.location));
    secrets.push(location.searchParams.get('code')!);
    await t.app.inject({ method: 'GET', url: location.pathname + location.search });
    await redeem(t, silent.flow, back);

    // Sign-out with the ID token as a hint, then revocation.
    const endQuery = new URLSearchParams({ client_id: WEB_CLIENT_ID, id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${t.config.publicUrl}/oidc/silent-callback` });
    await t.app.inject({ method: 'GET', url: `/oidc/session/end?${endQuery}`, headers: { cookie: flow.jar.header() } });
    await t.app.inject({
      method: 'POST',
      url: '/oauth/revoke',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ client_id: WEB_CLIENT_ID, token: rotated.refresh_token }).toString(),
    });

    // A reset link: issued, opened, used.
    const link = (await t.app.inject({ method: 'POST', url: `/management/v1/users/${person.id}/reset-link`, headers: admin })).json() as { url: string };
    const token = link.url.split('/').pop()!;
    secrets.push(token);
    const newPassword = 'the new secret passphrase';
    secrets.push(newPassword);
    await t.app.inject({ method: 'GET', url: new URL(link.url).pathname });
    await t.app.inject({
      method: 'POST',
      url: new URL(link.url).pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ password: newPassword, passwordRepeat: newPassword }).toString(),
    });
    // A person created with a password through the API.
    const apiPassword = 'created with this passphrase';
    secrets.push(apiPassword);
    await t.app.inject({ method: 'POST', url: '/management/v1/users', headers: admin, payload: { email: 'api@region.dk', name: 'Api', roles: ['meeting-user'], password: apiPassword } });

    const output = lines.join('');
    expect(output).toContain('/oidc/interaction/');
    expect(output).toContain('/account/reset/');
    expect(output).toContain('/oidc/silent-callback');
    const leaked = secrets.filter((secret) => output.includes(secret));
    expect(leaked.map((secret) => output.split('\n').find((line) => line.includes(secret)))).toEqual([]);
    // A 6-digit code could occur by chance inside a timestamp; as a value of its own it must not.
    expect(output).not.toContain(`"${code}"`);
    expect(output).not.toContain(`=${code}`);
  });
});
