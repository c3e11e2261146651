/**
 * The unmodified @pexip/infinity SDK in Chromium against our conference node: two participants
 * in direct media (peer-to-peer, the node relays SDP and ICE), PIN flows, lock/waiting room/admit,
 * leave and rejoin, and a booked meeting from provisioning to its end and deprovisioning.
 */
import { expect, test } from '@playwright/test';
import { adminHeaders } from '../../src-server/conference/conference.test-support';
import { call, callers, meetingBody, templateBody } from '../../src-server/booking/booking.test-support';
import type { TestApp } from '../../src-server/test-support/test-app';
import { startSdkHarness, type SdkHarness, type SdkParticipant } from './sdk-harness';

test.describe('SDK in Chromium: direct media and conference control', () => {
  let h: SdkHarness;
  test.beforeAll(async () => {
    test.setTimeout(60_000);
    h = await startSdkHarness({ media: 'real' });
  });
  test.afterAll(async () => {
    test.setTimeout(30_000);
    await h?.close();
  });

  const connectedBothWays = async (a: SdkParticipant, b: SdkParticipant) => {
    await a.waitForFrames('1');
    await b.waitForFrames('1');
  };

  test('two participants see each other peer-to-peer, chat over the data channel, raise a hand and share a screen', async () => {
    test.setTimeout(90_000);
    await h.createVmr('p2p');
    const a = await h.participant('Alice');
    const b = await h.participant('Bob');
    await a.join('p2p', '1234');
    await a.waitFor('A in the conference', (s) => s.connected && s.serviceType === 'conference');
    await b.join('p2p', '5678');
    await connectedBothWays(a, b);
    const sa = await a.state();
    expect(sa.directMedia).toBe(true);
    // pex_datachannel_id (3) is the mid of the SDK's m=application section.
    expect(String(await a.do('localSdp'))).toMatch(/m=application[^]*?a=mid:3/);

    const live = (await h.t.app.inject({ method: 'GET', url: '/management/v1/conferences', headers: await adminHeaders(h.t) })).json();
    expect(live.conferences[0]).toMatchObject({ alias: 'p2p', mediaMode: 'direct' });
    expect(live.conferences[0].participants.map((p: { role: string }) => p.role).sort()).toEqual(['GUEST', 'HOST']);

    await a.do('sendChat', 'Hej fra Alice');
    await b.waitFor('chat from A', (s) => s.messages.some((m) => m.message === 'Hej fra Alice' && m.displayName === 'Alice'));

    await b.do('raiseHand', true);
    await a.waitFor('B raised hand', (s) => s.participants.some((p) => p.displayName === 'Bob' && p.raisedHand));

    await a.do('present');
    await b.waitFor('presentation stream', (s) => s.presentationStreams > 0, 20_000).catch(async (err: Error) => {
      throw new Error(`${err.message}\n--- Alice:\n${(await a.state()).log.slice(-25).join('\n')}`);
    });
    await b.waitForFrames('2');
    await a.waitFor('A presenting', (s) => s.participants.some((p) => p.displayName === 'Alice' && p.isPresenting));
    // Main video still flows during the presentation.
    await a.waitForFrames('1');

    await b.do('leave');
    await a.waitFor('peer_disconnect after B left', (s) => s.peerDisconnects > 0 && s.participants.length === 1);
    // Rejoin: the restarted call pairs again.
    const b2 = await h.participant('Bob');
    await b2.join('p2p', '5678');
    await connectedBothWays(a, b2);
    await a.do('leave');
    await b2.do('leave');
  });

  test('asks for a PIN, refuses a wrong one, and lets a locked room\'s guest in when the host admits', async () => {
    test.setTimeout(90_000);
    await h.createVmr('lobby');
    const host = await h.participant('Vært');
    await host.join('lobby');
    await host.waitFor('PIN prompt', (s) => s.pinRequired?.hasHostPin === true && s.pinRequired.hasGuestPin === true);
    await host.join('lobby', '0000');
    await host.waitFor('Invalid PIN error', (s) => s.errors.some((e) => e.error === 'Invalid PIN' && e.errorCode === '#pex101'));
    await host.join('lobby', '1234');
    await host.waitFor('host in', (s) => s.connected && s.serviceType === 'conference');
    await host.do('lock', true);
    await host.waitFor('locked', (s) => s.locked);

    const guest = await h.participant('Gæst');
    await guest.join('lobby', '5678');
    const waiting = await guest.waitFor('waiting room', (s) => s.serviceType === 'waiting_room');
    expect(waiting.serviceType).toBe('waiting_room');
    const seen = await host.waitFor('guest visible', (s) => s.participants.some((p) => p.displayName === 'Gæst' && p.serviceType === 'waiting_room'));
    const guestUuid = seen.participants.find((p) => p.displayName === 'Gæst')!.uuid;
    await host.do('admit', guestUuid);
    await guest.waitFor('admitted', (s) => s.serviceType === 'conference');
    await connectedBothWays(host, guest);
    await host.do('leave');
    await guest.do('leave');
  });

  test('hosts a booked meeting from provisioning, ends it at its end time and deprovisions it', async () => {
    test.setTimeout(90_000);
    const t = h.t as unknown as TestApp;
    const c = await callers(t);
    expect((await call(t, c.admin, 'POST', 'scheduling-templates', templateBody({ endMeetingOnEndTime: true, uriDomain: 'video.test' }))).statusCode).toBe(200);
    const now = h.clock.now().getTime();
    // Opens 15 minutes before its start (the template's vMRAvailableBefore): not due yet.
    const start = new Date(now + 60 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const end = new Date(now + 90 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const created = await call(t, c.userA, 'POST', 'meetings', meetingBody({ startTime: start, endTime: end }));
    expect(created.statusCode, created.body).toBe(200);
    const before = (await h.t.handles.booking.schedulingInfo.bookedByUuid(created.json().uuid))!.schedulingInfo;
    expect(before.provisionStatus).toBe('AWAITS_PROVISION');

    const early = await h.participant('Tidlig');
    await early.join(before.uriWithDomain, String(before.hostPin));
    await early.waitFor('not found before provisioning', (s) => s.errors.some((e) => e.error === 'Neither conference nor gateway found'));

    h.clock.set(new Date(now + 45 * 60_000));
    await h.t.handles.conferenceProvisioner.runOnce();
    const info = (await h.t.handles.booking.schedulingInfo.bookedByUuid(created.json().uuid))!.schedulingInfo;
    expect(info).toMatchObject({ provisionStatus: 'PROVISIONED_OK', provisionVmrId: `booked:${info.uuid}` });

    const a = await h.participant('Læge');
    const b = await h.participant('Borger');
    await a.join(info.uriWithDomain, String(info.hostPin));
    await a.waitFor('host in', (s) => s.connected);
    // The address without domain is the same room; no guest PIN → "none".
    await b.join(info.uriWithoutDomain, 'none');
    await connectedBothWays(a, b);

    h.clock.set(end);
    await h.t.handles.conferences.tick();
    await a.waitFor('ended at end time', (s) => s.disconnected !== null);
    await b.waitFor('ended at end time', (s) => s.disconnected !== null);

    await h.t.handles.conferenceProvisioner.runOnce();
    const after = (await h.t.handles.booking.schedulingInfo.bookedByUuid(created.json().uuid))!.schedulingInfo;
    expect(after.provisionStatus).toBe('DEPROVISION_OK');
    const late = await h.participant('Sen');
    await late.join(info.uriWithDomain, String(info.hostPin));
    await late.waitFor('not found after deprovisioning', (s) => s.errors.some((e) => e.error === 'Neither conference nor gateway found'));
  });
});
