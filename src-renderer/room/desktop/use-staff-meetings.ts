import { useEffect, useState } from 'react';
import type { RoomBridge, StaffMeeting, StaffSession } from '../../../src-shared/ipc/room-bridge.contract';
import type { MessageKey } from '../../i18n/translate';
import { bridgeErrorText } from '../bridge-error';

/** How often the list is read again while the person is signed in (a meeting booked meanwhile shows up). */
export const REFRESH_MS = 60_000;

/**
 * "My meetings today" for the signed-in person: read when the session becomes signed in (also
 * after the server answers again), every minute and when the window gets the focus back; an
 * error becomes the UI's own sentence.
 */
export function useStaffMeetings(bridge: RoomBridge, session: StaffSession | null, t: (key: MessageKey) => string) {
  const [meetings, setMeetings] = useState<StaffMeeting[]>();
  const [error, setError] = useState<string>();
  const signedIn = session?.kind === 'signed_in';
  const email = session && 'person' in session ? session.person.email : null;
  useEffect(() => {
    if (!email) {
      setMeetings(undefined);
      setError(undefined);
    }
  }, [email]);
  useEffect(() => {
    if (!signedIn) return;
    let stopped = false;
    const load = () =>
      bridge.staff
        .meetingsToday({})
        .then((r) => {
          if (stopped) return;
          setMeetings(r.meetings);
          setError(undefined);
        })
        .catch((err: unknown) => {
          // Unreachable is said by the banner; the list keeps what it had.
          if (!stopped && !(err && (err as { code?: string }).code === 'offline')) setError(bridgeErrorText(t, err));
        });
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    // Back from booking a meeting in the browser: the new one is there when the app is looked at again.
    const onFocus = () => void load();
    window.addEventListener('focus', onFocus);
    return () => {
      stopped = true;
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
    };
  }, [bridge, signedIn, t]);
  return { meetings, error };
}
