import { useEffect, useState } from 'react';
import type { JoinMeeting } from '../../src-shared/join/join-meeting.schema';

/** setTimeout's longest delay; a meeting further off is re-checked after it. */
const MAX_WAIT_MS = 2 ** 31 - 1;

/**
 * When, by this device's clock, the meeting opens: `opensAt` moved by how far the device's clock
 * is from the server's (`serverTime`, read when the answer arrived at `receivedAt`). The estimate
 * errs late by the answer's travel time, never early, so a join at that instant finds it open.
 */
export function localOpeningTime(meeting: Pick<JoinMeeting, 'opensAt' | 'serverTime'>, receivedAt: number): number {
  const deviceAhead = receivedAt - Date.parse(meeting.serverTime);
  return Date.parse(meeting.opensAt) + deviceAhead;
}

/**
 * The meeting's opening instant on this device's clock, and whether it has come. Re-renders at the
 * instant it opens. A page without a booked meeting (a plain alias) counts as open.
 */
export function useMeetingOpening(meeting: JoinMeeting | undefined, receivedAt: number): { opensAt: number | null; open: boolean } {
  const opensAt = meeting ? localOpeningTime(meeting, receivedAt) : null;
  const [, rerender] = useState(0);
  useEffect(() => {
    if (opensAt === null) return;
    let timer: ReturnType<typeof setTimeout>;
    const check = () => {
      const wait = opensAt - Date.now();
      if (wait > 0) timer = setTimeout(check, Math.min(wait, MAX_WAIT_MS));
      else rerender((n) => n + 1);
    };
    check();
    return () => clearTimeout(timer);
  }, [opensAt]);
  return { opensAt, open: opensAt === null || opensAt <= Date.now() };
}
