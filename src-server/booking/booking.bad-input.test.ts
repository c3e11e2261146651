import { beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test-support/test-app';
import { useTestApp } from '../test-support/use-test-app';
import { tokenFor } from '../test-support/tokens';
import { API, ORG, meetingBody, templateBody, stopEmbeddedProvisioner } from './booking.test-support';

/**
 * Generated bad input: at least 1,000 bodies that are invalid by construction (wrong types,
 * overlong strings, unknown enum values, impossible dates, malformed JSON, nulls where a value is
 * required, huge or fractional numbers) thrown at every booking write endpoint. Every answer must
 * be a 4xx in the VDX error format, and the booking tables must be byte-for-byte unchanged.
 * A seeded PRNG keeps a failure reproducible: the failing case prints its seed index and body.
 */
const CASES_PER_KIND = 1200;
const SEED = 0x5eed_b00c;

/** mulberry32: small, fast, good enough to pick mutations. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
  };
}
type Rng = ReturnType<typeof prng>;

type FieldKind =
  | { kind: 'string'; max: number }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'bool' }
  | { kind: 'enum' }
  | { kind: 'date' }
  | { kind: 'labels' }
  | { kind: 'info' };
interface Field {
  name: string;
  type: FieldKind;
  /** Null is invalid here (required, or a PATCH field that may not be cleared). */
  nullInvalid: boolean;
  /** Absence is invalid here. */
  required: boolean;
}

const f = (name: string, type: FieldKind, required = false, nullInvalid = required): Field => ({ name, type, required, nullInvalid });

const INT32 = { kind: 'int', min: -(2 ** 31), max: 2 ** 31 - 1 } as const;
const INT64 = { kind: 'int', min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER } as const;
const PIN = { kind: 'int', min: 1000, max: 999_999_999 } as const;

const MEETING_CREATE: Field[] = [
  f('subject', { kind: 'string', max: 100 }, true),
  f('description', { kind: 'string', max: 500 }),
  f('projectCode', { kind: 'string', max: 100 }),
  f('startTime', { kind: 'date' }, true),
  f('endTime', { kind: 'date' }, true),
  f('organizedByEmail', { kind: 'string', max: 255 }),
  f('schedulingTemplateId', INT64),
  f('meetingType', { kind: 'enum' }),
  f('guestMicrophone', { kind: 'enum' }),
  f('guestPinRequired', { kind: 'bool' }),
  f('hostPin', PIN),
  f('guestPin', PIN),
  f('labels', { kind: 'labels' }),
  f('additionalInformation', { kind: 'info' }),
  f('externalId', { kind: 'string', max: 200 }),
  f('maxParticipants', INT32),
  f('vmrType', { kind: 'enum' }),
  f('hostView', { kind: 'enum' }),
  f('vmrQuality', { kind: 'enum' }),
  f('muteAllGuests', { kind: 'bool' }),
];
// The spec's update-meeting and patch-meeting fields (others are ignored, so they cannot be bad input).
const UPDATE_FIELDS = ['subject', 'description', 'projectCode', 'startTime', 'endTime', 'organizedByEmail', 'labels', 'additionalInformation'];
const MEETING_UPDATE: Field[] = MEETING_CREATE.filter((x) => UPDATE_FIELDS.includes(x.name));
const NOT_CLEARABLE = ['subject', 'startTime', 'endTime', 'guestMicrophone', 'guestPinRequired'];
const MEETING_PATCH: Field[] = MEETING_CREATE.filter((x) => [...UPDATE_FIELDS, 'guestMicrophone', 'guestPinRequired', 'hostPin', 'guestPin'].includes(x.name)).map((x) => ({
  ...x,
  required: false,
  nullInvalid: NOT_CLEARABLE.includes(x.name),
}));
const TEMPLATE: Field[] = [
  // The spec's schedulingTemplateRequest: seven required fields, the rest optional with defaults.
  f('conferencingSysId', INT64, true),
  f('uriPrefix', { kind: 'string', max: 100 }, true),
  f('uriDomain', { kind: 'string', max: 100 }, true),
  f('uriNumberRangeLow', INT64, true),
  f('uriNumberRangeHigh', INT64, true),
  f('hostPinRequired', { kind: 'bool' }, true),
  f('hostPinRangeLow', INT64),
  f('guestPinRequired', { kind: 'bool' }, true),
  f('vMRAvailableBefore', INT32),
  f('maxParticipants', INT32),
  f('endMeetingOnEndTime', { kind: 'bool' }),
  f('ivrTheme', { kind: 'string', max: 100 }),
  f('customPortalGuest', { kind: 'string', max: 200 }),
  f('returnUrl', { kind: 'string', max: 200 }),
  f('isDefaultTemplate', { kind: 'bool' }),
  f('isPoolTemplate', { kind: 'bool' }),
  f('directMedia', { kind: 'enum' }),
  f('guestView', { kind: 'enum' }),
];
const INFO_CREATE: Field[] = [
  f('organizationId', { kind: 'string', max: 30 }, true),
  f('schedulingTemplateId', INT64, true),
  f('provisionStatus', { kind: 'enum' }),
  f('provisionVmrId', { kind: 'string', max: 50 }),
];
const INFO_UPDATE: Field[] = [
  f('provisionStatus', { kind: 'enum' }, true),
  f('provisionVmrId', { kind: 'string', max: 50 }),
  f('provisionStatusDescription', { kind: 'string', max: 200 }),
];

const IMPOSSIBLE_DATES = [
  '2026-02-30T10:00:00Z', '2026-13-01T10:00:00Z', '2026-00-10T10:00:00Z', '2026-04-31T10:00:00Z',
  '2026-03-10T24:00:00Z', '2026-03-10T10:60:00Z', '2026-03-10T10:00:61Z', '20260-03-10T10:00:00Z',
  '226-03-10T10:00:00Z', '2026-3-10T10:00:00Z', '2026-03-10 10:00:00Z', '2026-03-10T10:00:00',
  '2026-03-10', 'i morgen', '', '2026-03-10T10:00:00+25:00', '2025-02-29T12:00:00Z',
];
const WEIRD = [1e308, -1e308, -1, 1.5, 2 ** 53, -(2 ** 31), -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER + 2];

/** A value that is certainly invalid for the field (never null, never absent). */
function invalidValue(rng: Rng, field: Field): unknown {
  const wrongType = () => rng.pick<unknown>([true, 12345, 'tekst', [], {}, [1, 2], { a: 1 }].filter((v) => {
    switch (field.type.kind) {
      case 'string': case 'enum': case 'date': return typeof v !== 'string';
      case 'int': return typeof v !== 'number';
      case 'bool': return typeof v !== 'boolean';
      case 'labels': case 'info': return !Array.isArray(v) || v.length > 0;
    }
  }));
  switch (field.type.kind) {
    case 'string':
      return rng.next() < 0.6 ? 'å'.repeat(field.type.max + 1 + rng.int(0, 5000)) : wrongType();
    case 'int': {
      // A string of digits is an integer to the API (as to the real service's JSON reader); these are not.
      const { min, max } = field.type;
      return rng.pick<unknown>([max + 1, min - 1, ...WEIRD.filter((w) => !(Number.isInteger(w) && w >= min && w <= max)), `${rng.int(0, 100)}x`, '', wrongType()]);
    }
    case 'bool':
      return rng.pick<unknown>(['true', 0, 1, 'ja', wrongType()]);
    case 'enum':
      return rng.pick<unknown>(['UNKNOWN', 'normal', 'On', 'HD', '', 'x'.repeat(300), wrongType()]);
    case 'date':
      return rng.next() < 0.75 ? rng.pick(IMPOSSIBLE_DATES) : rng.pick<unknown>([1700000000000, wrongType()]);
    case 'labels':
      return rng.pick<unknown>([['ok', 5], ['x'.repeat(1025)], Array.from({ length: 1001 }, (_, i) => `l${i}`), [null], 'label', wrongType()]);
    case 'info':
      return rng.pick<unknown>([[{ key: 'k' }], [{ value: 'v' }], [{ key: 'k'.repeat(101), value: 'v' }], [{ key: 'k', value: 'v'.repeat(101) }], [{ key: 1, value: 'v' }], [null], [{ key: 'k', value: 'v' }, { key: 'k', value: 'w' }], 'k=v', wrongType()]);
  }
}

type Mutation = { raw: string; contentType?: string } | { json: unknown };

function mutate(rng: Rng, base: Record<string, unknown>, fields: Field[]): Mutation {
  const roll = rng.next();
  if (roll < 0.07) {
    // Malformed JSON: cut the valid body short, or break it.
    const text = JSON.stringify(base);
    return { raw: rng.pick([text.slice(0, rng.int(1, text.length - 1)), text.replace(':', ''), `${text},`, "{'subject': 'x'}", '{"a":1}{"b":2}', 'null x', '\u0000']) };
  }
  if (roll < 0.1) return { json: rng.pick<unknown>([null, [], [base], 'tekst', 42, true]) };
  if (roll < 0.12) return { raw: JSON.stringify(base), contentType: rng.pick(['text/plain', 'application/xml']) };
  const body: Record<string, unknown> = { ...base };
  const required = fields.filter((x) => x.required);
  const nullable = fields.filter((x) => x.nullInvalid);
  const choice = rng.next();
  if (choice < 0.12 && required.length) delete body[rng.pick(required).name];
  else if (choice < 0.24 && nullable.length) body[rng.pick(nullable).name] = null;
  else {
    // One or several certainly-invalid values.
    const count = rng.next() < 0.7 ? 1 : rng.int(2, 5);
    for (let i = 0; i < count; i++) {
      const field = rng.pick(fields);
      body[field.name] = invalidValue(rng, field);
    }
  }
  return { json: body };
}

describe.each(DB_KINDS)('booking write endpoints under generated bad input on %s', (kind) => {
  const t = useTestApp(kind);
  let token: string;
  let meetingUuid: string;
  let templateId: number;
  beforeAll(async () => {
    await stopEmbeddedProvisioner(t);
    token = await tokenFor(t, { roles: ['meeting-admin', 'meeting-planner', 'meeting-provisioner-user'], organisation: ORG, email: 'fuzz@region-h.dk', poolSize: 3 });
    const tpl = await t.app.inject({ method: 'POST', url: `${API}/scheduling-templates`, headers: { authorization: `Bearer ${token}` }, payload: templateBody() });
    templateId = tpl.json().id;
    const m = await t.app.inject({ method: 'POST', url: `${API}/meetings`, headers: { authorization: `Bearer ${token}` }, payload: meetingBody({ labels: ['a'], additionalInformation: [{ key: 'k', value: 'v' }] }) });
    meetingUuid = m.json().uuid;
    expect(meetingUuid).toBeTruthy();
  });

  /** Every booking row, in a stable order: equal snapshots mean nothing was written. */
  const snapshot = async () =>
    JSON.stringify([
      await t.store.db.selectFrom('booking_meetings').selectAll().orderBy('uuid').execute(),
      await t.store.db.selectFrom('booking_meeting_labels').selectAll().orderBy('meeting_uuid').orderBy('label').execute(),
      await t.store.db.selectFrom('booking_scheduling_infos').selectAll().orderBy('uuid').execute(),
      await t.store.db.selectFrom('booking_templates').selectAll().orderBy('id').execute(),
    ]);

  it(`answers ${CASES_PER_KIND} invalid bodies with a VDX 4xx and stores nothing`, async () => {
    const targets = [
      { method: 'POST' as const, url: `${API}/meetings`, base: meetingBody({ labels: ['x'], hostPin: 1234 }), fields: MEETING_CREATE },
      { method: 'PUT' as const, url: `${API}/meetings/${meetingUuid}`, base: meetingBody({ labels: ['y'] }), fields: MEETING_UPDATE },
      { method: 'PATCH' as const, url: `${API}/meetings/${meetingUuid}`, base: { subject: 'Ny', labels: ['z'] }, fields: MEETING_PATCH },
      { method: 'POST' as const, url: `${API}/scheduling-templates`, base: templateBody(), fields: TEMPLATE },
      { method: 'PUT' as const, url: `${API}/scheduling-templates/${templateId}`, base: templateBody({ maxParticipants: 20 }), fields: TEMPLATE },
      { method: 'POST' as const, url: `${API}/scheduling-info`, base: { organizationId: ORG }, fields: INFO_CREATE },
      { method: 'PUT' as const, url: `${API}/scheduling-info/${meetingUuid}`, base: { provisionStatus: 'PROVISIONED_OK' }, fields: INFO_UPDATE },
    ];
    const before = await snapshot();
    const rng = prng(SEED);
    const statuses = new Map<number, number>();
    for (let i = 0; i < CASES_PER_KIND; i++) {
      const target = targets[i % targets.length]!;
      const mutation = mutate(rng, target.base, target.fields);
      const res = await t.app.inject({
        method: target.method,
        url: target.url,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'raw' in mutation ? (mutation.contentType ?? 'application/json') : 'application/json',
        },
        payload: 'raw' in mutation ? mutation.raw : JSON.stringify(mutation.json),
      });
      const ctx = `case ${i}: ${target.method} ${target.url} ${('raw' in mutation ? mutation.raw : JSON.stringify(mutation.json)).slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
      expect(res.statusCode >= 400 && res.statusCode < 500, ctx).toBe(true);
      const body = res.json() as Record<string, unknown>;
      expect(Object.keys(body).sort(), ctx).toEqual(['detailed_error', 'detailed_error_code', 'error', 'path', 'status', 'timestamp']);
      expect(body.status, ctx).toBe(res.statusCode);
      expect(body.detailed_error_code, ctx).toMatch(/^[0-9]{2}$/);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    }
    expect(await snapshot()).toBe(before);
    // The generator must really have exercised the validation, not some other 4xx path.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(CASES_PER_KIND * 0.8);
  }, 120_000);
});
