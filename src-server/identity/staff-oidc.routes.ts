import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { Scope } from '../../src-shared/auth/roles';
import { CONTENT_SECURITY_POLICY } from '../web/web.routes';
import { SILENT_CALLBACK_PATH, type StaffOidc } from './staff-oidc.provider';

/** The paths the provider answers (everything under /oidc/ that is not one of our own pages). */
const DISCOVERY_PATHS = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'];

/**
 * The provider's pages may send the browser on to a desktop app's loopback redirect after a form
 * (CSP `form-action` also governs redirects after a submission). Only 127.0.0.1: CSP's
 * host-source grammar has no IPv6 literals (Chromium reports `http://[::1]:*` as an invalid source
 * and ignores it), and RFC 8252 §8.3 recommends the IPv4 loopback anyway.
 */
export const SIGN_IN_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "form-action 'self'",
  "form-action 'self' http://127.0.0.1:*",
);

/**
 * Hands requests to the embedded OpenID Provider (a Koa app) under our origin: the
 * authorization, sign-out and revocation endpoints, the discovery document (at both well-known
 * names, extended with our client-credentials grant so there is one metadata document), and the
 * authorization-code and refresh-token grants of `POST /oauth/token` (`handOver`).
 */
export function staffOidcRoutes(app: FastifyInstance, oidc: StaffOidc, publicUrl: string, extraScopes: readonly string[] = Scope.options) {
  const publicOrigin = new URL(publicUrl);
  const callbacks = new WeakMap<Provider, (req: IncomingMessage, res: ServerResponse) => void>();
  const prepared = new WeakSet<Provider>();

  const providerFor = async () => {
    const provider = await oidc.provider();
    if (!prepared.has(provider)) {
      prepared.add(provider);
      provider.use(async (ctx, next) => {
        const discovery = DISCOVERY_PATHS.includes(ctx.path);
        if (discovery) ctx.path = DISCOVERY_PATHS[0]!;
        await next();
        if (discovery && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
          // One metadata document for both grant families: the provider's, plus client credentials.
          const doc = ctx.body as Record<string, unknown>;
          const union = (key: string, more: readonly string[]) => {
            doc[key] = [...new Set([...((doc[key] as string[] | undefined) ?? []), ...more])];
          };
          union('grant_types_supported', ['client_credentials']);
          union('token_endpoint_auth_methods_supported', ['client_secret_basic', 'client_secret_post']);
          union('scopes_supported', extraScopes);
        }
      });
    }
    let callback = callbacks.get(provider);
    if (!callback) {
      callback = provider.callback();
      callbacks.set(provider, callback);
    }
    return callback;
  };

  /** Lets the provider answer this request itself (Fastify steps aside). */
  const handOver = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const callback = await providerFor();
    // A body Fastify already parsed (the shared token endpoint): the provider reads it from here.
    if (request.body !== undefined) (request.raw as IncomingMessage & { body?: unknown }).body = request.body;
    // The provider builds its URLs (discovery, redirects) from the request; make that the issuer's
    // origin whatever Host the request came with (a proxy, an internal name). These headers are
    // ours to set: the provider trusts them (proxy mode) and nothing else reads them.
    request.raw.headers['x-forwarded-host'] = publicOrigin.host;
    request.raw.headers['x-forwarded-proto'] = publicOrigin.protocol.replace(':', '');
    // Same-origin framing only: the session module renews and signs out in a hidden iframe.
    reply.raw.setHeader('content-security-policy', SIGN_IN_CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors 'self'"));
    reply.raw.setHeader('x-content-type-options', 'nosniff');
    reply.raw.setHeader('referrer-policy', 'no-referrer');
    reply.hijack();
    await new Promise<void>((resolve) => {
      reply.raw.once('finish', resolve);
      reply.raw.once('close', resolve);
      callback(request.raw, reply.raw);
    });
  };

  void app.register(async (scope) => {
    // The provider reads its own request bodies: Fastify must leave the stream untouched here.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    const hide = { schema: { hide: true } as object };
    scope.all('/oidc/*', hide, handOver);
    scope.post('/oauth/revoke', hide, handOver);
    for (const path of DISCOVERY_PATHS) scope.get(path, { schema: { tags: ['oauth'], summary: 'OpenID Provider / authorization server metadata' } as object }, handOver);
  });

  // Hidden-iframe renewals and sign-outs end here; the opening page reads the URL (same origin).
  app.get(SILENT_CALLBACK_PATH, { schema: { hide: true } as object }, async (_request, reply) =>
    reply
      .header('cache-control', 'no-store')
      .header('content-security-policy', CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors 'self'"))
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send('<!doctype html><html lang="da"><head><meta charset="utf-8"><title>VDX</title></head><body></body></html>'),
  );

  return { handOver };
}
