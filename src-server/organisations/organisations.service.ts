import { sql, type Kysely, type Selectable } from 'kysely';
import type {
  CreateOrganisationBody,
  Organisation,
  UpdateOrganisationBody,
} from '../../src-shared/organisations/organisations.schema';
import type { Clock } from '../../src-shared/platform/clock';
import type { Database } from '../db/schema';
import { badRequest, conflict, notFound } from '../http/errors';
import type { OrganisationTable } from './organisations.tables';

/** A database handle or an open transaction. */
type Db = Kysely<Database>;

/**
 * The organisation tree is at most this deep. Real VDX trees are region → hospital → department →
 * unit; the bound keeps every walk up the tree finite even if the data were ever corrupted.
 */
export const MAX_ORGANISATION_DEPTH = 32;

/** The 404 of an unknown organisation; also what an admin gets for one outside its subtree. */
export const organisationNotFound = (code: string) => notFound('organisation_not_found', `No organisation "${code}"`);

/** Looks up one organisation by code — the small lookup other capabilities use. */
export async function getOrganisation(db: Db, code: string): Promise<Organisation | undefined> {
  const row = await db.selectFrom('organisations').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? toOrganisation(row) : undefined;
}

/**
 * The codes of an organisation and its ancestors, nearest first (e.g. for "applies to this
 * organisation or any parent" rules). Empty when the code does not exist.
 */
export async function organisationLineage(db: Db, code: string): Promise<string[]> {
  const lineage: string[] = [];
  let next: string | null = code;
  while (next !== null && lineage.length < MAX_ORGANISATION_DEPTH) {
    const row: { parent_code: string | null } | undefined = await db
      .selectFrom('organisations')
      .select('parent_code')
      .where('code', '=', next)
      .executeTakeFirst();
    if (!row) break;
    lineage.push(next);
    next = row.parent_code;
  }
  return lineage;
}

/**
 * The codes of an organisation and all its descendants (the organisation first), by one recursive
 * query that runs on SQLite and PostgreSQL alike. Depth is bounded like every other walk of the
 * tree. Empty when the code does not exist.
 */
export async function organisationSubtree(db: Db, code: string): Promise<string[]> {
  const rows = await db
    .withRecursive('subtree(code, depth)', (qb) =>
      qb
        .selectFrom('organisations')
        .select(['code', sql<number>`0`.as('depth')])
        .where('code', '=', code)
        .unionAll((u) =>
          u
            .selectFrom('organisations')
            .innerJoin('subtree', 'subtree.code', 'organisations.parent_code')
            .select(['organisations.code', sql<number>`subtree.depth + 1`.as('depth')])
            .where('subtree.depth', '<', MAX_ORGANISATION_DEPTH),
        ),
    )
    .selectFrom('subtree')
    .select('code')
    .orderBy('depth')
    .orderBy('code')
    .execute();
  return [...new Set(rows.map((r) => r.code))];
}

/**
 * Creates the organisation when it is missing (start-up bootstrap); leaves an existing one alone.
 * The bootstrap organisation allows ad hoc meetings (`allowAdHocMeetings`).
 */
export async function ensureOrganisation(db: Db, clock: Clock, code: string, name: string, settings: { allowAdHocMeetings?: boolean } = {}): Promise<void> {
  const now = clock.now().toISOString();
  await db
    .insertInto('organisations')
    .values({
      code,
      name,
      parent_code: null,
      pool_size: 0,
      sms_sender_name: null,
      sms_callback_url: null,
      allow_custom_uri_without_domain: 0,
      allow_ad_hoc_meetings: settings.allowAdHocMeetings ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

/**
 * The organisation tree's rules: codes are unique and immutable, a parent must exist, the tree has
 * no cycles and bounded depth, and an organisation with children or API clients cannot be deleted.
 */
export class Organisations {
  constructor(private readonly clock: Clock) {}

  async list(db: Db): Promise<Organisation[]> {
    const rows = await db.selectFrom('organisations').selectAll().orderBy('code').execute();
    return rows.map(toOrganisation);
  }

  async get(db: Db, code: string): Promise<Organisation> {
    const found = await getOrganisation(db, code);
    if (!found) throw organisationNotFound(code);
    return found;
  }

  async create(db: Db, body: CreateOrganisationBody): Promise<Organisation> {
    if (await getOrganisation(db, body.code)) {
      throw conflict('organisation_exists', `An organisation "${body.code}" already exists`);
    }
    const parentCode = body.parentCode ?? null;
    if (parentCode !== null) await this.checkParent(db, body.code, parentCode);
    const now = this.clock.now().toISOString();
    const insert = db
      .insertInto('organisations')
      .values({
        code: body.code,
        name: body.name,
        parent_code: parentCode,
        pool_size: body.poolSize,
        sms_sender_name: body.smsSenderName ?? null,
        sms_callback_url: body.smsCallbackUrl ?? null,
        allow_custom_uri_without_domain: body.allowCustomUriWithoutDomain ? 1 : 0,
        allow_ad_hoc_meetings: body.allowAdHocMeetings ? 1 : 0,
        created_at: now,
        updated_at: now,
      });
    try {
      await insert.execute();
    } catch (err) {
      // Lost a race: the same code created, or the parent deleted, since we checked.
      if (isUniqueViolation(err)) throw conflict('organisation_exists', `An organisation "${body.code}" already exists`);
      if (isForeignKeyViolation(err)) throw badRequest('parent_not_found', `No parent organisation "${parentCode}"`);
      throw err;
    }
    return this.get(db, body.code);
  }

  async update(db: Db, code: string, patch: UpdateOrganisationBody): Promise<Organisation> {
    await this.get(db, code);
    if (patch.parentCode !== undefined && patch.parentCode !== null) await this.checkParent(db, code, patch.parentCode);
    await db
      .updateTable('organisations')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.parentCode !== undefined ? { parent_code: patch.parentCode } : {}),
        ...(patch.poolSize !== undefined ? { pool_size: patch.poolSize } : {}),
        ...(patch.smsSenderName !== undefined ? { sms_sender_name: patch.smsSenderName } : {}),
        ...(patch.smsCallbackUrl !== undefined ? { sms_callback_url: patch.smsCallbackUrl } : {}),
        ...(patch.allowCustomUriWithoutDomain !== undefined
          ? { allow_custom_uri_without_domain: patch.allowCustomUriWithoutDomain ? 1 : 0 }
          : {}),
        ...(patch.allowAdHocMeetings !== undefined ? { allow_ad_hoc_meetings: patch.allowAdHocMeetings ? 1 : 0 } : {}),
        updated_at: this.clock.now().toISOString(),
      })
      .where('code', '=', code)
      .execute();
    return this.get(db, code);
  }

  /** Deletes a leaf organisation without clients; returns what was deleted. */
  async delete(db: Db, code: string): Promise<Organisation> {
    const existing = await this.get(db, code);
    const child = await db.selectFrom('organisations').select('code').where('parent_code', '=', code).executeTakeFirst();
    if (child) throw conflict('organisation_has_children', `Organisation "${code}" still has child organisations`);
    const client = await db
      .selectFrom('api_clients')
      .select('client_id')
      .where('organisation_code', '=', code)
      .executeTakeFirst();
    if (client) throw conflict('organisation_has_clients', `Organisation "${code}" still has API clients`);
    try {
      await db.deleteFrom('organisations').where('code', '=', code).execute();
    } catch (err) {
      // Other capabilities' rows (rooms, meetings, ...) reference organisations by foreign key.
      if (isForeignKeyViolation(err)) {
        throw conflict('organisation_in_use', `Organisation "${code}" is still referenced by other records`);
      }
      throw err;
    }
    return existing;
  }

  /** The parent must exist, must not be the organisation itself or below it, and depth stays bounded. */
  private async checkParent(db: Db, code: string, parentCode: string): Promise<void> {
    if (parentCode === code) throw badRequest('organisation_cycle', 'An organisation cannot be its own parent');
    if (!(await getOrganisation(db, parentCode))) {
      throw badRequest('parent_not_found', `No parent organisation "${parentCode}"`);
    }
    const ancestors = await organisationLineage(db, parentCode);
    if (ancestors.includes(code)) {
      throw badRequest('organisation_cycle', `"${parentCode}" is below "${code}"; that would make a cycle`);
    }
    if (ancestors.length + 1 + (await this.subtreeHeight(db, code)) > MAX_ORGANISATION_DEPTH) {
      throw badRequest('organisation_too_deep', `The organisation tree may be at most ${MAX_ORGANISATION_DEPTH} levels deep`);
    }
  }

  /** Levels below `code` (0 for a leaf or a new code), bounded by the maximum depth. */
  private async subtreeHeight(db: Db, code: string): Promise<number> {
    let level = [code];
    let height = 0;
    while (height < MAX_ORGANISATION_DEPTH) {
      const children = await db.selectFrom('organisations').select('code').where('parent_code', 'in', level).execute();
      if (children.length === 0) break;
      level = children.map((c) => c.code);
      height++;
    }
    return height;
  }
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

function isForeignKeyViolation(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}

export function toOrganisation(row: Selectable<OrganisationTable>): Organisation {
  return {
    code: row.code,
    name: row.name,
    parentCode: row.parent_code,
    poolSize: Number(row.pool_size),
    smsSenderName: row.sms_sender_name,
    smsCallbackUrl: row.sms_callback_url,
    allowCustomUriWithoutDomain: Number(row.allow_custom_uri_without_domain) === 1,
    allowAdHocMeetings: Number(row.allow_ad_hoc_meetings) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
