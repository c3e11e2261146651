import type { FastifyInstance } from 'fastify';
import { TEST_ADMIN } from '../test-support/test-app';

/**
 * Test helpers for anything behind `requireAuth`: a token from the real `/oauth/token` endpoint.
 * Import from route tests: `const auth = await bearer(t.app)` → `headers: auth`.
 */
export async function issueToken(
  app: FastifyInstance,
  credentials: { clientId: string; clientSecret: string } = TEST_ADMIN,
  scope?: string,
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { authorization: basicAuth(credentials.clientId, credentials.clientSecret) },
    payload: { grant_type: 'client_credentials', ...(scope ? { scope } : {}) },
  });
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { access_token: string }).access_token;
}

/** `{ authorization: 'Bearer …' }` for the given client (the bootstrap admin by default). */
export async function bearer(
  app: FastifyInstance,
  credentials: { clientId: string; clientSecret: string } = TEST_ADMIN,
): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await issueToken(app, credentials)}` };
}

/** HTTP Basic client authentication as RFC 6749 §2.3.1 has it: form-urlencode, then Base64. */
export function basicAuth(clientId: string, clientSecret: string): string {
  const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString('base64')}`;
}
