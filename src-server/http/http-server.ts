import { readFileSync } from 'node:fs';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import type { ServerConfig } from '../config/config';
import { installErrorHandling, type ErrorFormatRoute } from './errors';
import { isInternalRequest } from './internal-requests';
import { loggerOptions } from './logging';
import { collectOpenApi, installZodSchemas } from './zod-schemas';

export interface HttpServerOptions {
  config: ServerConfig;
  /** Each API family's error wire format, by URL prefix (ours for the rest). */
  errorFormats: ErrorFormatRoute[];
  /** `false` keeps output quiet (test runs). */
  logger?: boolean;
  /** Where log lines go instead of stdout (tests capture them to prove secrets never appear). */
  logStream?: { write(line: string): void };
}

/** Request bodies above this are refused with 413 (artifact uploads have their own limit). */
const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The Fastify instance every capability mounts its routes on: TLS when configured, redacted logs,
 * zod route schemas (and the OpenAPI document collected from them, so it must exist before the
 * first route), the error formats, and form bodies (the token endpoint).
 */
export async function createHttpServer(options: HttpServerOptions): Promise<{ app: FastifyInstance; openApi: () => unknown }> {
  const { config } = options;
  const app = Fastify({
    // HTTPS when a certificate is configured (hospital networks often terminate TLS themselves).
    ...(config.tls
      ? { https: { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } }
      : {}),
    logger:
      options.logger === false
        ? false
        : { ...(loggerOptions(config.logLevel) as object), ...(options.logStream ? { stream: options.logStream } : {}) },
    bodyLimit: BODY_LIMIT_BYTES,
    // The server's probes of itself every 30 s would otherwise fill the log.
    logController: new LogController({ disableRequestLogging: (req: { headers: Record<string, string | string[] | undefined> }) => isInternalRequest(req) }),
    // Fastify accepts a hop count at run time (proxy-addr), though its types omit numbers.
    trustProxy: config.trustProxy as boolean | string[],
    // On close, idle keep-alive sockets go at once; requests in flight finish. Long-lived streams
    // (device and conference events) are ended by their owners in preClose hooks.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
  installZodSchemas(app);
  const openApi = collectOpenApi(app, { title: 'VDX Room server', version: '1' });
  installErrorHandling(app, options.errorFormats);
  await app.register(formbody);
  return { app, openApi };
}
