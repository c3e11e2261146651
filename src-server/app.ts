import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { systemTimers, type Clock, type Timers } from '../src-shared/platform/clock';
import { AccessTokens } from './auth/access-tokens';
import { ApiClients } from './auth/api-clients.service';
import { bootstrapIdentity } from './auth/bootstrap-identity';
import { apiClientsRoutes } from './auth/api-clients.routes';
import { AuthFailureLimiter } from './auth/auth-failure-limiter';
import { oauthErrorFormat, oauthRoutes } from './auth/oauth.routes';
import { auditRoutes } from './audit/audit.routes';
import { Organisations } from './organisations/organisations.service';
import { OrganisationScopes } from './organisations/organisation-scope';
import { organisationsRoutes } from './organisations/organisations.routes';
import { createAuthenticator } from './auth/authenticate';
import { SigningKeys } from './auth/signing-keys';
import { identity, type Identity } from './identity/identity.module';
import type { ServerConfig } from './config/config';
import type { Store } from './db/database';
import { installErrorHandling } from './http/errors';
import { loggerOptions } from './http/logging';
import { collectOpenApi, installZodSchemas } from './http/zod-schemas';
import { systemRoutes } from './system/system.routes';
import { webRoutes } from './web/web.routes';
import { bookingJoinMeetingLookup } from './web/join-meeting.lookup';
import { DeviceEventHub } from './devices/events/device-event-hub';
import { deviceFleet } from './devices/device-fleet.module';
import { roomNotFound } from './devices/rooms/rooms.service';
import { AuditLog } from './audit/audit.service';
import { ArtifactStore } from './updates/artifact-store';
import { releasesRoutes } from './updates/releases.routes';
import { ReleaseService } from './updates/releases.service';
import { updateFeedRoutes } from './updates/update-feed.routes';
import { appointmentsRoutes } from './appointments/appointments.routes';
import { AppointmentsService } from './appointments/appointments.service';
import { BookingMeetingSource } from './appointments/booking-meeting-source';
import { showRoomsOnBookingMeetings } from './appointments/meeting-rooms.hook';
import { deviceScheduleRoutes } from './schedule/device-schedule.routes';
import { DeviceScheduleService } from './schedule/device-schedule.service';
import { booking as bookingModule, type Booking } from './booking/booking.module';
import { vdxErrorFormat } from './booking/vdx-errors';
import { DomainEventBus } from './events/domain-events';
import { PgEventRelay, type PgEventRelayOptions } from './events/pg-event-relay';
import { followOtherInstances } from './devices/events/cross-instance-streams';
import { ConferenceRegistry } from './conference/conference-registry';
import { BookedMeetingProvisioner } from './conference/booked-meeting-provisioner';
import type { ConferenceMediaFactory } from './conference/media/conference-media';
import { createWeriftConferenceMedia } from './conference/media/werift-conference-media';
import { pexipClientRoutes } from './conference/pexip-client.routes';
import { pexipErrorFormat } from './conference/pexip-errors';
import { loadVmrs, vmrRoutes } from './conference/vmr.routes';

declare module 'fastify' {
  interface FastifyInstance {
    /** The token issuer/verifier the app uses (tests mint tokens with it). */
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
    /** People's identity: staff accounts and the embedded OpenID Provider (tests create people with it). */
    staffIdentity: Identity;
    /** The LISTEN/NOTIFY link to other instances on the same PostgreSQL database; null on SQLite. */
    eventRelay: PgEventRelay | null;
  }
}

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
  /** PostgreSQL only: the event relay's reconnect backoff (tests widen it to look at the gap). */
  eventRelay?: Pick<PgEventRelayOptions, 'reconnectMinMs' | 'reconnectMaxMs'>;
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
    logger:
      deps.logger === false
        ? false
        : { ...(loggerOptions(config.logLevel) as object), ...(deps.logStream ? { stream: deps.logStream } : {}) },
    bodyLimit: BODY_LIMIT_BYTES,
    // Fastify accepts a hop count at run time (proxy-addr), though its types omit numbers.
    trustProxy: config.trustProxy as boolean | string[],
    // On close, idle keep-alive sockets go at once; requests in flight finish. Long-lived streams
    // (device and conference events) are ended by their owners in preClose hooks.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
  installZodSchemas(app);
  const openApi = collectOpenApi(app, { title: 'VDX Room server', version: '1' });
  installErrorHandling(app, [
    { prefix: '/oauth/', format: oauthErrorFormat },
    { prefix: '/videoapi/', format: vdxErrorFormat(() => clock.now()) },
    { prefix: '/api/client/', format: pexipErrorFormat },
  ]);
  await app.register(formbody);

  // Identity: signing keys, OAuth2 clients and access tokens (OAuth2 issuer).
  const signingKeys = new SigningKeys(store, clock, TOKEN_TTL_SECONDS);
  const apiClients = new ApiClients(store, clock);
  const tokens = new AccessTokens(signingKeys, clock, {
    issuer: config.publicUrl,
    ttlSeconds: TOKEN_TTL_SECONDS,
    // Asked on every verification, uncached: a revoked client's (or disabled person's) tokens stop
    // working at once. People's tokens name a staff client and the person as subject.
    isClientActive: (clientId, who) =>
      staff.staffClients.has(clientId) ? staff.users.isActive(who.subject) : apiClients.isActive(clientId),
    external: config.externalIssuer,
  });
  await bootstrapIdentity({ config, store, clock, apiClients });
  const requireAuth = createAuthenticator(tokens);
  const auditLog = new AuditLog(clock);
  // Management admins act within their organisation's subtree (docs/decisions/0011).
  const scopes = new OrganisationScopes(store, config.bootstrapOrganisation);
  // Failed client authentication: 10 per client id / 50 per address in 5 minutes (docs/decisions).
  const authFailures = new AuthFailureLimiter(clock, {
    client: { maxFailures: 10, windowMs: 5 * 60_000 },
    ip: { maxFailures: 50, windowMs: 5 * 60_000 },
  });
  // People: staff accounts, the embedded OpenID Provider and its pages, the users API (decision 0015).
  const staff = await identity(app, { store, clock, config, signingKeys, audit: auditLog, requireAuth, scopes });
  app.decorate('staffIdentity', staff);
  oauthRoutes(app, {
    apiClients,
    tokens,
    signingKeys,
    limiter: authFailures,
    otherGrants: { types: ['authorization_code', 'refresh_token'], handOver: staff.handOver },
  });
  apiClientsRoutes(app, { store, apiClients, signingKeys, audit: auditLog, requireAuth, scopes });
  organisationsRoutes(app, { store, organisations: new Organisations(clock), audit: auditLog, requireAuth, scopes });
  auditRoutes(app, { store, requireAuth, scopes });
  app.decorate('accessTokens', tokens);

  // Cross-capability facts; emitted after the writing transaction has committed.
  const domainEvents = new DomainEventBus();
  app.decorate('domainEvents', domainEvents);

  // Booking: the VDX Booking API v2 at /videoapi/v2 and its in-process provisioner API.
  const booking = bookingModule(app, { store, clock, events: domainEvents, requireAuth, config, corsOrigins: config.corsOrigins, version: process.env.npm_package_version ?? 'dev' });
  app.decorate('booking', booking);

  // Conference node: fixed VMRs and booked meetings, joinable with the Pexip client API v2.
  const conferences = new ConferenceRegistry(
    clock,
    deps.conferenceMedia === null ? undefined : (deps.conferenceMedia ?? createWeriftConferenceMedia),
    { streamGraceMs: config.conferenceStreamGraceMs });
  app.decorate('conferences', conferences);
  await loadVmrs(store, conferences);
  await pexipClientRoutes(app, { registry: conferences });
  vmrRoutes(app, { store, clock, audit: auditLog, requireAuth, registry: conferences, scopes });
  const provisioner = new BookedMeetingProvisioner(booking.schedulingInfo, conferences, clock, app.log, deps.timers ?? systemTimers(clock));
  conferences.addResolver((alias) => provisioner.resolve(alias));
  app.decorate('conferenceProvisioner', provisioner);
  app.addHook('onReady', async () => {
    conferences.start();
    provisioner.start(domainEvents, config.provisionPollMs);
  });
  app.addHook('preClose', async () => {
    await provisioner.stop();
    await conferences.close();
  });

  systemRoutes(app, { store, openApi });

  // Device fleet: the hub every capability uses to reach room devices over their event streams
  // (publish / publishToRoom / broadcast). Streams close with the server.
  const deviceEvents = new DeviceEventHub(clock);
  app.addHook('preClose', async () => deviceEvents.close());
  app.decorate('deviceEvents', deviceEvents);
  // Rooms, themes, activation codes, enrolment, devices, health, commands (/management, /device).
  const fleet = deviceFleet(app, {
    store,
    clock,
    audit: auditLog,
    hub: deviceEvents,
    events: domainEvents,
    requireAuth,
    scopes,
    clients: apiClients,
    publicUrl: config.publicUrl,
    settings: config.fleet,
  });

  // Updates: releases IT publishes and the electron-updater feed devices poll.
  const releases = new ReleaseService({
    store,
    clock,
    audit: auditLog,
    artifacts: new ArtifactStore(config.artifactsDir),
    // A pin is the room's own pinnedVersion; setting it goes through the rooms service (audited).
    rooms: {
      pinnedVersion: async (roomId) => ((await fleet.rooms.exists(roomId)) ? (await fleet.rooms.get(roomId)).pinnedVersion : undefined),
      setPinnedVersion: async (actor, roomId, version) => void (await fleet.rooms.update(actor, roomId, { pinnedVersion: version })),
      listPinned: async () =>
        (await fleet.rooms.list()).flatMap((r) => (r.pinnedVersion ? [{ roomId: r.id, version: r.pinnedVersion }] : [])),
    },
  });
  releasesRoutes(app, {
    releases,
    requireAuth,
    maxArtifactBytes: config.artifactMaxBytes,
    scopes,
    roomOrganisation: async (roomId) => (await fleet.rooms.get(roomId)).organisationCode,
    roomNotFound,
  });
  updateFeedRoutes(app, {
    releases,
    verifyToken: (token) => tokens.verify(token),
    deviceRooms: fleet.devices,
  });

  // Appointments: rooms and people taking part in booked meetings; each room's calendar.ics.
  const roomDirectory = {
    room: async (id: string) => {
      if (!(await fleet.rooms.exists(id))) return undefined;
      const r = await fleet.rooms.get(id);
      return { id: r.id, name: r.name, organisationCode: r.organisationCode, showSubjects: r.showSubjects };
    },
    ofOrganisation: async (organisationCode: string) =>
      (await fleet.rooms.list({ organisationCode })).map((r) => ({ id: r.id, name: r.name, organisationCode: r.organisationCode, showSubjects: r.showSubjects })),
  };
  const appointments = new AppointmentsService({
    store,
    clock,
    events: domainEvents,
    meetings: new BookingMeetingSource(booking.schedulingInfo, store),
    rooms: roomDirectory,
    adminCovers: async (actor, organisationCode) => (await scopes.of(actor)).has(organisationCode),
  });
  appointmentsRoutes(app, {
    appointments,
    rooms: roomDirectory,
    roomOfDevice: (deviceId) => fleet.devices.roomOfDevice(deviceId),
    requireAuth,
    clock,
    publicUrl: config.publicUrl,
    scopes,
  });
  showRoomsOnBookingMeetings(app, appointments);

  // The device's schedule, and the push that makes a booking change reach its devices at once.
  const deviceSchedule = new DeviceScheduleService({ clock, appointments, rooms: roomDirectory, conferenceNodeUrl: config.publicUrl });
  deviceScheduleRoutes(app, {
    schedule: deviceSchedule,
    requireAuth,
    roomOfDevice: (deviceId) => fleet.devices.roomOfDevice(deviceId),
  });
  const stopSchedulePush = deviceSchedule.pushChanges(domainEvents, deviceEvents);
  app.addHook('onClose', async () => stopSchedulePush());

  // Several instances on one PostgreSQL database: relayed domain events reach the device streams
  // the other instances hold (docs/decisions/0010). SQLite is one process: nothing to relay.
  if (store.kind === 'postgres') {
    const relay = new PgEventRelay(store, domainEvents, { ...deps.eventRelay, log: app.log });
    const stopFollowing = followOtherInstances(domainEvents, { hub: deviceEvents, commands: fleet.commands, store, clock });
    app.decorate('eventRelay', relay);
    app.addHook('onReady', async () => relay.start());
    app.addHook('onClose', async () => {
      stopFollowing();
      await relay.close();
    });
  } else {
    app.decorate('eventRelay', null);
  }

  // Web UIs (portal, room, guest page) from dist/renderer, plus the guest page's public lookup.
  await webRoutes(app, { webRoot: deps.webRoot ?? config.webRoot, lookupMeeting: bookingJoinMeetingLookup(store, clock) });

  return app;
}
