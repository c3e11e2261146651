import { z } from 'zod';
import { OrganisationCode } from '../organisations/organisations.schema';
import { Scope, VdxRole } from './roles';

/** What kind of OAuth2 client: an external system/person/automation, or an enrolled room device. */
export const ApiClientKind = z.enum(['system', 'device']);
export type ApiClientKind = z.infer<typeof ApiClientKind>;

/** An OAuth2 client as management sees it. The secret is never part of it. */
export const ApiClient = z.object({
  clientId: z.string(),
  kind: ApiClientKind,
  name: z.string(),
  /** Organisation code its tokens carry. */
  organisation: z.string(),
  /** E-mail its tokens carry (`dk:medcom:email`), the identity it books as. */
  email: z.string().nullable(),
  roles: z.array(VdxRole),
  managementAdmin: z.boolean(),
  /** The scopes it may ask for; a token request without `scope` gets all of them. */
  scopes: z.array(Scope),
  /** Set for `kind: 'device'`: the device its tokens speak for (claim `vdx:device_id`). */
  deviceId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Set once revoked; a revoked client gets no tokens and its tokens are refused. */
  revokedAt: z.string().nullable(),
});
export type ApiClient = z.infer<typeof ApiClient>;

/** `POST /management/v1/api-clients`. Device clients are created by enrolment, not here. */
export const CreateApiClientBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /** Defaults to the caller's organisation. */
  organisation: OrganisationCode.optional(),
  email: z.email().max(254).optional(),
  roles: z.array(VdxRole).max(VdxRole.options.length).default([]),
  managementAdmin: z.boolean().default(false),
  scopes: z.array(Scope).min(1).max(Scope.options.length),
});
export type CreateApiClientBody = z.infer<typeof CreateApiClientBody>;

/** `PATCH /management/v1/api-clients/{clientId}`: absent fields stay as they are. */
export const UpdateApiClientBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(254).nullable().optional(),
    roles: z.array(VdxRole).max(VdxRole.options.length).optional(),
    managementAdmin: z.boolean().optional(),
    scopes: z.array(Scope).min(1).max(Scope.options.length).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'at least one field to change' });
export type UpdateApiClientBody = z.infer<typeof UpdateApiClientBody>;

/** A client together with its secret: the only response that ever carries the secret. */
export const ApiClientWithSecret = ApiClient.extend({
  /** Shown once; only a slow hash is stored. */
  clientSecret: z.string(),
});
export type ApiClientWithSecret = z.infer<typeof ApiClientWithSecret>;

export const ApiClientList = z.object({ clients: z.array(ApiClient) });
export type ApiClientList = z.infer<typeof ApiClientList>;

export const ApiClientParams = z.strictObject({ clientId: z.string().min(1).max(200) });

export const ApiClientListQuery = z.strictObject({
  organisation: OrganisationCode.optional(),
  kind: ApiClientKind.optional(),
  /** `true` includes revoked clients (default: only active ones). */
  includeRevoked: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});

/** `POST /oauth/token` success body (RFC 6749 §5.1). */
export const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  scope: z.string(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

/** The error codes of RFC 6749 §5.2, plus `slow_down` (RFC 8628, registered for the token endpoint). */
export const OAuthErrorCode = z.enum([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'slow_down',
  'server_error',
]);
export type OAuthErrorCode = z.infer<typeof OAuthErrorCode>;

/** Error body of `/oauth/*` (RFC 6749 §5.2). */
export const OAuthErrorBody = z.object({ error: OAuthErrorCode, error_description: z.string().optional() });
export type OAuthErrorBody = z.infer<typeof OAuthErrorBody>;

/** `GET /.well-known/jwks.json` (RFC 7517 key set; only public members). */
export const Jwks = z.object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional() })) });

/** `GET /.well-known/oauth-authorization-server` (RFC 8414 §2, the members we support). */
export const AuthorizationServerMetadata = z.object({
  issuer: z.string(),
  token_endpoint: z.string(),
  jwks_uri: z.string(),
  grant_types_supported: z.array(z.string()),
  token_endpoint_auth_methods_supported: z.array(z.string()),
  scopes_supported: z.array(z.string()),
  response_types_supported: z.array(z.string()),
});

/** `POST /management/v1/signing-keys/rotate`: the key that signs from now on. */
export const RotatedSigningKey = z.object({ kid: z.string(), alg: z.string() });
