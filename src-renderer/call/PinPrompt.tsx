import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { TextField } from '../ui/TextField';

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
      <TextField
        id="pin-input"
        ref={input}
        label={t('call.pin.label')}
        hint={!invalid && !guestPinRequired ? t('call.pin.guestHint') : undefined}
        error={invalid ? t('call.pin.invalid') : undefined}
        hintId="pin-hint"
        errorId="pin-error"
        type="password"
        inputMode="numeric"
        autoComplete="off"
        value={pin}
        maxLength={32}
        required={guestPinRequired}
        onChange={(e) => setPin(e.target.value)}
      />
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
