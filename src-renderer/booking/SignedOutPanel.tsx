import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/translate';

const NOTICE: Record<'expired' | 'signed-out' | 'error', MessageKey> = {
  'signed-out': 'booking.signIn.signedOut',
  expired: 'booking.signIn.expired',
  error: 'booking.signIn.failed',
};

/** Shown when there is no sign-in: why, and the way to the sign-in page. */
export function SignedOutPanel({ reason, onSignIn }: { reason: 'expired' | 'signed-out' | 'error'; onSignIn(): void }) {
  const { t } = useI18n();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  return (
    <section className="vdx-card booking-signed-out" aria-labelledby="signed-out-title">
      <h2 id="signed-out-title">{t('booking.signIn.title')}</h2>
      <p role="status" data-testid="signed-out-notice" className={reason === 'error' ? 'vdx-error' : undefined}>
        {t(NOTICE[reason])}
      </p>
      <p>{t('booking.signIn.intro')}</p>
      <button ref={button} type="button" className="vdx-button primary" data-testid="sign-in" onClick={onSignIn}>
        {t('booking.signIn.button')}
      </button>
    </section>
  );
}
