/** What every controller of the agent is built with: time, log, storage, events, state, background work. */
import type { Clock } from '../../../src-shared/platform/clock';
import type { AgentLogger, SettingsStore } from '../platform/platform';
import type { AgentEvents } from './agent-events';
import type { AgentStateStore } from './agent-state';
import type { BackgroundWork } from './background-work';

export interface AgentContext {
  readonly clock: Clock;
  readonly log: AgentLogger;
  readonly settings: SettingsStore;
  readonly events: AgentEvents;
  readonly state: AgentStateStore;
  readonly work: BackgroundWork;
}
