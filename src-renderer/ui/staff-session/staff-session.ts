/**
 * A person's sign-in in a web UI (decision 0015): OpenID Connect authorization code + PKCE as
 * the public client `vdx-web`, tokens held in page memory only (nothing in localStorage or
 * sessionStorage), renewed silently.
 *
 * Server contract (registered at start by `src-server/identity/staff-oidc.provider.ts`):
 * - client id `vdx-web`; redirect paths `/booking/`, `/manage/`, `/sms/` (pass one as
 *   `redirectPath`) and `/oidc/silent-callback` (used internally);
 * - authorization endpoint `/oidc/auth`, token endpoint `/oauth/token`, revocation `/oauth/revoke`,
 *   sign-out `/oidc/session/end` — all same origin.
 *
 * How it holds a session without storage:
 * - `signIn()` sends the whole page to the sign-in page. Coming back (`?code=…`), that code is
 *   dropped — its PKCE verifier died with the old page — and `start()` asks again in a hidden
 *   iframe with `prompt=none`, which the provider's session cookie answers without a form; the
 *   code from there is redeemed with a verifier that never left this page's memory.
 * - After a reload the same silent request restores the session (or finds none: signed out).
 * - Access tokens are renewed with the refresh token (rotated on every use) shortly before they
 *   expire; a 401 from an API triggers one renewal and one retry.
 * - `signOut()` revokes the refresh token and ends the provider session (in the hidden iframe).
 *
 *     signed-out ──signIn()──▶ (sign-in page) ──redirect back──▶ signing-in ──▶ signed-in
 *        ▲   start(): silent ok ──────────────────────────────────────────────────▲  │
 *        └──── renewal refused (expired) / signOut() (signed-out) / failure (error) ──┘
 */
export type StaffUser = { email: string; name: string; organisationCode: string; roles: string[] };
export type StaffSessionState =
  | { kind: 'signed-out'; reason?: 'expired' | 'signed-out' | 'error' }
  | { kind: 'signing-in' }
  | { kind: 'signed-in'; user: StaffUser };

export interface StaffSession {
  readonly state: StaffSessionState;
  onChange(listener: (s: StaffSessionState) => void): () => void;
  /** Resolves the current session at page load: handles the redirect back (code → tokens) or tries silent sign-in. */
  start(): Promise<void>;
  /** Full-page redirect to the provider's sign-in page (in `language`, default the session's). */
  signIn(options?: { language?: 'da' | 'en' }): void;
  signOut(): Promise<void>;
  /** A valid bearer token for /videoapi/v2 etc., renewed silently. */
  accessToken(): Promise<string>;
  /** fetch with the bearer token; one silent renewal + retry on 401. */
  fetch(input: string, init?: RequestInit): Promise<Response>;
}

export interface StaffSessionOptions {
  clientId?: string;
  /** The page's own path, a registered redirect path, e.g. '/booking/'. */
  redirectPath: string;
  /** UI language for the sign-in page ('da' default, or 'en'). */
  language?: 'da' | 'en';
  /** For tests: the origin of the server (default: this page's). */
  origin?: string;
}

export class StaffSessionError extends Error {
  constructor(
    readonly code: 'signed_out' | 'renewal_failed' | 'silent_timeout',
    message: string,
  ) {
    super(message);
  }
}

const SILENT_PATH = '/oidc/silent-callback';
/** Renew this long before the access token expires. */
const RENEW_EARLY_MS = 60_000;
/** A silent request that has not come back by now has failed (a network problem, a blocked frame). */
const SILENT_TIMEOUT_MS = 15_000;

interface Tokens {
  accessToken: string;
  refreshToken?: string;
  expiresAt: number;
}

export function createStaffSession(options: StaffSessionOptions): StaffSession {
  const clientId = options.clientId ?? 'vdx-web';
  const origin = options.origin ?? window.location.origin;
  const redirectUri = `${origin}${options.redirectPath}`;
  const silentUri = `${origin}${SILENT_PATH}`;
  let state: StaffSessionState = { kind: 'signing-in' };
  let tokens: Tokens | undefined;
  let renewing: Promise<Tokens> | undefined;
  let renewTimer: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<(s: StaffSessionState) => void>();

  const setState = (next: StaffSessionState) => {
    state = next;
    for (const l of [...listeners]) l(next);
  };

  const signedOut = (reason: 'expired' | 'signed-out' | 'error') => {
    tokens = undefined;
    if (renewTimer) clearTimeout(renewTimer);
    setState({ kind: 'signed-out', reason });
  };

  const authorizeUrl = async (redirect: string, prompt?: string, language = options.language ?? 'da'): Promise<{ url: string; verifier: string; state: string }> => {
    const verifier = randomString(32);
    const st = randomString(16);
    const query = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: redirect,
      scope: 'openid booking management',
      code_challenge: await s256(verifier),
      code_challenge_method: 'S256',
      state: st,
      ui_locales: language,
      ...(prompt ? { prompt } : {}),
    });
    return { url: `${origin}/oidc/auth?${query}`, verifier, state: st };
  };

  const tokenRequest = async (params: Record<string, string>): Promise<{ ok: true; tokens: Tokens; user?: StaffUser } | { ok: false; status: number; error?: string }> => {
    const res = await fetch(`${origin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: clientId, ...params }).toString(),
      credentials: 'omit',
    });
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string; expires_in?: number; id_token?: string; error?: string };
    if (!res.ok || !body.access_token) return { ok: false, status: res.status, error: body.error };
    return {
      ok: true,
      tokens: { accessToken: body.access_token, refreshToken: body.refresh_token, expiresAt: Date.now() + (body.expires_in ?? 300) * 1000 },
      user: body.id_token ? userOf(body.id_token) : undefined,
    };
  };

  const accept = (result: { tokens: Tokens; user?: StaffUser }) => {
    tokens = result.tokens;
    scheduleRenewal();
    if (result.user) setState({ kind: 'signed-in', user: result.user });
    return result.tokens;
  };

  const scheduleRenewal = () => {
    if (renewTimer) clearTimeout(renewTimer);
    if (!tokens) return;
    const wait = Math.max(5_000, tokens.expiresAt - Date.now() - RENEW_EARLY_MS);
    renewTimer = setTimeout(() => void renew().catch(() => undefined), wait);
  };

  /** Code flow in a hidden iframe with prompt=none: the provider's cookie answers without a form. */
  const silent = async (): Promise<'ok' | 'login_required'> => {
    const request = await authorizeUrl(silentUri, 'none');
    const url = await inHiddenFrame(request.url, SILENT_TIMEOUT_MS);
    const params = new URL(url).searchParams;
    if (params.get('state') !== request.state) throw new StaffSessionError('renewal_failed', 'The silent sign-in came back with another state');
    const code = params.get('code');
    if (!code) return 'login_required';
    const result = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: silentUri, code_verifier: request.verifier });
    if (!result.ok) throw new StaffSessionError('renewal_failed', `The token request failed (${result.status})`);
    accept(result);
    return 'ok';
  };

  /** A fresh access token: refresh token first, then the provider session, else signed out. */
  const renew = (): Promise<Tokens> => {
    renewing ??= (async () => {
      try {
        if (tokens?.refreshToken) {
          const result = await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken });
          if (result.ok) return accept(result);
          if (result.status >= 500 || result.status === 0) throw new StaffSessionError('renewal_failed', `Renewal failed (${result.status})`);
        }
        if ((await silent()) === 'ok' && tokens) return tokens;
        signedOut('expired');
        throw new StaffSessionError('signed_out', 'The sign-in has ended');
      } finally {
        renewing = undefined;
      }
    })();
    return renewing;
  };

  return {
    get state() {
      return state;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      setState({ kind: 'signing-in' });
      const here = new URL(window.location.href);
      const returned = here.searchParams.has('code') || here.searchParams.has('error');
      if (returned) {
        // The code of the full-page sign-in cannot be redeemed (its verifier was in the old page's
        // memory); remove it from the address bar and history, then ask silently.
        for (const p of ['code', 'state', 'iss', 'error', 'error_description', 'session_state']) here.searchParams.delete(p);
        window.history.replaceState(window.history.state, '', here.pathname + (here.search ? here.search : '') + here.hash);
      }
      try {
        if ((await silent()) === 'ok') return;
        signedOut('signed-out');
      } catch {
        signedOut('error');
      }
    },
    signIn(signInOptions) {
      void authorizeUrl(redirectUri, undefined, signInOptions?.language).then((request) => window.location.assign(request.url));
    },
    async signOut() {
      const refreshToken = tokens?.refreshToken;
      signedOut('signed-out');
      if (refreshToken) {
        await fetch(`${origin}/oauth/revoke`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: clientId, token: refreshToken, token_type_hint: 'refresh_token' }).toString(),
          credentials: 'omit',
        }).catch(() => undefined);
      }
      // End the provider session: its sign-out page in the hidden frame, confirmed from here.
      const query = new URLSearchParams({ client_id: clientId, post_logout_redirect_uri: silentUri });
      await inHiddenFrame(`${origin}/oidc/session/end?${query}`, SILENT_TIMEOUT_MS, (doc) => {
        const form = doc.getElementById('op.logoutForm') as HTMLFormElement | null;
        if (!form) return false;
        const confirm = doc.createElement('input');
        confirm.type = 'hidden';
        confirm.name = 'logout';
        confirm.value = 'yes';
        form.appendChild(confirm);
        form.submit();
        return true;
      }).catch(() => undefined);
    },
    async accessToken() {
      if (state.kind === 'signed-out') throw new StaffSessionError('signed_out', 'Not signed in');
      if (tokens && tokens.expiresAt - Date.now() > RENEW_EARLY_MS / 2) return tokens.accessToken;
      return (await renew()).accessToken;
    },
    async fetch(input, init = {}) {
      const send = async (token: string) => {
        const headers = new Headers(init.headers);
        headers.set('authorization', `Bearer ${token}`);
        return fetch(input, { ...init, headers });
      };
      const res = await send(await this.accessToken());
      if (res.status !== 401) return res;
      return send((await renew()).accessToken);
    },
  };
}

/**
 * Loads `url` in a hidden same-origin iframe and resolves with the URL it settles on at our
 * silent-callback page. `onPage` may act on a page on the way (the sign-out confirmation);
 * it returns true when it did.
 */
function inHiddenFrame(url: string, timeoutMs: number, onPage?: (doc: Document) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const frame = document.createElement('iframe');
    frame.setAttribute('aria-hidden', 'true');
    frame.tabIndex = -1;
    frame.title = 'session';
    frame.style.cssText = 'position:absolute;width:0;height:0;border:0;visibility:hidden';
    const done = (fn: () => void) => {
      clearTimeout(timer);
      frame.remove();
      fn();
    };
    const timer = setTimeout(() => done(() => reject(new StaffSessionError('silent_timeout', 'The silent request did not come back'))), timeoutMs);
    frame.addEventListener('load', () => {
      let href: string;
      let doc: Document | null;
      try {
        href = frame.contentWindow?.location.href ?? '';
        doc = frame.contentDocument;
      } catch {
        return; // another origin (should not happen): wait for the timeout
      }
      if (href.includes(SILENT_PATH)) return done(() => resolve(href));
      if (doc && onPage?.(doc)) return;
    });
    frame.src = url;
    document.body.appendChild(frame);
  });
}

function randomString(bytes: number): string {
  const data = crypto.getRandomValues(new Uint8Array(bytes));
  return base64url(data);
}

async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

function base64url(data: Uint8Array): string {
  let s = '';
  for (const b of data) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Who is signed in, from the ID token. It came straight from the token endpoint over our own
 * origin's connection, so its signature need not be checked here (OpenID Connect Core §3.1.3.7).
 */
function userOf(idToken: string): StaffUser | undefined {
  try {
    const part = idToken.split('.')[1]!;
    const json = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)))) as Record<string, unknown>;
    return {
      email: String(json.email ?? ''),
      name: String(json.name ?? json.email ?? ''),
      organisationCode: String(json.organisation ?? ''),
      roles: Array.isArray(json.roles) ? json.roles.map(String) : [],
    };
  } catch {
    return undefined;
  }
}
