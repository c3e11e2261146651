import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Jwks, OAuthErrorCode, TokenResponse, type OAuthErrorBody } from '../../src-shared/auth/api-clients.schema';
import { HttpError, type ErrorFormatter } from '../http/errors';
import type { AccessTokens } from './access-tokens';
import type { ApiClients } from './api-clients.service';
import type { AuthFailureLimiter } from './auth-failure-limiter';
import type { SigningKeys } from './signing-keys';

/**
 * The OAuth2 authorization server: `POST /oauth/token` (client credentials, RFC 6749 §4.4) and the
 * JWKS. The metadata document (RFC 8414 / OpenID discovery) is the embedded OpenID Provider's,
 * extended with this grant (`identity/staff-oidc.routes.ts`).
 */
export function oauthRoutes(
  app: FastifyInstance,
  deps: {
    apiClients: ApiClients;
    tokens: AccessTokens;
    signingKeys: SigningKeys;
    limiter: AuthFailureLimiter;
    /**
     * Grants another component answers at this same endpoint (the embedded OpenID Provider:
     * authorization_code, refresh_token), so the one metadata document names one token endpoint.
     */
    otherGrants?: { types: readonly string[]; handOver(request: FastifyRequest, reply: FastifyReply): Promise<void> };
  },
): void {
  const { apiClients, tokens, signingKeys, limiter, otherGrants } = deps;

  app.post(
    '/oauth/token',
    {
      schema: {
        summary: 'Issue an access token (OAuth2 client credentials grant, RFC 6749 §4.4)',
        tags: ['oauth'],
        response: { 200: TokenResponse },
      },
    },
    async (request, reply) => {
      const asked = (request.body as { grant_type?: unknown } | undefined)?.grant_type;
      if (otherGrants && typeof asked === 'string' && otherGrants.types.includes(asked)) return otherGrants.handOver(request, reply);
      const params = tokenParameters(request.body);
      const credentials = clientCredentials(request, params);

      const grantType = params.grant_type;
      if (grantType === undefined) throw oauthError('invalid_request', 'grant_type is required');
      if (grantType !== 'client_credentials') {
        throw oauthError('unsupported_grant_type', `Supported grant types: ${['client_credentials', ...(otherGrants?.types ?? [])].join(', ')}`);
      }
      if (!credentials) {
        throw oauthError('invalid_client', 'Client authentication is required (HTTP Basic or client_id/client_secret)');
      }

      const keys = { client: credentials.clientId, ip: request.ip };
      const wait = limiter.retryAfterSeconds(keys);
      if (wait > 0) {
        throw new HttpError(429, 'slow_down', 'Too many failed client authentications; try again later', {
          retryAfterSeconds: wait,
        });
      }
      const client = await apiClients.authenticate(credentials.clientId, credentials.clientSecret);
      if (!client) {
        limiter.recordFailure(keys);
        throw oauthError('invalid_client', 'Client authentication failed');
      }
      if (client.scopes.length === 0) {
        throw oauthError('unauthorized_client', 'This client may not obtain tokens (it has no scopes)');
      }

      const granted = grantedScopes(params.scope, client.scopes);
      const issued = await tokens.issue({
        clientId: client.clientId,
        organisation: client.organisation,
        email: client.email ?? undefined,
        roles: client.roles,
        managementAdmin: client.managementAdmin,
        scopes: granted,
        deviceId: client.deviceId ?? undefined,
      });
      void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      return {
        access_token: issued.accessToken,
        token_type: 'Bearer' as const,
        expires_in: issued.expiresIn,
        scope: granted.join(' '),
      };
    },
  );

  app.get('/.well-known/jwks.json', { schema: { tags: ['oauth'], summary: 'Public keys that verify our access tokens', response: { 200: Jwks } } }, async (_request, reply) => {
    // Short cache: after a rotation the new key must be fetchable soon; verifiers also refetch on an unknown kid.
    void reply.header('cache-control', 'public, max-age=60');
    return { keys: await signingKeys.publicJwks() };
  });
}

interface TokenParameters {
  grant_type?: string;
  scope?: string;
  client_id?: string;
  client_secret?: string;
}

const PARAMETER_NAMES = ['grant_type', 'scope', 'client_id', 'client_secret'] as const;

/**
 * The token request's parameters from a form or JSON body. RFC 6749 §3.2: parameters must not be
 * repeated (a repeated form field arrives as an array) and are strings; unrecognised parameters
 * are ignored.
 */
function tokenParameters(body: unknown): TokenParameters {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw oauthError('invalid_request', 'The request body must be form fields or a JSON object');
  }
  const params: TokenParameters = {};
  for (const name of PARAMETER_NAMES) {
    const value = (body as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      throw oauthError('invalid_request', `Parameter ${name} must be given once, as a string`);
    }
    params[name] = value;
  }
  return params;
}

/**
 * Client authentication: HTTP Basic (RFC 6749 §2.3.1 — id and secret are form-urlencoded before
 * Base64) or `client_id`/`client_secret` in the body. Using both is an error (§2.3).
 */
function clientCredentials(
  request: FastifyRequest,
  params: TokenParameters,
): { clientId: string; clientSecret: string } | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (!match) throw oauthError('invalid_client', 'Only HTTP Basic client authentication is accepted here');
    if (params.client_secret !== undefined) {
      throw oauthError('invalid_request', 'Use one client authentication method, not both Basic and client_secret');
    }
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw oauthError('invalid_client', 'Malformed HTTP Basic credentials');
    const clientId = formDecode(decoded.slice(0, colon));
    const clientSecret = formDecode(decoded.slice(colon + 1));
    if (clientId === undefined || clientSecret === undefined || clientId === '') {
      throw oauthError('invalid_client', 'Malformed HTTP Basic credentials');
    }
    if (params.client_id !== undefined && params.client_id !== clientId) {
      throw oauthError('invalid_request', 'client_id does not match the HTTP Basic credentials');
    }
    return { clientId, clientSecret };
  }
  if (params.client_id === undefined && params.client_secret === undefined) return undefined;
  if (!params.client_id || params.client_secret === undefined) {
    throw oauthError('invalid_client', 'Both client_id and client_secret are required');
  }
  return { clientId: params.client_id, clientSecret: params.client_secret };
}

/** application/x-www-form-urlencoded decoding of one value; undefined when malformed. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** RFC 6749 §3.3: space-separated scope tokens of printable ASCII except `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** The requested scopes if all are allowed for the client; all its scopes when none are requested. */
function grantedScopes(requested: string | undefined, allowed: readonly string[]): string[] {
  if (requested === undefined || requested.trim() === '') return [...allowed];
  const asked = [...new Set(requested.split(' ').filter((s) => s !== ''))];
  const bad = asked.find((s) => !SCOPE_TOKEN.test(s) || !allowed.includes(s));
  if (bad !== undefined) throw oauthError('invalid_scope', `Scope "${bad.slice(0, 64)}" is not available to this client`);
  return asked;
}

function oauthError(code: OAuthErrorCode, description: string): HttpError {
  const status = code === 'invalid_client' ? 401 : 400;
  return new HttpError(status, code, description);
}

/**
 * Error format for `/oauth/*`: RFC 6749 §5.2 `{error, error_description}` whatever went wrong —
 * validation, a malformed body, an unknown route — with `no-store`, and `WWW-Authenticate` on 401.
 */
export const oauthErrorFormat: ErrorFormatter = (error, _request, reply): OAuthErrorBody => {
  const known = OAuthErrorCode.safeParse(error.code);
  let code: OAuthErrorCode;
  if (known.success) code = known.data;
  else if (error.status === 401) code = 'invalid_client';
  else if (error.status >= 500) code = 'server_error';
  else code = 'invalid_request';
  // RFC 6749 §5.2 answers 400 unless specified otherwise; a wrong Content-Type is just a bad request here.
  if (error.status === 415) void reply.status(400);
  void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  if (error.status === 401) void reply.header('www-authenticate', 'Basic realm="vdx"');
  return { error: code, error_description: error.message };
};
