import { useCallback, useMemo, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/translate';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { SignedOutPanel, useStaffSignIn, type StaffSession } from '../ui/staff-session';
import { clientCredentialsAuth, staffAuth, type ManageAuth, type Session } from './manage-api';
import { SignIn } from './SignIn';
import { Workspace } from './Workspace';

/** `/manage/?login=api-client`: the API-client sign-in (bootstrapping, automation). */
export const API_CLIENT_LOGIN = 'api-client';

/**
 * VDX Management at `/manage/`. People sign in through the staff sign-in (the provider's own page,
 * `useStaffSignIn`, as `/booking/` does); a first visit without a session goes straight there. The
 * API-client sign-in (decision 0009) stays behind a link, `?login=api-client`.
 *
 * ```
 *  person:     signing-in ──▶ signed-in ──▶ Workspace ──(403)──▶ no-access panel
 *                  └─(none)─▶ sign-in page      └─(sign out / expired)──▶ signed-out panel
 *  api-client: form ──(token)──▶ Workspace ──(401 / 403 / sign out)──▶ form + notice
 * ```
 * Tokens of either kind live in page memory only; nothing is written to web storage or cookies.
 */
export function ManageApp({ staff, returnedFromSignIn, apiClient }: { staff: StaffSession; returnedFromSignIn: boolean; apiClient: boolean }) {
  const { t, language } = useI18n();
  const person = useStaffSignIn(staff, { returnedFromSignIn, language, autoSignIn: !apiClient });
  const personAuth = useMemo(() => staffAuth(staff), [staff]);
  const [noAccess, setNoAccess] = useState(false);

  // The API-client session (decision 0009): the token in this component's state only.
  const [client, setClient] = useState<{ session: Session; auth: ManageAuth } | null>(null);
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const endClient = useCallback((why: MessageKey) => {
    setClient(null);
    setNotice(why);
  }, []);
  const clientSignedIn = useCallback((session: Session) => {
    setNotice(null);
    setClient({ session, auth: clientCredentialsAuth(session) });
  }, []);
  // A person's 401 is the staff session's to handle (it renews or signs out by itself); a 403
  // means the account lacks the management-admin role.
  const endPerson = useCallback((why: MessageKey) => {
    if (why === 'manage.error.forbidden') setNoAccess(true);
  }, []);

  const user = person.state.kind === 'signed-in' ? person.state.user : null;
  const signOut = apiClient ? () => endClient('manage.signedOut') : person.signOut;
  const signedIn = apiClient ? client !== null : user !== null;

  return (
    <div className="manage">
      <header className="manage-header">
        <h1>{t('manage.title')}</h1>
        <div className="manage-header-actions">
          {!apiClient && user && (
            <p className="manage-user" data-testid="manage-user">
              <span>{user.name}</span>
              <span className="vdx-hint">{user.email}</span>
            </p>
          )}
          <LanguageSwitch />
          {signedIn && (
            <button type="button" className="vdx-button" data-testid="manage-sign-out" onClick={signOut}>
              {t('manage.signOut')}
            </button>
          )}
        </div>
      </header>
      <main>
        {apiClient ? (
          client ? (
            <Workspace auth={client.auth} onSessionEnd={endClient} />
          ) : (
            <>
              <SignIn notice={notice} onSignedIn={clientSignedIn} />
              <p className="manage-switch-login">
                <a href="/manage/" data-testid="person-sign-in-link">
                  {t('manage.signIn.asPerson')}
                </a>
              </p>
            </>
          )
        ) : (
          <>
            {user && !noAccess && <Workspace auth={personAuth} onSessionEnd={endPerson} />}
            {user && noAccess && (
              <section className="vdx-card manage-sign-in" aria-labelledby="no-access-title">
                <h2 id="no-access-title">{t('manage.noAccess.title')}</h2>
                <p role="alert" data-testid="manage-no-access">
                  {t('manage.noAccess.text', { email: user.email })}
                </p>
              </section>
            )}
            {(person.state.kind === 'signing-in' || person.redirecting) && (
              <p role="status" className="manage-status-line">
                {t(person.redirecting ? 'manage.signIn.redirecting' : 'manage.signIn.checking')}
              </p>
            )}
            {person.signedOutReason && (
              <SignedOutPanel
                className="manage-sign-in"
                reason={person.signedOutReason}
                texts={{
                  title: t('manage.signIn.personTitle'),
                  intro: t('manage.signIn.personIntro'),
                  button: t('manage.signIn.submit'),
                  notice: { 'signed-out': t('manage.signedOut'), expired: t('manage.error.expired'), error: t('manage.signIn.failed') },
                }}
                onSignIn={person.signIn}
              >
                <p className="manage-switch-login">
                  <a href={`/manage/?login=${API_CLIENT_LOGIN}`} data-testid="api-client-sign-in-link">
                    {t('manage.signIn.asApiClient')}
                  </a>
                </p>
              </SignedOutPanel>
            )}
          </>
        )}
      </main>
    </div>
  );
}
