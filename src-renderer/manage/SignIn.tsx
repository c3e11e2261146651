import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/translate';
import { signIn, type Session, type SignInFailure } from './manage-api';
import { signInMessage } from './manage-messages';

/**
 * Client-credentials sign-in. The secret is sent once to `/oauth/token` and cleared from the form
 * right after, whatever the answer; only the resulting token goes up to `ManageApp`.
 */
export function SignIn({ notice, onSignedIn }: { notice: MessageKey | null; onSignedIn(session: Session): void }) {
  const { t } = useI18n();
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [working, setWorking] = useState(false);
  const [failure, setFailure] = useState<SignInFailure | null>(null);
  const idField = useRef<HTMLInputElement>(null);
  const secretField = useRef<HTMLInputElement>(null);
  // Keyboard users land in the form, also after being sent back here from the fleet view.
  useEffect(() => idField.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (working) return;
    setWorking(true);
    setFailure(null);
    const result = await signIn((url, init) => fetch(url, init), clientId.trim(), clientSecret, Date.now());
    setClientSecret('');
    setWorking(false);
    if (result.ok) {
      onSignedIn(result.session);
    } else {
      setFailure(result.failure);
      // The (disabled) button lost the focus; the emptied secret field is where to try again.
      secretField.current?.focus();
    }
  };

  return (
    <form className="vdx-card manage-sign-in" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">{t('manage.signIn.title')}</h2>
      {notice && (
        <p className="manage-notice" role="status" data-testid="manage-notice">
          {t(notice)}
        </p>
      )}
      <p>{t('manage.signIn.intro')}</p>
      <div className="vdx-field">
        <label className="vdx-label" htmlFor="manage-client-id">
          {t('manage.signIn.clientId')}
        </label>
        <input
          id="manage-client-id"
          ref={idField}
          data-testid="manage-client-id"
          className="vdx-input"
          value={clientId}
          onChange={(e) => setClientId(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          required
        />
      </div>
      <div className="vdx-field">
        <label className="vdx-label" htmlFor="manage-client-secret">
          {t('manage.signIn.clientSecret')}
        </label>
        <input
          id="manage-client-secret"
          ref={secretField}
          data-testid="manage-client-secret"
          className="vdx-input"
          type="password"
          value={clientSecret}
          onChange={(e) => setClientSecret(e.target.value)}
          autoComplete="off"
          aria-describedby="manage-memory-only"
          required
        />
        <p id="manage-memory-only" className="vdx-hint">
          {t('manage.signIn.memoryOnly')}
        </p>
      </div>
      {failure && (
        <p className="vdx-error" role="alert" data-testid="manage-sign-in-error">
          {signInMessage(failure, t)}
        </p>
      )}
      <button type="submit" className="vdx-button primary" data-testid="manage-sign-in" disabled={working}>
        {working ? t('manage.signIn.working') : t('manage.signIn.submit')}
      </button>
    </form>
  );
}
