import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/translate';
import type { BookingApi, Meeting } from './booking-api';
import { failureMessage } from './booking-errors';

/**
 * Cancel (delete) a meeting, after a confirmation. The API allows it only before the meeting's
 * room is prepared; the page knows the status it read, and words the server's refusal (code 13)
 * when the room was prepared meanwhile.
 */
export function CancelMeeting({ api, meeting, cancellable, onCancelled }: { api: BookingApi; meeting: Meeting; cancellable: boolean; onCancelled(): void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<MessageKey>();
  const yes = useRef<HTMLButtonElement>(null);
  const start = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) yes.current?.focus();
  }, [confirming]);

  if (!cancellable) return <p className="vdx-hint">{t('booking.cancel.notNow')}</p>;

  const cancel = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      await api.deleteMeeting(meeting.uuid);
      onCancelled();
    } catch (error) {
      setFailure(failureMessage(error, 'cancel'));
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <div className="booking-cancel">
      {!confirming ? (
        <button ref={start} type="button" className="vdx-button danger" data-testid="cancel-meeting" onClick={() => setConfirming(true)}>
          {t('booking.cancel.button')}
        </button>
      ) : (
        <div role="group" aria-labelledby="cancel-question" className="booking-confirm">
          <p id="cancel-question">{t('booking.cancel.question', { subject: meeting.subject })}</p>
          <button ref={yes} type="button" className="vdx-button danger" disabled={busy} data-testid="confirm-cancel" onClick={() => void cancel()}>
            {t('booking.cancel.confirm')}
          </button>
          <button
            type="button"
            className="vdx-button"
            onClick={() => {
              setConfirming(false);
              setTimeout(() => start.current?.focus());
            }}
          >
            {t('booking.cancel.keep')}
          </button>
        </div>
      )}
      {failure ? (
        <p className="vdx-error" role="alert" data-testid="cancel-failure">
          {t(failure)}
        </p>
      ) : null}
    </div>
  );
}
