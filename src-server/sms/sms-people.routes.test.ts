import { describe, expect, it } from 'vitest';
import { SendSmsMeetingResponse } from '../../src-shared/sms/sms.contract';
import { createPerson, identitySuite, signIn, type WallClock } from '../identity/staff-sign-in.test-support';
import { DB_KINDS, type TestApp } from '../test-support/test-app';

describe.each(DB_KINDS)("SMS Video with a signed-in person's token on %s", (kind) => {
  let t: TestApp;
  let clock: WallClock;
  const lines: string[] = [];
  identitySuite(kind, (built) => ({ t, clock } = built), { VDX_LOG_LEVEL: 'trace' }, { logStream: { write: (line) => void lines.push(line) } });

  it('a clinician signed in to the demo organisation (which allows ad hoc) texts a citizen; the number stays out of the log', async () => {
    await createPerson(t, { email: 'laege@vdx.dk', roles: ['meeting-user'] });
    const token = (await signIn(t, 'laege@vdx.dk', { ip: '10.9.7.1' })).tokens.access_token;
    const res = await t.app.inject({
      method: 'POST',
      url: '/sms/v1/meetings',
      headers: { authorization: `Bearer ${token}` },
      payload: { recipients: [{ phone: '+45 28 77 66 55', name: 'Borger' }] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = SendSmsMeetingResponse.parse(res.json());
    expect(body.meeting).toMatchObject({ organizedBy: { organisationId: t.config.bootstrapOrganisation, email: 'laege@vdx.dk' } });
    expect(body.messages[0]).toMatchObject({ phone: '+4528776655', status: 'queued' });
    await t.handles.sms.dispatcher.drain();
    const status = await t.app.inject({ method: 'GET', url: `/sms/v1/messages/${body.messages[0]!.id}`, headers: { authorization: `Bearer ${token}` } });
    expect(status.json()).toMatchObject({ status: 'sent' });

    const refused = await t.app.inject({
      method: 'POST',
      url: '/sms/v1/meetings',
      headers: { authorization: `Bearer ${token}` },
      payload: { recipients: [{ phone: '+45 2877665' }] },
    });
    expect(refused.json().error).toMatchObject({ code: 'invalid_phone', details: { phone: '+45 2877665' } });

    const log = lines.join('');
    expect(log).toContain('sms sent');
    expect(log).toContain('+45******55');
    for (const secret of ['28776655', '28 77 66 55', '2877665', body.messages[0]!.link.split('#p=')[1]!, body.hostLink.split('#p=')[1]!]) {
      expect(log).not.toContain(secret);
    }
    void clock;
  });
});
