import { describe, expect, it } from 'vitest';
import type { Room } from '../../src-shared/devices/rooms.schema';
import { translate, type Language } from '../i18n/translate';
import {
  callText,
  fleetRows,
  formatAgo,
  isInCall,
  localeOf,
  preflightView,
  qualityFigures,
  rowStatus,
  statusText,
  type FleetFormat,
} from './fleet-format';
import { device } from './fleet.test-kit';

const fmtFor = (language: Language): FleetFormat => ({
  t: (key, params) => translate(language, key, params),
  locale: localeOf(language),
  timeZone: 'Europe/Copenhagen',
});
const da = fmtFor('da');
const en = fmtFor('en');

const IN_CALL = { state: 'in_call' as const, alias: 'meet.7@vdx.dk', participants: 3, since: '2026-03-02T09:02:00.000Z' };
const QUALITY = { packetLossPercent: 1.46, jitterMs: 12, bitrateKbps: 2400, resolution: { width: 1280, height: 720 }, frameRate: 29.97, roundTripMs: 40 };

describe('status words', () => {
  it('spells out the status, with the reasons when degraded', () => {
    expect(statusText(device(), da)).toBe('Online');
    expect(statusText(device({ status: 'offline' }), da)).toBe('Offline');
    expect(statusText(device({ status: 'degraded', degradedReasons: ['packet_loss', 'no_camera'] }), da)).toBe('Nedsat drift: pakketab, intet kamera');
    expect(statusText(device({ status: 'degraded', degradedReasons: ['packet_loss'] }), en)).toBe('Degraded: packet loss');
  });

  it('says a revoked device is revoked whatever its last heartbeat said', () => {
    const revoked = device({ revokedAt: '2026-03-02T09:05:00.000Z', callState: IN_CALL });
    expect(rowStatus(revoked)).toBe('revoked');
    expect(statusText(revoked, da)).toBe('Adgang tilbagekaldt');
    expect(isInCall(revoked)).toBe(false);
  });
});

describe('call state', () => {
  it('describes a call with alias, participants and start time', () => {
    const d = device({ callState: IN_CALL });
    expect(isInCall(d)).toBe(true);
    expect(callText(d, da)).toBe('I møde · meet.7@vdx.dk · 3 deltagere · siden 10.02');
    expect(callText(d, en)).toBe('In a meeting · meet.7@vdx.dk · 3 participants · since 10:02');
  });

  it('calls an idle room idle and an offline room unknown (its last call state is stale)', () => {
    expect(callText(device(), da)).toBe('Ledig');
    const offline = device({ status: 'offline', callState: IN_CALL });
    expect(isInCall(offline)).toBe(false);
    expect(callText(offline, da)).toBe('Ukendt');
  });
});

describe('quality figures', () => {
  it('formats every figure the heartbeat carries, with Danish decimal commas', () => {
    expect(qualityFigures(QUALITY, da)).toEqual(['Pakketab 1,5 %', 'Jitter 12 ms', '2.400 kbit/s', '1280×720', '30 fps', 'Svartid 40 ms']);
    expect(qualityFigures(QUALITY, en)).toEqual(['Packet loss 1.5 %', 'Jitter 12 ms', '2,400 kbit/s', '1280×720', '30 fps', 'Round trip 40 ms']);
  });

  it('leaves out what the device did not measure, and has nothing without a call', () => {
    expect(qualityFigures({ ...QUALITY, resolution: null, roundTripMs: undefined }, da)).toEqual(['Pakketab 1,5 %', 'Jitter 12 ms', '2.400 kbit/s', '30 fps']);
    expect(qualityFigures(null, da)).toEqual([]);
  });
});

describe('pre-flight', () => {
  const checked = {
    checkedAt: '2026-03-02T08:58:30.000Z',
    receivedAt: '2026-03-02T08:58:31.000Z',
    camera: { ok: false, detail: 'NotReadableError' },
    microphone: { ok: true, deviceLabel: 'Bordmikrofon' },
    conferenceNode: { ok: true, latencyMs: 42 },
  };

  it('names the failing part and why', () => {
    const view = preflightView({ ...checked, ok: false }, da);
    // Local time (Copenhagen); ICU versions differ on the comma between date and time.
    expect(view.checkedAt).toMatch(/^kørt 02\.03\.2026,? 09\.58$/);
    expect(view).toEqual({
      ok: false,
      headline: 'Fejlet',
      checkedAt: view.checkedAt,
      parts: ['Kamera: fejl (NotReadableError)', 'Mikrofon: ok (Bordmikrofon)', 'Mødeserver: ok (42 ms)'],
    });
  });

  it('says when no check has run yet', () => {
    expect(preflightView(null, da)).toEqual({ ok: null, headline: 'Ikke kørt endnu', parts: [] });
  });
});

describe('last seen', () => {
  const now = new Date('2026-03-02T12:00:00.000Z');
  it('counts seconds, minutes and hours, then gives the date', () => {
    expect(formatAgo('2026-03-02T11:59:48.000Z', now, da)).toBe('for 12 s siden');
    expect(formatAgo('2026-03-02T11:55:30.000Z', now, da)).toBe('for 4 min. siden');
    expect(formatAgo('2026-03-02T09:00:00.000Z', now, en)).toBe('3 h ago');
    expect(formatAgo('2026-02-27T09:00:00.000Z', now, en)).toMatch(/^27\/02\/2026,? 10:00$/);
    expect(formatAgo(null, now, da)).toBe('Aldrig');
  });

  it('never says a time in the future (device clock ahead of ours)', () => {
    expect(formatAgo('2026-03-02T12:00:05.000Z', now, da)).toBe('for 0 s siden');
  });
});

describe('rows', () => {
  const room = (id: string, name: string): Room => ({ id, name, location: null } as Room);
  it('sorts by room name in Danish order, host name next, revoked devices last', () => {
    const rows = fleetRows(
      [
        device({ id: 'a', roomId: 'r2', hostname: 'b' }),
        device({ id: 'b', roomId: 'r1', revokedAt: '2026-03-02T09:05:00.000Z' }),
        device({ id: 'c', roomId: 'r1', hostname: 'z' }),
        device({ id: 'd', roomId: 'r2', hostname: 'a' }),
        device({ id: 'e', roomId: 'gone' }),
      ],
      [room('r1', 'Åstuen'), room('r2', 'Øresund')],
      'da-DK',
    );
    expect(rows.map((r) => r.device.id)).toEqual(['e', 'd', 'a', 'c', 'b']);
    expect(rows[0]!.roomName).toBeNull();
    expect(rows[1]!.roomName).toBe('Øresund');
  });
});
