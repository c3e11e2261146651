import type { StaffSession } from '../../../src-shared/ipc/room-bridge.contract';
import { useI18n } from '../../i18n/I18nProvider';
import { LanguageSwitch } from '../../ui/LanguageSwitch';
import { bridgeErrorText } from '../bridge-error';

/**
 * A desktop nobody is signed in to: one button that opens the sign-in page in the person's own
 * browser (decision 0017). While the browser is open it says so, and the button opens it again
 * (the person may have closed that tab). Why the last sign-in failed, or that the server cannot be
 * reached, is said in words, never as a code.
 */
export function StaffSignIn({ session, onSignIn }: { session: StaffSession | null; onSignIn(): void }) {
  const { t } = useI18n();
  const waiting = session?.kind === 'signing_in';
  const lastError = session?.kind === 'signed_out' ? session.lastError : null;
  return (
    <div className="room-activation">
      <div className="room-corner">
        <LanguageSwitch />
      </div>
      <main className="vdx-card room-activation-card" data-testid="staff-sign-in-screen">
        <h1>{t('room.staff.appTitle')}</h1>
        <p>{t('room.staff.signInIntro')}</p>
        {lastError ? (
          <p className="vdx-error" role="alert" data-testid="staff-sign-in-error">
            {lastError.code === 'offline' ? t('room.staff.offlineSignIn') : bridgeErrorText(t, lastError)}
          </p>
        ) : null}
        <p role="status" className="vdx-hint">
          {waiting ? t('room.staff.signingIn') : t('room.staff.signInBrowser')}
        </p>
        <button type="button" className="vdx-button primary big" onClick={onSignIn} data-testid="staff-sign-in">
          {waiting ? t('room.staff.openAgain') : t('room.staff.signIn')}
        </button>
      </main>
    </div>
  );
}
