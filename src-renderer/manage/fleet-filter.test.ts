import { describe, expect, it } from 'vitest';
import type { Room } from '../../src-shared/devices/rooms.schema';
import { translate } from '../i18n/translate';
import { DEFAULT_SORT, filterChoices, filterRows, fleetCsv, NO_FILTER, sortRows } from './fleet-filter';
import { fleetRows, localeOf, type FleetFormat } from './fleet-format';
import { device } from './fleet.test-kit';

const fmt: FleetFormat = { t: (key, params) => translate('da', key, params), locale: localeOf('da'), timeZone: 'Europe/Copenhagen' };
const room = (id: string, name: string, updateChannel: 'stable' | 'beta' = 'stable'): Room =>
  ({ id, name, location: `${name} – stuen`, updateChannel }) as Room;
const ROOMS = [room('r1', 'Åstuen'), room('r2', 'Øresund', 'beta'), room('r3', 'Bakken')];
const rows = fleetRows(
  [
    device({ id: 'a', roomId: 'r1', hostname: 'kiosk-a', organisationCode: 'region-h', appVersion: '1.10.0', lastSeenAt: '2026-03-02T09:00:00.000Z' }),
    device({ id: 'b', roomId: 'r2', hostname: 'kiosk-b', organisationCode: 'region-s', appVersion: '1.9.2', status: 'offline', lastSeenAt: '2026-03-01T09:00:00.000Z' }),
    device({ id: 'c', roomId: 'r3', hostname: 'kiosk-c', organisationCode: 'region-h', appVersion: '1.9.2', status: 'degraded', degradedReasons: ['packet_loss'], lastSeenAt: null }),
    device({ id: 'd', roomId: 'r3', hostname: 'kiosk-d', organisationCode: 'region-s', appVersion: '1.10.0', revokedAt: '2026-03-02T08:00:00.000Z' }),
  ],
  ROOMS,
  'da-DK',
);
const ids = (r: typeof rows) => r.map((x) => x.device.id);

describe('fleet filters', () => {
  it('searches room name, location, host name, organisation and version, ignoring case', () => {
    expect(ids(filterRows(rows, { ...NO_FILTER, q: 'øresund' }))).toEqual(['b']);
    expect(ids(filterRows(rows, { ...NO_FILTER, q: 'KIOSK-C' }))).toEqual(['c']);
    expect(ids(filterRows(rows, { ...NO_FILTER, q: 'region-s' }))).toEqual(['b', 'd']);
    expect(ids(filterRows(rows, { ...NO_FILTER, q: 'bakken – stuen' }))).toEqual(['c', 'd']);
    expect(filterRows(rows, NO_FILTER)).toBe(rows);
  });

  it('narrows by status (revoked is its own), organisation, version and the room’s channel, combined', () => {
    expect(ids(filterRows(rows, { ...NO_FILTER, status: 'revoked' }))).toEqual(['d']);
    expect(ids(filterRows(rows, { ...NO_FILTER, status: 'online' }))).toEqual(['a']);
    expect(ids(filterRows(rows, { ...NO_FILTER, organisation: 'region-h', version: '1.9.2' }))).toEqual(['c']);
    expect(ids(filterRows(rows, { ...NO_FILTER, channel: 'beta' }))).toEqual(['b']);
    expect(ids(filterRows(rows, { ...NO_FILTER, channel: 'beta', status: 'online' }))).toEqual([]);
  });

  it('offers the organisations and versions present, versions newest first (numerically)', () => {
    expect(filterChoices(rows, 'da-DK')).toEqual({ organisations: ['region-h', 'region-s'], versions: ['1.10.0', '1.9.2'] });
  });
});

describe('fleet sorting', () => {
  it('keeps the default order for room ascending, and reverses it for descending', () => {
    expect(ids(sortRows(rows, DEFAULT_SORT, 'da-DK'))).toEqual(ids(rows));
    // Danish order: Bakken, Øresund, Åstuen.
    expect(ids(sortRows(rows, { key: 'room', dir: 'desc' }, 'da-DK'))).toEqual(['a', 'b', 'd', 'c']);
  });

  it('sorts by status worst first, by version numerically, and never-seen as longest ago', () => {
    expect(ids(sortRows(rows, { key: 'status', dir: 'asc' }, 'da-DK'))).toEqual(['d', 'b', 'c', 'a']);
    expect(ids(sortRows(rows, { key: 'version', dir: 'desc' }, 'da-DK'))).toEqual(['a', 'd', 'c', 'b']);
    expect(ids(sortRows(rows, { key: 'lastSeen', dir: 'asc' }, 'da-DK'))[0]).toBe('c');
  });
});

describe('fleet CSV', () => {
  it('writes a header and one quoted, semicolon-separated line per row, with a BOM for spreadsheets', () => {
    const csv = fleetCsv(rows.slice(0, 2), fmt);
    expect(csv.startsWith('\uFEFF"Lokale";"Placering";"Værtsnavn";"Organisation";"Status"')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('"Øresund";"Øresund – stuen";"kiosk-b";"region-s";"Offline";"Ukendt";"Ikke kørt endnu";"1.9.2";"Beta";"2026-03-01T09:00:00.000Z"');
  });

  it('defuses cells a spreadsheet would run as formulas, and doubles quotes', () => {
    const evil = fleetRows([device({ roomId: 'x', hostname: '=HYPERLINK("http://evil")' })], [room('x', '+"Lokale"')], 'da-DK');
    const line = fleetCsv(evil, fmt).slice(1).split('\r\n')[1]!;
    expect(line.startsWith(`"'+""Lokale""";`)).toBe(true);
    expect(line).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });
});
