import type { FastifyInstance } from 'fastify';
import { API_BASE } from './booking.mapping';

/** What the booking API offers a browser client (every method it serves somewhere). */
const METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const DEFAULT_HEADERS = 'authorization, content-type';
const MAX_AGE_SECONDS = '1800';

/**
 * CORS for the booking API: browser clients from the configured exact origins may call
 * `/videoapi/v2/...`; a preflight from any other origin is refused with 403, as the real service
 * answers. Requests without an Origin (servers, curl) are untouched.
 */
export function bookingCors(app: FastifyInstance, origins: readonly string[]): void {
  const allowed = new Set(origins);
  const prefix = `${API_BASE}/`;
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin || !request.url.startsWith(prefix)) return;
    const ok = allowed.has(origin);
    const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (preflight) {
      if (!ok) return reply.code(403).type('text/plain; charset=utf-8').send('Invalid CORS request');
      return reply
        .code(200)
        .header('access-control-allow-origin', origin)
        .header('vary', 'Origin')
        .header('access-control-allow-methods', METHODS)
        .header('access-control-allow-headers', request.headers['access-control-request-headers'] ?? DEFAULT_HEADERS)
        .header('access-control-max-age', MAX_AGE_SECONDS)
        .send();
    }
    if (ok) reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
  });
}
