/** An {@link AgentContext} for testing one controller alone: ManualClock, in-memory settings, recorded events. */
import { ManualClock } from '../../../src-shared/platform/clock';
import type { BridgeEventName } from '../../../src-shared/ipc/room-bridge.contract';
import { silentLogger } from '../logging/rotating-log';
import { MemorySettingsStore } from '../platform/memory-platform';
import type { AgentContext } from '../runtime/agent-context';
import { AgentEvents } from '../runtime/agent-events';
import { AgentStateStore } from '../runtime/agent-state';
import { BackgroundWork } from '../runtime/background-work';

export interface ControllerContext extends AgentContext {
  clock: ManualClock;
  settings: MemorySettingsStore;
  emitted: Array<{ event: BridgeEventName; payload: unknown }>;
  /** Payloads of one event type, in order. */
  of<T = unknown>(event: BridgeEventName): T[];
}

export function controllerContext(start = '2026-03-02T09:00:00Z'): ControllerContext {
  const events = new AgentEvents(silentLogger);
  const state = new AgentStateStore(events);
  state.useFrame(() => ({ update: { kind: 'unsupported' }, online: true, shell: 'chromium', mode: 'kiosk', appVersion: '1.2.3', locale: 'da', staff: null }));
  const emitted: ControllerContext['emitted'] = [];
  events.on((event, payload) => emitted.push({ event, payload }));
  return {
    clock: new ManualClock(start),
    log: silentLogger,
    settings: new MemorySettingsStore(),
    events,
    state,
    work: new BackgroundWork(silentLogger),
    emitted,
    of: <T,>(event: BridgeEventName) => emitted.filter((e) => e.event === event).map((e) => e.payload as T),
  };
}
