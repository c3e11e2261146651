import * as tokenV from '@pexip/infinity-api/dist/token/validation.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { PersonalLinkSchema } from '../../src-shared/join/join-meeting.schema';
import { SendSmsMeetingResponse } from '../../src-shared/sms/sms.contract';
import { call, templateBody } from '../booking/booking.test-support';
import { DB_KINDS, type TestApp } from '../test-support/test-app';
import { tokenFor } from '../test-support/tokens';
import { useTestApp } from '../test-support/use-test-app';

const ORG = 'region-h';
const tokenOf = (link: string) => link.split('#p=')[1]!;

const lookup = (t: TestApp, token: string) => t.app.inject({ method: 'POST', url: '/join-api/v1/personal-link', payload: { token } });
const requestToken = (t: TestApp, alias: string, pin: string | undefined, displayName = 'Hvem som helst') =>
  t.app.inject({ method: 'POST', url: `/api/client/v2/conferences/${alias}/request_token`, headers: pin === undefined ? {} : { pin }, payload: { display_name: displayName } });

describe.each(DB_KINDS)('joining by personal link on %s', (kind) => {
  const t = useTestApp(kind);
  let sent: SendSmsMeetingResponse;
  let alias: string;
  let pins: { hostPin: number; guestPin: number };

  beforeAll(async () => {
    const admin = await tokenFor(t, { roles: ['meeting-admin'], email: 'admin@region-h.dk', organisation: ORG });
    await t.store.db.updateTable('organisations').set({ allow_ad_hoc_meetings: 1 }).where('code', '=', ORG).execute();
    // Both PINs required, so a link that did not replace them would be stopped at the door.
    expect((await call(t, admin, 'POST', 'scheduling-templates', templateBody({ guestPinRequired: true, vMRAvailableBefore: 0 }))).statusCode).toBe(200);
    const anne = await tokenFor(t, { roles: ['meeting-user'], email: 'anne@region-h.dk', organisation: ORG });
    const res = await t.app.inject({
      method: 'POST',
      url: '/sms/v1/meetings',
      headers: { authorization: `Bearer ${anne}` },
      payload: { recipients: [{ phone: '20 12 34 56', name: 'Karen Jensen' }, { phone: '20 12 34 57' }] },
    });
    expect(res.statusCode, res.body).toBe(201);
    sent = SendSmsMeetingResponse.parse(res.json());
    const info = (await call(t, anne, 'GET', `scheduling-info/${sent.meeting.uuid}`)).json();
    alias = info.uriWithDomain;
    pins = { hostPin: info.hostPin, guestPin: info.guestPin };
    expect(pins.hostPin).toBeTruthy();
    expect(pins.guestPin).toBeTruthy();
  });

  it('tells the page the meeting and the name to join as, and never a PIN', async () => {
    const res = await lookup(t, tokenOf(sent.messages[0]!.link));
    expect(res.statusCode, res.body).toBe(200);
    expect(PersonalLinkSchema.parse(res.json())).toMatchObject({ shortId: sent.meeting.shortId, alias, displayName: 'Karen Jensen', role: 'guest' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).not.toContain(String(pins.guestPin));
    expect(res.body).not.toContain(String(pins.hostPin));
    expect((await lookup(t, tokenOf(sent.hostLink))).json()).toMatchObject({ role: 'host', displayName: 'anne@region-h.dk' });
  });

  it("admits the link's holder as that named guest without the PIN, and the host link as host", async () => {
    // Without the link, the PIN is asked for.
    expect((await requestToken(t, alias, undefined)).statusCode).toBe(403);
    const guest = await requestToken(t, alias, `link:${tokenOf(sent.messages[0]!.link)}`, 'Ændret navn');
    expect(guest.statusCode, guest.body).toBe(200);
    expect(tokenV.validateRequestToken200(guest.json())).toBe(true);
    expect(guest.json().result).toMatchObject({ role: 'GUEST', display_name: 'Karen Jensen' });
    const unnamed = await requestToken(t, alias, `link:${tokenOf(sent.messages[1]!.link)}`);
    expect(unnamed.json().result).toMatchObject({ role: 'GUEST', display_name: 'Gæst' });
    const host = await requestToken(t, alias, `link:${tokenOf(sent.hostLink)}`);
    expect(host.json().result).toMatchObject({ role: 'HOST' });
  });

  it('refuses a made-up or malformed token like a wrong PIN, and says so on the page', async () => {
    const madeUp = await requestToken(t, alias, `link:${'A'.repeat(24)}`);
    expect(madeUp.statusCode).toBe(403);
    expect(madeUp.json().result).toBe('Invalid PIN');
    expect((await lookup(t, 'A'.repeat(24))).json().error).toMatchObject({ code: 'link_not_found' });
    expect((await lookup(t, 'kort')).statusCode).toBe(400);
  });

  it('is dead once the meeting has ended', async () => {
    t.clock.advance(61 * 60_000);
    const res = await lookup(t, tokenOf(sent.messages[0]!.link));
    expect(res.statusCode).toBe(410);
    expect(res.json().error).toMatchObject({ code: 'link_expired', message: 'Mødet er slut, og linket virker ikke længere.' });
  });
});
