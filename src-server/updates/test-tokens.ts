import { AccessTokens, type TokenGrant } from '../auth/access-tokens';
import { SigningKeys } from '../auth/signing-keys';
import { TEST_ADMIN, type TestApp } from '../test-support/test-app';

/**
 * Test-only: signs an access token with the app's own persisted keys, so route tests of the
 * updates, appointments and schedule capabilities do not depend on the token endpoint. The
 * client id defaults to the bootstrap admin client, which exists and is active in every test app.
 */
export async function mintTestToken(t: TestApp, grant: Partial<TokenGrant> = {}): Promise<string> {
  const tokens = new AccessTokens(new SigningKeys(t.store, t.clock, 3600), t.clock, {
    issuer: t.config.publicUrl,
    ttlSeconds: 3600,
    isClientActive: async () => true,
  });
  const { accessToken } = await tokens.issue({
    clientId: TEST_ADMIN.clientId,
    organisation: t.config.bootstrapOrganisation,
    roles: [],
    managementAdmin: false,
    scopes: [],
    ...grant,
  });
  return accessToken;
}

/** Authorization header of a management-admin token. */
export async function adminAuth(t: TestApp): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await mintTestToken(t, { managementAdmin: true, scopes: ['management'] })}` };
}
