import type { FastifyInstance } from 'fastify';
import { systemTimers, type Clock, type Timers } from '../../src-shared/platform/clock';
import type { RequireAuth } from '../auth/authenticate';
import type { MeetingsService } from '../booking/meetings.service';
import type { SmsConfig } from '../config/config';
import type { Store } from '../db/database';
import type { OrganisationScopes } from '../organisations/organisation-scope';
import { applyDeliveryReport, verifyGatewayApiReport } from './delivery-reports';
import { GatewayApiGateway } from './gatewayapi-gateway';
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
  const deliveryReport = async (signature: string | undefined) => {
    const report = await verifyGatewayApiReport(signature, deps.config.webhookSecret);
    const status = await applyDeliveryReport(deps.store, deps.clock, 'gatewayapi', report);
    if (status) app.log.info({ capability: 'sms', providerMessageId: report.id, status }, 'sms delivery report');
  };
  smsRoutes(app, {
    video,
    store: deps.store,
    requireAuth: deps.requireAuth,
    scopes: deps.scopes,
    personalLinks: deps.personalLinks,
    lookupMeeting: deps.lookupMeeting,
    deliveryReport,
  });
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
      return new GatewayApiGateway({
        url: deps.config.gatewayUrl,
        // The config schema insists on a token for gatewayapi.
        token: deps.config.gatewayToken ?? '',
        // Reports come back to us only when we can verify them.
        ...(deps.config.webhookSecret ? { callbackUrl: `${deps.publicUrl}/sms/v1/delivery-reports/gatewayapi` } : {}),
      });
  }
}
