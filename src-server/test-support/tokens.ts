import type { VdxRole } from '../../src-shared/auth/roles';
import type { TestApp } from './test-app';
import { TEST_ADMIN } from './test-app';

export interface TokenSpec {
  roles: VdxRole[];
  organisation: string;
  email?: string;
  managementAdmin?: boolean;
  /** Organisation settings applied when the row is created here. */
  poolSize?: number;
  allowCustomUriWithoutDomain?: boolean;
}

/**
 * A Bearer access token for tests, minted by the app's own AccessTokens (so it is verified exactly
 * like a token from POST /oauth/token). The organisation row is created when it is missing.
 * Tokens name the bootstrap admin client as their client, because the app accepts tokens only of
 * active clients; roles, organisation and e-mail are the spec's.
 */
export async function tokenFor(t: TestApp, spec: TokenSpec): Promise<string> {
  const now = t.clock.now().toISOString();
  await t.store.db
    .insertInto('organisations')
    .values({
      code: spec.organisation,
      name: spec.organisation,
      parent_code: null,
      pool_size: spec.poolSize ?? 0,
      sms_sender_name: null,
      sms_callback_url: null,
      allow_custom_uri_without_domain: spec.allowCustomUriWithoutDomain ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  const { accessToken } = await t.handles.accessTokens.issue({
    clientId: TEST_ADMIN.clientId,
    organisation: spec.organisation,
    email: spec.email,
    roles: spec.roles,
    managementAdmin: spec.managementAdmin ?? false,
    scopes: [],
  });
  return accessToken;
}

/** `{ authorization: 'Bearer ...' }` for `app.inject`. */
export async function authHeader(t: TestApp, spec: TokenSpec): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await tokenFor(t, spec)}` };
}
