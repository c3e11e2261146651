import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as oidcClient from 'openid-client';
import { z } from 'zod';
import { VdxRole } from '../../src-shared/auth/roles';
import type { InteractionDetails } from 'oidc-provider';
import type Provider from 'oidc-provider';
import type { StaffUser } from '../../src-shared/identity/staff-users.schema';
import type { Clock } from '../../src-shared/platform/clock';
import type { ExternalIdentityProvider } from '../config/config';
import type { Store } from '../db/database';
import { getOrganisation } from '../organisations/organisations.service';
import { pickLang, textOf, messagePage, type Lang } from './sign-in.pages';
import type { SignedTickets } from './signed-ticket';
import { normaliseEmail, type StaffUsers } from './staff-users.service';

const COOKIE = 'vdx_federation';
const COOKIE_PATH = '/oidc/federated/';
/** How long a person may take at the external provider. */
const STATE_SECONDS = 10 * 60;

interface FederationState extends Record<string, unknown> {
  uid: string;
  provider: string;
  verifier: string;
  state: string;
  nonce: string;
  lang: Lang;
}

export type MappedPerson = { kind: 'ok'; user: StaffUser } | { kind: 'no_account' };

/** What the sign-in routes lend the external flow (the interaction lookup and page helpers). */
export interface SignInPageKit {
  interactionOf(request: FastifyRequest, reply: FastifyReply, uid: string): Promise<{ provider: Provider; details: InteractionDetails } | undefined>;
  html(reply: FastifyReply, status: number, body: string): FastifyReply;
  signInForm(uid: string, lang: Lang, extra?: { email?: string; error?: string }): string;
}

/**
 * Signing in through an external OpenID Provider (`VDX_OIDC_PROVIDERS`): our provider is that
 * provider's client (authorization code + PKCE + nonce, openid-client), then maps the person it
 * vouches for onto a staff account (decision 0015):
 * - the e-mail claim identifies the person (an existing account with that e-mail is linked);
 * - the organisation and roles claims, when configured, set the account's organisation and
 *   meeting roles at every sign-in (the IdP is the source of truth for its people); unknown
 *   organisations and roles are ignored;
 * - `management-admin` is never taken from an IdP: only an admin grants it on the account, and an
 *   account holding it is linked to an IdP only by an admin naming the provider on it;
 * - once linked to one provider, an account is not linked by another asserting the same e-mail,
 *   and once that provider named its subject, another subject with the same e-mail is not it;
 * - without a usable organisation and at least one role (from claims or the existing account)
 *   the person has no access, and a disabled account stays disabled.
 */
export class ExternalSignIn {
  readonly #configs = new Map<string, Promise<oidcClient.Configuration>>();

  constructor(
    readonly providers: readonly ExternalIdentityProvider[],
    private readonly deps: { store: Store; users: StaffUsers; tickets: SignedTickets; clock: Clock; publicUrl: string },
  ) {}

  redirectUri(id: string): string {
    return `${this.deps.publicUrl}${COOKIE_PATH}${id}/callback`;
  }

  #config(idp: ExternalIdentityProvider): Promise<oidcClient.Configuration> {
    let config = this.#configs.get(idp.id);
    if (!config) {
      const url = new URL(idp.issuer);
      // Plain HTTP only to a provider on this machine (tests, a local Keycloak).
      const loopback = url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
      config = oidcClient.discovery(url, idp.clientId, idp.clientSecret, undefined, loopback ? { execute: [oidcClient.allowInsecureRequests] } : undefined);
      // A failed discovery is retried on the next sign-in rather than remembered.
      config.catch(() => this.#configs.delete(idp.id));
      this.#configs.set(idp.id, config);
    }
    return config;
  }

  /** Maps the claims of a verified ID token onto a staff account (creating or updating it). */
  async mapPerson(idp: ExternalIdentityProvider, claims: Record<string, unknown>): Promise<MappedPerson> {
    const { users, store } = this.deps;
    const rawEmail = claims[idp.claims.email];
    if (typeof rawEmail !== 'string' || !z.email().safeParse(rawEmail.trim()).success || claims.email_verified === false) return { kind: 'no_account' };
    const email = normaliseEmail(rawEmail);
    const subject = typeof claims.sub === 'string' ? claims.sub : email;

    const claimedOrg = idp.claims.organisation ? claims[idp.claims.organisation] : undefined;
    const organisation = typeof claimedOrg === 'string' && (await getOrganisation(store.db, claimedOrg.trim().toLowerCase())) ? claimedOrg.trim().toLowerCase() : undefined;
    const claimedRoles = idp.claims.roles ? claims[idp.claims.roles] : undefined;
    const roleList = Array.isArray(claimedRoles) ? claimedRoles : typeof claimedRoles === 'string' ? claimedRoles.split(/[\s,]+/) : undefined;
    const meetingRoles = roleList?.filter((r): r is VdxRole => VdxRole.safeParse(r).success);

    const existing = await users.findByEmail(email);
    if (existing?.disabled) return { kind: 'no_account' };
    // An account one provider vouches for is that provider's: another provider asserting the same
    // e-mail (a different region's IdP) does not take it over.
    if (existing?.externalProvider && existing.externalProvider !== idp.id) return { kind: 'no_account' };
    // An IdP asserting a management-admin's e-mail would get the admin's powers: such an account
    // is linked only by an admin naming the provider on it (PATCH externalProvider).
    if (existing && existing.externalProvider !== idp.id && existing.roles.includes('management-admin')) return { kind: 'no_account' };
    // Once the provider vouched for the account, only that subject is it (an e-mail address the
    // IdP later gives someone else does not carry the account over).
    if (existing?.externalProvider === idp.id) {
      const linkedSubject = (await users.row(existing.id))?.external_subject ?? null;
      if (linkedSubject !== null && linkedSubject !== subject) return { kind: 'no_account' };
    }
    const now = this.deps.clock.now().toISOString();
    if (existing) {
      const keepAdmin = existing.roles.includes('management-admin') ? (['management-admin'] as const) : [];
      const roles = meetingRoles !== undefined ? [...meetingRoles, ...keepAdmin] : existing.roles;
      await store.db
        .updateTable('staff_users')
        .set({
          ...(organisation ? { organisation_code: organisation } : {}),
          roles: JSON.stringify(roles),
          external_provider: idp.id,
          external_subject: subject,
          updated_at: now,
        })
        .where('id', '=', existing.id)
        .execute();
      const user = await users.get(existing.id);
      return user.roles.length > 0 ? { kind: 'ok', user } : { kind: 'no_account' };
    }
    if (!organisation || !meetingRoles || meetingRoles.length === 0) return { kind: 'no_account' };
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : email;
    const created = await users.create({ email, name, organisationCode: organisation, roles: meetingRoles, passwordHash: null });
    await store.db.updateTable('staff_users').set({ external_provider: idp.id, external_subject: subject }).where('id', '=', created.id).execute();
    return { kind: 'ok', user: await users.get(created.id) };
  }

  routes(app: FastifyInstance, kit: SignInPageKit): void {
    const { tickets } = this.deps;
    const hide = { hide: true } as object;
    const Params = z.object({ uid: z.string().min(1).max(128), id: z.string().min(1).max(32) });
    const failed = (reply: FastifyReply, lang: Lang, message: 'externalFailed' | 'externalNoAccount', status = 400) => {
      const t = textOf(lang);
      return kit.html(reply, status, messagePage(lang, t.errorTitle, t.errorHeading, t[message], 'error'));
    };

    // The button: off to the external provider, with PKCE, state and nonce held in a signed cookie.
    app.get('/oidc/interaction/:uid/federated/:id', { schema: hide }, async (request, reply) => {
      const { uid, id } = Params.parse(request.params);
      const lang = pickLang((request.query as { lang?: unknown }).lang);
      const idp = this.providers.find((p) => p.id === id);
      if (!idp || !(await kit.interactionOf(request, reply, uid))) return failed(reply, lang, 'externalFailed');
      let config: oidcClient.Configuration;
      try {
        config = await this.#config(idp);
      } catch {
        return failed(reply, lang, 'externalFailed', 502);
      }
      const state: FederationState = { uid, provider: id, verifier: oidcClient.randomPKCECodeVerifier(), state: oidcClient.randomState(), nonce: oidcClient.randomNonce(), lang };
      const url = oidcClient.buildAuthorizationUrl(config, {
        redirect_uri: this.redirectUri(id),
        scope: 'openid email profile',
        code_challenge: await oidcClient.calculatePKCECodeChallenge(state.verifier),
        code_challenge_method: 'S256',
        state: state.state,
        nonce: state.nonce,
      });
      void reply.header('set-cookie', cookie(COOKIE, tickets.issue('federation', state, STATE_SECONDS), STATE_SECONDS, this.deps.publicUrl));
      return reply.redirect(url.href, 303);
    });

    // Back from the external provider: verify, map the person, finish our interaction.
    app.get('/oidc/federated/:id/callback', { schema: hide }, async (request, reply) => {
      const { id } = z.object({ id: z.string().min(1).max(32) }).parse(request.params);
      const state = tickets.open<FederationState>('federation', readCookie(request, COOKIE));
      const lang = state?.lang ?? 'da';
      void reply.header('set-cookie', cookie(COOKIE, '', 0, this.deps.publicUrl));
      const idp = this.providers.find((p) => p.id === id);
      if (!idp || !state || state.provider !== id) return failed(reply, lang, 'externalFailed');
      let claims: Record<string, unknown> | undefined;
      try {
        const config = await this.#config(idp);
        const tokens = await oidcClient.authorizationCodeGrant(config, new URL(request.url, this.deps.publicUrl), {
          pkceCodeVerifier: state.verifier,
          expectedState: state.state,
          expectedNonce: state.nonce,
          idTokenExpected: true,
        });
        claims = tokens.claims() as Record<string, unknown> | undefined;
      } catch (err) {
        request.log.info({ provider: id, err: (err as Error).message }, 'external sign-in failed');
        return failed(reply, lang, 'externalFailed');
      }
      const mapped = claims ? await this.mapPerson(idp, claims) : { kind: 'no_account' as const };
      if (mapped.kind !== 'ok') return failed(reply, lang, 'externalNoAccount', 403);
      const done = tickets.issue('federated-login', { uid: state.uid, userId: mapped.user.id }, 60);
      return reply.redirect(`/oidc/interaction/${state.uid}/federated-done?ticket=${encodeURIComponent(done)}&lang=${lang}`, 303);
    });

    // Under the interaction's path, where its cookie is sent: finish the sign-in.
    app.get('/oidc/interaction/:uid/federated-done', { schema: hide }, async (request, reply) => {
      const { uid } = z.object({ uid: z.string().min(1).max(128) }).parse(request.params);
      const query = request.query as { ticket?: string; lang?: string };
      const lang = pickLang(query.lang);
      const done = tickets.open<{ uid: string; userId: string }>('federated-login', query.ticket);
      const found = await kit.interactionOf(request, reply, uid);
      if (!done || done.uid !== uid || !found) return failed(reply, lang, 'externalFailed');
      const returnTo = await found.provider.interactionResult(request.raw, reply.raw, { login: { accountId: done.userId, amr: ['fed'] } }, { mergeWithLastSubmission: false });
      return reply.redirect(returnTo, 303);
    });
  }
}

function cookie(name: string, value: string, maxAge: number, publicUrl: string): string {
  const secure = publicUrl.startsWith('https:') ? '; Secure' : '';
  // Lax: the external provider's redirect back is a top-level GET navigation, which carries it.
  return `${name}=${value}; Path=${COOKIE_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
