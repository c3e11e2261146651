/**
 * The single source of truth for the agent's life cycle ({@link AgentState}). Like VS Code's
 * update service: one state, one setter ({@link AgentStateStore.set}), one change event
 * (`provisioning:changed`, followed by the whole `app:state-changed` snapshot). Controllers read
 * `current` and call `set`; nobody keeps a copy.
 */
import type { AgentState, AppState } from '../../../src-shared/ipc/room-bridge.contract';
import type { AgentEvents } from './agent-events';

/** The parts of {@link AppState} that are not the agent state, read fresh for every snapshot. */
export type AppFrame = () => Omit<AppState, 'agent'>;

export class AgentStateStore {
  #state: AgentState = { kind: 'unprovisioned', lastError: null };
  #frame: AppFrame | null = null;

  constructor(private readonly events: AgentEvents) {}

  /** Set once by the composition root, when the controllers the frame reads from exist. */
  useFrame(frame: AppFrame): void {
    this.#frame = frame;
  }

  get current(): AgentState {
    return this.#state;
  }

  set(state: AgentState): void {
    this.#state = state;
    this.events.emit('provisioning:changed', state);
    this.announce();
  }

  /** Something in the frame changed (online, update, locale): send the snapshot again. */
  announce(): void {
    this.events.emit('app:state-changed', this.snapshot());
  }

  snapshot(): AppState {
    if (!this.#frame) throw new Error('AgentStateStore: no app frame wired');
    return { agent: this.#state, ...this.#frame() };
  }

  readonly handlers = {
    'app:state': async () => this.snapshot(),
  };
}
