import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RequireAuth } from '../auth/authenticate';
import type { Store } from '../db/database';
import { notFound } from '../http/errors';
import type { ZodTypeProvider } from '../http/zod-schemas';
import type { OrganisationScopes } from '../organisations/organisation-scope';

/** `GET /v1/status/{uuid}` in MedCom's health-check shape (its `meeting-status`). */
export const MeetingStatus = z.object({
  scheduling_info: z.object({
    provision_status: z.string(),
    /** Milliseconds from when the VMR was due (or the meeting was booked, if later) to provisioned; while not provisioned, so far. */
    time_to_provision: z.number().int(),
  }),
  /** The newest SMS sent for the meeting, when there is one. */
  sms_info: z.object({ status: z.string() }).optional(),
});

const Params = z.object({ uuid: z.uuid() });
const meetingNotFound = (uuid: string) => notFound('meeting_not_found', `No meeting ${uuid}`);

/**
 * A monitor's test meeting, checked end to end: did its VMR get provisioned, and how long after it
 * was due (the health check books one, then asks here). For management-admins, within their
 * organisation scope (another organisation's meeting is not found).
 */
export function meetingStatusRoutes(app: FastifyInstance, deps: { store: Store; requireAuth: RequireAuth; scopes: OrganisationScopes; now: () => Date }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/status/:uuid',
    {
      preHandler: deps.requireAuth({ managementAdmin: true }),
      schema: { tags: ['operations'], summary: "A meeting's provisioning, as MedCom's health check reads its test meetings", params: Params, response: { 200: MeetingStatus } },
    },
    async (request) => {
      const { uuid } = request.params;
      const info = await deps.store.db
        .selectFrom('booking_scheduling_infos')
        .select(['organisation_code', 'provision_status', 'provision_timestamp', 'provision_due_at', 'created_at'])
        .where('meeting_uuid', '=', uuid)
        .executeTakeFirst();
      if (!info || !(await deps.scopes.ofRequest(request)).has(info.organisation_code)) throw meetingNotFound(uuid);
      const from = Math.max(Date.parse(info.provision_due_at), Date.parse(info.created_at));
      const to = info.provision_timestamp ? Date.parse(info.provision_timestamp) : deps.now().getTime();
      const sms = await deps.store.db
        .selectFrom('sms_messages')
        .select('status')
        .where('meeting_uuid', '=', uuid)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return {
        scheduling_info: { provision_status: info.provision_status, time_to_provision: Math.max(0, Math.round(to - from)) },
        ...(sms ? { sms_info: { status: sms.status } } : {}),
      };
    },
  );
}
