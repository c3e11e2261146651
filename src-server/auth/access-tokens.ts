import { randomUUID } from 'node:crypto';
import { SignJWT, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { Claims, MANAGEMENT_ADMIN, VdxRole } from '../../src-shared/auth/roles';
import type { Clock } from '../../src-shared/platform/clock';
import type { Principal } from './principal';
import type { SigningKeys } from './signing-keys';

/**
 * What a token we issue carries: the claims its verified `Principal` will hold, for the client it
 * is issued to (our tokens' subject). `subject` and `issuer` are what verification adds.
 */
export type TokenGrant = Omit<Principal, 'subject' | 'clientId' | 'issuer' | 'issuedAt'> & { clientId: string };

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
}

export class TokenInvalidError extends Error {
  constructor(
    readonly reason: 'expired' | 'invalid' | 'revoked',
    message: string,
  ) {
    super(message);
  }
}

/** The client id of `selfCheck`'s tokens (no API client has it: ids are generated or configured). */
const SELF_CHECK_CLIENT = 'vdx-health-self-check';

/** How many verified tokens are remembered (oldest forgotten first); ~1 KB each. */
const VERIFIED_CACHE_SIZE = 5_000;

/**
 * Answers whether a local client may still use the tokens it holds (revocation takes effect at
 * once). For a person's token (a staff client) the principal says who, so a disabled person's
 * tokens stop too.
 */
export type ClientActiveCheck = (clientId: string, principal: Principal) => Promise<boolean>;

/**
 * Issues and verifies JWT access tokens. Local tokens are signed with our persisted keys; when an
 * external issuer is configured its tokens (from its JWKS) are accepted too, with the same claims.
 */
export class AccessTokens {
  readonly #external?: { issuer: string; jwks: ReturnType<typeof createRemoteJWKSet> };

  constructor(
    private readonly keys: SigningKeys,
    private readonly clock: Clock,
    private readonly options: {
      issuer: string;
      ttlSeconds: number;
      isClientActive: ClientActiveCheck;
      external?: { issuer: string; jwksUrl: string };
    },
  ) {
    if (options.external) {
      this.#external = {
        issuer: options.external.issuer,
        jwks: createRemoteJWKSet(new URL(options.external.jwksUrl), { cooldownDuration: 30_000 }),
      };
    }
  }

  get issuer(): string {
    return this.options.issuer;
  }

  get ttlSeconds(): number {
    return this.options.ttlSeconds;
  }

  async issue(grant: TokenGrant): Promise<IssuedToken> {
    const key = await this.keys.current();
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const claims: JWTPayload = {
      [Claims.roles]: grant.roles,
      [Claims.organisation]: grant.organisation,
      [Claims.clientId]: grant.clientId,
      [Claims.scope]: grant.scopes.join(' '),
    };
    if (grant.email) claims[Claims.email] = grant.email;
    if (grant.managementAdmin) claims[Claims.managementAdmin] = true;
    if (grant.deviceId) claims[Claims.deviceId] = grant.deviceId;
    const accessToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
      .setIssuer(this.options.issuer)
      .setSubject(grant.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + this.options.ttlSeconds)
      .setJti(randomUUID())
      .sign(key.privateKey);
    return { accessToken, expiresIn: this.options.ttlSeconds };
  }

  /**
   * Issues a token to nobody and verifies it again, as the health check's proof that the signing
   * keys load from the database and sign and verify. The token is never handed out and names a
   * client that does not exist, so it would be refused anywhere as revoked.
   */
  async selfCheck(): Promise<void> {
    const { accessToken } = await this.issue({ clientId: SELF_CHECK_CLIENT, organisation: '', roles: [], scopes: [], managementAdmin: false });
    const principal = await this.#verifySignedClaims(accessToken);
    this.#verified.delete(accessToken);
    if (principal.clientId !== SELF_CHECK_CLIENT) throw new Error('self-check token came back with other claims');
  }

  /** Verifies signature, issuer, expiry and revocation; throws TokenInvalidError. */
  async verify(token: string): Promise<Principal> {
    const principal = await this.#verifySignedClaims(token);
    if (principal.issuer === 'local' && principal.clientId && !(await this.options.isClientActive(principal.clientId, principal))) {
      throw new TokenInvalidError('revoked', 'The client behind this access token has been revoked');
    }
    return principal;
  }

  /**
   * Tokens whose signature and claims were already verified, until they expire. A device or system
   * presents the same token for up to an hour; verifying its ES256 signature once instead of on
   * every request is most of the cost of authentication. Only the exact token string hits; expiry
   * is re-checked on every hit; revocation is never cached (checked by `verify` each time).
   */
  readonly #verified = new Map<string, { principal: Principal; exp: number }>();

  async #verifySignedClaims(token: string): Promise<Principal> {
    const currentDate = this.clock.now();
    const nowSeconds = currentDate.getTime() / 1000;
    const cached = this.#verified.get(token);
    if (cached) {
      if (nowSeconds < cached.exp) return cached.principal;
      this.#verified.delete(token);
      throw new TokenInvalidError('expired', 'The access token has expired');
    }
    let payload: JWTPayload;
    let issuer: Principal['issuer'] = 'local';
    try {
      const unverifiedIss = peekIssuer(token);
      if (this.#external && unverifiedIss === this.#external.issuer) {
        issuer = 'external';
        ({ payload } = await jwtVerify(token, this.#external.jwks, { issuer: this.#external.issuer, currentDate }));
      } else {
        const options = { issuer: this.options.issuer, currentDate };
        try {
          ({ payload } = await jwtVerify(token, await this.keys.verificationKeys(), options));
        } catch (err) {
          // A kid we have not loaded yet: another instance may just have rotated. Reload once.
          if (!(err instanceof joseErrors.JWKSNoMatchingKey)) throw err;
          ({ payload } = await jwtVerify(token, await this.keys.verificationKeys(true), options));
        }
      }
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new TokenInvalidError('expired', 'The access token has expired');
      throw new TokenInvalidError('invalid', 'The access token is not valid');
    }
    const principal = toPrincipal(payload, issuer);
    // Only tokens with an expiry and no not-before are cached (ours always are; an IdP's usually).
    if (typeof payload.exp === 'number' && payload.nbf === undefined) {
      this.#verified.set(token, { principal, exp: payload.exp });
      if (this.#verified.size > VERIFIED_CACHE_SIZE) this.#verified.delete(this.#verified.keys().next().value as string);
    }
    return principal;
  }
}

function peekIssuer(token: string): string | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const json = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof json.iss === 'string' ? json.iss : undefined;
  } catch {
    return undefined;
  }
}

function toPrincipal(payload: JWTPayload, issuer: Principal['issuer']): Principal {
  const rawRoles = payload[Claims.roles];
  const roleList = Array.isArray(rawRoles) ? rawRoles : typeof rawRoles === 'string' ? [rawRoles] : [];
  const roles = roleList.filter((r): r is VdxRole => VdxRole.safeParse(r).success);
  const scope = typeof payload[Claims.scope] === 'string' ? (payload[Claims.scope] as string) : '';
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return {
    subject: str(payload.sub) ?? 'unknown',
    clientId: str(payload[Claims.clientId]),
    organisation: str(payload[Claims.organisation]) ?? '',
    email: str(payload[Claims.email]),
    roles,
    managementAdmin: payload[Claims.managementAdmin] === true || roleList.includes(MANAGEMENT_ADMIN),
    scopes: scope.split(' ').filter(Boolean),
    deviceId: str(payload[Claims.deviceId]),
    issuer,
    ...(typeof payload.iat === 'number' ? { issuedAt: payload.iat } : {}),
  };
}
