import { useSyncExternalStore } from 'react';
import type { CallSession, CallSnapshot } from './call-session';

/** Renders from a CallSession's snapshot; re-renders on every change. */
export function useCallSnapshot(session: CallSession): CallSnapshot {
  return useSyncExternalStore(session.subscribe, session.getSnapshot, session.getSnapshot);
}
