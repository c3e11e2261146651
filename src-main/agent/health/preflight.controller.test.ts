import { describe, expect, it } from 'vitest';
import type { Heartbeat } from '../../../src-shared/devices/heartbeat.schema';
import type { BridgeEventPayload } from '../../../src-shared/ipc/room-bridge.contract';
import type { ScheduledMeeting } from '../schedule/room-schedule';
import { controllerContext } from '../test-support/controller-context';
import type { OutboxItem } from './outbox';
import { PREFLIGHT_LEAD_SECONDS, PreflightController } from './preflight.controller';

const meeting: ScheduledMeeting = {
  id: 'm1', subject: null, startTime: '2026-03-02T10:00:00Z', endTime: '2026-03-02T11:00:00Z', alias: 'm1@vdx.test', pin: null,
  role: 'host', conferenceBaseUrl: 'https://node.test', endMeetingOnEndTime: true,
};

function setup(options: { inCall?: boolean; nodeUp?: boolean } = {}) {
  const ctx = controllerContext('2026-03-02T09:00:00Z');
  const queued: OutboxItem[] = [];
  const fetch = (async () => {
    if (options.nodeUp === false) throw new Error('connect ECONNREFUSED');
    return new Response('ok');
  }) as typeof globalThis.fetch;
  const preflight = new PreflightController(ctx, {
    fetch, meetings: () => [meeting], inCall: () => options.inCall ?? false, earlyJoinSeconds: 0,
    health: {
      buildHeartbeat: async () => ({ sentAt: ctx.clock.now().toISOString(), recentErrors: [] }) as unknown as Heartbeat,
      queue: (item) => void queued.push(item),
      flush: async () => {},
    },
  });
  const tickAt = (iso: string) => {
    ctx.clock.set(iso);
    preflight.tick(ctx.clock.now());
  };
  return { ctx, preflight, queued, tickAt, requests: () => ctx.of<BridgeEventPayload<'preflight:request'>>('preflight:request') };
}

const at = (secondsBeforeStart: number) => new Date(Date.parse(meeting.startTime) - secondsBeforeStart * 1000).toISOString();

describe('pre-flight', () => {
  it('asks the UI once, shortly before the meeting, and reports the answer with the node check', async () => {
    const s = setup();
    s.tickAt(at(PREFLIGHT_LEAD_SECONDS + 1));
    expect(s.requests()).toEqual([]);
    s.tickAt(at(PREFLIGHT_LEAD_SECONDS));
    s.tickAt(at(PREFLIGHT_LEAD_SECONDS - 10));
    expect(s.requests()).toEqual([{ requestId: expect.any(String), meetingId: 'm1', startTime: meeting.startTime }]);
    const ok = { ok: true, deviceLabel: 'cam', error: null };
    await s.preflight.handlers['preflight:report']({ requestId: s.requests()[0]!.requestId, camera: ok, microphone: ok });
    await s.ctx.work.idle();
    const hb = s.queued[0] as { kind: 'heartbeat'; body: Heartbeat };
    expect(hb.body.preflight).toMatchObject({ meetingUuid: 'm1', camera: { ok: true }, conferenceNode: { ok: true } });
    expect(hb.body.recentErrors).toEqual([]);
  });

  it('reports the UI not answering and an unreachable node as failures', async () => {
    const s = setup({ nodeUp: false });
    s.tickAt(at(60));
    s.preflight.abandon(); // as at shutdown: nobody will answer
    await s.ctx.work.idle();
    const hb = s.queued[0] as { kind: 'heartbeat'; body: Heartbeat };
    expect(hb.body.recentErrors?.map((e) => e.code)).toEqual(['preflight_media', 'preflight_conference_node']);
  });

  it('never checks during a call (the devices are in use)', () => {
    const s = setup({ inCall: true });
    s.tickAt(at(60));
    expect(s.requests()).toEqual([]);
  });
});
