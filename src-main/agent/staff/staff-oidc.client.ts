/**
 * The desktop's OpenID Connect client for people (decision 0017): the public native client
 * `vdx-desktop` of the server's embedded provider (decision 0015), authorization code + PKCE
 * (S256) + state, the system browser as user agent and a loopback redirect (RFC 8252). The
 * protocol work is `openid-client`'s (discovery, PKCE, the token response and ID token checks);
 * this file decides only what the agent needs of it and turns its failures into three kinds.
 */
import * as oidc from 'openid-client';
import type { StaffPerson } from '../../../src-shared/ipc/room-bridge.contract';
import type { HttpFetch } from '../platform/platform';

/** The desktop app's client at the embedded provider (src-server/identity/staff-oidc.provider.ts). */
export const DESKTOP_CLIENT_ID = 'vdx-desktop';

/** Seconds any one request to the provider may take. */
const REQUEST_TIMEOUT_SECONDS = 10;

export interface StaffTokens {
  accessToken: string;
  /** When the access token stops working (the agent renews before). */
  expiresAt: Date;
  /** Rotated on every refresh: always store the newest. */
  refreshToken: string | null;
}

/** What a failed provider call amounts to for the session. */
export class StaffOidcError extends Error {
  constructor(
    /** `offline`: no answer; `refused`: the provider said no (expired or revoked grant, bad code); `server_error`: it failed. */
    readonly kind: 'offline' | 'refused' | 'server_error',
    message: string,
  ) {
    super(message);
  }
}

export interface AuthorizationRequest {
  url: URL;
  verifier: string;
  state: string;
  redirectUri: string;
}

export class StaffOidcClient {
  #config: Promise<oidc.Configuration> | null = null;

  constructor(
    private readonly serverUrl: string,
    private readonly fetch: HttpFetch,
    private readonly now: () => Date,
  ) {}

  /**
   * An authorization request for one sign-in. `prompt=login`: a desktop is often a shared
   * workstation, and the browser may still hold the previous person's provider session — the one
   * who clicks "sign in" types their own password.
   */
  async authorizationRequest(redirectUri: string, lang: 'da' | 'en'): Promise<AuthorizationRequest> {
    const config = await this.#configuration();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid booking management',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      prompt: 'login',
      ui_locales: lang,
    });
    return { url, verifier, state, redirectUri };
  }

  /** Redeems the code the browser brought back (state and PKCE checked); the tokens and who signed in. */
  async redeem(request: AuthorizationRequest, answer: URL): Promise<{ tokens: StaffTokens; person: StaffPerson }> {
    const config = await this.#configuration();
    const response = await this.#call(() =>
      oidc.authorizationCodeGrant(config, answer, { pkceCodeVerifier: request.verifier, expectedState: request.state, idTokenExpected: true }),
    );
    const claims = response.claims();
    if (!claims) throw new StaffOidcError('server_error', 'no ID token in the token response');
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    const person: StaffPerson = {
      name: text(claims.name) ?? text(claims.email) ?? claims.sub,
      email: text(claims.email) ?? '',
      organisation: text(claims.organisation),
    };
    return { tokens: this.#tokens(response), person };
  }

  /** A new access token (and the rotated refresh token). */
  async refresh(refreshToken: string): Promise<StaffTokens> {
    const config = await this.#configuration();
    return this.#tokens(await this.#call(() => oidc.refreshTokenGrant(config, refreshToken)));
  }

  /** Revokes the refresh token (RFC 7009), which ends the desktop's grant at the provider. */
  async revoke(refreshToken: string): Promise<void> {
    const config = await this.#configuration();
    await this.#call(() => oidc.tokenRevocation(config, refreshToken, { token_type_hint: 'refresh_token' }));
  }

  #tokens(response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers): StaffTokens {
    const seconds = response.expiresIn() ?? 300;
    return {
      accessToken: response.access_token,
      expiresAt: new Date(this.now().getTime() + seconds * 1000),
      refreshToken: response.refresh_token ?? null,
    };
  }

  /** The provider's metadata, fetched once; a failed discovery is tried again next time. */
  #configuration(): Promise<oidc.Configuration> {
    if (!this.#config) {
      const server = new URL(this.serverUrl);
      const options: oidc.DiscoveryRequestOptions = {
        [oidc.customFetch]: (url, init) => this.fetch(url, init as RequestInit),
        timeout: REQUEST_TIMEOUT_SECONDS,
        // Plain HTTP only where the app was pointed at an http:// server (the one-machine default,
        // tests); the password is typed in the browser, never here.
        ...(server.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
      };
      const config = this.#call(() => oidc.discovery(server, DESKTOP_CLIENT_ID, undefined, oidc.None(), options));
      config.catch(() => {
        if (this.#config === config) this.#config = null;
      });
      this.#config = config;
    }
    return this.#config;
  }

  async #call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw classify(err);
    }
  }
}

function classify(err: unknown): StaffOidcError {
  if (err instanceof StaffOidcError) return err;
  if (err instanceof oidc.ResponseBodyError) {
    return new StaffOidcError(err.status >= 500 ? 'server_error' : 'refused', `${err.error}${err.error_description ? `: ${err.error_description}` : ''}`);
  }
  if (err instanceof oidc.AuthorizationResponseError) return new StaffOidcError('refused', err.error);
  const e = err as { name?: string; message?: string; cause?: { name?: string; code?: string } };
  // fetch rejects with a TypeError when nothing answers; a timeout aborts the request.
  if (e.name === 'TypeError' || e.name === 'AbortError' || e.name === 'TimeoutError' || e.cause?.name === 'TypeError' || e.cause?.name === 'AbortError' || e.cause?.name === 'TimeoutError') {
    return new StaffOidcError('offline', e.message ?? 'no answer');
  }
  if (err instanceof oidc.ClientError && /status code|5\d\d/i.test(err.message)) return new StaffOidcError('server_error', err.message);
  // A check openid-client made failed (state mismatch, ID token): treat it as a refused sign-in.
  return new StaffOidcError('refused', e.message ?? String(err));
}
