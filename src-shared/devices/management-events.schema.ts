import { z } from 'zod';
import { EntityId } from './common.schema';

/**
 * `GET /management/v1/events` (server-sent events, decision 0019): what changed in the caller's
 * organisation subtree, so a management page re-reads only then instead of polling.
 *
 * - `event: changed`, `data:` a `FleetChanges` — the devices and rooms that changed since the
 *   previous message (created, edited, deleted, enrolled, a heartbeat, revoked), coalesced to at
 *   most one message a second per stream. `all: true` (with empty lists) when more changed than
 *   is worth listing: re-read everything.
 * - The server ends a stream after a few minutes; the client reconnects with a current token (so
 *   a disabled person or a changed scope is noticed). After any reconnect the client re-reads its
 *   lists, since changes in between are not replayed.
 */
export const FleetChanges = z.object({
  devices: z.array(EntityId),
  rooms: z.array(EntityId),
  all: z.boolean(),
});
export type FleetChanges = z.infer<typeof FleetChanges>;

export const MANAGEMENT_EVENTS_PATH = '/management/v1/events';
