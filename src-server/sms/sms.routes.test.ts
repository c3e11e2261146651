import { beforeAll, describe, expect, it } from 'vitest';
import { SendSmsMeetingResponse, SmsMessageDto, SmsOutboxList } from '../../src-shared/sms/sms.contract';
import type { VdxRole } from '../../src-shared/auth/roles';
import { DB_KINDS, type TestApp } from '../test-support/test-app';
import { tokenFor } from '../test-support/tokens';
import { useTestApp } from '../test-support/use-test-app';
import { hashPersonalToken } from './personal-link';

const ORG = 'region-h';
const OTHER = 'region-s';

async function allowAdHoc(t: TestApp, code: string, senderName: string | null = null) {
  await t.store.db.updateTable('organisations').set({ allow_ad_hoc_meetings: 1, sms_sender_name: senderName }).where('code', '=', code).execute();
}

function send(t: TestApp, token: string | null, body: unknown) {
  return t.app.inject({ method: 'POST', url: '/sms/v1/meetings', headers: token ? { authorization: `Bearer ${token}` } : {}, payload: body as object });
}

function get(t: TestApp, token: string, url: string) {
  return t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
}

async function counts(t: TestApp) {
  const n = async (table: 'booking_meetings' | 'sms_messages' | 'sms_links' | 'sms_outbox') =>
    Number((await t.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { meetings: await n('booking_meetings'), messages: await n('sms_messages'), links: await n('sms_links'), outbox: await n('sms_outbox') };
}

describe.each(DB_KINDS)('SMS Video routes on %s', (kind) => {
  const t = useTestApp(kind);
  const tok = (roles: VdxRole[], email: string | undefined, organisation = ORG, managementAdmin = false) => tokenFor(t, { roles, email, organisation, managementAdmin });
  let anne: string;
  let bo: string;
  let planner: string;
  let otherPlanner: string;
  let provisioner: string;
  let itAdmin: string;
  let otherItAdmin: string;

  beforeAll(async () => {
    anne = await tok(['meeting-user'], 'anne@region-h.dk');
    bo = await tok(['meeting-user'], 'bo@region-h.dk');
    planner = await tok(['meeting-planner'], 'planner@region-h.dk');
    provisioner = await tok(['meeting-provisioner'], undefined);
    otherPlanner = await tok(['meeting-planner'], 'planner@region-s.dk', OTHER);
    itAdmin = await tok([], 'it@vdx.dk', 'vdx', true);
    otherItAdmin = await tok([], 'it@region-s.dk', OTHER, true);
    await allowAdHoc(t, ORG, 'RegionH');
  });

  it('starts a meeting now and queues a personal link per recipient, which the send job puts in the outbox', async () => {
    const res = await send(t, anne, { recipients: [{ phone: '20 12 34 56', name: 'Karen Jensen' }, { phone: '+46 70 123 45 67' }] });
    expect(res.statusCode, res.body).toBe(201);
    const body = SendSmsMeetingResponse.parse(res.json());
    expect(body.meeting).toMatchObject({ subject: 'Video via SMS', organizedBy: { organisationId: ORG, email: 'anne@region-h.dk' } });
    expect(body.hostLink).toMatch(new RegExp(`^http://vdx\\.test/join/${body.meeting.shortId}#p=[A-Za-z0-9_-]{24}$`));
    expect(body.messages.map((m) => [m.phone, m.name, m.status])).toEqual([
      ['+4520123456', 'Karen Jensen', 'queued'],
      ['+46701234567', null, 'queued'],
    ]);
    const [karen, other] = body.messages;
    expect(karen!.link).toMatch(new RegExp(`/join/${body.meeting.shortId}#p=`));
    expect(new Set([body.hostLink, karen!.link, other!.link]).size).toBe(3);

    await t.handles.sms.dispatcher.drain();
    const status = await get(t, anne, `/sms/v1/messages/${karen!.id}`);
    expect(status.statusCode).toBe(200);
    expect(SmsMessageDto.parse(status.json())).toMatchObject({ id: karen!.id, phone: '+4520123456', status: 'sent', attempts: 1, meetingUuid: body.meeting.uuid, segments: { encoding: 'GSM-7', count: 1 } });

    const outbox = await get(t, itAdmin, '/management/v1/sms-outbox');
    expect(outbox.statusCode).toBe(200);
    const entries = SmsOutboxList.parse(outbox.json()).filter((e) => e.messageId === karen!.id || e.messageId === other!.id);
    expect(entries).toHaveLength(2);
    const karensText = entries.find((e) => e.messageId === karen!.id)!;
    expect(karensText).toMatchObject({ phone: '+4520123456', status: 'sent', senderName: 'RegionH', organisationCode: ORG });
    expect(karensText.text).toBe(`Hej Karen Jensen. Du er inviteret til et videomøde, som starter nu. Tryk på linket for at deltage:\n${karen!.link}`);
    // Only the token's hash is kept.
    const token = karen!.link.split('#p=')[1]!;
    const links = await t.store.db.selectFrom('sms_links').selectAll().where('meeting_uuid', '=', body.meeting.uuid).execute();
    expect(links.map((l) => [l.role, l.display_name]).sort()).toEqual([['guest', 'Gæst'], ['guest', 'Karen Jensen'], ['host', 'anne@region-h.dk']]);
    expect(links.some((l) => l.token_hash === hashPersonalToken(token))).toBe(true);
    expect(JSON.stringify(links)).not.toContain(token);
  });

  it('refuses a wrong number with invalid_phone, in Danish, naming it as typed, and creates and sends nothing', async () => {
    const before = await counts(t);
    const res = await send(t, anne, { recipients: [{ phone: '20123456' }, { phone: '12 34 5' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: { code: 'invalid_phone', message: expect.stringMatching(/^Det er ikke et gyldigt mobilnummer/), details: { phone: '12 34 5', reason: 'invalid' } },
    });
    const landline = await send(t, anne, { recipients: [{ phone: '+44 20 7946 0958' }] });
    expect(landline.json().error).toMatchObject({ code: 'invalid_phone', details: { phone: '+44 20 7946 0958', reason: 'not_mobile' } });
    const twice = await send(t, anne, { recipients: [{ phone: '20123456' }, { phone: '+45 20 12 34 56' }] });
    expect(twice.json().error.code).toBe('duplicate_phone');
    const tooLong = await send(t, anne, { recipients: [{ phone: '20123456' }], message: 'Ø'.repeat(400) + ' 👋' });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error).toMatchObject({ code: 'message_too_long', details: { maxSegments: 6 } });
    expect(await counts(t)).toEqual(before);
  });

  it('answers 401 without a token, 403 to a caller that may not create meetings, 400 code 19 where ad hoc is not allowed', async () => {
    const body = { recipients: [{ phone: '20123456' }] };
    expect((await send(t, null, body)).statusCode).toBe(401);
    const refused = await send(t, provisioner, body);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('meeting_role_required');
    const before = await counts(t);
    const noAdHoc = await send(t, otherPlanner, body);
    expect(noAdHoc.statusCode).toBe(400);
    expect(noAdHoc.json().error).toMatchObject({ code: 'ad_hoc_not_allowed', details: { vdxCode: 19 } });
    expect(noAdHoc.json().error.message).toMatch(/ad hoc-møder/);
    expect(await counts(t)).toEqual(before);
  });

  it("shows a message to its sender and the organisation's planners only", async () => {
    const res = await send(t, anne, { recipients: [{ phone: '21 12 34 56' }] });
    const id = (res.json() as { messages: { id: string }[] }).messages[0]!.id;
    expect((await get(t, anne, `/sms/v1/messages/${id}`)).statusCode).toBe(200);
    expect((await get(t, planner, `/sms/v1/messages/${id}`)).json()).toMatchObject({ id, phone: '+4521123456' });
    const colleague = await get(t, bo, `/sms/v1/messages/${id}`);
    expect(colleague.statusCode).toBe(403);
    expect(colleague.json().error.code).toBe('sms_not_yours');
    expect((await get(t, otherPlanner, `/sms/v1/messages/${id}`)).statusCode).toBe(403);
    expect((await get(t, anne, '/sms/v1/messages/00000000-0000-4000-8000-000000000000')).json().error.code).toBe('sms_not_found');
  });

  it('lists the outbox newest first to management admins of the organisation subtree only', async () => {
    t.clock.advance(1000);
    await send(t, anne, { recipients: [{ phone: '22 12 34 56' }], message: 'Første' });
    await t.handles.sms.dispatcher.drain();
    t.clock.advance(1000);
    await send(t, anne, { recipients: [{ phone: '22 12 34 57' }], message: 'Anden' });
    await t.handles.sms.dispatcher.drain();
    const list = SmsOutboxList.parse((await get(t, itAdmin, '/management/v1/sms-outbox?limit=2')).json());
    expect(list.map((e) => e.text.split('\n')[0])).toEqual(['Anden', 'Første']);
    expect(list[0]!.createdAt > list[1]!.createdAt).toBe(true);
    expect((await get(t, otherItAdmin, '/management/v1/sms-outbox')).json()).toEqual([]);
    expect((await get(t, planner, '/management/v1/sms-outbox')).statusCode).toBe(403);
  });

  it('resends a message as a new one with the same text and link, to its sender only, and not after the meeting', async () => {
    const res = await send(t, anne, { recipients: [{ phone: '23 12 34 56', name: 'Ib' }] });
    const first = (res.json() as SendSmsMeetingResponse).messages[0]!;
    await t.handles.sms.dispatcher.drain();
    expect((await t.app.inject({ method: 'POST', url: `/sms/v1/messages/${first.id}/resend`, headers: { authorization: `Bearer ${bo}` } })).statusCode).toBe(403);
    const again = await t.app.inject({ method: 'POST', url: `/sms/v1/messages/${first.id}/resend`, headers: { authorization: `Bearer ${anne}` } });
    expect(again.statusCode, again.body).toBe(201);
    const second = SmsMessageDto.parse(again.json());
    expect(second).toMatchObject({ phone: '+4523123456', name: 'Ib', status: 'queued', meetingUuid: first.meetingUuid });
    expect(second.id).not.toBe(first.id);
    await t.handles.sms.dispatcher.drain();
    const texts = await t.store.db.selectFrom('sms_outbox').select(['message_id', 'text']).where('message_id', 'in', [first.id, second.id]).execute();
    expect(texts).toHaveLength(2);
    expect(new Set(texts.map((x) => x.text)).size).toBe(1);
    expect(texts[0]!.text).toContain(first.link);
    t.clock.advance(61 * 60_000);
    const late = await t.app.inject({ method: 'POST', url: `/sms/v1/messages/${second.id}/resend`, headers: { authorization: `Bearer ${await tok(['meeting-user'], 'anne@region-h.dk')}` } });
    expect(late.statusCode).toBe(410);
    expect(late.json().error.code).toBe('meeting_ended');
  });
});

describe.each(DB_KINDS)('SMS hourly limits on %s', (kind) => {
  const t = useTestApp(kind, { env: { VDX_SMS_PERSON_HOURLY_LIMIT: '4', VDX_SMS_ORGANISATION_HOURLY_LIMIT: '6' } });
  const phones = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ phone: `+45 2${String(3_123_400 + from + i)}` }));

  it('refuses a person past their hourly limit and an organisation past its own, with 429, a stable code and a Danish message', async () => {
    const anne = await tokenFor(t, { roles: ['meeting-user'], email: 'anne@region-h.dk', organisation: ORG });
    const bo = await tokenFor(t, { roles: ['meeting-user'], email: 'bo@region-h.dk', organisation: ORG });
    await allowAdHoc(t, ORG);
    expect((await send(t, anne, { recipients: phones(4, 0) })).statusCode).toBe(201);
    await t.handles.sms.dispatcher.drain();
    const before = await counts(t);
    const anneAgain = await send(t, anne, { recipients: phones(1, 10) });
    expect(anneAgain.statusCode).toBe(429);
    expect(anneAgain.json().error).toMatchObject({ code: 'sms_rate_limited', message: 'Du kan sende højst 4 SMS i timen. Prøv igen senere.', details: { limit: 4, retryAfterSeconds: 3600 } });
    expect(anneAgain.headers['retry-after']).toBe('3600');
    expect(await counts(t)).toEqual(before);

    expect((await send(t, bo, { recipients: phones(2, 20) })).statusCode).toBe(201);
    const boAgain = await send(t, bo, { recipients: phones(1, 30) });
    expect(boAgain.statusCode).toBe(429);
    expect(boAgain.json().error.code).toBe('sms_organisation_rate_limited');
    expect(boAgain.json().error.message).toMatch(/^Din organisation kan sende højst 6 SMS i timen/);

    // An hour after the first batch, the hour has room again.
    t.clock.advance(3600_000);
    const anneLater = await tokenFor(t, { roles: ['meeting-user'], email: 'anne@region-h.dk', organisation: ORG });
    expect((await send(t, anneLater, { recipients: phones(1, 40) })).statusCode).toBe(201);
  });
});
