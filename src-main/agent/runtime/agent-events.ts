/** The agent's outgoing bridge events: every controller emits through one of these, the shells listen. */
import type { BridgeEventName, BridgeEventPayload } from '../../../src-shared/ipc/room-bridge.contract';
import type { AgentLogger } from '../platform/platform';

export type AgentListener = (event: BridgeEventName, payload: unknown) => void;

export class AgentEvents {
  readonly #listeners = new Set<AgentListener>();

  constructor(private readonly log: AgentLogger) {}

  on(listener: AgentListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit<E extends BridgeEventName>(event: E, payload: BridgeEventPayload<E>): void {
    for (const listener of this.#listeners) {
      try {
        listener(event, payload);
      } catch (err) {
        // One broken listener (a closed window) must not keep the event from the others.
        this.log.error('bridge listener failed', { event, error: (err as Error).message });
      }
    }
  }
}
