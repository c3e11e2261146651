import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { isBridgeError, type BridgeError } from '../../src-shared/ipc/room-bridge.contract';
import { useI18n } from '../i18n/I18nProvider';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { TextField } from '../ui/TextField';
import { bridgeErrorText } from './bridge-error';
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
  // A revoked device lands here with `not_provisioned`: that is news, not a failed activation.
  const describe = useCallback(
    (err: unknown) => (isBridgeError(err) && err.code === 'not_provisioned' ? bridgeErrorText(t, err) : t('room.activation.failed', { message: bridgeErrorText(t, err) })),
    [t],
  );
  useEffect(() => {
    if (lastError) setError(describe(lastError));
  }, [lastError, describe]);

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
      setError(describe(err));
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
        <TextField
          id="activation-code"
          ref={field}
          label={t('room.activation.code')}
          error={error}
          errorId="activation-error"
          className="room-code-input"
          value={text}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="XXXX-XXXX-XXXX"
          onChange={(e) => {
            setText(formatWhileTyping(e.target.value));
            setError(undefined);
          }}
          data-testid="activation-code"
        />
        <button type="submit" className="vdx-button primary big" disabled={working} data-testid="activate">
          {working ? t('room.activation.working') : t('room.activation.submit')}
        </button>
      </form>
    </div>
  );
}
