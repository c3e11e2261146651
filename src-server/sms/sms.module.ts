import type { FastifyInstance } from 'fastify';
import { systemTimers, type Clock, type Timers } from '../../src-shared/platform/clock';
import type { RequireAuth } from '../auth/authenticate';
import type { MeetingsService } from '../booking/meetings.service';
import type { SmsConfig } from '../config/config';
import type { Store } from '../db/database';
import type { OrganisationScopes } from '../organisations/organisation-scope';
import { OutboxGateway } from './outbox-gateway';
import type { MeetingByShortId, PersonalLinks } from './personal-links.service';
import { SmsDispatcher, type SmsDispatcherOptions } from './sms-dispatcher';
import type { SmsGateway } from './sms-gateway';
import { smsRoutes } from './sms.routes';
import { SmsVideoService } from './sms-video.service';

export interface SmsDeps {
  store: Store;
  clock: Clock;
  /** Default: real timers against `clock`. */
  timers?: Timers;
  requireAuth: RequireAuth;
  scopes: OrganisationScopes;
  /** The booking capability's meetings (ad hoc meetings are booked through it). */
  meetings: Pick<MeetingsService, 'createMeeting' | 'deleteMeeting'>;
  /** Personal links, shared with the conference node (which admits their holders). */
  personalLinks: PersonalLinks;
  /** The guest page's meeting lookup by short id (web capability). */
  lookupMeeting: MeetingByShortId;
  publicUrl: string;
  config: SmsConfig;
  /** Tests and the benchmark swap the gateway or tune the send job. */
  gateway?: SmsGateway;
  dispatcher?: Partial<SmsDispatcherOptions>;
}

/**
 * Text messages: the gateway VDX_SMS_PROVIDER names, the durable send job (started when the server
 * is ready, stopped before it closes), SMS Video's routes and the management outbox. Returns the
 * send job and the service (the demo and tests reach them in-process).
 */
export function sms(app: FastifyInstance, deps: SmsDeps) {
  const gateway = deps.gateway ?? gatewayFor(deps);
  const dispatcher = new SmsDispatcher(deps.store, deps.clock, deps.timers ?? systemTimers(deps.clock), gateway, app.log.child({ capability: 'sms' }), deps.dispatcher);
  const video = new SmsVideoService({
    store: deps.store,
    clock: deps.clock,
    meetings: deps.meetings,
    joinBase: `${deps.publicUrl}/join/`,
    limits: { perSender: deps.config.personHourlyLimit, perOrganisation: deps.config.organisationHourlyLimit },
    queued: () => dispatcher.kick(),
  });
  smsRoutes(app, { video, store: deps.store, requireAuth: deps.requireAuth, scopes: deps.scopes, personalLinks: deps.personalLinks, lookupMeeting: deps.lookupMeeting });
  app.addHook('onReady', async () => dispatcher.start());
  app.addHook('preClose', async () => dispatcher.stop());
  return { gateway, dispatcher, video };
}

export type Sms = ReturnType<typeof sms>;

function gatewayFor(deps: SmsDeps): SmsGateway {
  switch (deps.config.provider) {
    case 'outbox':
      return new OutboxGateway(deps.store, deps.clock);
    case 'gatewayapi':
      // The HTTP adapter is not built yet: refuse to start rather than queue messages nobody sends.
      throw new Error('VDX_SMS_PROVIDER=gatewayapi: the GatewayAPI adapter is not available in this build; use outbox');
  }
}
