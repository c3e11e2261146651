import Provider, { interactionPolicy, type ClientMetadata, type KoaContextWithOIDC } from 'oidc-provider';
import type { Kysely } from 'kysely';
import { Claims } from '../../src-shared/auth/roles';
import type { Clock } from '../../src-shared/platform/clock';
import type { SigningKeys } from '../auth/signing-keys';
import type { Database } from '../db/schema';
import { OidcDatabaseAdapter } from './oidc-adapter';
import { vdxGrantOf, type StaffUsers } from './staff-users.service';

/** The web UIs' public client (authorization code + PKCE, tokens in page memory; decision 0015). */
export const WEB_CLIENT_ID = 'vdx-web';
/** The desktop app's public client (system browser, loopback redirect on any port, RFC 8252). */
export const DESKTOP_CLIENT_ID = 'vdx-desktop';
/** Pages whose sign-in returns to them (the paths a web UI passes as `redirectPath`). */
export const WEB_UI_PATHS = ['/booking/', '/manage/', '/sms/'] as const;
/** Where hidden-iframe renewals and sign-outs land: an empty page the opener reads (same origin). */
export const SILENT_CALLBACK_PATH = '/oidc/silent-callback';
/** The resource-server scopes a person's access token carries. */
export const STAFF_SCOPES = 'booking management';

/** Every path the provider answers itself (the rest of /oidc/* are our interaction pages). */
export const PROVIDER_ROUTES = {
  authorization: '/oidc/auth',
  end_session: '/oidc/session/end',
  introspection: '/oidc/token/introspection',
  jwks: '/.well-known/jwks.json',
  registration: '/oidc/reg',
  revocation: '/oauth/revoke',
  token: '/oauth/token',
  userinfo: '/oidc/me',
  backchannel_authentication: '/oidc/backchannel',
  code_verification: '/oidc/device',
  device_authorization: '/oidc/device/auth',
  pushed_authorization_request: '/oidc/request',
  challenge: '/oidc/challenge',
  credential: '/oidc/credential',
} as const;

export interface StaffOidcSettings {
  publicUrl: string;
  accessTokenSeconds: number;
  sessionIdleSeconds: number;
  sessionMaxSeconds: number;
}

export interface StaffOidcDeps {
  db: Kysely<Database>;
  clock: Clock;
  signingKeys: SigningKeys;
  users: StaffUsers;
  /** Cookie signing keys shared by every instance (newest first). */
  cookieKeys: string[];
  settings: StaffOidcSettings;
  /** Our own pages for the provider's error and sign-out screens. */
  pages: {
    error(lang: 'da' | 'en', error: { error: string; error_description?: string }): string;
    logout(lang: 'da' | 'en', form: string): string;
    loggedOut(lang: 'da' | 'en'): string;
  };
}

/**
 * The embedded OpenID Provider (`oidc-provider`) for people. Its keys are our persisted signing
 * keys, so people's ID and access tokens appear in the one JWKS and `AccessTokens.verify` checks
 * them like any other token. The provider's key set is fixed when it is built, so a new instance
 * is built when the current signing key changes (a rotation, here or on another instance); all
 * its state lives in the database (`OidcDatabaseAdapter`), so nothing is lost by rebuilding.
 */
export class StaffOidc {
  #built?: { kid: string; provider: Promise<Provider> };

  constructor(private readonly deps: StaffOidcDeps) {}

  /** The provider signing with the current key. */
  async provider(): Promise<Provider> {
    const { kid } = await this.deps.signingKeys.current();
    if (this.#built?.kid !== kid) this.#built = { kid, provider: this.#build(kid) };
    return this.#built.provider;
  }

  get resource(): string {
    return `${this.deps.settings.publicUrl}/`;
  }

  async #build(kid: string): Promise<Provider> {
    const { db, clock, users, settings, pages } = this.deps;
    const keys = await this.deps.signingKeys.privateJwks();
    const resource = this.resource;
    const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
    /** Seconds left of a sign-in that began at `startedAt` (epoch seconds), at least 1. */
    const leftOf = (startedAt: unknown, cap: number) =>
      Math.max(1, Math.min(cap, settings.sessionMaxSeconds - (nowSeconds() - (typeof startedAt === 'number' ? startedAt : nowSeconds()))));
    const langOf = (ctx: KoaContextWithOIDC): 'da' | 'en' =>
      String((ctx.oidc as { params?: { ui_locales?: unknown } } | undefined)?.params?.ui_locales ?? '').startsWith('en') ? 'en' : 'da';

    const provider = new Provider(settings.publicUrl, {
      adapter: (model: string) => new OidcDatabaseAdapter(model, db, clock, { idleMs: settings.sessionIdleSeconds * 1000 }),
      clients: staticClients(settings.publicUrl),
      jwks: { keys },
      cookies: {
        keys: this.deps.cookieKeys,
        names: { session: 'vdx_session', interaction: 'vdx_interaction', resume: 'vdx_interaction_resume' },
        long: { httpOnly: true, sameSite: 'lax' },
        short: { httpOnly: true, sameSite: 'lax' },
      },
      routes: PROVIDER_ROUTES,
      scopes: ['openid', 'offline_access'],
      // The claims the session module shows (who is signed in); the ID token carries them directly,
      // with how the person signed in (RFC 8176 `amr`: pwd, pwd+otp, fed; in the scope so every ID
      // token has it, not only those whose request asked for it).
      claims: { openid: ['sub', 'email', 'name', 'organisation', 'roles', 'amr'] },
      conformIdTokenClaims: false,
      clientDefaults: { id_token_signed_response_alg: 'ES256' },
      responseTypes: ['code'],
      pkce: { required: () => true },
      // A browser sends Origin with every POST, same-origin ones too: the booking page's token and
      // revocation requests come from our own origin and must pass; any other origin is refused.
      clientBasedCORS: (_ctx: unknown, origin: string) => origin === new URL(settings.publicUrl).origin,
      interactions: {
        url: (_ctx: unknown, interaction: { uid: string }) => `/oidc/interaction/${interaction.uid}`,
        policy: signInPolicy(),
      },
      features: {
        devInteractions: { enabled: false },
        // A client revokes only tokens issued to itself (sign-out of the booking page or the
        // desktop app); our staff clients are public, so a foreign token is simply not revoked.
        revocation: { enabled: true, allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId?: string }) => token.clientId === client.clientId },
        userinfo: { enabled: false },
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: (ctx: KoaContextWithOIDC, form: string) => {
            (ctx as unknown as { body: string }).body = pages.logout(langOf(ctx), form);
          },
          postLogoutSuccessSource: (ctx: KoaContextWithOIDC) => {
            (ctx as unknown as { body: string }).body = pages.loggedOut(langOf(ctx));
          },
        },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => resource,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx: unknown, indicator: string) => {
            if (indicator !== resource) throw new Error(`unknown resource ${indicator}`);
            return {
              scope: STAFF_SCOPES,
              audience: resource,
              accessTokenTTL: settings.accessTokenSeconds,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'ES256', kid } },
            };
          },
        },
      },
      // Our clients are first-party: a person who has signed in is not asked to consent.
      loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
        const { client, session, result } = ctx.oidc;
        if (!client || !session?.accountId) return undefined;
        const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
        if (grantId) {
          const existing = await ctx.oidc.provider.Grant.find(grantId);
          if (existing) return existing;
        }
        const grant = new ctx.oidc.provider.Grant({ accountId: session.accountId, clientId: client.clientId });
        grant.addOIDCScope('openid');
        grant.addResourceScope(resource, STAFF_SCOPES);
        await grant.save();
        return grant;
      },
      findAccount: async (_ctx: unknown, sub: string) => {
        const user = await users.find(sub);
        if (!user || user.disabled) return undefined;
        return {
          accountId: sub,
          claims: async () => ({ sub, email: user.email, name: user.name, organisation: user.organisationCode, roles: user.roles }),
        };
      },
      // People's access tokens carry the VDX claims exactly as API clients' tokens do.
      extraTokenClaims: async (_ctx: unknown, token: { accountId?: string }) => {
        if (!token.accountId) return undefined;
        const user = await users.find(token.accountId);
        if (!user) return undefined;
        const grant = vdxGrantOf(user);
        return {
          [Claims.roles]: grant.roles,
          [Claims.organisation]: user.organisationCode,
          [Claims.email]: user.email,
          ...(grant.managementAdmin ? { [Claims.managementAdmin]: true } : {}),
        };
      },
      // Refresh tokens for our clients without offline_access: they end with the session (sign-out).
      issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) => client.grantTypeAllowed('refresh_token'),
      rotateRefreshToken: () => true,
      ttl: {
        AccessToken: settings.accessTokenSeconds,
        IdToken: settings.accessTokenSeconds,
        AuthorizationCode: 60,
        Interaction: 30 * 60,
        Grant: settings.sessionMaxSeconds,
        Session: (_ctx: unknown, session: { loginTs?: number }) => leftOf(session.loginTs, settings.sessionMaxSeconds),
        // Idle: unused for the idle time it is gone; absolute: never past the sign-in's maximum.
        RefreshToken: (_ctx: unknown, token: { iiat?: number; iat?: number }) =>
          leftOf(token.iiat ?? token.iat, settings.sessionIdleSeconds),
      },
      renderError: (ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }) => {
        const c = ctx as unknown as { type: string; body: string };
        c.type = 'html';
        c.body = pages.error(langOf(ctx), out);
      },
    });
    // Our Fastify routes set X-Forwarded-Host/Proto to the public URL's before handing over, so
    // the provider's URLs and cookie flags follow VDX_PUBLIC_URL (staff-oidc.routes.ts).
    provider.proxy = true;
    return provider;
  }
}

/**
 * The provider's default prompts, plus: a native client signs in afresh each time (below); and a session whose person can no longer be found (disabled
 * or deleted since signing in) needs a new sign-in. Without this check the provider sees the
 * session's account id, skips the sign-in and fails later (a 500 on the silent renewal of a
 * disabled person); with it, `prompt=none` answers `login_required` and a full-page request shows
 * the sign-in form.
 */
function signInPolicy() {
  const policy = interactionPolicy.base();
  const { Check } = interactionPolicy;
  policy.get('login')!.checks.add(
    new Check('account_unavailable', 'The signed-in account is no longer available', 'login_required', (ctx) =>
      ctx.oidc.session?.accountId !== undefined && ctx.oidc.account === undefined ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT,
    ),
    1,
  );
  // The desktop app (a native client, RFC 8252 §8.6): any program on the machine can claim its
  // client id and a loopback port, so it gets a code only for a sign-in typed in this very
  // request — never silently from a provider session the browser still holds. That typing is
  // the person's interaction §8.6 asks for, so the provider's default consent step for native
  // clients (which our pages do not have: it showed the sign-in form a second time) goes.
  policy.get('login')!.checks.add(
    new Check('native_client_fresh_login', 'A native client needs a sign-in in this request', 'login_required', (ctx) =>
      ctx.oidc.client?.applicationType === 'native' && !ctx.oidc.result?.login ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT,
    ),
  );
  policy.get('consent')!.checks.remove('native_client_prompt');
  return policy;
}

/** The clients the server registers at start. Redirect URIs are exact, except loopback ports (RFC 8252 §7.3). */
function staticClients(publicUrl: string): ClientMetadata[] {
  const silent = `${publicUrl}${SILENT_CALLBACK_PATH}`;
  const uiUris = WEB_UI_PATHS.map((p) => `${publicUrl}${p}`);
  return [
    {
      client_id: WEB_CLIENT_ID,
      client_name: 'VDX Booking (web)',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [...uiUris, silent],
      post_logout_redirect_uris: [...uiUris, silent],
      id_token_signed_response_alg: 'ES256',
    },
    {
      client_id: DESKTOP_CLIENT_ID,
      client_name: 'VDX Room (desktop)',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // 127.0.0.1 only: the sign-in pages' CSP can allow no IPv6 literal (SIGN_IN_CONTENT_SECURITY_POLICY).
      redirect_uris: ['http://127.0.0.1/callback'],
      post_logout_redirect_uris: ['http://127.0.0.1/signed-out'],
      id_token_signed_response_alg: 'ES256',
    },
  ];
}
