import { createHash, randomBytes } from 'node:crypto';
import { WEB_CLIENT_ID } from './staff-oidc.provider';

/** An authorization request as the web session module makes it: code flow, PKCE (S256), state. */
export interface AuthorizationRequest {
  /** `/oidc/auth?…` (path and query, relative to the public URL). */
  path: string;
  verifier: string;
  state: string;
  redirectUri: string;
}

/** A fresh request returning to `redirectUri`; `extra` adds parameters (`prompt`, `ui_locales`). Shared by route and browser tests. */
export function authorizationRequest(redirectUri: string, extra: Record<string, string> = {}): AuthorizationRequest {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const query = new URLSearchParams({
    client_id: WEB_CLIENT_ID,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid booking management',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state,
    ...extra,
  });
  return { path: `/oidc/auth?${query}`, verifier, state, redirectUri };
}
