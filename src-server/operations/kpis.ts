import { sql, type ExpressionBuilder } from 'kysely';
import { HEALTH_CHECK_PROJECT_CODE } from '../../src-shared/booking/health-check';
import { copenhagenMidnight } from '../../src-shared/booking/vdx-time';
import type { MonthKpis } from '../../src-shared/operations/kpis.schema';
import type { Store } from '../db/database';
import type { Database } from '../db/schema';
import { SAMPLE_INTERVAL_MS as UPTIME_SLOT_MS } from './uptime-prober';

/** A month as `YYYY-MM` (years 2000–2999, so a typo cannot ask for the year 20266). */
export const MONTH_PATTERN = /^(2\d{3})-(0[1-9]|1[0-2])$/;


/** The instant a month begins in Copenhagen. */
export function monthStart(year: number, month: number): Date {
  return new Date(copenhagenMidnight(`${year}-${String(month).padStart(2, '0')}-01`));
}

/** The months from `from` to `to`, both `YYYY-MM` and inclusive, each with its [start, end). */
export function monthsBetween(from: string, to: string): Array<{ month: string; start: Date; end: Date }> {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  const out: Array<{ month: string; start: Date; end: Date }> = [];
  for (let y = fy, m = fm; y < ty || (y === ty && m <= tm); m === 12 ? ((y += 1), (m = 1)) : (m += 1)) {
    const next = m === 12 ? monthStart(y + 1, 1) : monthStart(y, m + 1);
    out.push({ month: `${y}-${String(m).padStart(2, '0')}`, start: monthStart(y, m), end: next });
  }
  return out;
}

const n = (v: unknown): number => Number(v ?? 0);

/**
 * The monthly service table MedCom reports VDX by (decision 0020), for each month from `from` to
 * `to`, computed in the database from the call records, the booking tables, the SMS jobs and the
 * prober's uptime samples — so every instance answers the same, and a month can be reported long
 * after it ended. `organisations`: the codes to count (an admin's
 * subtree); undefined counts the whole service, including the node's own fixed VMRs, which belong
 * to no organisation.
 */
export async function monthlyKpis(
  store: Store,
  range: { from: string; to: string; organisations?: readonly string[]; now: Date },
): Promise<MonthKpis[]> {
  const months = monthsBetween(range.from, range.to);
  // Uptime is counted from the first sample the prober ever stored: before it, nothing ran to tell.
  const first = await store.db.selectFrom('uptime_samples').select((eb) => eb.fn.min('slot_at').as('first')).executeTakeFirst();
  const firstSample = first?.first ? new Date(first.first) : null;
  return Promise.all(months.map((m) => monthKpis(store, m, range.organisations, range.now, firstSample)));
}

async function monthKpis(
  store: Store,
  m: { month: string; start: Date; end: Date },
  organisations: readonly string[] | undefined,
  now: Date,
  firstSample: Date | null,
): Promise<MonthKpis> {
  const db = store.db;
  const start = m.start.toISOString();
  const end = m.end.toISOString();
  // `in ()` is not SQL: an empty subtree (an unknown code) matches no real code instead.
  if (organisations && organisations.length === 0) organisations = ['\u0000'];
  const calls = (eb: ExpressionBuilder<Database, 'conference_calls'>) =>
    eb.and([
      eb('joined_at', '>=', start),
      eb('joined_at', '<', end),
      eb('excluded', '=', 0),
      ...(organisations ? [eb('organisation_code', 'in', organisations)] : []),
    ]);

  // Handed to the gateway (`sent_at`) or reported delivered (`delivered_at`) in the month.
  const smsCount = (column: 'sent_at' | 'delivered_at') =>
    db
      .selectFrom('sms_messages')
      .where(column, '>=', start)
      .where(column, '<', end)
      .$if(organisations !== undefined, (q) => q.where('organisation_code', 'in', organisations!))
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow();

  const [callTotals, peak, booked, sms, delivered, uptime] = await Promise.all([
    db
      .selectFrom('conference_calls')
      .where(calls)
      .select((eb) => [
        eb.fn.countAll().as('calls'),
        eb.fn.count('session_id').distinct().as('meetings'),
        eb.fn.count('quality_good').as('judged'),
        eb.fn.sum('quality_good').as('good'),
      ])
      .executeTakeFirstOrThrow(),
    peakConcurrency(store, calls),
    db
      .selectFrom('booking_meetings')
      .where('start_time', '>=', start)
      .where('start_time', '<', end)
      .where((eb) => eb.or([eb('project_code', 'is', null), eb('project_code', '!=', HEALTH_CHECK_PROJECT_CODE)]))
      .$if(organisations !== undefined, (q) => q.where('organisation_code', 'in', organisations!))
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow(),
    smsCount('sent_at'),
    smsCount('delivered_at'),
    uptimeOf(store, m, now, firstSample),
  ]);
  const judged = n(callTotals.judged);
  return {
    month: m.month,
    meetings: n(callTotals.meetings),
    meetingsBooked: n(booked.count),
    calls: n(callTotals.calls),
    sms: n(sms.count),
    smsDelivered: n(delivered.count),
    videoQualityPercent: judged === 0 ? null : round2((n(callTotals.good) / judged) * 100),
    peakConcurrentParticipants: peak.count,
    peakAt: peak.at,
    uptimeInfrastructurePercent: uptime['conference-node'],
    uptimeApiPercent: uptime['booking-api'],
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The most calls at once among the month's calls: every join is +1 and every leave −1, summed in
 * time order by a window function (a leave sorts before a join at the same instant, so a handover
 * is not an overlap). A call still open counts until now.
 */
async function peakConcurrency(
  store: Store,
  calls: (eb: ExpressionBuilder<Database, 'conference_calls'>) => ReturnType<ExpressionBuilder<Database, 'conference_calls'>['and']>,
): Promise<{ count: number; at: string | null }> {
  const db = store.db;
  const events = db
    .selectFrom('conference_calls')
    .where(calls)
    .select([sql<string>`joined_at`.as('t'), sql<number>`1`.as('d')])
    .unionAll(
      db
        .selectFrom('conference_calls')
        .where(calls)
        .where('left_at', 'is not', null)
        .select([sql<string>`left_at`.as('t'), sql<number>`-1`.as('d')]),
    );
  const top = await db
    .selectFrom(
      db
        .selectFrom(events.as('ev'))
        .select(['t', sql<number>`sum(d) over (order by t, d rows between unbounded preceding and current row)`.as('c')])
        .as('w'),
    )
    .select(['t', 'c'])
    .orderBy('c', 'desc')
    .orderBy('t')
    .limit(1)
    .executeTakeFirst();
  return top ? { count: n(top.c), at: new Date(top.t).toISOString() } : { count: 0, at: null };
}

/**
 * Each component's share of good 30 s slots in the part of the month the prober could have seen
 * (from its first sample ever, until now). A missing slot counts as down: a prober cannot record
 * the outage of the server it runs in.
 */
async function uptimeOf(
  store: Store,
  m: { start: Date; end: Date },
  now: Date,
  firstSample: Date | null,
): Promise<Record<'conference-node' | 'booking-api', number | null>> {
  const none = { 'conference-node': null, 'booking-api': null };
  if (!firstSample) return none;
  const from = Math.max(m.start.getTime(), Math.floor(firstSample.getTime() / UPTIME_SLOT_MS) * UPTIME_SLOT_MS);
  const to = Math.min(m.end.getTime(), now.getTime());
  const slots = Math.floor((to - from) / UPTIME_SLOT_MS);
  if (slots <= 0) return none;
  const rows = await store.db
    .selectFrom('uptime_samples')
    .where('component', 'in', ['conference-node', 'booking-api'])
    .where('slot_at', '>=', new Date(from).toISOString())
    .where('slot_at', '<', new Date(from + slots * UPTIME_SLOT_MS).toISOString())
    .where('ok', '=', 1)
    .groupBy('component')
    .select((eb) => ['component', eb.fn.countAll().as('ok')])
    .execute();
  const share = (c: string) => round2(Math.min(100, (n(rows.find((r) => r.component === c)?.ok) / slots) * 100));
  return { 'conference-node': share('conference-node'), 'booking-api': share('booking-api') };
}
