import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/I18nProvider';

/**
 * Asks for the conference PIN after the node answered "PIN required". When only the host PIN is
 * required, guests may leave it empty (sent as `none`).
 */
export function PinPrompt({
  guestPinRequired,
  invalid,
  onSubmit,
  onCancel,
}: {
  guestPinRequired: boolean;
  invalid: boolean;
  onSubmit(pin: string): void;
  onCancel?(): void;
}) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    setBusy(false);
    if (invalid) setPin('');
  }, [invalid]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (guestPinRequired && pin.trim() === '') return;
    setBusy(true);
    onSubmit(pin);
  };
  return (
    <form className="vdx-card call-dialog" onSubmit={submit} aria-labelledby="pin-title" data-testid="pin-prompt">
      <h2 id="pin-title">{t('call.pin.title')}</h2>
      <div className="vdx-field">
        <label className="vdx-label" htmlFor="pin-input">
          {t('call.pin.label')}
        </label>
        <input
          id="pin-input"
          ref={input}
          className="vdx-input"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={pin}
          maxLength={32}
          required={guestPinRequired}
          aria-invalid={invalid}
          aria-describedby={invalid ? 'pin-error' : 'pin-hint'}
          onChange={(e) => setPin(e.target.value)}
        />
        {invalid ? (
          <p id="pin-error" className="vdx-error" role="alert">
            {t('call.pin.invalid')}
          </p>
        ) : !guestPinRequired ? (
          <p id="pin-hint" className="vdx-hint">
            {t('call.pin.guestHint')}
          </p>
        ) : null}
      </div>
      <div className="call-dialog-actions">
        {onCancel ? (
          <button type="button" className="vdx-button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        ) : null}
        <button type="submit" className="vdx-button primary" disabled={busy}>
          {t('call.pin.submit')}
        </button>
      </div>
    </form>
  );
}
