import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { VdxRole } from '../../src-shared/auth/roles';
import { HttpError, forbidden, unauthorized } from '../http/errors';
import { TokenInvalidError, type AccessTokens } from './access-tokens';
import type { Principal } from './principal';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by an `authenticate` pre-handler; absent on public routes. */
    principal?: Principal;
  }
}

export interface AccessRule {
  /** At least one of these VDX roles. */
  anyRole?: readonly VdxRole[];
  /** Requires the management-admin grant. */
  managementAdmin?: boolean;
  /** Requires this OAuth2 scope (e.g. `device`). */
  scope?: string;
  /** Error codes to use (the VDX API wants its numeric code 11 on 401). */
  vdxCode?: number;
}

/**
 * Builds pre-handlers that require a valid Bearer token and, optionally, roles or a scope.
 * Missing/invalid/expired/revoked token → 401; authenticated but not allowed → 401 for VDX role
 * problems (as the real API does), 403 elsewhere.
 */
export function createAuthenticator(tokens: AccessTokens) {
  return function requireAuth(rule: AccessRule = {}): preHandlerAsyncHookHandler {
    return async function authenticate(request: FastifyRequest, reply: FastifyReply) {
      const principal = await principalOf(tokens, request, rule.vdxCode);
      if (rule.managementAdmin && !principal.managementAdmin) {
        throw forbidden('management_admin_required', 'This needs the management-admin role');
      }
      if (rule.anyRole && !rule.anyRole.some((r) => principal.roles.includes(r))) {
        throw unauthorized('role_not_allowed', `This needs one of the roles: ${rule.anyRole.join(', ')}`, rule.vdxCode ?? 11);
      }
      if (rule.scope && !principal.scopes.includes(rule.scope)) {
        throw forbidden('scope_required', `This needs the scope "${rule.scope}"`);
      }
      request.principal = principal;
      void reply;
    };
  };
}

export type RequireAuth = ReturnType<typeof createAuthenticator>;

async function principalOf(tokens: AccessTokens, request: FastifyRequest, vdxCode?: number): Promise<Principal> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) throw unauthorized('token_missing', 'An access token is required (Authorization: Bearer ...)', vdxCode ?? 11);
  try {
    return await tokens.verify(match[1]!);
  } catch (err) {
    if (err instanceof TokenInvalidError) {
      throw new HttpError(401, `token_${err.reason}`, err.message, undefined, vdxCode ?? 11);
    }
    throw err;
  }
}

/** The principal of an authenticated request; a programming error if the route has no authenticator. */
export function principal(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route is missing its authenticate pre-handler');
  return request.principal;
}
