import type { FastifyInstance } from 'fastify';
import { systemTimers, type Clock, type Timers } from '../../src-shared/platform/clock';
import type { AuditLog } from '../audit/audit.service';
import type { RequireAuth } from '../auth/authenticate';
import type { Store } from '../db/database';
import type { DomainEventBus } from '../events/domain-events';
import type { OrganisationScopes } from '../organisations/organisation-scope';
import { BookedMeetingProvisioner, type ProvisioningSource } from './booked-meeting-provisioner';
import { CallRecorder } from './call-records/call-recorder';
import { ConferenceRegistry } from './conference-registry';
import type { ConferenceMediaFactory } from './media/conference-media';
import { createWeriftConferenceMedia } from './media/werift-conference-media';
import { pexipClientRoutes, type PexipClientRoutesOptions } from './pexip-client.routes';
import { loadVmrs, vmrRoutes } from './vmr.routes';

export interface ConferenceDeps {
  store: Store;
  clock: Clock;
  /** What runs work when `clock` reaches an instant (default: real timers against `clock`). */
  timers?: Timers;
  audit: AuditLog;
  requireAuth: RequireAuth;
  scopes: OrganisationScopes;
  events: DomainEventBus;
  /** The booking queue this node provisions booked meetings from (booking's scheduling-info service). */
  bookings: ProvisioningSource;
  /** Server media for conferences of 3+ (or `directMedia: never`); default: the werift engine; null: none (direct media only). */
  media?: ConferenceMediaFactory | null;
  /** A participant whose event stream stays closed this long (ms) is removed (VDX_CONFERENCE_STREAM_GRACE_MS). */
  streamGraceMs: number;
  /** How often (ms) the embedded provisioner polls the booking queues (VDX_PROVISION_POLL_MS). */
  provisionPollMs: number;
  /** Personal links (SMS capability): who a `link:<token>` PIN admits, if anyone. */
  admitPersonalLink?: PexipClientRoutesOptions['admitPersonalLink'];
}

/**
 * The conference node: fixed VMRs (loaded at start-up) and booked meetings, joinable with the Pexip
 * client API v2; `/management/v1/vmrs` and `/conferences`; the embedded provisioner that opens a
 * booked meeting's room at its due instant, by its timer or on demand at the first join (decision
 * 0012); the call records, a row per participant's time in a conference (decision 0020).
 * All start when the server is ready; live conferences end before the server closes.
 */
export async function conferenceNode(app: FastifyInstance, deps: ConferenceDeps) {
  const { store, clock } = deps;
  const callRecords = new CallRecorder(store, clock, app.log);
  const registry = new ConferenceRegistry(
    clock,
    deps.media === null ? undefined : (deps.media ?? createWeriftConferenceMedia),
    { streamGraceMs: deps.streamGraceMs },
    callRecords,
  );
  await loadVmrs(store, registry);
  await pexipClientRoutes(app, { registry, admitPersonalLink: deps.admitPersonalLink });
  vmrRoutes(app, { store, clock, audit: deps.audit, requireAuth: deps.requireAuth, registry, scopes: deps.scopes });
  const provisioner = new BookedMeetingProvisioner(deps.bookings, registry, clock, app.log, deps.timers ?? systemTimers(clock));
  registry.addResolver((alias) => provisioner.resolve(alias));
  app.addHook('onReady', async () => {
    await callRecords.start();
    registry.start();
    provisioner.start(deps.events, deps.provisionPollMs);
  });
  app.addHook('preClose', async () => {
    await provisioner.stop();
    await registry.close();
    await callRecords.stop();
  });
  return { registry, provisioner, callRecords };
}

export type ConferenceNode = Awaited<ReturnType<typeof conferenceNode>>;
