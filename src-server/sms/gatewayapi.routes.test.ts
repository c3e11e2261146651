import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendSmsMeetingResponse } from '../../src-shared/sms/sms.contract';
import { DB_KINDS } from '../test-support/test-app';
import { tokenFor } from '../test-support/tokens';
import { useTestApp } from '../test-support/use-test-app';
import { GatewayApiGateway } from './gatewayapi-gateway';
import { FakeGatewayApi, signedReport } from './gatewayapi.test-kit';
import { SmsSendError } from './sms-gateway';

const ORG = 'region-h';
const TOKEN = 'gwapi-token-for-tests';
const SECRET = 'webhook-secret-0123456789';

describe.each(DB_KINDS)('SMS through GatewayAPI on %s', (kind) => {
  const provider = new FakeGatewayApi();
  let url: string;
  beforeAll(async () => {
    url = await provider.start();
  });
  afterAll(() => provider.close());
  const t = useTestApp(kind, () => ({
    env: { VDX_SMS_PROVIDER: 'gatewayapi', VDX_SMS_GATEWAY_URL: url, VDX_SMS_GATEWAY_TOKEN: TOKEN, VDX_SMS_WEBHOOK_SECRET: SECRET },
  }));
  let anne: string;
  beforeAll(async () => {
    anne = await tokenFor(t, { roles: ['meeting-user'], email: 'anne@region-h.dk', organisation: ORG });
    await t.store.db.updateTable('organisations').set({ allow_ad_hoc_meetings: 1, sms_sender_name: 'RegionH' }).where('code', '=', ORG).execute();
  });

  const send = async (phone: string, message?: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/sms/v1/meetings',
      headers: { authorization: `Bearer ${anne}` },
      payload: { recipients: [{ phone }], ...(message ? { message } : {}) },
    });
    expect(res.statusCode, res.body).toBe(201);
    return SendSmsMeetingResponse.parse(res.json()).messages[0]!;
  };
  const status = async (id: string) => (await t.app.inject({ method: 'GET', url: `/sms/v1/messages/${id}`, headers: { authorization: `Bearer ${anne}` } })).json();
  const report = async (signature: string | undefined) =>
    t.app.inject({ method: 'POST', url: '/sms/v1/delivery-reports/gatewayapi', headers: signature ? { 'x-gwapi-signature': signature } : {}, payload: {} });

  it("hands the message to GatewayAPI in its documented shape, and a signed DELIVERED report marks it delivered", async () => {
    const m = await send('20 12 34 56');
    await t.handles.sms.dispatcher.drain();
    const got = provider.received.at(-1)!;
    expect(got.authorization).toBe(`Basic ${Buffer.from(`${TOKEN}:`).toString('base64')}`);
    expect(got.body).toMatchObject({ sender: 'RegionH', recipients: [{ msisdn: 4520123456 }], userref: `sms:${m.id}`, callback_url: 'http://vdx.test/sms/v1/delivery-reports/gatewayapi' });
    expect(got.body.message).toContain(m.link);
    expect(got.body.encoding).toBeUndefined();
    expect(await status(m.id)).toMatchObject({ status: 'sent', attempts: 1 });

    const res = await report(await signedReport(SECRET, { id: got.acceptedId, msisdn: 4520123456, time: 1772438400, status: 'DELIVERED', userref: `sms:${m.id}` }));
    expect(res.statusCode).toBe(204);
    const after = await status(m.id);
    expect(after).toMatchObject({ status: 'delivered', reason: null });
    expect(after.deliveredAt).toBe(t.clock.now().toISOString());
    // A late intermediate report does not undo it.
    await report(await signedReport(SECRET, { id: got.acceptedId, status: 'ENROUTE' }));
    expect((await status(m.id)).status).toBe('delivered');
  });

  it('refuses a report that is unsigned or signed with another secret, and changes nothing', async () => {
    const m = await send('20 12 34 58');
    await t.handles.sms.dispatcher.drain();
    const id = provider.received.at(-1)!.acceptedId;
    const forged = await report(await signedReport('another-secret-0123456789', { id, status: 'UNDELIVERABLE' }));
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('invalid_signature');
    expect((await report(undefined)).json().error.code).toBe('signature_missing');
    expect((await status(m.id)).status).toBe('sent');
    await report(await signedReport(SECRET, { id, status: 'UNDELIVERABLE', error: 'Invalid MSISDN', code: '0x2' }));
    expect(await status(m.id)).toMatchObject({ status: 'failed', reason: 'UNDELIVERABLE Invalid MSISDN (0x2)' });
  });

  it('retries a 5xx with backoff until GatewayAPI takes the message, which it then holds once', async () => {
    provider.script.push({ status: 503 }, { status: 500 });
    const m = await send('20 12 34 59');
    await t.handles.sms.dispatcher.drain();
    expect(await status(m.id)).toMatchObject({ status: 'queued', reason: 'gatewayapi answered 503' });
    t.clock.advance(5_000);
    await t.handles.sms.dispatcher.drain();
    expect(await status(m.id)).toMatchObject({ status: 'queued', reason: 'gatewayapi answered 500', attempts: 2 });
    t.clock.advance(10_000);
    await t.handles.sms.dispatcher.drain();
    expect(await status(m.id)).toMatchObject({ status: 'sent', attempts: 3 });
    const forThis = provider.received.filter((r) => r.body.userref === `sms:${m.id}`);
    expect(forThis).toHaveLength(3);
    expect(forThis.filter((r) => r.acceptedId !== undefined)).toHaveLength(1);
  });

  it('fails a refused message at once with the reason GatewayAPI gives, and sends UCS-2 when the text needs it', async () => {
    provider.script.push({ status: 422, body: { code: 'INVALID_JSON', message: 'Invalid json request body' } });
    const refused = await send('20 12 34 60');
    await t.handles.sms.dispatcher.drain();
    expect(await status(refused.id)).toMatchObject({ status: 'failed', reason: 'gatewayapi refused the message: 422 (INVALID_JSON: Invalid json request body)', attempts: 1 });
    const emoji = await send('20 12 34 61', 'Hej 👋');
    await t.handles.sms.dispatcher.drain();
    expect(provider.received.at(-1)!.body).toMatchObject({ encoding: 'UCS2', message: `Hej 👋\n${emoji.link}` });
  });
});

describe('the GatewayAPI adapter', () => {
  const provider = new FakeGatewayApi();
  let url: string;
  beforeAll(async () => {
    url = await provider.start();
  });
  afterAll(() => provider.close());
  const sms = { messageId: 'm1', idempotencyKey: 'sms:m1', organisation: 'o', to: '+4520123456', sender: 'VDX', text: 'Hej' };

  it('gives up on a provider that does not answer when the send job aborts, as retryable', async () => {
    provider.script.push('hang');
    const gateway = new GatewayApiGateway({ url, token: TOKEN });
    const err = await gateway.send(sms, AbortSignal.timeout(100)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmsSendError);
    expect(err).toMatchObject({ retryable: true });
  });

  it('counts an unreachable provider as retryable', async () => {
    const gateway = new GatewayApiGateway({ url: 'http://127.0.0.1:9/rest/mtsms', token: TOKEN });
    await expect(gateway.send(sms, AbortSignal.timeout(2000))).rejects.toMatchObject({ retryable: true, reason: expect.stringMatching(/^gatewayapi unreachable/) });
  });
});
