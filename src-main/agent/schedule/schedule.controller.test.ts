import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Schedule } from '../../../src-shared/ipc/room-bridge.contract';
import type { ServerLink } from '../provisioning/provisioning.controller';
import { DeviceApi } from '../server/device-api';
import { controllerContext, type ControllerContext } from '../test-support/controller-context';
import { FakeDeviceServer, type FakeMeeting } from '../test-support/fake-device-server';
import { eventually } from '../test-support/test-agent';
import { ScheduleController, type ServerEventReactions } from './schedule.controller';

let server: FakeDeviceServer;
let controllers: ScheduleController[] = [];
beforeEach(async () => {
  server = await new FakeDeviceServer().start();
});
afterEach(async () => {
  for (const c of controllers) await c.stopStream();
  controllers = [];
  await server.stop().catch(() => {});
});

const m1: FakeMeeting = {
  meetingUuid: 'm1', subject: 'Tavlemøde', startTime: '2026-03-02T10:00:00Z', endTime: '2026-03-02T11:00:00Z', alias: 'm1@vdx.test',
  role: 'host', pin: '1234', conferenceNodeUrl: 'https://node.test', endMeetingOnEndTime: true,
};

function setup(ctx: ControllerContext = controllerContext('2026-03-02T09:00:00Z')) {
  const api = new DeviceApi(server.url, { deviceId: 'dev-1', clientId: 'client-1', clientSecret: 'very-secret-value' }, globalThis.fetch, ctx.clock);
  const link = {
    api: api as DeviceApi | null, online: true as boolean,
    setOnline(online: boolean) {
      link.online = online;
    },
    async serverError() {
      link.online = false;
    },
  } satisfies ServerLink & { online: boolean };
  const seen: string[] = [];
  const reactions: ServerEventReactions = {
    configChanged: async () => void seen.push('config'),
    message: (d) => void seen.push(`message:${d.id}`),
    command: async (c) => void seen.push(`command:${c.id}`),
    revoked: async (reason) => void seen.push(`revoked:${reason}`),
    reconnected: async () => void seen.push('reconnected'),
  };
  const schedule = new ScheduleController(ctx, {
    server: link, earlyJoinSeconds: 60, conferenceBaseUrl: () => null, reactions,
    sleep: async (_ms, signal) => {
      if (!signal?.aborted) await new Promise((r) => setTimeout(r, 5));
    },
  });
  controllers.push(schedule);
  return { ctx, api, link, schedule, seen };
}

const scheduleRequests = () => server.requests.filter((r) => r.path === '/device/v1/me/schedule');

describe('schedule', () => {
  it('asks with its ETag and keeps the meetings when nothing changed', async () => {
    const s = setup();
    server.setMeetings([m1], false);
    await s.schedule.refresh();
    await s.schedule.refresh();
    expect(scheduleRequests().map((r) => r.headers['if-none-match'] ?? null)).toEqual([null, '"s1"']);
    expect(s.schedule.meetings.map((m) => [m.id, m.pin])).toEqual([['m1', '1234']]);
    expect(s.ctx.of<Schedule>('schedule:changed').at(-1)).toMatchObject({ source: 'live', meetings: [{ id: 'm1', pinRequired: true, autoJoinAt: '2026-03-02T09:59:00.000Z' }] });
  });

  it('keeps the meetings on disk: after a restart the agenda shows them from the cache while offline', async () => {
    const s = setup();
    server.setMeetings([m1], false);
    await s.schedule.refresh();
    await server.stop();
    const restarted = setup(s.ctx);
    await restarted.schedule.refresh();
    expect(restarted.link.online).toBe(false);
    expect(restarted.schedule.agenda()).toMatchObject({ source: 'cache', meetings: [{ id: 'm1' }] });
  });

  it('hides subjects when management says so, also in the cached agenda', async () => {
    const s = setup();
    server.setMeetings([m1], false);
    await s.schedule.refresh();
    s.schedule.setShowSubjects(false);
    expect(setup(s.ctx).schedule.agenda().meetings[0]?.subject).toBeNull();
  });

  it('reacts to the event stream, and resumes it from the last event id after a drop', async () => {
    const s = setup();
    s.schedule.startStream(s.api);
    await eventually(() => server.openStreams === 1, 'the stream');
    await eventually(() => s.seen.includes('reconnected'), 'the refresh after connecting');
    server.push('config_changed', { at: '2026-03-02T09:00:01Z' });
    server.setMeetings([m1]);
    await eventually(() => s.schedule.meetings.length === 1 && s.seen.includes('config'), 'both events');
    server.dropStreams();
    await eventually(() => server.streamOpens.length === 2, 'a reconnect');
    expect(server.streamOpens).toEqual([null, '2']); // ids 1 (config) and 2 (schedule)
  });

  it('forgets its meetings and resume point with the enrolment; a damaged resume point reads as none', async () => {
    const s = setup();
    server.setMeetings([m1], false);
    await s.schedule.refresh();
    s.ctx.settings.set('lastEventId', 'e-9');
    s.schedule.forget();
    expect(s.schedule.meetings).toEqual([]);
    expect(s.ctx.settings.values.has('lastEventId')).toBe(false);
    s.ctx.settings.set('lastEventId', { id: 9 });
    s.schedule.startStream(s.api);
    await eventually(() => server.streamOpens.length === 1, 'the stream');
    expect(server.streamOpens).toEqual([null]);
  });
});
