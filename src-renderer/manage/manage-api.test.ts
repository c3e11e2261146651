import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/translate';
import { clientCredentialsAuth, loadFleet, ManageApiError, signIn, type FetchLike, type Session } from './manage-api';
import { fleetErrorMessage, signInMessage } from './manage-messages';

const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('da', key, params);
const NOW = Date.parse('2026-03-02T09:00:00.000Z');

/** A fake fetch answering by path; records every request. */
function fakeFetch(answers: Record<string, { status: number; body: unknown } | 'network-error'>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const impl: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const answer = answers[url.split('?')[0]!];
    if (!answer || answer === 'network-error') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
  };
  return { impl, calls };
}

describe('sign-in', () => {
  it('posts the client credentials form-encoded and keeps only the token and its expiry', async () => {
    const { impl, calls } = fakeFetch({
      '/oauth/token': { status: 200, body: { access_token: 'tok', token_type: 'Bearer', expires_in: 3600, scope: 'booking management' } },
    });
    const result = await signIn(impl, 'admin', 's3cret&=', NOW);
    expect(result).toEqual({ ok: true, session: { accessToken: 'tok', expiresAt: NOW + 3600_000 - 10_000 } });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.init).toMatchObject({ method: 'POST', credentials: 'omit', cache: 'no-store' });
    expect(Object.fromEntries(new URLSearchParams(String(calls[0]!.init.body)))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'admin',
      client_secret: 's3cret&=',
    });
  });

  it('turns wrong credentials into a Danish sentence', async () => {
    const { impl } = fakeFetch({ '/oauth/token': { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } } });
    const result = await signIn(impl, 'admin', 'wrong', NOW);
    expect(result).toEqual({ ok: false, failure: { kind: 'oauth', code: 'invalid_client', description: 'Client authentication failed' } });
    expect(!result.ok && signInMessage(result.failure, t)).toBe('Forkert klient-id eller klienthemmelighed.');
  });

  it('words rate limiting, other OAuth errors, odd answers and a dead server', async () => {
    const slow = await signIn(fakeFetch({ '/oauth/token': { status: 429, body: { error: 'slow_down' } } }).impl, 'a', 'b', NOW);
    expect(!slow.ok && signInMessage(slow.failure, t)).toBe('For mange forkerte forsøg. Vent lidt, og prøv igen.');
    const other = await signIn(fakeFetch({ '/oauth/token': { status: 400, body: { error: 'invalid_request', error_description: 'grant_type is required' } } }).impl, 'a', 'b', NOW);
    expect(!other.ok && signInMessage(other.failure, t)).toBe('Login mislykkedes: grant_type is required');
    const odd = await signIn(fakeFetch({ '/oauth/token': { status: 502, body: '<html>' } }).impl, 'a', 'b', NOW);
    expect(!odd.ok && signInMessage(odd.failure, t)).toBe('Login mislykkedes: HTTP 502');
    const dead = await signIn(fakeFetch({ '/oauth/token': 'network-error' }).impl, 'a', 'b', NOW);
    expect(!dead.ok && signInMessage(dead.failure, t)).toBe('Serveren svarer ikke. Tjek forbindelsen, og prøv igen.');
  });
});

describe('fleet reads', () => {
  const session: Session = { accessToken: 'tok', expiresAt: NOW + 60_000 };
  const summary = {
    total: 0,
    byStatus: { online: 0, offline: 0, degraded: 0 },
    byVersion: {},
    byCallState: { idle: 0, in_call: 0 },
    byUpdateState: {},
    videoQuality: { from: '2026-02-01T09:00:00.000Z', to: '2026-03-02T09:00:00.000Z', calls: 0, goodCalls: 0, percent: null },
  };

  it('reads devices (revoked included), rooms and the summary with the bearer token', async () => {
    const { impl, calls } = fakeFetch({
      '/management/v1/devices': { status: 200, body: [] },
      '/management/v1/rooms': { status: 200, body: [] },
      '/management/v1/fleet/summary': { status: 200, body: summary },
    });
    expect(await loadFleet(clientCredentialsAuth(session, impl, () => NOW))).toEqual({ devices: [], rooms: [], summary });
    expect(calls.map((c) => c.url).sort()).toEqual(['/management/v1/devices?includeRevoked=true', '/management/v1/fleet/summary', '/management/v1/rooms']);
    for (const c of calls) expect(c.init.headers).toMatchObject({ authorization: 'Bearer tok' });
  });

  it('reports an expired session on 401, without asking once the token is past its expiry', async () => {
    const expired = { status: 401, body: { error: { code: 'token_expired', message: 'token expired' } } };
    const { impl } = fakeFetch({ '/management/v1/devices': expired, '/management/v1/rooms': expired, '/management/v1/fleet/summary': expired });
    await expect(loadFleet(clientCredentialsAuth(session, impl, () => NOW))).rejects.toMatchObject({ kind: 'expired', status: 401 });
    const unused = fakeFetch({});
    await expect(loadFleet(clientCredentialsAuth(session, unused.impl, () => session.expiresAt))).rejects.toMatchObject({ kind: 'expired' });
    expect(unused.calls).toHaveLength(0);
  });

  it('tells a non-admin client apart from a failure, and shows the server’s message for the rest', async () => {
    const forbidden = { status: 403, body: { error: { code: 'management_admin_required', message: 'This needs the management-admin role' } } };
    const { impl } = fakeFetch({ '/management/v1/devices': forbidden, '/management/v1/rooms': forbidden, '/management/v1/fleet/summary': forbidden });
    await expect(loadFleet(clientCredentialsAuth(session, impl, () => NOW))).rejects.toMatchObject({ kind: 'forbidden' });

    const broken = fakeFetch({
      '/management/v1/devices': { status: 500, body: { error: { code: 'internal', message: 'Internal server error' } } },
      '/management/v1/rooms': { status: 200, body: [] },
      '/management/v1/fleet/summary': { status: 200, body: { total: 'many' } },
    });
    const error = await loadFleet(clientCredentialsAuth(session, broken.impl, () => NOW)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManageApiError);
    expect(fleetErrorMessage(error, t)).toMatch(/^Kunne ikke hente enhederne: /);

    const dead = await loadFleet(clientCredentialsAuth(session, fakeFetch({}).impl, () => NOW)).catch((e: unknown) => e);
    expect(fleetErrorMessage(dead, t)).toBe('Serveren svarer ikke. Tjek forbindelsen, og prøv igen.');
  });

  it('refuses an answer that does not match the contract', async () => {
    const { impl } = fakeFetch({
      '/management/v1/devices': { status: 200, body: [{ id: 'd1' }] },
      '/management/v1/rooms': { status: 200, body: [] },
      '/management/v1/fleet/summary': { status: 200, body: summary },
    });
    const error = await loadFleet(clientCredentialsAuth(session, impl, () => NOW)).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'failed' });
    expect(fleetErrorMessage(error, t)).toBe('Kunne ikke hente enhederne: Unexpected answer from /management/v1/devices');
  });
});
