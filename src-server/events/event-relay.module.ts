import type { FastifyInstance } from 'fastify';
import type { Store } from '../db/database';
import type { DomainEventBus } from './domain-events';
import { PgEventRelay, type PgEventRelayOptions } from './pg-event-relay';

export interface EventRelayDeps {
  store: Store;
  events: DomainEventBus;
  /** The reconnect backoff (tests widen it to look at the gap). */
  options?: Pick<PgEventRelayOptions, 'reconnectMinMs' | 'reconnectMaxMs'>;
  /**
   * What reacts on this instance to facts relayed from the others (the device fleet's streams);
   * each returns its unsubscribe function.
   */
  followers: Array<() => () => void>;
}

/**
 * Several instances on one PostgreSQL database (decision 0010): domain events are relayed with
 * LISTEN/NOTIFY, so a change made through any instance reaches the device streams another one
 * holds. Started when the server is ready, closed with it. SQLite is one process: nothing to relay,
 * and the answer is null.
 */
export function eventRelay(app: FastifyInstance, deps: EventRelayDeps): PgEventRelay | null {
  if (deps.store.kind !== 'postgres') return null;
  const relay = new PgEventRelay(deps.store, deps.events, { ...deps.options, log: app.log });
  const stopFollowing = deps.followers.map((follow) => follow());
  app.addHook('onReady', async () => relay.start());
  app.addHook('onClose', async () => {
    stopFollowing.forEach((stop) => stop());
    await relay.close();
  });
  return relay;
}
