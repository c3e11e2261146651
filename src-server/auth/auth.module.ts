import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../src-shared/platform/clock';
import type { AuditLog } from '../audit/audit.service';
import type { ServerConfig } from '../config/config';
import type { Store } from '../db/database';
import { identity } from '../identity/identity.module';
import type { OrganisationScopes } from '../organisations/organisation-scope';
import { AccessTokens } from './access-tokens';
import { apiClientsRoutes } from './api-clients.routes';
import { ApiClients } from './api-clients.service';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { createAuthenticator } from './authenticate';
import { bootstrapIdentity } from './bootstrap-identity';
import { oauthRoutes } from './oauth.routes';
import { SigningKeys } from './signing-keys';

export interface AuthDeps {
  store: Store;
  clock: Clock;
  config: ServerConfig;
  audit: AuditLog;
  /** Management admins' organisation subtrees (decision 0011). */
  scopes: OrganisationScopes;
}

/** Lifetime of access tokens we issue. */
const TOKEN_TTL_SECONDS = 3600;

/**
 * Who may call: the OAuth2 issuer (signing keys, API clients, access tokens, the token endpoint
 * and its failure limits), the bootstrap admin client, people's identity (staff accounts and the
 * embedded OpenID Provider, decision 0015) and API client management. Returns the authenticator
 * every capability guards its routes with, and what other capabilities build on.
 */
export async function auth(app: FastifyInstance, deps: AuthDeps) {
  const { store, clock, config, audit, scopes } = deps;
  const signingKeys = new SigningKeys(store, clock, TOKEN_TTL_SECONDS);
  const apiClients = new ApiClients(store, clock);
  const tokens = new AccessTokens(signingKeys, clock, {
    issuer: config.publicUrl,
    ttlSeconds: TOKEN_TTL_SECONDS,
    // Asked on every verification, uncached: a revoked client's (or disabled person's) tokens stop
    // working at once. People's tokens name a staff client and the person as subject. (`staff` is
    // built below, with the authenticator this issuer backs; no token is verified before then.)
    isClientActive: (clientId, who) =>
      staff.staffClients.has(clientId) ? staff.users.isActive(who.subject, who.issuedAt) : apiClients.isActive(clientId),
    external: config.externalIssuer,
  });
  await bootstrapIdentity({ config, store, clock, apiClients });
  const requireAuth = createAuthenticator(tokens);
  // Failed client authentication: 10 per client id / 50 per address in 5 minutes (docs/decisions).
  const authFailures = new AuthFailureLimiter(clock, {
    client: { maxFailures: 10, windowMs: 5 * 60_000 },
    ip: { maxFailures: 50, windowMs: 5 * 60_000 },
  });
  const staff = await identity(app, { store, clock, config, signingKeys, audit, requireAuth, scopes });
  oauthRoutes(app, {
    apiClients,
    tokens,
    signingKeys,
    limiter: authFailures,
    otherGrants: { types: ['authorization_code', 'refresh_token'], handOver: staff.handOver },
  });
  apiClientsRoutes(app, { store, apiClients, signingKeys, audit, requireAuth, scopes });
  return { tokens, requireAuth, apiClients, identity: staff };
}

export type Auth = Awaited<ReturnType<typeof auth>>;
