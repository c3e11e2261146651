import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src-shared/platform/clock';
import { call, callers, meetingBody, templateBody, type Callers } from '../booking/booking.test-support';
import { DB_KINDS } from '../test-support/test-app';
import { authHeader } from '../test-support/tokens';
import { useTestApp } from '../test-support/use-test-app';
import { MeetingStatus } from './meeting-status.routes';

const EARLY = '2026-03-02T08:30:00Z';

describe.each(DB_KINDS)("a test meeting's provisioning (/v1/status/{uuid}) on %s", (kind) => {
  const t = useTestApp(kind, { env: { VDX_PROVISION_POLL_MS: '3600000' }, clock: new ManualClock(EARLY) });
  let c: Callers;
  let national: Record<string, string>;
  beforeAll(async () => {
    c = await callers(t);
    national = await authHeader(t, { roles: [], organisation: 'vdx', managementAdmin: true });
    expect((await call(t, c.admin, 'POST', 'scheduling-templates', templateBody({ vMRAvailableBefore: 0 }))).statusCode).toBe(200);
  });
  const status = (uuid: string, headers = national) => t.app.inject({ method: 'GET', url: `/v1/status/${uuid}`, headers });

  it('answers the provision status and the time from due to provisioned, in the health check’s shape', async () => {
    const booked = await call(t, c.userA, 'POST', 'meetings', meetingBody({ startTime: '2026-03-02T09:00:00Z', endTime: '2026-03-02T10:00:00Z' }));
    expect(booked.statusCode, booked.body).toBe(200);
    const { uuid } = booked.json<{ uuid: string }>();

    const waiting = await status(uuid);
    expect(waiting.statusCode, waiting.body).toBe(200);
    expect(MeetingStatus.parse(waiting.json())).toEqual({ scheduling_info: { provision_status: 'AWAITS_PROVISION', time_to_provision: 0 } });

    // Due at 09:00; the embedded provisioner opens it at that instant.
    t.clock.set('2026-03-02T09:00:00Z');
    await t.handles.conferenceProvisioner.settled();
    t.clock.set('2026-03-02T09:00:05Z');
    const opened = MeetingStatus.parse((await status(uuid)).json());
    expect(opened.scheduling_info.provision_status).toBe('PROVISIONED_OK');
    expect(opened.scheduling_info.time_to_provision).toBe(0);
  });

  it('is for management-admins, within their organisation scope', async () => {
    const booked = await call(t, c.userA, 'POST', 'meetings', meetingBody({ startTime: '2026-03-02T11:00:00Z', endTime: '2026-03-02T11:30:00Z' }));
    const { uuid } = booked.json<{ uuid: string }>();
    expect((await status(uuid, {})).statusCode).toBe(401);
    expect((await status(uuid, { authorization: `Bearer ${c.admin}` })).statusCode).toBe(403);
    const elsewhere = await authHeader(t, { roles: [], organisation: 'region-s', managementAdmin: true });
    expect((await status(uuid, elsewhere)).statusCode).toBe(404);
    expect((await status('3f0b6c4e-1d7a-4c55-9a61-2b8e5d0c7a11')).json()).toMatchObject({ error: { code: 'meeting_not_found' } });
    expect((await status('not-a-uuid')).statusCode).toBe(400);
  });
});
