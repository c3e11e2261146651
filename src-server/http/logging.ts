import type { FastifyServerOptions } from 'fastify';

/**
 * Query parameters that carry secrets (the Pexip event stream takes `?token=`, activation links
 * and OAuth redirects carry `code=`, a sign-out carries the person's ID token as `id_token_hint=`,
 * an external sign-in's last hop a signed `ticket=`). They are masked before a URL reaches a log line.
 */
const SECRET_QUERY = /([?&](?:token|code|pin|client_secret|access_token|refresh_token|id_token_hint|ticket)=)[^&]*/gi;
/** Paths whose last segment is a secret: a person's password reset link (`/account/reset/{token}`). */
const SECRET_PATH = /^(\/account\/reset\/)[^/?#]+/;

export function redactUrl(url: string): string {
  return url.replace(SECRET_PATH, '$1[redacted]').replace(SECRET_QUERY, '$1[redacted]');
}

/** Structured logs with secrets removed: headers are never logged, secret query values are masked. */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.token',
        'req.headers.pin',
        'req.headers.cookie',
        '*.client_secret',
        '*.clientSecret',
        '*.password',
        '*.activationCode',
        '*.hostPin',
        '*.guestPin',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({
        method: req.method,
        url: redactUrl(req.url),
        remoteAddress: req.ip,
      }),
    },
  };
}
