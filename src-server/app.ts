import type { FastifyInstance } from 'fastify';
import type { Clock, Timers } from '../src-shared/platform/clock';
import { appointments as appointmentsModule } from './appointments/appointments.module';
import { auditRoutes } from './audit/audit.routes';
import { AuditLog } from './audit/audit.service';
import type { AccessTokens } from './auth/access-tokens';
import { auth } from './auth/auth.module';
import { oauthErrorFormat } from './auth/oauth.routes';
import { booking as bookingModule, type Booking } from './booking/booking.module';
import { vdxErrorFormat } from './booking/vdx-errors';
import { conferenceNode } from './conference/conference.module';
import type { BookedMeetingProvisioner } from './conference/booked-meeting-provisioner';
import type { ConferenceRegistry } from './conference/conference-registry';
import type { ConferenceMediaFactory } from './conference/media/conference-media';
import { pexipErrorFormat } from './conference/pexip-errors';
import type { ServerConfig } from './config/config';
import type { Store } from './db/database';
import { deviceFleet } from './devices/device-fleet.module';
import type { DeviceEventHub } from './devices/events/device-event-hub';
import { DomainEventBus } from './events/domain-events';
import { eventRelay } from './events/event-relay.module';
import type { PgEventRelay, PgEventRelayOptions } from './events/pg-event-relay';
import { createHttpServer } from './http/http-server';
import type { Identity } from './identity/identity.module';
import { OrganisationScopes } from './organisations/organisation-scope';
import { operations } from './operations/operations.module';
import type { UptimeProber } from './operations/uptime-prober';
import { organisationsRoutes } from './organisations/organisations.routes';
import { Organisations } from './organisations/organisations.service';
import { deviceSchedule } from './schedule/device-schedule.module';
import { PersonalLinks } from './sms/personal-links.service';
import type { SmsDispatcherOptions } from './sms/sms-dispatcher';
import { sms as smsModule, type Sms } from './sms/sms.module';
import { systemRoutes } from './system/system.routes';
import { updates } from './updates/updates.module';
import { bookingJoinMeetingLookup } from './web/join-meeting.lookup';
import { webRoutes } from './web/web.routes';

export interface AppDeps {
  config: ServerConfig;
  store: Store;
  clock: Clock;
  /** What runs work when `clock` reaches an instant (default: real timers against `clock`; tests pass their ManualClock). */
  timers?: Timers;
  /** Test runs pass `false` to keep output quiet. */
  logger?: boolean;
  /** Where log lines go instead of stdout (tests capture them to prove secrets never appear). */
  logStream?: { write(line: string): void };
  /** Built web UI directory (default `dist/renderer/`); browser tests pass their own build. */
  webRoot?: string;
  /** Server media for conferences of 3+ (or `directMedia: never`); default: the werift engine; null: none (direct media only). */
  conferenceMedia?: ConferenceMediaFactory | null;
  /** The SMS send job's tunables (the benchmark shortens timeouts and backoff). */
  smsDispatcher?: Partial<SmsDispatcherOptions>;
  /** PostgreSQL only: the event relay's reconnect backoff (tests widen it to look at the gap). */
  eventRelay?: Pick<PgEventRelayOptions, 'reconnectMinMs' | 'reconnectMaxMs'>;
}

/**
 * What the in-process callers of the server (tests, benchmarks, the demo) reach past HTTP. No
 * route uses these: every capability gets what it needs as an argument in `buildApp`.
 */
export interface AppHandles {
  /** The token issuer/verifier (tests and the fleet benchmark mint tokens with it). */
  accessTokens: AccessTokens;
  /** In-process facts between capabilities (meeting.changed, ...). */
  domainEvents: DomainEventBus;
  /** The booking capability, also the in-process API of embedded provisioners. */
  booking: Booking;
  /** The device event hub (the fleet benchmark broadcasts through it). */
  deviceEvents: DeviceEventHub;
  /** The conference node's rooms and live conferences (tests drive its clock-based `tick`). */
  conferences: ConferenceRegistry;
  /** The conference node as the booking service's embedded provisioner. */
  conferenceProvisioner: BookedMeetingProvisioner;
  /** People's identity: staff accounts and the embedded OpenID Provider. */
  staffIdentity: Identity;
  /** The uptime prober (tests probe a slot at once instead of waiting for its timer). */
  uptimeProber: UptimeProber;
  /** Text messages: the gateway, the send job (tests drain it), SMS Video. */
  sms: Sms;
  /** The LISTEN/NOTIFY link to other instances on the same PostgreSQL database; null on SQLite. */
  eventRelay: PgEventRelay | null;
}

/** The server: the Fastify instance to listen with (or `inject` into), and its handles. */
export interface ServerApp {
  app: FastifyInstance;
  handles: AppHandles;
}

/**
 * The composition root: builds each capability's module from its dependencies, in this order
 * (routes, hooks and the OpenAPI document follow it; `onReady`/`preClose`/`onClose` hooks run in
 * it too, so conferences end before device streams close, and the relay starts last):
 *  1. the HTTP server, with each API family's error format;
 *  2. what every capability is given: the audit trail, organisation scopes, domain events;
 *  3. auth — OAuth2 issuer, token endpoint, API clients, people's identity;
 *  4. organisations and the audit trail's reading API;
 *  5. booking — the VDX Booking API v2;
 *  6. the conference node — Pexip client API v2, VMRs, the embedded provisioner;
 *  7. system routes (health, OpenAPI);
 *  8. the device fleet — rooms, devices, their event streams;
 *  9. updates — releases and the update feed;
 * 10. appointments — meeting participants, room calendars;
 * 11. the device schedule and its push;
 * 12. text messages — SMS Video, the send job, the outbox;
 * 13. operations — metrics, health check, uptime prober, status page and incidents;
 * 14. the event relay between instances (PostgreSQL only);
 * 15. the web UIs.
 * Nothing is auto-discovered; reading this function tells you everything the server is made of.
 */
export async function buildApp(deps: AppDeps): Promise<ServerApp> {
  const { config, store, clock } = deps;
  const { app, openApi } = await createHttpServer({
    config,
    logger: deps.logger,
    logStream: deps.logStream,
    errorFormats: [
      { prefix: '/oauth/', format: oauthErrorFormat },
      { prefix: '/videoapi/', format: vdxErrorFormat(() => clock.now()) },
      { prefix: '/api/client/', format: pexipErrorFormat },
    ],
  });

  const audit = new AuditLog(clock);
  // Management admins act within their organisation's subtree (docs/decisions/0011).
  const scopes = new OrganisationScopes(store, config.bootstrapOrganisation);
  // Cross-capability facts; emitted after the writing transaction has committed.
  const events = new DomainEventBus();

  const { tokens, requireAuth, apiClients, identity } = await auth(app, { store, clock, config, audit, scopes });

  organisationsRoutes(app, { store, organisations: new Organisations(clock), audit, requireAuth, scopes });
  auditRoutes(app, { store, requireAuth, scopes });

  const booking = bookingModule(app, {
    store,
    clock,
    events,
    requireAuth,
    config,
    corsOrigins: config.corsOrigins,
    version: process.env.npm_package_version ?? 'dev',
  });

  // Personal links (SMS capability) admit their holders to conferences without a PIN.
  const personalLinks = new PersonalLinks(store, clock);
  const lookupMeeting = bookingJoinMeetingLookup(store, clock);

  const conference = await conferenceNode(app, {
    store,
    clock,
    timers: deps.timers,
    audit,
    requireAuth,
    scopes,
    events,
    bookings: booking.schedulingInfo,
    media: deps.conferenceMedia,
    streamGraceMs: config.conferenceStreamGraceMs,
    provisionPollMs: config.provisionPollMs,
    admitPersonalLink: (alias, token) => personalLinks.admit(alias, token),
  });

  systemRoutes(app, { store, openApi });

  const fleet = deviceFleet(app, {
    store,
    clock,
    audit,
    events,
    requireAuth,
    scopes,
    clients: apiClients,
    publicUrl: config.publicUrl,
    settings: config.fleet,
  });

  updates(app, {
    store,
    clock,
    audit,
    requireAuth,
    scopes,
    tokens,
    rooms: fleet.rooms,
    deviceRooms: fleet.devices,
    artifactsDir: config.artifactsDir,
    maxArtifactBytes: config.artifactMaxBytes,
  });

  const appointments = appointmentsModule(app, {
    store,
    clock,
    events,
    requireAuth,
    scopes,
    bookings: booking.schedulingInfo,
    rooms: fleet.rooms.directory,
    devices: fleet.devices,
    publicUrl: config.publicUrl,
  });

  deviceSchedule(app, {
    clock,
    events,
    requireAuth,
    appointments,
    rooms: fleet.rooms.directory,
    devices: fleet.devices,
    hub: fleet.hub,
    conferenceNodeUrl: config.publicUrl,
  });

  const texts = smsModule(app, {
    store,
    clock,
    timers: deps.timers,
    requireAuth,
    scopes,
    meetings: booking.meetings,
    personalLinks,
    lookupMeeting,
    publicUrl: config.publicUrl,
    config: config.sms,
    dispatcher: deps.smsDispatcher,
  });

  // Operating the service: metrics, health check, uptime prober, public status page.
  const ops = operations(app, {
    store,
    clock,
    timers: deps.timers,
    audit,
    requireAuth,
    scopes,
    tokens,
    metricsToken: config.metricsToken,
    metricsSources: {
      liveConferences: () => conference.registry.liveConferences(),
      connectedDevices: () => fleet.hub.connectedCount,
      devicesByStatus: () => fleet.devices.countByStatus(),
      databasePool: store.poolStats,
    },
    // The send job's own view: its queue readable, no message stuck in it.
    sms: () => texts.dispatcher.health(),
  });

  const relay = eventRelay(app, { store, events, options: deps.eventRelay, followers: [fleet.followOtherInstances] });

  // The portal, room and guest pages from dist/renderer, plus the guest page's public meeting lookup.
  await webRoutes(app, { webRoot: deps.webRoot ?? config.webRoot, lookupMeeting });

  return {
    app,
    handles: {
      accessTokens: tokens,
      domainEvents: events,
      booking,
      deviceEvents: fleet.hub,
      conferences: conference.registry,
      conferenceProvisioner: conference.provisioner,
      staffIdentity: identity,
      uptimeProber: ops.prober,
      sms: texts,
      eventRelay: relay,
    },
  };
}
