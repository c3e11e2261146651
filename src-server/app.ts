import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import type { Clock } from '../src-shared/platform/clock';
import { AccessTokens } from './auth/access-tokens';
import { createAuthenticator } from './auth/authenticate';
import { SigningKeys } from './auth/signing-keys';
import type { ServerConfig } from './config/config';
import type { Store } from './db/database';
import { installErrorHandling } from './http/errors';
import { loggerOptions } from './http/logging';
import { collectOpenApi, installZodSchemas } from './http/zod-schemas';
import { systemRoutes } from './system/system.routes';

export interface AppDeps {
  config: ServerConfig;
  store: Store;
  clock: Clock;
  /** Test runs pass `false` to keep output quiet. */
  logger?: boolean;
}

/** Lifetime of access tokens we issue. */
const TOKEN_TTL_SECONDS = 3600;
/** Request bodies above this are refused with 413 (artifact uploads have their own limit). */
const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The composition root: builds every service from its dependencies and mounts every route module.
 * Nothing is auto-discovered; reading this function tells you everything the server is made of.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, store, clock } = deps;
  const app = Fastify({
    // HTTPS when a certificate is configured (hospital networks often terminate TLS themselves).
    ...(config.tls
      ? { https: { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } }
      : {}),
    logger: deps.logger === false ? false : loggerOptions(config.logLevel),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: true,
    forceCloseConnections: true,
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
  installZodSchemas(app);
  const openApi = collectOpenApi(app, { title: 'VDX Room server', version: '1' });
  installErrorHandling(app, []);
  await app.register(formbody);

  // Identity: signing keys and access tokens (OAuth2 issuer).
  const signingKeys = new SigningKeys(store, clock, TOKEN_TTL_SECONDS);
  const tokens = new AccessTokens(signingKeys, clock, {
    issuer: config.publicUrl,
    ttlSeconds: TOKEN_TTL_SECONDS,
    isClientActive: async () => true,
    external: config.externalIssuer,
  });
  const requireAuth = createAuthenticator(tokens);
  void requireAuth;

  systemRoutes(app, { store, openApi });

  return app;
}
