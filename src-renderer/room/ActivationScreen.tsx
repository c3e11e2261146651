import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { BridgeError } from '../../src-shared/ipc/room-bridge.contract';
import { useI18n } from '../i18n/I18nProvider';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { formatWhileTyping, parseActivationInput } from './activation-code';

/**
 * First start: the code from IT (typed in 4-4-4 groups) or the pasted `vdxroom://activate` link.
 * The agent enrols; errors come back as bridge errors (`invalid_activation_code`, `offline`).
 */
export function ActivationScreen({
  enrolling,
  lastError,
  onActivate,
}: {
  enrolling: boolean;
  lastError: BridgeError | null;
  onActivate(input: { code: string } | { url: string }): Promise<void>;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
  useEffect(() => {
    if (lastError) setError(t('room.activation.failed', { message: lastError.message }));
  }, [lastError, t]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseActivationInput(text);
    if (parsed.kind !== 'code' && parsed.kind !== 'url') {
      setError(t('room.activation.invalidFormat'));
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      await onActivate(parsed.kind === 'code' ? { code: parsed.code } : { url: parsed.url });
    } catch (err) {
      const message = typeof err === 'object' && err && 'message' in err ? String((err as { message: unknown }).message) : String(err);
      setError(t('room.activation.failed', { message }));
    } finally {
      setBusy(false);
    }
  };
  const working = busy || enrolling;
  return (
    <div className="room-activation">
      <div className="room-corner">
        <LanguageSwitch />
      </div>
      <form className="vdx-card room-activation-card" onSubmit={(e) => void submit(e)} data-testid="activation-form">
        <h1>{t('room.activation.title')}</h1>
        <p>{t('room.activation.intro')}</p>
        <div className="vdx-field">
          <label className="vdx-label" htmlFor="activation-code">
            {t('room.activation.code')}
          </label>
          <input
            id="activation-code"
            ref={field}
            className="vdx-input room-code-input"
            value={text}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            placeholder="XXXX-XXXX-XXXX"
            aria-invalid={error !== undefined}
            aria-describedby={error ? 'activation-error' : undefined}
            onChange={(e) => {
              setText(formatWhileTyping(e.target.value));
              setError(undefined);
            }}
            data-testid="activation-code"
          />
        </div>
        {error ? (
          <p id="activation-error" className="vdx-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="vdx-button primary big" disabled={working} data-testid="activate">
          {working ? t('room.activation.working') : t('room.activation.submit')}
        </button>
      </form>
    </div>
  );
}
