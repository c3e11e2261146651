import { EventEmitter } from 'node:events';

/**
 * Facts one capability announces and others react to (e.g. booking says a meeting changed → the
 * device service pushes `schedule_changed`). Add an event here with its payload; emit after the
 * transaction that made it true has committed.
 *
 * Several server instances on one PostgreSQL database: the events in `RELAYED_EVENTS` are also
 * sent to the other instances (`PgEventRelay`, LISTEN/NOTIFY) and emitted there with origin
 * `relay`. Their payloads travel as one NOTIFY of < 8000 bytes, so keep them to ids and short,
 * schema-bounded values (the relay test checks the largest possible payload of each).
 */
export interface DomainEvents {
  /** Relayed: device streams on every instance push `schedule_changed` to the meeting's rooms. */
  'meeting.changed': { meetingUuid: string; organisationCode: string; change: 'created' | 'updated' | 'deleted' };
  /**
   * Not relayed: its one listener, the provisioner, writes to the database, and the instance
   * that made the change runs it at once (the others poll the same queues anyway).
   * `provisionDueAt` (ISO-8601 UTC, when known) is when the info enters the provision queue, so a
   * provisioner can ignore a change that is not due yet instead of scanning its queues for it.
   */
  'scheduling-info.changed': { uuid: string; provisionStatus: string; provisionDueAt?: string };
  /** Relayed (schedule push). `roomIds` holds at most the one room of the participant changed. */
  'appointment.changed': { meetingUuid: string; roomIds: string[] };
  /** Relayed: the room's devices refetch config and schedule (name, theme, privacy flag...). */
  'room.changed': { roomId: string };
  /** Relayed: devices of the rooms using the theme refetch their config. */
  'theme.changed': { themeId: string };
  /**
   * Relayed: a message IT sent to a room's screens. Messages are kept nowhere but the hubs'
   * backlogs, so the text travels along (at most 500 characters by `RoomMessageCreate`).
   */
  'room.message': { roomId: string; message: { id: string; text: string; severity: 'info' | 'warning'; expiresAt: string } };
  /**
   * Relayed: the device's credential `clientId` was revoked (revocation, deletion, re-enrolment).
   * Streams opened with that credential close; one opened with a newer credential stays.
   */
  'device.revoked': { deviceId: string; reason: string; clientId: string | null };
  /**
   * Relayed: a device or room changed as the management lists show it (enrolled, heartbeat,
   * revoked, deleted; created, edited, deleted). Management event streams (`GET
   * /management/v1/events`, decision 0019) tell the admins whose scope holds `organisationCode`.
   */
  'fleet.changed': { entity: 'device' | 'room'; id: string; organisationCode: string };
  /** Relayed: a command was queued; the instance holding the device's stream sends it. */
  'command.created': { deviceId: string; commandId: string };
  /**
   * Local only, from the relay: it listens again after its connection dropped. Notifications sent
   * meanwhile are lost (PostgreSQL keeps none for an absent listener), so streams catch up.
   */
  'relay.resynced': Record<string, never>;
}

export type DomainEventName = keyof DomainEvents;

/** Where an event happened: in this process, or on another instance (delivered by the relay). */
export type EventOrigin = 'local' | 'relay';

/** The events other instances hear about. Everything else stays in the process that emitted it. */
export const RELAYED_EVENTS = [
  'meeting.changed',
  'appointment.changed',
  'room.changed',
  'theme.changed',
  'room.message',
  'device.revoked',
  'fleet.changed',
  'command.created',
] as const satisfies readonly DomainEventName[];

export type RelayedEventName = (typeof RELAYED_EVENTS)[number];

const relayed = new Set<string>(RELAYED_EVENTS);

/** True for the names in `RELAYED_EVENTS` (the relay checks what it receives with it). */
export function isRelayedEvent(name: string): name is RelayedEventName {
  return relayed.has(name);
}

/**
 * The in-process event bus, optionally joined to other instances by a relay.
 *
 * The rule for listeners of relayed events: one fact reaches every instance, so a listener whose
 * effect is shared — anything that writes to the database or to shared state — must act on
 * origin `local` only, or it runs once per instance. Reacting to origin `relay` is for effects
 * that belong to this instance alone: pushing to the device streams it holds. (Listeners that only
 * push, like the schedule push, react to both.)
 */
export class DomainEventBus {
  readonly #emitter = new EventEmitter();
  #outbox?: (name: RelayedEventName, payload: DomainEvents[RelayedEventName]) => void;

  constructor() {
    // Many subscribers per event (every open device stream may listen) is normal here.
    this.#emitter.setMaxListeners(0);
  }

  /** Announces a fact of this process (and hands relayed ones to the relay, if any). */
  emit<K extends DomainEventName>(name: K, payload: DomainEvents[K]): void {
    this.#emitter.emit(name, payload, 'local' satisfies EventOrigin);
    if (this.#outbox && isRelayedEvent(name)) this.#outbox(name, payload as DomainEvents[RelayedEventName]);
  }

  /** The relay delivers another instance's fact here; it is not sent on again. */
  emitRelayed<K extends RelayedEventName>(name: K, payload: DomainEvents[K]): void {
    this.#emitter.emit(name, payload, 'relay' satisfies EventOrigin);
  }

  /** Connects the relay's sender (one per bus). Returns the function that disconnects it. */
  relayTo(outbox: (name: RelayedEventName, payload: DomainEvents[RelayedEventName]) => void): () => void {
    if (this.#outbox) throw new Error('this event bus already has a relay');
    this.#outbox = outbox;
    return () => {
      if (this.#outbox === outbox) this.#outbox = undefined;
    };
  }

  /** Returns the unsubscribe function. A throwing listener never breaks the emitter. */
  on<K extends DomainEventName>(
    name: K,
    listener: (payload: DomainEvents[K], origin: EventOrigin) => void | Promise<void>,
  ): () => void {
    const safe = (payload: DomainEvents[K], origin: EventOrigin) => {
      try {
        const r = listener(payload, origin);
        if (r && typeof (r as Promise<void>).catch === 'function') (r as Promise<void>).catch(() => undefined);
      } catch {
        // a listener's failure is its own to log; the announcing capability is not affected
      }
    };
    this.#emitter.on(name, safe);
    return () => this.#emitter.off(name, safe);
  }
}
