import { useCallback, useEffect, useState } from 'react';
import type { StaffSession, StaffSessionState } from './staff-session';
import { useStaffSession } from './useStaffSession';

/** Why a page shows its signed-out panel. */
export type SignedOutReason = 'expired' | 'signed-out' | 'error';

export interface StaffSignIn {
  state: StaffSessionState;
  /** True while the page is on its way to the provider's sign-in page (first visit, no session). */
  redirecting: boolean;
  /** Set when the signed-out panel is to be shown: what it should say. */
  signedOutReason: SignedOutReason | undefined;
  signIn(): void;
  signOut(): void;
}

/**
 * The sign-in behaviour every staff web UI shares (`/booking/`, `/manage/`): a first visit without
 * a session goes straight to the provider's sign-in page; after signing out here, an expired
 * session or a failed sign-in (`returnedFromSignIn` but still no session) the page shows why and
 * a button instead, so it never bounces a person back and forth. `autoSignIn: false` keeps the
 * page where it is (the management page's API-client sign-in).
 */
export function useStaffSignIn(
  session: StaffSession,
  options: { returnedFromSignIn: boolean; language: 'da' | 'en'; autoSignIn?: boolean },
): StaffSignIn {
  const { returnedFromSignIn, language, autoSignIn = true } = options;
  const state = useStaffSession(session);
  const [signedOutHere, setSignedOutHere] = useState(false);
  const redirecting = autoSignIn && state.kind === 'signed-out' && state.reason === 'signed-out' && !signedOutHere && !returnedFromSignIn;

  useEffect(() => {
    if (redirecting) session.signIn({ language });
  }, [redirecting, session, language]);

  const signOut = useCallback(() => {
    setSignedOutHere(true);
    void session.signOut();
  }, [session]);
  const signIn = useCallback(() => session.signIn({ language }), [session, language]);

  let signedOutReason: SignedOutReason | undefined;
  if (state.kind === 'signed-out' && !redirecting) {
    signedOutReason = signedOutHere ? 'signed-out' : returnedFromSignIn && state.reason === 'signed-out' ? 'error' : (state.reason ?? 'signed-out');
  }
  return { state, redirecting, signedOutReason, signIn, signOut };
}
