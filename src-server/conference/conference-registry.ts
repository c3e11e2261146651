import type { Clock } from '../../src-shared/platform/clock';
import type { LiveConference } from '../../src-shared/conference/vmr.schema';
import { Conference, DEFAULT_CONFERENCE_OPTIONS, type ConferenceObserver, type ConferenceOptions, type JoinInput, type Role } from './conference';
import { isRoomOpen, type RoomDefinition } from './conference-room';
import type { ConferenceMediaFactory } from './media/conference-media';
import { PinRateLimiter } from './pin-rate-limiter';
import { PexipMessage, pexipError } from './pexip-errors';

/** Why a whole conference was ended, as the SDK's `disconnect` event shows it. */
export const EndReason = {
  byHost: 'Conference terminated by another participant',
  byAdministrator: 'Conference terminated by an administrator',
  kicked: 'Disconnected by another participant',
} as const;

/** The outcome of checking the `pin` header against a room. */
export type PinCheck =
  | { kind: 'ok'; role: Role }
  | { kind: 'required'; pin: 'required' | 'none'; guestPin: 'required' | 'none' };

/**
 * All rooms this node can host (fixed VMRs, provisioned booked meetings) and the conferences live
 * in them, keyed by alias. Live state is in memory on this node by design (docs/architecture.md).
 */
export class ConferenceRegistry {
  readonly #rooms = new Map<string, RoomDefinition>();
  readonly #aliasIndex = new Map<string, string>();
  readonly #live = new Map<string, Conference>();
  readonly pinLimiter: PinRateLimiter;
  readonly options: ConferenceOptions;
  #ticker: NodeJS.Timeout | null = null;
  #resolvers: Array<(alias: string) => Promise<boolean>> = [];

  constructor(
    private readonly clock: Clock,
    private readonly mediaFactory?: ConferenceMediaFactory,
    options: Partial<ConferenceOptions> = {},
    /** Told of every participant's time in every conference (the call records). */
    private readonly observer?: ConferenceObserver,
  ) {
    this.options = { ...DEFAULT_CONFERENCE_OPTIONS, ...options };
    this.pinLimiter = new PinRateLimiter(clock);
  }

  /** Adds or replaces a room; a live conference in it keeps running with the new settings. */
  setRoom(room: RoomDefinition): void {
    const aliases = room.aliases.map((a) => a.toLowerCase());
    const previous = this.#rooms.get(room.id);
    for (const a of previous?.aliases ?? []) this.#aliasIndex.delete(a);
    const normalised = { ...room, aliases };
    this.#rooms.set(room.id, normalised);
    for (const a of aliases) this.#aliasIndex.set(a, room.id);
    const live = this.#live.get(room.id);
    if (live) live.room = normalised;
  }

  /** Removes a room; anyone in it is disconnected. */
  async removeRoom(roomId: string, reason: string = EndReason.byAdministrator): Promise<void> {
    const room = this.#rooms.get(roomId);
    if (!room) return;
    for (const a of room.aliases) if (this.#aliasIndex.get(a) === roomId) this.#aliasIndex.delete(a);
    this.#rooms.delete(roomId);
    await this.#live.get(roomId)?.end(reason);
  }

  /** The room id an alias belongs to, if any (open or not). */
  roomIdOf(alias: string): string | undefined {
    return this.#aliasIndex.get(alias.toLowerCase());
  }

  room(roomId: string): RoomDefinition | undefined {
    return this.#rooms.get(roomId);
  }

  /** The room an alias names, if it accepts joins now. */
  openRoom(alias: string): RoomDefinition | undefined {
    const id = this.#aliasIndex.get(alias.toLowerCase());
    const room = id ? this.#rooms.get(id) : undefined;
    return room && isRoomOpen(room, this.clock.now()) ? room : undefined;
  }

  /**
   * Asked when an alias is unknown: a source that can host it (the booking provisioner after a
   * restart) adds the room and answers true.
   */
  addResolver(resolver: (alias: string) => Promise<boolean>): void {
    this.#resolvers.push(resolver);
  }

  /** Like `openRoom`, but asks the resolvers about aliases this node does not know (yet). */
  async findOpenRoom(alias: string): Promise<RoomDefinition | undefined> {
    const known = this.openRoom(alias);
    if (known || this.#aliasIndex.has(alias.toLowerCase())) return known;
    for (const resolve of this.#resolvers) {
      if (await resolve(alias).catch(() => false)) return this.openRoom(alias);
    }
    return undefined;
  }

  /** The live conference behind an alias (also after the room's join window closed). */
  live(alias: string): Conference | undefined {
    const id = this.#aliasIndex.get(alias.toLowerCase());
    return id ? this.#live.get(id) : undefined;
  }

  liveConferences(): LiveConference[] {
    return [...this.#live.values()].map((c) => c.live(c.room.aliases[0] ?? c.room.id));
  }

  /**
   * Checks the `pin` header for a join. Wrong PINs count against the alias + client address.
   * Rules (as Pexip VMRs behave): host PIN → HOST; guest PIN → GUEST; with a host PIN but no guest
   * PIN, "none" (or an empty PIN) → GUEST; a room with no PINs at all → HOST.
   */
  checkPin(room: RoomDefinition, alias: string, address: string, pin: string | undefined): PinCheck {
    const blocked = this.pinLimiter.blockedFor(alias, address);
    if (blocked > 0) throw pexipError(403, PexipMessage.pinRetries, 'pin_rate_limited');
    const { hostPin, guestPin } = room;
    if (!hostPin && !guestPin) return { kind: 'ok', role: 'HOST' };
    const given = pin?.trim();
    if (given === undefined) {
      return { kind: 'required', pin: hostPin ? 'required' : 'none', guestPin: guestPin ? 'required' : 'none' };
    }
    if (hostPin && given === hostPin) return { kind: 'ok', role: 'HOST' };
    if (guestPin && given === guestPin) return { kind: 'ok', role: 'GUEST' };
    if (!guestPin && (given === 'none' || given === '')) return { kind: 'ok', role: 'GUEST' };
    this.pinLimiter.recordFailure(alias, address);
    throw pexipError(403, PexipMessage.invalidPin, 'invalid_pin');
  }

  /** Joins a room, starting its conference on the first join. */
  join(room: RoomDefinition, input: JoinInput) {
    let conference = this.#live.get(room.id);
    if (!conference || conference.ended) {
      conference = new Conference(room, this.clock, this.options, this.mediaFactory, (c) => {
        if (this.#live.get(room.id) === c) this.#live.delete(room.id);
      }, this.observer);
      this.#live.set(room.id, conference);
    }
    try {
      return { conference, ...conference.join(input) };
    } finally {
      // A conference whose first join was refused never really started.
      if (conference.participants.size === 0) void conference.end();
    }
  }

  /**
   * Applies the clock: ends conferences of booked meetings whose end time has come (when they
   * are set to end on time). Runs every second, and from tests after moving the clock.
   */
  async tick(): Promise<void> {
    const now = this.clock.now().getTime();
    for (const c of [...this.#live.values()]) {
      const { endsAt, endMeetingOnEndTime } = c.room;
      if (endMeetingOnEndTime && endsAt && now >= endsAt.getTime()) await c.end(EndReason.byAdministrator);
    }
  }

  start(intervalMs = 1000): void {
    if (this.#ticker) return;
    this.#ticker = setInterval(() => void this.tick(), intervalMs);
    this.#ticker.unref();
  }

  async close(): Promise<void> {
    if (this.#ticker) clearInterval(this.#ticker);
    this.#ticker = null;
    for (const c of [...this.#live.values()]) await c.end();
  }
}
