import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { copenhagenMidnight, copenhagenParts } from '../../src-shared/booking/vdx-time';
import type { ComponentId, ComponentStatus, Incident, IncidentStatus, StatusDocument } from '../../src-shared/operations/status.schema';
import type { Clock } from '../../src-shared/platform/clock';
import type { Store } from '../db/database';
import type { Database } from '../db/schema';
import { notFound } from '../http/errors';
import { COMPONENTS } from './health-probes';
import type { IncidentTable } from './operations.tables';
import { SAMPLE_INTERVAL_MS, slotOf } from './uptime-prober';

/** Days of daily uptime bars on the status page. */
export const STATUS_DAYS = 90;
/** A passing probe slower than this shows the component as degraded. */
const SLOW_MS = 2_000;
/** The newest sample counts as "now" for this long (a round may be late or in flight). */
const FRESH_MS = 3 * SAMPLE_INTERVAL_MS;
/** The public document is computed at most this often (the page is public and may be busy). */
const CACHE_MS = 15_000;
/** Resolved incidents stay on the page this long. */
const RESOLVED_SHOWN_MS = 7 * 24 * 3600_000;

const DAY_MS = 24 * 3600_000;

type Db = Kysely<Database>;

/** `YYYY-MM-DD` plus `days` (negative: earlier), as calendar arithmetic on the date alone. */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export const incidentNotFound = (id: string) => notFound('incident_not_found', `No incident ${id}`);

/**
 * What the public status page shows: each component's state now (its newest probe sample and
 * open incidents), 90 days of daily uptime from the prober's samples — a slot without a sample is
 * downtime — and the incidents admins write. Computed in the database, so every instance answers
 * the same.
 */
export class StatusPage {
  #cached?: { at: number; document: StatusDocument };

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async document(): Promise<StatusDocument> {
    const now = this.clock.now();
    if (this.#cached && now.getTime() - this.#cached.at < CACHE_MS && now.getTime() >= this.#cached.at) return this.#cached.document;
    const [latest, uptime, incidents] = await Promise.all([this.#latestSamples(now), this.#dailyUptime(now), this.#shownIncidents(now)]);
    const document: StatusDocument = {
      components: COMPONENTS.map((c) => {
        const sample = latest.get(c.id);
        const open = incidents.filter((i) => i.status !== 'resolved' && i.componentIds.includes(c.id));
        return { id: c.id, name: c.name, status: statusOf(sample, open.length > 0), checkedAt: sample?.slot_at ?? null, uptime: uptime.get(c.id) ?? [] };
      }),
      incidents,
      generatedAt: now.toISOString(),
    };
    this.#cached = { at: now.getTime(), document };
    return document;
  }

  /** Forgets the cached document (an admin just changed an incident). */
  invalidate(): void {
    this.#cached = undefined;
  }

  async #latestSamples(now: Date): Promise<Map<string, { ok: number; response_ms: number; slot_at: string }>> {
    const rows = await this.store.db
      .selectFrom('uptime_samples')
      .select(['component', 'ok', 'response_ms', 'slot_at'])
      .where('slot_at', '>=', new Date(now.getTime() - FRESH_MS).toISOString())
      .orderBy('slot_at', 'desc')
      .execute();
    const latest = new Map<string, { ok: number; response_ms: number; slot_at: string }>();
    for (const r of rows) if (!latest.has(r.component)) latest.set(r.component, r);
    return latest;
  }

  async #dailyUptime(now: Date): Promise<Map<string, { date: string; uptimePercent: number | null }[]>> {
    const today = copenhagenParts(now).date;
    const firstDay = addDays(today, -(STATUS_DAYS - 1));
    const [counts, first] = await Promise.all([
      this.store.db
        .selectFrom('uptime_samples')
        .select((eb) => ['component', 'day', eb.fn.sum<number | string>('ok').as('ok')])
        .where('day', '>=', firstDay)
        .groupBy(['component', 'day'])
        .execute(),
      this.store.db.selectFrom('uptime_samples').select((eb) => eb.fn.min<string>('slot_at').as('first')).executeTakeFirst(),
    ]);
    const okBy = new Map(counts.map((r) => [`${r.component} ${r.day}`, Number(r.ok)]));
    const probingSince = first?.first ? Date.parse(first.first) : undefined;
    // Slots up to and including the current one count (the current one may be probed a moment
    // later: a dip of one slot in 2,880 until it is).
    const until = slotOf(now).getTime() + SAMPLE_INTERVAL_MS;
    const result = new Map<string, { date: string; uptimePercent: number | null }[]>();
    for (const c of COMPONENTS) {
      const days: { date: string; uptimePercent: number | null }[] = [];
      for (let i = 0; i < STATUS_DAYS; i++) {
        const date = addDays(firstDay, i);
        const from = Math.max(copenhagenMidnight(date), probingSince ?? Infinity);
        const to = Math.min(copenhagenMidnight(addDays(date, 1)), until);
        const expected = Math.ceil((to - from) / SAMPLE_INTERVAL_MS);
        const ok = okBy.get(`${c.id} ${date}`) ?? 0;
        days.push({ date, uptimePercent: expected > 0 ? Math.min(100, Math.round((10_000 * ok) / expected) / 100) : ok > 0 ? 100 : null });
      }
      result.set(c.id, days);
    }
    return result;
  }

  async #shownIncidents(now: Date): Promise<Incident[]> {
    const since = new Date(now.getTime() - RESOLVED_SHOWN_MS).toISOString();
    const rows = await this.store.db
      .selectFrom('incidents')
      .selectAll()
      .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', since)]))
      .orderBy('created_at', 'desc')
      .execute();
    return withUpdates(this.store.db, rows);
  }
}

function statusOf(sample: { ok: number; response_ms: number } | undefined, openIncident: boolean): ComponentStatus {
  if (sample && sample.ok === 0) return 'outage';
  if (openIncident || (sample && sample.response_ms > SLOW_MS)) return 'degraded';
  return 'operational';
}

async function withUpdates(db: Db, rows: Selectable<IncidentTable>[]): Promise<Incident[]> {
  if (rows.length === 0) return [];
  const updates = await db
    .selectFrom('incident_updates')
    .selectAll()
    .where(
      'incident_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('seq', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    status: r.status as IncidentStatus,
    componentIds: JSON.parse(r.component_ids) as ComponentId[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    resolvedAt: r.resolved_at,
    updates: updates.filter((u) => u.incident_id === r.id).map((u) => ({ status: u.status as IncidentStatus, message: u.message, createdAt: u.created_at })),
  }));
}

/** Incidents as admins write them: every status change or message is one more public update. */
export class Incidents {
  constructor(private readonly clock: Clock) {}

  async list(db: Db): Promise<Incident[]> {
    return withUpdates(db, await db.selectFrom('incidents').selectAll().orderBy('created_at', 'desc').execute());
  }

  async get(db: Db, id: string): Promise<Incident> {
    const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw incidentNotFound(id);
    return (await withUpdates(db, [row]))[0]!;
  }

  async create(db: Db, input: { title: string; status: IncidentStatus; componentIds: ComponentId[]; message: string }): Promise<Incident> {
    const id = randomUUID();
    const now = this.clock.now().toISOString();
    await db
      .insertInto('incidents')
      .values({ id, title: input.title, status: input.status, component_ids: JSON.stringify(input.componentIds), created_at: now, updated_at: now, resolved_at: input.status === 'resolved' ? now : null })
      .execute();
    await db.insertInto('incident_updates').values({ id: randomUUID(), incident_id: id, seq: 1, status: input.status, message: input.message, created_at: now }).execute();
    return this.get(db, id);
  }

  async update(db: Db, id: string, patch: { title?: string; status?: IncidentStatus; componentIds?: ComponentId[]; message?: string }): Promise<Incident> {
    const before = await this.get(db, id);
    const now = this.clock.now().toISOString();
    const status = patch.status ?? before.status;
    await db
      .updateTable('incidents')
      .set({
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.componentIds !== undefined ? { component_ids: JSON.stringify(patch.componentIds) } : {}),
        status,
        // Reopening clears the time it was resolved; resolving again sets it anew.
        resolved_at: status === 'resolved' ? (before.resolvedAt ?? now) : null,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    if (patch.message !== undefined || (patch.status !== undefined && patch.status !== before.status)) {
      await db
        .insertInto('incident_updates')
        // After the UPDATE above, which holds the incident's row: a concurrent change waits for
        // this one, then counts its update too.
        .values({ id: randomUUID(), incident_id: id, seq: sql<number>`(select coalesce(max(seq), 0) + 1 from incident_updates where incident_id = ${id})`, status, message: patch.message ?? '', created_at: now })
        .execute();
    }
    return this.get(db, id);
  }
}
