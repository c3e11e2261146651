import { beforeAll, describe, expect, it } from 'vitest';
import { API, call, callers, meetingBody, templateBody, type Callers } from '../booking/booking.test-support';
import { JoinMeetingSchema } from '../../src-shared/join/join-meeting.schema';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';

describe.each(DB_KINDS)('guest page meeting lookup on %s', (kind) => {
  const t = useTestApp(kind);
  let c: Callers;
  beforeAll(async () => {
    c = await callers(t);
    expect((await call(t, c.admin, 'POST', 'scheduling-templates', templateBody({ guestPinRequired: true }))).statusCode).toBe(200);
  });

  it('finds a booked meeting by its short id, with the alias to join and no PINs', async () => {
    const created = await call(t, c.userA, 'POST', 'meetings', meetingBody({ guestPinRequired: true }));
    expect(created.statusCode, created.body).toBe(200);
    const meeting = created.json() as { shortId: string; uuid: string };
    const info = await call(t, c.userA, 'GET', `${API}/scheduling-info/${meeting.uuid}`);
    const scheduling = info.json() as { uriWithDomain: string; guestPin: number; hostPin: number };

    const res = await t.app.inject(`/join-api/v1/meetings/${meeting.shortId}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      alias: scheduling.uriWithDomain,
      subject: 'Samtale om genoptræning',
      startTime: '2026-03-10T09:00:00.000Z',
      endTime: '2026-03-10T10:00:00.000Z',
      guestPinRequired: true,
      // The template opens the room 15 minutes early; the server's own time goes along.
      opensAt: '2026-03-10T08:45:00.000Z',
      serverTime: '2026-03-02T08:00:00.000Z',
    });
    expect(JoinMeetingSchema.safeParse(res.json()).success).toBe(true);
    expect(res.body).not.toContain(String(scheduling.guestPin));
    expect(res.body).not.toContain(String(scheduling.hostPin));
  });

  it('says when guests need no PIN', async () => {
    const created = await call(t, c.userA, 'POST', 'meetings', meetingBody({ guestPinRequired: false }));
    const res = await t.app.inject(`/join-api/v1/meetings/${(created.json() as { shortId: string }).shortId}`);
    expect(res.json()).toMatchObject({ guestPinRequired: false });
  });

  it('answers 404 for a short id nobody booked', async () => {
    const res = await t.app.inject('/join-api/v1/meetings/000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'meeting_not_found' } });
  });
});
