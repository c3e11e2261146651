import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { z } from 'zod';
import type { VdxRole } from '../../src-shared/auth/roles';
import {
  CreateMeeting,
  CreateSchedulingInfo,
  MeetingSearchQuery,
  PatchMeeting,
  ReserveQuery,
  SchedulingInfoQuery,
  SchedulingTemplateInput,
  TemplateIdParams,
  UpdateMeeting,
  UpdateSchedulingInfo,
  UriQuery,
  UuidParams,
} from '../../src-shared/booking/booking.schemas';
import { principal, type RequireAuth } from '../auth/authenticate';
import type { ZodTypeProvider } from '../http/zod-schemas';
import { ROLES, assertRoles, bookingCaller } from './booking.access';
import { API_BASE } from './booking.mapping';
import type { MeetingsService } from './meetings.service';
import type { SchedulingInfoService } from './scheduling-info.service';
import type { TemplatesService } from './templates.service';
import { VdxCode, rejectInvalidRequest } from './vdx-errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Set by a booking route whose successful answer holds only meetings this very request
     * created. Nobody else knew their uuids yet, so no other capability can have attached
     * anything to them: a response decorator (appointments' `rooms`) may answer "none" without a
     * look-up. The route says so rather than decorators matching booking's URL patterns.
     */
    answersNewMeetings?: boolean;
  }
}

/** The version of the real API's OpenAPI document whose interface we serve. */
export const VDX_API_SPEC_VERSION = '1.12.3';
const HAL = 'application/hal+json';

/**
 * `/videoapi/v2/...`: the VDX Booking Module API v2. Role rules live in schedulingInfo.access.ts, the
 * behaviour in schedulingInfo.service.ts; this file maps HTTP onto them. Bodies and queries are validated
 * after authentication (`attachValidation`), so the order of answers is 401 → 403 (role) → 400 → 403/404/406.
 */
export function bookingRoutes(app: FastifyInstance, deps: {
    templates: TemplatesService;
    meetings: MeetingsService;
    schedulingInfo: SchedulingInfoService;
    requireAuth: RequireAuth;
    version: string;
    gitCommit?: string;
  },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { templates, meetings, schedulingInfo } = deps;
  const authenticate = deps.requireAuth({ vdxCode: VdxCode.basic });
  // One pre-handler for the three steps (each hook Fastify runs costs a round of promises).
  const guard = (roles: readonly VdxRole[]): preHandlerAsyncHookHandler =>
    async function guard(request, reply) {
      await authenticate.call(this, request, reply);
      assertRoles(principal(request), roles);
      rejectInvalidRequest(request);
    };
  const opts = <S extends Record<string, z.ZodType>>(roles: readonly VdxRole[], schema: S) => ({
    // `tags` feeds the OpenAPI document; Fastify's schema type does not list it.
    schema: { ...schema, tags: ['VDX Booking API v2'] } as unknown as S,
    attachValidation: true,
    preHandler: guard(roles),
  });
  const caller = (request: FastifyRequest) => bookingCaller(principal(request));
  const hal = <T>(reply: FastifyReply, body: T) => reply.type(HAL).send(body);
  const base = API_BASE;

  // The real service lists its Spring info contributors as key/value pairs; `git` is always there.
  r.get(`${base}/info`, opts(ROLES.read, {}), async () => ({
    info: [
      { key: 'git', value: { commit: { id: deps.gitCommit ?? null }, branch: null } },
      { key: 'build', value: { name: 'VDX Room booking', version: deps.version, apiSpecVersion: VDX_API_SPEC_VERSION } },
    ],
  }));

  // ---- meetings
  r.get(`${base}/meetings`, opts(ROLES.read, { querystring: MeetingSearchQuery }), async (request, reply) =>
    hal(reply, await meetings.searchMeetings(caller(request), request.query)),
  );
  r.post(`${base}/meetings`, { ...opts(ROLES.writeMeetings, { body: CreateMeeting }), config: { answersNewMeetings: true } }, async (request, reply) =>
    hal(reply, await meetings.createMeeting(caller(request), request.body)),
  );
  r.get(`${base}/meetings/findByUriWithDomain`, opts(ROLES.read, { querystring: UriQuery }), async (request, reply) =>
    hal(reply, await meetings.findMeetingByUri(caller(request), request.query.uri, true)),
  );
  r.get(`${base}/meetings/findByUriWithoutDomain`, opts(ROLES.read, { querystring: UriQuery }), async (request, reply) =>
    hal(reply, await meetings.findMeetingByUri(caller(request), request.query.uri, false)),
  );
  r.get(`${base}/meetings/:uuid`, opts(ROLES.read, { params: UuidParams }), async (request, reply) =>
    hal(reply, await meetings.getMeeting(caller(request), request.params.uuid)),
  );
  r.put(`${base}/meetings/:uuid`, opts(ROLES.writeMeetings, { params: UuidParams, body: UpdateMeeting }), async (request, reply) =>
    hal(reply, await meetings.updateMeeting(caller(request), request.params.uuid, request.body)),
  );
  r.patch(`${base}/meetings/:uuid`, opts(ROLES.writeMeetings, { params: UuidParams, body: PatchMeeting }), async (request, reply) =>
    hal(reply, await meetings.patchMeeting(caller(request), request.params.uuid, request.body)),
  );
  r.delete(`${base}/meetings/:uuid`, opts(ROLES.writeMeetings, { params: UuidParams }), async (request, reply) => {
    await meetings.deleteMeeting(caller(request), request.params.uuid);
    return reply.status(204).send();
  });

  // ---- scheduling info
  r.get(`${base}/scheduling-info`, opts(ROLES.read, { querystring: SchedulingInfoQuery }), async (request, reply) =>
    hal(reply, await schedulingInfo.listSchedulingInfo(caller(request), request.query)),
  );
  r.post(`${base}/scheduling-info`, opts(ROLES.writeSchedulingInfo, { body: CreateSchedulingInfo }), async (request, reply) =>
    hal(reply, await schedulingInfo.createSchedulingInfo(caller(request), request.body)),
  );
  r.get(`${base}/scheduling-info/:uuid`, opts(ROLES.read, { params: UuidParams }), async (request, reply) =>
    hal(reply, await schedulingInfo.getSchedulingInfo(caller(request), request.params.uuid)),
  );
  r.put(`${base}/scheduling-info/:uuid`, opts(ROLES.writeSchedulingInfo, { params: UuidParams, body: UpdateSchedulingInfo }), async (request, reply) => {
    const { organisation, email } = caller(request);
    return hal(reply, await schedulingInfo.setProvisionStatus(request.params.uuid, request.body, { organisationId: organisation, email }));
  });
  r.get(`${base}/scheduling-info-provision`, opts(ROLES.provisionQueues, {}), async (request, reply) => {
    caller(request);
    return hal(reply, await schedulingInfo.provisionQueue());
  });
  r.get(`${base}/scheduling-info-deprovision`, opts(ROLES.provisionQueues, {}), async (request, reply) => {
    caller(request);
    return hal(reply, await schedulingInfo.deprovisionQueue());
  });
  r.get(`${base}/scheduling-info-reserve`, opts(ROLES.reserve, { querystring: ReserveQuery }), async (request, reply) =>
    hal(reply, await schedulingInfo.reserve(caller(request), request.query)),
  );
  r.get(`${base}/scheduling-info-reserve/:uuid`, opts(ROLES.reserve, { params: UuidParams }), async (request, reply) =>
    hal(reply, await schedulingInfo.getReservation(caller(request), request.params.uuid)),
  );
  r.get(`${base}/pool`, opts(ROLES.read, {}), async (request, reply) => hal(reply, await schedulingInfo.pool(caller(request))));

  // ---- scheduling templates
  r.get(`${base}/scheduling-templates`, opts(ROLES.read, {}), async (request, reply) =>
    hal(reply, await templates.listTemplates(caller(request))),
  );
  r.post(`${base}/scheduling-templates`, opts(ROLES.writeTemplates, { body: SchedulingTemplateInput }), async (request, reply) =>
    hal(reply, await templates.createTemplate(caller(request), request.body)),
  );
  r.get(`${base}/scheduling-templates/:id`, opts(ROLES.read, { params: TemplateIdParams }), async (request, reply) =>
    hal(reply, await templates.getTemplate(caller(request), request.params.id)),
  );
  r.put(`${base}/scheduling-templates/:id`, opts(ROLES.writeTemplates, { params: TemplateIdParams, body: SchedulingTemplateInput }), async (request, reply) =>
    hal(reply, await templates.updateTemplate(caller(request), request.params.id, request.body)),
  );
  r.delete(`${base}/scheduling-templates/:id`, opts(ROLES.writeTemplates, { params: TemplateIdParams }), async (request, reply) => {
    await templates.deleteTemplate(caller(request), request.params.id);
    return reply.status(204).send();
  });
}
