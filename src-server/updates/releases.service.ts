import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Clock } from '../../src-shared/platform/clock';
import type {
  CreateReleaseRequest,
  Release,
  ReleaseChannel,
  ReleaseFile,
  RoomUpdatePin,
  UpdateReleaseRequest,
} from '../../src-shared/updates/releases.contract';
import type { AuditLog } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import type { Store } from '../db/database';
import type { Database } from '../db/schema';
import { conflict, notFound } from '../http/errors';
import type { ArtifactStore } from './artifact-store';
import type { ReleaseTable } from './updates.tables';

/**
 * A room's version pin. Rooms belong to the devices capability, which stores the pin as the
 * room's `pinnedVersion` (so device config and management show it too); this is how updates
 * reads and sets it.
 */
export interface RoomPins {
  /** `undefined` when the room does not exist, `null` when it follows its channel. */
  pinnedVersion(roomId: string): Promise<string | null | undefined>;
  /** Throws 404 `room_not_found` for an unknown room. Audited by the rooms capability. */
  setPinnedVersion(actor: Principal, roomId: string, version: string | null): Promise<void>;
  listPinned(): Promise<RoomUpdatePin[]>;
}

/** How long the feed may serve a cached release list written by another server instance. */
const FEED_CACHE_MS = 5_000;

/**
 * Releases IT publishes and the rules the feed applies to them. Every write is audited in the
 * same transaction; the feed reads a short-lived in-memory copy because every device polls it.
 */
export class ReleaseService {
  #cache?: { at: number; releases: Release[] };

  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      audit: AuditLog;
      artifacts: ArtifactStore;
      rooms: RoomPins;
    },
  ) {}

  private get db(): Kysely<Database> {
    return this.deps.store.db;
  }

  async list(channel?: ReleaseChannel): Promise<Release[]> {
    let q = this.db.selectFrom('releases').selectAll().orderBy('created_at', 'desc');
    if (channel) q = q.where('channel', '=', channel);
    return (await q.execute()).map(toRelease);
  }

  async get(id: string): Promise<Release> {
    return toRelease(await this.row(this.db, id));
  }

  async create(actor: Principal, req: CreateReleaseRequest): Promise<Release> {
    const now = this.deps.clock.now().toISOString();
    const row: ReleaseTable = {
      id: randomUUID(),
      version: req.version,
      channel: req.channel,
      files: JSON.stringify(req.files),
      notes: req.notes ?? null,
      staging_percentage: req.stagingPercentage ?? null,
      paused: 0,
      release_date: req.releaseDate ? new Date(req.releaseDate).toISOString() : now,
      created_at: now,
      updated_at: now,
    };
    await this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('releases').select('id').where('version', '=', req.version).executeTakeFirst();
      if (existing) throw conflict('release_exists', `Version ${req.version} is already registered`, { id: existing.id });
      await trx.insertInto('releases').values(row).execute();
      await this.deps.audit.record(trx, actor, {
        action: 'release.create',
        entityType: 'release',
        entityId: row.id,
        after: toRelease(row),
      });
    });
    this.#cache = undefined;
    return toRelease(row);
  }

  async update(actor: Principal, id: string, patch: UpdateReleaseRequest): Promise<Release> {
    return this.change(actor, id, 'release.update', () => ({
      ...(patch.stagingPercentage !== undefined ? { staging_percentage: patch.stagingPercentage } : {}),
      ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
    }));
  }

  /** Moves a release to another channel (typically beta → stable once it proved itself). */
  async promote(actor: Principal, id: string, channel: ReleaseChannel): Promise<Release> {
    return this.change(actor, id, 'release.promote', () => ({ channel }));
  }

  async setPaused(actor: Principal, id: string, paused: boolean): Promise<Release> {
    return this.change(actor, id, paused ? 'release.pause' : 'release.resume', () => ({ paused: paused ? 1 : 0 }));
  }

  /**
   * Stores an uploaded file and lists it among the release's files (replacing an earlier upload of
   * the same name). The digest and size are the server's own.
   */
  async uploadArtifact(
    actor: Principal,
    id: string,
    name: string,
    body: Readable,
    maxBytes: number,
  ): Promise<{ name: string; sha512: string; size: number; release: Release }> {
    await this.row(this.db, id); // 404 before reading a byte
    const stored = await this.deps.artifacts.receive(body, maxBytes);
    let replaced: string | undefined;
    try {
      const release = await this.db.transaction().execute(async (trx) => {
        const before = await this.row(trx, id);
        const taken = await trx.selectFrom('release_artifacts').selectAll().where('name', '=', name).executeTakeFirst();
        if (taken && taken.release_id !== id) {
          throw conflict('artifact_name_taken', `Another release already has an artifact named ${name}`);
        }
        replaced = taken?.stored_path;
        if (taken) await trx.deleteFrom('release_artifacts').where('name', '=', name).execute();
        await trx
          .insertInto('release_artifacts')
          .values({
            release_id: id,
            name,
            sha512: stored.sha512,
            size: stored.size,
            stored_path: stored.storedPath,
            created_at: this.deps.clock.now().toISOString(),
          })
          .execute();
        const file: ReleaseFile = { url: name, sha512: stored.sha512, size: stored.size };
        const files = parseFiles(before.files).filter((f) => f.url !== name);
        return this.writeAudited(trx, actor, 'release.artifact_upload', before, { files: JSON.stringify([...files, file]) });
      });
      this.#cache = undefined;
      if (replaced) await this.deps.artifacts.remove(replaced);
      return { name, sha512: stored.sha512, size: stored.size, release };
    } catch (err) {
      await this.deps.artifacts.remove(stored.storedPath);
      throw err;
    }
  }

  /** The stored file behind an artifact URL, or undefined. */
  async artifact(name: string): Promise<{ path: string; size: number; sha512: string } | undefined> {
    const row = await this.db.selectFrom('release_artifacts').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) return undefined;
    const located = await this.deps.artifacts.locate(row.stored_path);
    return located ? { ...located, sha512: row.sha512 } : undefined;
  }

  /** Rooms held at a version. */
  async listPins(): Promise<RoomUpdatePin[]> {
    return this.deps.rooms.listPinned();
  }

  /** The version a room is held at, if any. */
  async pinnedVersion(roomId: string): Promise<string | undefined> {
    return (await this.deps.rooms.pinnedVersion(roomId)) ?? undefined;
  }

  /**
   * Holds a room at `version`. The release must exist so the pin can be served; the pin itself is
   * the room's `pinnedVersion` (devices capability), written — and audited — through it.
   */
  async pin(actor: Principal, roomId: string, version: string): Promise<RoomUpdatePin> {
    const release = await this.db.selectFrom('releases').select('id').where('version', '=', version).executeTakeFirst();
    if (!release) throw notFound('release_not_found', `No release with version ${version}`);
    await this.deps.rooms.setPinnedVersion(actor, roomId, version);
    return { roomId, version };
  }

  async unpin(actor: Principal, roomId: string): Promise<void> {
    if (!(await this.deps.rooms.pinnedVersion(roomId))) throw notFound('pin_not_found', `Room ${roomId} is not pinned`);
    await this.deps.rooms.setPinnedVersion(actor, roomId, null);
  }

  /** All releases for the feed, cached briefly (local writes invalidate at once). */
  async feedReleases(): Promise<Release[]> {
    const now = this.deps.clock.now().getTime();
    if (this.#cache && now - this.#cache.at < FEED_CACHE_MS && now >= this.#cache.at) return this.#cache.releases;
    const releases = (await this.db.selectFrom('releases').selectAll().execute()).map(toRelease);
    this.#cache = { at: now, releases };
    return releases;
  }

  private async change(
    actor: Principal,
    id: string,
    action: string,
    patch: () => Partial<Omit<ReleaseTable, 'id'>>,
  ): Promise<Release> {
    const result = await this.db.transaction().execute(async (trx) => this.writeAudited(trx, actor, action, await this.row(trx, id), patch()));
    this.#cache = undefined;
    return result;
  }

  /** Writes `patch` over `before` (stamping `updated_at`) and audits the change, in the caller's transaction. */
  private async writeAudited(
    trx: Transaction<Database>,
    actor: Principal,
    action: string,
    before: Selectable<ReleaseTable>,
    patch: Partial<Omit<ReleaseTable, 'id'>>,
  ): Promise<Release> {
    const after = { ...before, ...patch, updated_at: this.deps.clock.now().toISOString() };
    const { id, ...values } = after;
    await trx.updateTable('releases').set(values).where('id', '=', id).execute();
    await this.deps.audit.record(trx, actor, { action, entityType: 'release', entityId: id, before: toRelease(before), after: toRelease(after) });
    return toRelease(after);
  }

  private async row(db: Kysely<Database> | Transaction<Database>, id: string): Promise<Selectable<ReleaseTable>> {
    const row = await db.selectFrom('releases').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('release_not_found', `No release ${id}`);
    return row;
  }
}

function parseFiles(json: string): ReleaseFile[] {
  return JSON.parse(json) as ReleaseFile[];
}

function toRelease(row: Selectable<ReleaseTable>): Release {
  return {
    id: row.id,
    version: row.version,
    channel: row.channel as ReleaseChannel,
    files: parseFiles(row.files).map((f) => ({ ...f, size: Number(f.size) })),
    notes: row.notes,
    stagingPercentage: row.staging_percentage === null ? null : Number(row.staging_percentage),
    paused: Number(row.paused) === 1,
    releaseDate: row.release_date,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

