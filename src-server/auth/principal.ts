import type { VdxRole } from '../../src-shared/auth/roles';

/**
 * Who is calling, as established from a verified access token. Routes decide with this alone;
 * they never look at raw tokens.
 */
export interface Principal {
  /** `sub`: the API client id (or the external IdP's subject). */
  subject: string;
  /** The OAuth2 client the token was issued to (local tokens). */
  clientId?: string;
  /** `dk:medcom:organisation_id`: the organisation's code. */
  organisation: string;
  /** `dk:medcom:email`: the user the caller acts as. */
  email?: string;
  roles: VdxRole[];
  managementAdmin: boolean;
  scopes: string[];
  /** Set on tokens of enrolled room devices (scope `device`). */
  deviceId?: string;
  issuer: 'local' | 'external';
  /** `iat`, in seconds: lets a person's tokens from before a password reset be refused. */
  issuedAt?: number;
}
