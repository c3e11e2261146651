import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../../../src-shared/platform/clock';
import type { Store } from '../../db/database';
import type { Conference, ConferenceObserver, Participant } from '../conference';
import { NO_STATISTICS, addStatistics, increments, isGoodQuality, rowOfStatistics, sampleOf, statisticsOfRow, type CallStatistics } from './call-quality';

/** A rejoin this soon after leaving continues the same call (and a VMR's idle gap, the same session). */
export const REJOIN_WINDOW_MS = 60_000;
/** How often this node tells the database it is alive. */
export const NODE_HEARTBEAT_MS = 30_000;
/** A node not seen for this long is gone: its open calls are closed at its last sign of life. */
export const NODE_GONE_MS = 90_000;

interface Log {
  warn(obj: object, msg: string): void;
}

/** A call in progress on this node, keyed by the live participant. */
interface OpenCall {
  /** The row it is written to (a rejoin switches it to the earlier row once the lookup is done). */
  rowId: string;
  joinedAt: Date;
  /** Statistics received while in the conference, not yet written. */
  stats: CallStatistics;
}

/**
 * Which client a participant is, from the `call_tag` our own apps send (RoomCall, HostCall,
 * JoinApp) and whether an SMS personal link admitted it; any other Pexip client is `sdk`.
 */
export function clientKindOf(p: Pick<Participant, 'callTag' | 'personalLink'>): string {
  if (p.callTag === 'vdx-room') return 'room-app';
  if (p.callTag === 'vdx-web/host') return 'web-host';
  if (p.callTag === 'vdx-web/guest') return p.personalLink ? 'sms-guest' : 'web-guest';
  return p.personalLink ? 'sms-guest' : 'sdk';
}

/**
 * The conference node's call records (decision 0020): a `conference_calls` row for each
 * participant's time in each conference, written from the conference's observer hooks.
 *
 * The hooks are synchronous and must not slow signalling, so every write goes through one serial
 * queue (a join's row exists before its leave updates it); statistics are summed in memory and
 * written with the leave. A failed write is logged and skipped — call records never break a call.
 */
export class CallRecorder implements ConferenceObserver {
  readonly nodeId = randomUUID();
  readonly #open = new Map<string, OpenCall>();
  #queue: Promise<void> = Promise.resolve();
  #heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {}

  /** Registers this node and closes the calls of nodes that died; then beats every 30 s. */
  async start(): Promise<void> {
    const now = this.clock.now().toISOString();
    await this.store.db.insertInto('conference_nodes').values({ node_id: this.nodeId, started_at: now, seen_at: now }).execute();
    await this.#sweepGoneNodes();
    this.#heartbeat = setInterval(() => this.#enqueue(() => this.#beat()), NODE_HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  /** Waits for every queued write (the conferences have ended, so their leaves are queued). */
  async stop(): Promise<void> {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
    await this.flush();
    await this.#write(() => this.store.db.deleteFrom('conference_nodes').where('node_id', '=', this.nodeId).execute());
  }

  /** Resolves when every write queued so far is done. */
  flush(): Promise<void> {
    return this.#queue;
  }

  entered(conference: Conference, p: Participant): void {
    const joinedAt = this.clock.now();
    const open: OpenCall = { rowId: randomUUID(), joinedAt, stats: NO_STATISTICS };
    this.#open.set(p.uuid, open);
    const room = conference.room;
    const callerKey = createHash('sha256').update(`${p.callTag}\n${p.role}\n${p.displayName}`).digest('base64url');
    this.#enqueue(async () => {
      const db = this.store.db;
      const since = new Date(joinedAt.getTime() - REJOIN_WINDOW_MS).toISOString();
      const earlier = await db
        .selectFrom('conference_calls')
        .selectAll()
        .where('room_id', '=', room.id)
        .where('caller_key', '=', callerKey)
        .where('left_at', '>=', since)
        .orderBy('left_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (earlier) {
        // The same person back within a minute (a dropped network, a reload): the same call.
        await db.updateTable('conference_calls').set({ left_at: null, participant_uuid: p.uuid, node_id: this.nodeId }).where('id', '=', earlier.id).execute();
        open.rowId = earlier.id;
        open.joinedAt = new Date(earlier.joined_at);
        open.stats = addStatistics(open.stats, statisticsOfRow(earlier));
        return;
      }
      await db
        .insertInto('conference_calls')
        .values({
          id: open.rowId,
          session_id: await this.#sessionOf(room.id, room.source, since),
          room_id: room.id,
          room_kind: room.source,
          meeting_uuid: room.records?.meetingUuid ?? null,
          organisation_code: room.records?.organisationCode ?? null,
          excluded: room.records?.excluded ? 1 : 0,
          participant_uuid: p.uuid,
          caller_key: callerKey,
          role: p.role,
          client_kind: clientKindOf(p),
          node_id: this.nodeId,
          joined_at: joinedAt.toISOString(),
          left_at: null,
          ...rowOfStatistics(NO_STATISTICS),
          quality_good: null,
        })
        .execute();
    });
  }

  statistics(_conference: Conference, p: Participant, body: Record<string, unknown> | undefined): void {
    const open = this.#open.get(p.uuid);
    const sample = sampleOf(body);
    if (open && sample) open.stats = addStatistics(open.stats, increments(sample));
  }

  left(_conference: Conference, p: Participant): void {
    const open = this.#open.get(p.uuid);
    if (!open) return; // never entered the conference proper (left from the waiting room)
    this.#open.delete(p.uuid);
    const leftAt = this.clock.now();
    this.#enqueue(async () => {
      const good = isGoodQuality(open.stats, (leftAt.getTime() - open.joinedAt.getTime()) / 1000);
      await this.store.db
        .updateTable('conference_calls')
        .set({ left_at: leftAt.toISOString(), ...rowOfStatistics(open.stats), quality_good: good === null ? null : good ? 1 : 0 })
        .where('id', '=', open.rowId)
        .execute();
    });
  }

  /**
   * The meeting a new call belongs to: a booked meeting is one meeting however often its room
   * empties; a fixed VMR's session goes on while someone is in it or left under a minute ago.
   */
  async #sessionOf(roomId: string, kind: 'booked' | 'vmr', since: string): Promise<string> {
    if (kind === 'booked') return roomId;
    const last = await this.store.db
      .selectFrom('conference_calls')
      .select(['session_id', 'left_at'])
      .where('room_id', '=', roomId)
      .where((eb) => eb.or([eb('left_at', 'is', null), eb('left_at', '>=', since)]))
      .orderBy('joined_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return last?.session_id ?? `${roomId}:${randomUUID()}`;
  }

  async #beat(): Promise<void> {
    await this.store.db.updateTable('conference_nodes').set({ seen_at: this.clock.now().toISOString() }).where('node_id', '=', this.nodeId).execute();
    await this.#sweepGoneNodes();
  }

  /** Closes the open calls of nodes not seen for 90 s at their last heartbeat (they cannot say when). */
  async #sweepGoneNodes(): Promise<void> {
    const db = this.store.db;
    const cutoff = new Date(this.clock.now().getTime() - NODE_GONE_MS).toISOString();
    const gone = await db.selectFrom('conference_nodes').selectAll().where('seen_at', '<', cutoff).where('node_id', '!=', this.nodeId).execute();
    for (const node of gone) {
      await db.updateTable('conference_calls').set({ left_at: node.seen_at }).where('node_id', '=', node.node_id).where('left_at', 'is', null).execute();
      await db.deleteFrom('conference_nodes').where('node_id', '=', node.node_id).execute();
    }
  }

  #enqueue(write: () => Promise<unknown>): void {
    this.#queue = this.#queue.then(() => this.#write(write));
  }

  async #write(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (err) {
      this.log.warn({ err, node: this.nodeId }, 'call record not written');
    }
  }
}
