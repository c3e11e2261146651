import { useEffect, useState } from 'react';
import type { StaffSession, StaffSessionState } from './staff-session';

/**
 * The session's state as React state. Create the session once per page (outside the component,
 * or in a ref) and call `session.start()` once at load; this hook only follows its changes.
 */
export function useStaffSession(session: StaffSession): StaffSessionState {
  const [state, setState] = useState(session.state);
  useEffect(() => {
    setState(session.state);
    return session.onChange(setState);
  }, [session]);
  return state;
}
