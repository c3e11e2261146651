import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeviceSchedule } from '../../src-shared/schedule/device-schedule.contract';
import { ORG, call, callers, meetingBody, templateBody, type Callers } from '../booking/booking.test-support';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { adminAuth } from '../updates/test-tokens';
import { SseClient } from '../devices/device-fleet.test-kit';
import { createRoom, enrolDevice, type EnrolledDevice } from './fleet.test-kit';

const WINDOW = 'from=2026-03-02T00:00:00Z&to=2026-03-09T00:00:00Z';

describe.each(DB_KINDS)('device schedule on %s', (kind) => {
  const t = useTestApp(kind);
  let c: Callers;
  let uuid: string;
  let info: { uriWithDomain: string; hostPin: number | null; guestPin: number | null };
  let hostRoom: string;
  let guestRoom: string;
  let hostDevice: EnrolledDevice;
  let guestDevice: EnrolledDevice;
  const schedule = (device: EnrolledDevice | null, query = WINDOW, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'GET',
      url: `/device/v1/me/schedule?${query}`,
      headers: { ...(device ? { authorization: `Bearer ${device.token}` } : {}), ...headers },
    });

  beforeAll(async () => {
    c = await callers(t);
    await call(t, c.admin, 'POST', 'scheduling-templates', templateBody({ guestPinRequired: true }));
    uuid = (await call(t, c.planner, 'POST', 'meetings', meetingBody({ subject: 'Stuegang', startTime: '2026-03-03T09:00:00Z', endTime: '2026-03-03T09:45:00Z', guestPinRequired: true }))).json().uuid;
    info = (await call(t, c.planner, 'GET', `scheduling-info/${uuid}`)).json();
    hostRoom = await createRoom(t, { organisationCode: ORG });
    guestRoom = await createRoom(t, { organisationCode: ORG, showSubjects: false });
    hostDevice = await enrolDevice(t, hostRoom);
    guestDevice = await enrolDevice(t, guestRoom);
    for (const [roomId, role] of [
      [hostRoom, 'host'],
      [guestRoom, 'guest'],
    ]) {
      expect((await call(t, c.planner, 'POST', `/appointments/v1/meetings/${uuid}/participants`, { kind: 'room', roomId, role })).statusCode).toBe(201);
    }
  });

  it("gives a host room the host PIN and the subject, a private guest room the guest PIN and no subject", async () => {
    const host = await schedule(hostDevice);
    expect(host.statusCode).toBe(200);
    const body = DeviceSchedule.parse(host.json());
    expect(body.roomId).toBe(hostRoom);
    expect(body.meetings).toEqual([
      {
        meetingUuid: uuid,
        subject: 'Stuegang',
        startTime: '2026-03-03T09:00:00.000Z',
        endTime: '2026-03-03T09:45:00.000Z',
        alias: info.uriWithDomain,
        role: 'host',
        pin: String(info.hostPin),
        conferenceNodeUrl: 'http://vdx.test',
        endMeetingOnEndTime: false,
      },
    ]);
    const guest = DeviceSchedule.parse((await schedule(guestDevice)).json());
    expect(info.guestPin).not.toBeNull();
    expect(guest.meetings[0]).toMatchObject({ role: 'guest', pin: String(info.guestPin), subject: null });
  });

  it('answers 304 to a matching If-None-Match until the booking changes', async () => {
    const first = await schedule(hostDevice);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await schedule(hostDevice, WINDOW, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect((await call(t, c.planner, 'PATCH', `meetings/${uuid}`, { subject: 'Stuegang (flyttet)' })).statusCode).toBe(200);
    const changed = await schedule(hostDevice, WINDOW, { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().meetings[0].subject).toBe('Stuegang (flyttet)');
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('keeps to the window and refuses bad windows, non-device tokens and no token', async () => {
    expect((await schedule(hostDevice, 'from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z')).json().meetings).toEqual([]);
    expect((await schedule(hostDevice, 'from=2026-03-09T00:00:00Z&to=2026-03-02T00:00:00Z')).statusCode).toBe(400);
    expect((await schedule(hostDevice, 'from=yesterday')).statusCode).toBe(400);
    expect((await schedule(hostDevice, 'from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z')).json().error.code).toBe('window_too_large');
    expect((await schedule(null)).statusCode).toBe(401);
    const admin = await t.app.inject({ method: 'GET', url: `/device/v1/me/schedule?${WINDOW}`, headers: await adminAuth(t) });
    expect(admin.statusCode).toBe(403);
  });
});

describe.each(DB_KINDS)('schedule push over a real event stream on %s', (kind) => {
  const t = useTestApp(kind);
  let c: Callers;
  let base: string;

  beforeAll(async () => {
    c = await callers(t);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    await call(t, c.admin, 'POST', 'scheduling-templates', templateBody());
  });

  it('enrolment → token → event stream → booking via the APIs → schedule_changed → new schedule', async () => {
    const room = await createRoom(t, { organisationCode: ORG });
    const other = await createRoom(t, { organisationCode: ORG });
    const device = await enrolDevice(t, room);
    const bystander = await enrolDevice(t, other);
    const events = await SseClient.open(base, { authorization: `Bearer ${device.token}` });
    const otherEvents = await SseClient.open(base, { authorization: `Bearer ${bystander.token}` });
    const connected = (client: SseClient) => client.waitFor(() => client.comments.some((c) => c.startsWith('connected')));
    await Promise.all([connected(events), connected(otherEvents)]);
    /** The n-th (1-based) `schedule_changed` on the stream, once it has arrived. */
    const nthChange = async (client: SseClient, n: number) => {
      const changes = () => client.events.filter((e) => e.event === 'schedule_changed');
      await client.waitFor(() => changes().length >= n);
      return changes()[n - 1]!;
    };
    try {
      const uuid = (await call(t, c.planner, 'POST', 'meetings', meetingBody({ startTime: '2026-03-03T09:00:00Z', endTime: '2026-03-03T10:00:00Z' }))).json().uuid as string;
      await call(t, c.planner, 'POST', `/appointments/v1/meetings/${uuid}/participants`, { kind: 'room', roomId: room, role: 'host' });
      expect((await nthChange(events, 1)).data).toMatchObject({ meetingUuid: uuid });

      // A change made through the VDX Booking API reaches the room's device, and only it.
      expect((await call(t, c.planner, 'PATCH', `meetings/${uuid}`, { endTime: '2026-03-03T10:30:00Z' })).statusCode).toBe(200);
      expect((await nthChange(events, 2)).data).toMatchObject({ meetingUuid: uuid });
      const res = await fetch(`${base}/device/v1/me/schedule?${WINDOW}`, { headers: { authorization: `Bearer ${device.token}` } });
      expect(((await res.json()) as { meetings: { endTime: string }[] }).meetings[0]!.endTime).toBe('2026-03-03T10:30:00.000Z');

      expect((await call(t, c.planner, 'DELETE', `meetings/${uuid}`)).statusCode).toBe(204);
      expect((await nthChange(events, 3)).data).toMatchObject({ meetingUuid: uuid });
      await expect(otherEvents.waitFor(() => otherEvents.events.some((e) => e.event === 'schedule_changed'), 300)).rejects.toThrow('timed out');
    } finally {
      events.close();
      otherEvents.close();
    }
  });
});
