/**
 * "The region's IdP": a small, separate OpenID Provider (oidc-provider) that tests run as their own
 * Node process on a loopback port, so our server signs people in through a real external provider
 * over real HTTP (discovery, authorization code + PKCE, token endpoint, ID token signature).
 *
 * Configured only by environment, so the harness (`region-idp-process.ts`) can start it:
 * - `REGION_IDP_CLIENTS`: JSON list of `{client_id, client_secret, redirect_uris}`;
 * - `REGION_IDP_ACCOUNTS`: JSON list of `{username, password, claims}`; `claims` go into the ID
 *   token as given (`sub` defaults to the username), so tests choose the claim names a region uses.
 * Prints `region-idp listening <issuer>` once it answers. Its login page has the inputs
 * `username` and `password` and one button; the region's people are not asked to consent.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

interface Account {
  username: string;
  password: string;
  claims: Record<string, unknown>;
}

const clients = JSON.parse(process.env.REGION_IDP_CLIENTS ?? '[]') as Array<Record<string, unknown>>;
const accounts = JSON.parse(process.env.REGION_IDP_ACCOUNTS ?? '[]') as Account[];
const subOf = (a: Account) => (typeof a.claims.sub === 'string' ? a.claims.sub : a.username);

const escape = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const loginPage = (uid: string, error?: string) => `<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>Region Test IdP – log ind</title></head>
<body><main><h1>Region Test IdP</h1>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="username">Brugernavn</label><input id="username" name="username" autocomplete="username">
<label for="password">Adgangskode</label><input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Log ind hos regionen</button>
</form></main></body></html>`;

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients,
    // Claims of the requested scopes go into the ID token itself (our server reads only that).
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', ...new Set(accounts.flatMap((a) => Object.keys(a.claims)))] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['region-idp-test-cookie-key'] },
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = accounts.find((a) => subOf(a) === sub);
      return account ? { accountId: sub, claims: async () => ({ sub, ...account.claims }) } : undefined;
    },
    // First-party for its people: no consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ accountId: session.accountId, clientId: client.clientId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });

  const answer = provider.callback();
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
    if (!match) return answer(req, res);
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (!match[2]) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(details.uid));
          return;
        }
        let body = '';
        for await (const chunk of req) body += String(chunk);
        const form = new URLSearchParams(body);
        const account = accounts.find((a) => a.username === form.get('username') && a.password === form.get('password'));
        if (!account) {
          res.writeHead(401, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(details.uid, 'Forkert brugernavn eller adgangskode.'));
          return;
        }
        const returnTo = await provider.interactionResult(req, res, { login: { accountId: subOf(account) } }, { mergeWithLastSubmission: false });
        res.writeHead(303, { location: returnTo }).end();
      } catch (err) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(`interaction failed: ${(err as Error).message}`);
      }
    })();
  });
  console.log(`region-idp listening ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
