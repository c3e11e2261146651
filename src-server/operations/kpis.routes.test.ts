import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisationTree, errorCode, type OrganisationTree } from '../organisations/organisation-tree.test-kit';
import { DB_KINDS, type TestApp } from '../test-support/test-app';
import { authHeader } from '../test-support/tokens';
import { useTestApp } from '../test-support/use-test-app';
import { monthStart } from './kpis';

/** One participant's call, as the conference node's call records write it. */
function call(session: string, org: string | null, joined: string, left: string | null, quality: number | null, excluded = 0) {
  return {
    id: randomUUID(),
    session_id: session,
    room_id: session,
    room_kind: 'booked' as const,
    meeting_uuid: null,
    organisation_code: org,
    excluded,
    participant_uuid: randomUUID(),
    caller_key: randomUUID(),
    role: 'GUEST' as const,
    client_kind: 'sdk',
    node_id: 'node-1',
    joined_at: joined,
    left_at: left,
    samples: quality === null ? 0 : 6,
    loss_sum: 0,
    jitter_sum: 0,
    video_samples: 0,
    fps_sum: 0,
    frozen_samples: 0,
    low_resolution_samples: 0,
    quality_good: quality,
  };
}

function meeting(org: string, start: string, projectCode: string | null = null) {
  const uuid = randomUUID();
  return {
    uuid,
    organisation_code: org,
    organizer_email: 'planner@example.dk',
    subject: 'Udskrivningskonference',
    description: null,
    project_code: projectCode,
    start_time: start,
    end_time: new Date(Date.parse(start) + 3600_000).toISOString(),
    short_id: uuid.slice(0, 8),
    guest_microphone: 'on',
    guest_pin_required: 0,
    labels: '[]',
    additional_information: '[]',
    external_id: null,
    created_by_org: org,
    created_by_email: null,
    updated_by_org: null,
    updated_by_email: null,
    created_at: start,
    updated_at: null,
  };
}

function sms(org: string, sentAt: string, deliveredAt: string | null) {
  const id = randomUUID();
  return {
    id,
    organisation_code: org,
    sender_subject: 'email:laege@example.dk',
    sender_email: 'laege@example.dk',
    meeting_uuid: null,
    phone: '+4520000000',
    recipient_name: null,
    text: 'Video: https://vdx.example.dk/l#x',
    sender_name: 'Hospital',
    status: deliveredAt ? ('delivered' as const) : ('sent' as const),
    failure_reason: null,
    idempotency_key: id,
    attempts: 1,
    next_attempt_at: sentAt,
    lease_until: null,
    provider: 'outbox',
    provider_message_id: id,
    created_at: sentAt,
    updated_at: sentAt,
    sent_at: sentAt,
    delivered_at: deliveredAt,
  };
}

/**
 * The prober's samples for the last hour of February 2026 (Copenhagen), the first it ever stored:
 * the conference node failed 3 slots and 6 slots are missing (the server was down); the API passed all.
 */
function uptimeSamples() {
  const start = Date.parse('2026-02-28T22:00:00Z');
  const rows = [];
  for (let i = 0; i < 120; i++) {
    const slot = new Date(start + i * 30_000).toISOString();
    rows.push({ component: 'booking-api', slot_at: slot, day: '2026-02-28', ok: 1, response_ms: 12, message: null });
    if (i >= 50 && i < 56) continue; // no sample: counts as down
    rows.push({ component: 'conference-node', slot_at: slot, day: '2026-02-28', ok: i < 3 ? 0 : 1, response_ms: 9, message: null });
  }
  return rows;
}

async function seed(t: TestApp) {
  const db = t.store.db;
  await db
    .insertInto('conference_calls')
    .values([
      // 00:30 on 1 February in Copenhagen (still January in UTC): a February meeting of two.
      call('s1', 'region-h', '2026-01-31T23:30:00Z', '2026-01-31T23:50:00Z', 1),
      call('s1', 'region-h', '2026-01-31T23:31:00Z', '2026-01-31T23:50:00Z', 1),
      // Three at once on 10 February; one call bad, one too short to judge.
      call('s2', 'kommune-a', '2026-02-10T10:00:00Z', '2026-02-10T10:30:00Z', 1),
      call('s2', 'kommune-a', '2026-02-10T10:05:00Z', '2026-02-10T10:30:00Z', 0),
      call('s2', 'kommune-a', '2026-02-10T10:10:00Z', '2026-02-10T10:10:20Z', null),
      // MedCom's health check: five test calls that never count.
      ...Array.from({ length: 5 }, () => call('hc', 'region-h', '2026-02-12T07:00:00Z', '2026-02-12T07:01:00Z', 1, 1)),
      call('s0', 'region-s', '2026-01-15T12:00:00Z', '2026-01-15T12:40:00Z', null),
    ])
    .execute();
  await db
    .insertInto('booking_meetings')
    .values([
      meeting('kommune-a', '2026-02-05T09:00:00Z'),
      meeting('region-h', '2026-02-06T09:00:00Z', 'healthcheck'),
      meeting('region-s', '2026-02-07T09:00:00Z'),
    ])
    .execute();
  await db
    .insertInto('sms_messages')
    .values([
      sms('kommune-a', '2026-02-03T08:00:00Z', '2026-02-03T08:00:05Z'),
      sms('region-s', '2026-02-04T08:00:00Z', null),
      // 23:30 on 28 February in UTC is March in Copenhagen.
      sms('region-s', '2026-02-28T23:30:00Z', null),
    ])
    .execute();
  await db.insertInto('uptime_samples').values(uptimeSamples()).execute();
}

describe.each(DB_KINDS)('monthly KPIs (%s)', (kind) => {
  const t = useTestApp(kind);
  let tree: OrganisationTree;
  beforeAll(async () => {
    tree = await buildOrganisationTree(t);
    await seed(t);
  });

  const kpis = (query: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url: `/management/v1/kpis?${query}`, headers });

  it('counts the whole service per Copenhagen month for the national admin', async () => {
    const res = await kpis('from=2026-01&to=2026-02', tree.root);
    expect(res.statusCode, res.body).toBe(200);
    const [jan, feb] = res.json().months;
    expect(jan).toEqual({
      month: '2026-01',
      meetings: 1,
      meetingsBooked: 0,
      calls: 1,
      sms: 0,
      smsDelivered: 0,
      videoQualityPercent: null,
      peakConcurrentParticipants: 1,
      peakAt: '2026-01-15T12:00:00.000Z',
      uptimeInfrastructurePercent: null,
      uptimeApiPercent: null,
    });
    expect(feb).toEqual({
      month: '2026-02',
      meetings: 2,
      meetingsBooked: 2,
      calls: 5,
      sms: 2,
      smsDelivered: 1,
      videoQualityPercent: 75,
      peakConcurrentParticipants: 3,
      peakAt: '2026-02-10T10:10:00.000Z',
      uptimeInfrastructurePercent: 92.5,
      uptimeApiPercent: 100,
    });
  });

  it("an organisation's admin sees its subtree, and may narrow to one organisation in it", async () => {
    const regionH = (await kpis('from=2026-02&to=2026-02', tree.regionH)).json().months[0];
    expect(regionH).toMatchObject({ meetings: 2, calls: 5, meetingsBooked: 1, sms: 1, smsDelivered: 1 });
    const kommune = await kpis('from=2026-02&to=2026-02&organisationCode=kommune-a', tree.regionH);
    expect(kommune.statusCode).toBe(200);
    expect(kommune.json().months[0]).toMatchObject({ meetings: 1, calls: 3, videoQualityPercent: 50, peakConcurrentParticipants: 3 });
    const outside = await kpis('from=2026-02&to=2026-02&organisationCode=region-s', tree.kommuneA);
    expect(outside.statusCode).toBe(403);
    expect(errorCode(outside)).toBe('organisation_out_of_scope');
  });

  it('refuses malformed months, a reversed or too long range, and callers who are not management-admins', async () => {
    for (const [query, code] of [
      ['from=2026-13&to=2026-12', 'validation_failed'],
      ['from=2026-1&to=2026-02', 'validation_failed'],
      ['to=2026-02', 'validation_failed'],
      ['from=2026-03&to=2026-02', 'invalid_range'],
      ['from=2024-01&to=2026-02', 'range_too_long'],
    ] as const) {
      const res = await kpis(query, tree.root);
      expect(res.statusCode, query).toBe(400);
      expect(errorCode(res), query).toBe(code);
    }
    const planner = await authHeader(t, { roles: ['meeting-planner'], organisation: 'region-h' });
    expect((await kpis('from=2026-02&to=2026-02', planner)).statusCode).toBe(403);
  });

  it('a month begins at local midnight: 23:00 UTC in winter, 22:00 UTC in summer', () => {
    expect(monthStart(2026, 2).toISOString()).toBe('2026-01-31T23:00:00.000Z');
    expect(monthStart(2026, 7).toISOString()).toBe('2026-06-30T22:00:00.000Z');
  });
});
