import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';

/**
 * The server's one error type: an HTTP status paired with a stable machine code that clients
 * branch on. Messages of 4xx errors are shown to callers; 5xx messages are logged only.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    /** Stable, snake_case, never reworded: clients depend on it. */
    readonly code: string,
    message: string,
    /** Extra facts for the caller (field names, limits). Never secrets. */
    readonly details?: Record<string, unknown>,
    /** The VDX Booking API's numeric `detailed_error_code`, where that API defines one. */
    readonly vdxCode?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (code: string, message: string, details?: Record<string, unknown>, vdxCode?: number) =>
  new HttpError(400, code, message, details, vdxCode);
export const unauthorized = (code: string, message: string, vdxCode?: number) =>
  new HttpError(401, code, message, undefined, vdxCode);
export const forbidden = (code: string, message: string, vdxCode?: number) =>
  new HttpError(403, code, message, undefined, vdxCode);
export const notFound = (code: string, message: string, vdxCode?: number) =>
  new HttpError(404, code, message, undefined, vdxCode);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new HttpError(409, code, message, details);
export const notAcceptable = (code: string, message: string, vdxCode?: number) =>
  new HttpError(406, code, message, undefined, vdxCode);
export const payloadTooLarge = (message = 'Request body is too large') =>
  new HttpError(413, 'payload_too_large', message);
export const tooManyRequests = (code: string, message: string, retryAfterSeconds?: number) =>
  new HttpError(429, code, message, retryAfterSeconds === undefined ? undefined : { retryAfterSeconds });

/** Writes an HttpError in the wire shape of one API family (VDX, OAuth2, Pexip, ours). */
export type ErrorFormatter = (error: HttpError, request: FastifyRequest, reply: FastifyReply) => unknown;

/** Our own APIs (/management, /device, /appointments): `{ error: { code, message, details? } }`. */
export const defaultErrorFormat: ErrorFormatter = (error) => ({
  error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
});

export interface ErrorFormatRoute {
  /** URL prefix this format applies to, e.g. `/videoapi/`. */
  prefix: string;
  format: ErrorFormatter;
}

/**
 * Converts anything thrown into an HttpError (framework errors keep their 4xx meaning, anything
 * unknown becomes a logged 500 with no internals exposed), then writes it in the format of the API
 * the URL belongs to.
 */
export function installErrorHandling(app: FastifyInstance, formats: ErrorFormatRoute[]): void {
  const pick = (url: string) => formats.find((f) => url.startsWith(f.prefix))?.format ?? defaultErrorFormat;

  app.setErrorHandler((raw: FastifyError | Error, request, reply) => {
    const error = toHttpError(raw);
    if (error.status >= 500) request.log.error({ err: raw }, 'request failed');
    else request.log.info({ code: error.code, status: error.status }, error.message);
    if (error.status === 429 && typeof error.details?.retryAfterSeconds === 'number') {
      void reply.header('retry-after', String(error.details.retryAfterSeconds));
    }
    return reply.status(error.status).send(pick(request.url)(error, request, reply));
  });

  const methodsOf = allowedMethods(app);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    // A path we serve, asked with a method we do not: 405 with Allow (RFC 9110 §15.5.6), as the
    // real VDX service (Spring) answers, so a client learns its method is wrong, not its URL.
    const allowed = methodsOf(path);
    if (allowed.length > 0) {
      const error = new HttpError(405, 'method_not_allowed', `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`, { allowed }, 10);
      return reply.status(405).header('allow', allowed.join(', ')).send(pick(request.url)(error, request, reply));
    }
    const error = notFound('route_not_found', `No route ${request.method} ${path}`);
    return reply.status(404).send(pick(request.url)(error, request, reply));
  });
}

/**
 * The methods the registered routes serve on a concrete path (empty: no route has the path).
 * Patterns are compiled on the first miss, when every route is registered.
 */
function allowedMethods(app: FastifyInstance): (path: string) => string[] {
  let patterns: { method: string; regex: RegExp }[] | undefined;
  const compile = () =>
    (app.registeredRoutes ?? []).map((r) => ({
      method: r.method,
      regex: new RegExp(
        `^${r.url
          .split('/')
          .map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
          .join('/')}/?$`,
      ),
    }));
  return (path) => {
    patterns ??= compile();
    const methods = new Set(patterns.filter((p) => p.regex.test(path)).map((p) => p.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}

export function toHttpError(raw: unknown): HttpError {
  if (raw instanceof HttpError) return raw;
  const err = raw as FastifyError & { validationContext?: string };
  if (err instanceof ZodError || err?.code === 'FST_ERR_VALIDATION') {
    const zod = err instanceof ZodError ? err : (err as { cause?: unknown }).cause;
    const issues = zod instanceof ZodError ? zod.issues : [];
    const first = issues[0];
    const where = [err.validationContext, ...(first?.path ?? [])].filter((p) => p !== undefined).join('.');
    return badRequest(
      'validation_failed',
      first ? `${where || 'request'}: ${first.message}` : err.message,
      { issues: issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message })) },
      10,
    );
  }
  switch (err?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return badRequest('malformed_json', 'The request body is not valid JSON', undefined, 10);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return payloadTooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(415, 'unsupported_media_type', 'Unsupported Content-Type', undefined, 10);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return badRequest('invalid_content_length', 'Content-Length does not match the body', undefined, 10);
  }
  const status = typeof err?.statusCode === 'number' ? err.statusCode : 500;
  if (status >= 400 && status < 500) {
    return new HttpError(status, 'bad_request', err.message || 'Bad request', undefined, 10);
  }
  return new HttpError(500, 'internal_error', 'Internal server error', undefined, 11);
}
