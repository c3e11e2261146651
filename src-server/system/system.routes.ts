import type { FastifyInstance } from 'fastify';
import type { Store } from '../db/database';

/** Liveness and readiness for load balancers and orchestration. */
export function systemRoutes(app: FastifyInstance, deps: { store: Store; openApi: () => unknown }): void {
  app.get('/healthz', { schema: { hide: true } as object }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } as object }, async (_request, reply) => {
    const database = await deps.store.ping();
    return reply.status(database ? 200 : 503).send({ status: database ? 'ready' : 'unavailable', database });
  });

  app.get('/openapi.json', { schema: { hide: true } as object }, async () => deps.openApi());
}
