import type { FastifyInstance } from 'fastify';
import {
  SendSmsMeetingRequest,
  SendSmsMeetingResponse,
  SmsMessageDto,
  SmsMessageParams,
  SmsOutboxList,
  SmsOutboxQuery,
} from '../../src-shared/sms/sms.contract';
import { PersonalLinkRequestSchema, PersonalLinkSchema } from '../../src-shared/join/join-meeting.schema';
import { principal, type RequireAuth } from '../auth/authenticate';
import type { Store } from '../db/database';
import type { ZodTypeProvider } from '../http/zod-schemas';
import type { OrganisationScopes } from '../organisations/organisation-scope';
import type { MeetingByShortId, PersonalLinks } from './personal-links.service';
import type { SmsVideoService } from './sms-video.service';

export interface SmsRoutesDeps {
  video: SmsVideoService;
  store: Store;
  requireAuth: RequireAuth;
  /** A management admin reads the outbox of its organisation subtree (decision 0011). */
  scopes: OrganisationScopes;
  personalLinks: PersonalLinks;
  lookupMeeting: MeetingByShortId;
  /** Applies a signed delivery report (X-Gwapi-Signature); throws 401 when it does not verify. */
  deliveryReport(signature: string | undefined): Promise<void>;
}

/**
 * `/sms/v1/...` for clinicians and booking systems (any token that may create meetings: a
 * person's, or an API client's with a meeting-writing role), and the embedded outbox under
 * `/management/v1/sms-outbox` for management admins. Errors are `{error: {code, message, details}}`
 * with Danish messages.
 */
export function smsRoutes(app: FastifyInstance, deps: SmsRoutesDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const authenticated = deps.requireAuth();
  const tags = ['sms'];

  r.post(
    '/sms/v1/meetings',
    {
      preHandler: authenticated,
      schema: {
        tags,
        summary: 'Start an ad hoc video meeting now and text each recipient a personal link',
        body: SendSmsMeetingRequest,
        response: { 201: SendSmsMeetingResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await deps.video.sendMeeting(principal(request), request.body)),
  );

  r.get(
    '/sms/v1/messages/:id',
    { preHandler: authenticated, schema: { tags, summary: "A message's delivery status (its sender, or the organisation's planners)", params: SmsMessageParams, response: { 200: SmsMessageDto } } },
    async (request) => deps.video.message(principal(request), request.params.id),
  );

  r.post(
    '/sms/v1/messages/:id/resend',
    { preHandler: authenticated, schema: { tags, summary: 'Send a message again (same text and link) as a new message', params: SmsMessageParams, response: { 201: SmsMessageDto } } },
    async (request, reply) => reply.status(201).send(await deps.video.resend(principal(request), request.params.id)),
  );

  // GatewayAPI's webhook: authenticated by the JWT it signs with VDX_SMS_WEBHOOK_SECRET, not a token.
  r.post(
    '/sms/v1/delivery-reports/gatewayapi',
    { schema: { tags, summary: 'GatewayAPI delivery status notifications (X-Gwapi-Signature, HS256)' } as object },
    async (request, reply) => {
      const signature = request.headers['x-gwapi-signature'];
      await deps.deliveryReport(typeof signature === 'string' ? signature : undefined);
      return reply.status(204).send();
    },
  );

  // Public: the token is the capability. POST, so the token travels in a body, never in a URL that
  // access logs and proxies keep.
  r.post(
    '/join-api/v1/personal-link',
    {
      schema: {
        tags: ['join'],
        summary: "A personal link's meeting and the name its holder joins as (never a PIN)",
        body: PersonalLinkRequestSchema,
        response: { 200: PersonalLinkSchema },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return deps.personalLinks.lookup(request.body.token, deps.lookupMeeting);
    },
  );

  r.get(
    '/management/v1/sms-outbox',
    {
      preHandler: deps.requireAuth({ managementAdmin: true }),
      schema: { tags, summary: 'Messages the embedded outbox gateway took, newest first', querystring: SmsOutboxQuery, response: { 200: SmsOutboxList } },
    },
    async (request) => {
      const { codes } = await deps.scopes.ofRequest(request);
      if (codes?.length === 0) return [];
      const rows = await deps.store.db
        .selectFrom('sms_outbox as o')
        .innerJoin('sms_messages as m', 'm.id', 'o.message_id')
        .select(['o.id', 'o.message_id', 'o.organisation_code', 'o.phone', 'o.sender_name', 'o.text', 'o.created_at', 'm.status'])
        .$if(codes !== undefined, (q) => q.where('o.organisation_code', 'in', codes!))
        // Taken at the same instant (one round of the send job): the later-queued first.
        .orderBy('o.created_at', 'desc')
        .orderBy('m.created_at', 'desc')
        .orderBy('o.id', 'desc')
        .limit(request.query.limit)
        .execute();
      return rows.map((o) => ({
        id: o.id,
        messageId: o.message_id,
        organisationCode: o.organisation_code,
        phone: o.phone,
        senderName: o.sender_name,
        text: o.text,
        status: o.status,
        createdAt: o.created_at,
      }));
    },
  );
}
