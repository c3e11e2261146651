import { useI18n } from '../i18n/I18nProvider';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { SignedOutPanel, useStaffSignIn, type StaffSession } from '../ui/staff-session';
import { Workspace } from './Workspace';

/**
 * VDX Booking at `/booking/`: a person signs in through the staff session (the provider's own
 * sign-in page), then books and follows their meetings.
 *
 * ```
 *  signing-in ──(provider session)──────────────────────────▶ signed-in ──▶ Workspace
 *      │                                                       │
 *      └─(none, first visit)──▶ redirect to the sign-in page   └─(sign out / expired)──▶ signed out panel
 * ```
 * A first visit without a session goes straight to the sign-in page; after signing out, after an
 * expired session or a failed sign-in the page says so and offers the button instead, so it never
 * bounces a person back and forth (`useStaffSignIn`, shared with `/manage/`).
 */
export function BookingApp({ session, returnedFromSignIn }: { session: StaffSession; returnedFromSignIn: boolean }) {
  const { t, language } = useI18n();
  const { state, redirecting, signedOutReason, signIn, signOut } = useStaffSignIn(session, { returnedFromSignIn, language });

  return (
    <div className="booking">
      <header className="booking-header">
        <h1>{t('booking.title')}</h1>
        <div className="booking-header-actions">
          {state.kind === 'signed-in' ? (
            <p className="booking-user" data-testid="booking-user">
              <span>{state.user.name}</span>
              <span className="vdx-hint">{state.user.email}</span>
            </p>
          ) : null}
          <LanguageSwitch />
          {state.kind === 'signed-in' ? (
            <button type="button" className="vdx-button" data-testid="sign-out" onClick={signOut}>
              {t('booking.signOut')}
            </button>
          ) : null}
        </div>
      </header>
      <main className="booking-main">
        {state.kind === 'signed-in' ? <Workspace session={session} user={state.user} /> : null}
        {state.kind === 'signing-in' || redirecting ? (
          <p role="status" className="booking-status">
            {t(redirecting ? 'booking.signIn.redirecting' : 'booking.signIn.checking')}
          </p>
        ) : null}
        {signedOutReason ? (
          <SignedOutPanel
            className="booking-signed-out"
            reason={signedOutReason}
            texts={{
              title: t('booking.signIn.title'),
              intro: t('booking.signIn.intro'),
              button: t('booking.signIn.button'),
              notice: { 'signed-out': t('booking.signIn.signedOut'), expired: t('booking.signIn.expired'), error: t('booking.signIn.failed') },
            }}
            onSignIn={signIn}
          />
        ) : null}
      </main>
    </div>
  );
}
