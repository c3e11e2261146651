import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../../src-shared/platform/clock';
import type { AuditLog } from '../audit/audit.service';
import type { RequireAuth } from '../auth/authenticate';
import type { SigningKeys } from '../auth/signing-keys';
import type { ServerConfig } from '../config/config';
import type { Store } from '../db/database';
import type { Database } from '../db/schema';
import type { OrganisationScopes } from '../organisations/organisation-scope';
import { ExternalSignIn } from './external-sign-in';
import { pruneExpiredOidcPayloads } from './oidc-adapter';
import { PasswordResets } from './password-resets.service';
import { logoutPage, messagePage, textOf } from './sign-in.pages';
import { signInRoutes } from './sign-in.routes';
import { SignedTickets } from './signed-ticket';
import { DESKTOP_CLIENT_ID, StaffOidc, WEB_CLIENT_ID } from './staff-oidc.provider';
import { staffOidcRoutes } from './staff-oidc.routes';
import { StaffSignIn } from './staff-sign-in.service';
import { StaffUsers } from './staff-users.service';
import { usersRoutes } from './users.routes';

export interface IdentityDeps {
  store: Store;
  clock: Clock;
  config: ServerConfig;
  signingKeys: SigningKeys;
  audit: AuditLog;
  requireAuth: RequireAuth;
  scopes: OrganisationScopes;
}

/**
 * People's identity (decision 0015): staff accounts, the embedded OpenID Provider with our sign-in
 * pages, external identity providers, and the users API. Returns what the composition root
 * wires into token verification (`isStaffTokenActive`) and the shared token endpoint (`handOver`).
 */
export async function identity(app: FastifyInstance, deps: IdentityDeps) {
  const { store, clock, config } = deps;
  const settings = config.staffIdentity;
  const users = new StaffUsers(store.db, clock);
  const resets = new PasswordResets(store.db, users, clock, config.publicUrl);
  const signIn = new StaffSignIn(store.db, users, clock);
  const secret = await identitySecret(store.db, clock, 'cookie-key');
  const tickets = new SignedTickets(secret, clock);
  const oidc = new StaffOidc({
    db: store.db,
    clock,
    signingKeys: deps.signingKeys,
    users,
    cookieKeys: [secret],
    settings: {
      publicUrl: config.publicUrl,
      accessTokenSeconds: settings.accessTokenMinutes * 60,
      sessionIdleSeconds: settings.sessionIdleMinutes * 60,
      sessionMaxSeconds: settings.sessionMaxHours * 3600,
    },
    pages: {
      error: (lang) => {
        const t = textOf(lang);
        return messagePage(lang, t.errorTitle, t.errorHeading, t.errorIntro, 'error');
      },
      logout: logoutPage,
      loggedOut: (lang) => {
        const t = textOf(lang);
        return messagePage(lang, t.logoutTitle, t.logoutHeading, t.loggedOut, 'ok', { href: '/booking/', text: t.goSignIn });
      },
    },
  });
  const external = new ExternalSignIn(settings.externalProviders, { store, users, tickets, clock, publicUrl: config.publicUrl });
  const { handOver } = staffOidcRoutes(app, oidc, config.publicUrl);
  signInRoutes(app, { oidc, signIn, resets, tickets, external, publicUrl: config.publicUrl });
  usersRoutes(app, { store, users, resets, audit: deps.audit, requireAuth: deps.requireAuth, scopes: deps.scopes, externalProviderIds: settings.externalProviders.map((p) => p.id) });

  // Expired provider rows are ignored at once; they are deleted now and then.
  const prune = setInterval(() => void pruneExpiredOidcPayloads(store.db, clock).catch(() => undefined), 3600_000);
  prune.unref();
  app.addHook('onClose', async () => clearInterval(prune));

  return {
    users,
    resets,
    signIn,
    oidc,
    external,
    handOver,
    /** The OAuth2 clients whose tokens speak for a person (their `sub` is a staff user id). */
    staffClients: new Set([WEB_CLIENT_ID, DESKTOP_CLIENT_ID]),
  };
}

export type Identity = Awaited<ReturnType<typeof identity>>;

/** A random secret created once and shared by every instance through the database. */
async function identitySecret(db: Kysely<Database>, clock: Clock, name: string): Promise<string> {
  await db
    .insertInto('identity_secrets')
    .values({ name, value: randomBytes(32).toString('base64url'), created_at: clock.now().toISOString() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('identity_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
