import { EventEmitter } from 'node:events';

/**
 * Facts one capability announces and others react to, inside this server process
 * (e.g. booking says a meeting changed → the device service pushes `schedule_changed`).
 * Add an event here with its payload; emit after the transaction that made it true has committed.
 * Across several server instances these are relayed with PostgreSQL LISTEN/NOTIFY.
 */
export interface DomainEvents {
  'meeting.changed': { meetingUuid: string; organisationCode: string; change: 'created' | 'updated' | 'deleted' };
  /**
   * `provisionDueAt` (ISO-8601 UTC, when known) is when the info enters the provision queue, so a
   * provisioner can ignore a change that is not due yet instead of scanning its queues for it.
   */
  'scheduling-info.changed': { uuid: string; provisionStatus: string; provisionDueAt?: string };
  'appointment.changed': { meetingUuid: string; roomIds: string[] };
  'room.changed': { roomId: string };
  'device.revoked': { deviceId: string };
}

export type DomainEventName = keyof DomainEvents;

export class DomainEventBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    // Many subscribers per event (every open device stream may listen) is normal here.
    this.#emitter.setMaxListeners(0);
  }

  emit<K extends DomainEventName>(name: K, payload: DomainEvents[K]): void {
    this.#emitter.emit(name, payload);
  }

  /** Returns the unsubscribe function. A throwing listener never breaks the emitter. */
  on<K extends DomainEventName>(name: K, listener: (payload: DomainEvents[K]) => void | Promise<void>): () => void {
    const safe = (payload: DomainEvents[K]) => {
      try {
        const r = listener(payload);
        if (r && typeof (r as Promise<void>).catch === 'function') (r as Promise<void>).catch(() => undefined);
      } catch {
        // a listener's failure is its own to log; the announcing capability is not affected
      }
    };
    this.#emitter.on(name, safe);
    return () => this.#emitter.off(name, safe);
  }
}
