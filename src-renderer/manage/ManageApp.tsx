import { useCallback, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/translate';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { FleetView } from './FleetView';
import type { Session } from './manage-api';
import { SignIn } from './SignIn';

/**
 * The management page at `/manage/`: sign in with a management API client, then the room fleet.
 *
 * ```
 *  signed out ──(token)──▶ signed in ──(401 / 403 / sign out)──▶ signed out + notice
 * ```
 * The session (access token) lives in this component's state only, so a reload or a closed tab
 * forgets it; nothing is written to web storage or cookies.
 */
export function ManageApp() {
  const { t } = useI18n();
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState<MessageKey | null>(null);

  const end = useCallback((why: MessageKey) => {
    setSession(null);
    setNotice(why);
  }, []);
  const signedIn = useCallback((s: Session) => {
    setNotice(null);
    setSession(s);
  }, []);

  return (
    <div className="manage">
      <header className="manage-header">
        <h1>{t('manage.title')}</h1>
        <div className="manage-header-actions">
          <LanguageSwitch />
          {session && (
            <button type="button" className="vdx-button" data-testid="manage-sign-out" onClick={() => end('manage.signedOut')}>
              {t('manage.signOut')}
            </button>
          )}
        </div>
      </header>
      <main>{session ? <FleetView session={session} onSessionEnd={end} /> : <SignIn notice={notice} onSignedIn={signedIn} />}</main>
    </div>
  );
}
