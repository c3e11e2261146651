import { describe, expect, it } from 'vitest';
import { listenForRedirect } from './loopback-redirect';

describe('the loopback redirect', () => {
  it('listens on 127.0.0.1, takes the first /callback and shows the browser how the sign-in ended', async () => {
    const redirect = await listenForRedirect('da');
    expect(redirect.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const other = await fetch(redirect.redirectUri.replace('/callback', '/favicon.ico'));
    expect(other.status).toBe(404);

    const page = fetch(`${redirect.redirectUri}?code=abc&state=xyz`);
    const answer = await redirect.answer;
    expect(answer.searchParams.get('code')).toBe('abc');
    expect(answer.searchParams.get('state')).toBe('xyz');
    redirect.finish('signed_in');
    const res = await page;
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toContain('Du er logget ind');
    // Closed once answered: nothing listens there any more.
    await expect(fetch(redirect.redirectUri)).rejects.toThrow();
  });

  it('says so in English when the sign-in failed, and an abort rejects the wait', async () => {
    const redirect = await listenForRedirect('en');
    const page = fetch(`${redirect.redirectUri}?error=access_denied`);
    await redirect.answer;
    redirect.finish('failed');
    const res = await page;
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('The sign-in did not complete');

    const abandoned = await listenForRedirect('da');
    abandoned.abort(new Error('timed out'));
    await expect(abandoned.answer).rejects.toThrow('timed out');
  });
});
