import type { ServerResponse } from 'node:http';
import type { DeviceEvent } from '../../../src-shared/devices/events.schema';
import type { Clock } from '../../../src-shared/platform/clock';

/** An event with its stream id and, for messages, when it stops mattering. */
export interface StampedEvent {
  id: number;
  event: DeviceEvent;
  /** The SSE frame, serialised once (a broadcast writes the same string to every stream). */
  frame: string;
  /** Replays skip it after this instant (messages expire; commands carry their own). */
  expiresAt?: number;
  /** When it was published (backlog age limit). */
  at: number;
}

export interface DeviceEventHubOptions {
  /** Events kept per device, per room and for broadcasts, for `Last-Event-ID` resume. */
  backlogSize?: number;
  /** Events older than this are not replayed. */
  backlogMaxAgeMs?: number;
  /** Interval of the `: keep-alive` comment; must stay below 25 s (the contract's bound). */
  keepAliveMs?: number;
}

/** What a stream resumes with. `gap` means the backlog no longer reaches back to `lastEventId`. */
export interface Replay {
  events: StampedEvent[];
  gap: boolean;
}

/**
 * One open event stream. While it replays what the device missed, live events queue behind the
 * replay so the device sees ids in increasing order.
 */
class DeviceStream {
  #replaying = true;
  #pending: StampedEvent[] = [];
  #sentIds = new Set<number>();
  /** Commands written, by command id: one command may come under two ids (see CommandsService). */
  #sentCommands = new Set<string>();
  closed = false;

  constructor(
    readonly deviceId: string,
    readonly roomId: string,
    private readonly res: ServerResponse,
    /** The credential the stream was opened with (a revocation elsewhere names the one it ends). */
    readonly clientId?: string,
  ) {}

  send(e: StampedEvent): void {
    if (this.closed) return;
    if (this.#replaying) {
      this.#pending.push(e);
      return;
    }
    this.#write(e);
  }

  /** Writes the replay, then whatever arrived live meanwhile, each event at most once. */
  finishReplay(replay: StampedEvent[]): void {
    for (const e of replay) this.#write(e);
    this.#replaying = false;
    const pending = this.#pending;
    this.#pending = [];
    for (const e of pending.sort((a, b) => a.id - b.id)) this.#write(e);
  }

  comment(text: string): void {
    if (!this.closed) this.res.write(`: ${text}\n\n`);
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.end();
  }

  #write(e: StampedEvent): void {
    if (this.closed || this.#sentIds.has(e.id)) return;
    if (e.event.type === 'command') {
      if (this.#sentCommands.has(e.event.data.id)) return;
      this.#sentCommands.add(e.event.data.id);
    }
    this.#sentIds.add(e.id);
    this.res.write(e.frame);
  }
}

interface Backlog {
  events: StampedEvent[];
  /** Id of the newest event trimmed away (0: none): resuming from before it has a gap. */
  droppedUpTo: number;
}

/**
 * The device event hub: the one way anything on the server reaches a room device. Publishes go to
 * the open stream at once (if any) and into a bounded in-memory backlog so a device that reconnects
 * with `Last-Event-ID` gets what it missed. Commands are not kept here: they are persisted and
 * re-sent by the command service, which uses `deliver` for them.
 *
 * Ids are integers increasing for the life of the process, starting from the clock in
 * microseconds so that a restarted server never reuses an id a device still remembers.
 */
export class DeviceEventHub {
  #nextId: number;
  readonly #streams = new Map<string, DeviceStream>();
  readonly #roomStreams = new Map<string, Set<DeviceStream>>();
  readonly #backlogs = new Map<string, Backlog>();
  readonly #bootId: number;
  readonly #options: Required<DeviceEventHubOptions>;
  #keepAlive?: ReturnType<typeof setInterval>;

  constructor(
    private readonly clock: Clock,
    options: DeviceEventHubOptions = {},
  ) {
    this.#options = {
      backlogSize: options.backlogSize ?? 100,
      backlogMaxAgeMs: options.backlogMaxAgeMs ?? 24 * 3600_000,
      keepAliveMs: options.keepAliveMs ?? 20_000,
    };
    this.#bootId = clock.now().getTime() * 1000;
    this.#nextId = this.#bootId;
  }

  /** Reserves the next event id (the command service stores it with the command). */
  nextId(): number {
    return ++this.#nextId;
  }

  /** Sends an event to one device (and keeps it for resume). Returns its id. */
  publish(deviceId: string, event: DeviceEvent): string {
    const e = this.stamp(event);
    this.#remember(`d:${deviceId}`, e);
    this.#streams.get(deviceId)?.send(e);
    return String(e.id);
  }

  /** Sends an event to every device of a room. Returns its id. */
  publishToRoom(roomId: string, event: DeviceEvent): string {
    const e = this.stamp(event);
    this.#remember(`r:${roomId}`, e);
    for (const s of this.#roomStreams.get(roomId) ?? []) s.send(e);
    return String(e.id);
  }

  /** Sends an event to every device. Returns its id. */
  broadcast(event: DeviceEvent): string {
    const e = this.stamp(event);
    this.#remember('*', e);
    for (const s of this.#streams.values()) s.send(e);
    return String(e.id);
  }

  /**
   * Writes an already stamped event to the device's open stream without keeping it in the backlog.
   * Returns whether a stream was open to take it.
   */
  deliver(deviceId: string, e: StampedEvent): boolean {
    const stream = this.#streams.get(deviceId);
    if (!stream || stream.closed) return false;
    stream.send(e);
    return true;
  }

  /** Gives an event its id and SSE frame. */
  stamp(event: DeviceEvent, id = this.nextId()): StampedEvent {
    const expires = event.type === 'message' || event.type === 'command' ? Date.parse(event.data.expiresAt) : undefined;
    return {
      id,
      event,
      frame: `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`,
      expiresAt: expires,
      at: this.clock.now().getTime(),
    };
  }

  /**
   * Opens a device's stream on a response whose headers are written. A previous stream of the same
   * device is closed: one stream per device. Call `finishReplay` on the result once the missed
   * events are known; until then live events wait.
   */
  attach(deviceId: string, roomId: string, res: ServerResponse, clientId?: string): DeviceStream {
    this.#streams.get(deviceId)?.end();
    this.#drop(deviceId);
    const stream = new DeviceStream(deviceId, roomId, res, clientId);
    this.#streams.set(deviceId, stream);
    let room = this.#roomStreams.get(roomId);
    if (!room) this.#roomStreams.set(roomId, (room = new Set()));
    room.add(stream);
    this.#ensureKeepAlive();
    return stream;
  }

  /** Forgets a stream that ended (client went away). A newer stream of the device is left alone. */
  detach(stream: DeviceStream): void {
    stream.closed = true;
    if (this.#streams.get(stream.deviceId) === stream) this.#streams.delete(stream.deviceId);
    const room = this.#roomStreams.get(stream.roomId);
    room?.delete(stream);
    if (room && room.size === 0) this.#roomStreams.delete(stream.roomId);
  }

  /**
   * Ends the device's stream now, after sending `finalEvent` (e.g. `device.revoked`), and forgets
   * its backlog. Used on revocation, deletion and re-enrolment. With `onlyClientId` (a revocation
   * on another instance, heard late) a stream opened with another credential — the device has
   * enrolled again meanwhile — is left alone.
   */
  disconnect(deviceId: string, finalEvent?: DeviceEvent, onlyClientId?: string): void {
    const stream = this.#streams.get(deviceId);
    if (onlyClientId !== undefined && stream?.clientId !== undefined && stream.clientId !== onlyClientId) return;
    if (stream) {
      if (finalEvent) stream.send(this.stamp(finalEvent));
      stream.end();
      this.detach(stream);
    }
    this.#backlogs.delete(`d:${deviceId}`);
  }

  isConnected(deviceId: string): boolean {
    return this.#streams.has(deviceId);
  }

  /** The devices with an open stream here, with the credential each stream was opened with. */
  connectedDevices(): { deviceId: string; clientId?: string }[] {
    return [...this.#streams.values()].map((s) => ({ deviceId: s.deviceId, clientId: s.clientId }));
  }

  get connectedCount(): number {
    return this.#streams.size;
  }

  /** Connected devices of a room. */
  connectedInRoom(roomId: string): number {
    return this.#roomStreams.get(roomId)?.size ?? 0;
  }

  /**
   * What a device reconnecting with `lastEventId` missed (its own, its room's and broadcast events),
   * oldest first, without expired ones. Without a `lastEventId`, only unexpired messages (they are
   * still meant to be on screen). `gap` is true when events after `lastEventId` may have been lost.
   */
  replay(deviceId: string, roomId: string, lastEventId: number | undefined): Replay {
    const now = this.clock.now().getTime();
    const minAt = now - this.#options.backlogMaxAgeMs;
    const backlogs = [`d:${deviceId}`, `r:${roomId}`, '*'].map((k) => this.#backlogs.get(k));
    const all = backlogs.flatMap((b) => b?.events ?? []);
    const unexpired = (e: StampedEvent) => e.expiresAt === undefined || e.expiresAt > now;
    if (lastEventId === undefined) {
      const events = all.filter((e) => e.event.type === 'message' && e.at >= minAt && unexpired(e));
      return { events: events.sort((a, b) => a.id - b.id), gap: false };
    }
    const missed = all.filter((e) => e.id > lastEventId);
    // Lost for sure: an id from another server run, or trimmed/aged-out events after lastEventId.
    const gap =
      lastEventId < this.#bootId ||
      lastEventId > this.#nextId ||
      backlogs.some((b) => (b?.droppedUpTo ?? 0) > lastEventId) ||
      missed.some((e) => e.at < minAt);
    const events = missed.filter((e) => e.at >= minAt && unexpired(e));
    return { events: events.sort((a, b) => a.id - b.id), gap };
  }

  /** Closes every stream (server shutdown). */
  close(): void {
    if (this.#keepAlive) clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
    for (const s of [...this.#streams.values()]) {
      s.end();
      this.detach(s);
    }
  }

  #remember(key: string, e: StampedEvent): void {
    let backlog = this.#backlogs.get(key);
    if (!backlog) this.#backlogs.set(key, (backlog = { events: [], droppedUpTo: 0 }));
    backlog.events.push(e);
    const minAt = e.at - this.#options.backlogMaxAgeMs;
    let drop = Math.max(0, backlog.events.length - this.#options.backlogSize);
    while (drop < backlog.events.length && backlog.events[drop]!.at < minAt) drop++;
    if (drop > 0) backlog.droppedUpTo = backlog.events.splice(0, drop).at(-1)!.id;
  }

  #drop(deviceId: string): void {
    const stream = this.#streams.get(deviceId);
    if (stream) this.detach(stream);
  }

  #ensureKeepAlive(): void {
    if (this.#keepAlive) return;
    this.#keepAlive = setInterval(() => {
      for (const s of this.#streams.values()) s.comment('keep-alive');
    }, this.#options.keepAliveMs);
    this.#keepAlive.unref();
  }
}

export type { DeviceStream };
