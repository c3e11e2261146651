import { useEffect, useRef, useState, type FormEvent } from 'react';
import { isBridgeError, type RoomBridge } from '../../src-shared/ipc/room-bridge.contract';
import { useI18n } from '../i18n/I18nProvider';
import { TextField } from '../ui/TextField';
import { bridgeErrorText } from './bridge-error';

/** Kiosk admin exit: shown after the key combination; the agent checks the PIN and quits. */
export function AdminExitPrompt({ bridge, onClose }: { bridge: RoomBridge; onClose(): void }) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string>();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    bridge.app.adminExit({ pin }).catch((err: unknown) => {
      setError(isBridgeError(err) && err.code === 'invalid_pin' ? t('call.pin.invalid') : bridgeErrorText(t, err));
      setPin('');
    });
  };
  return (
    <div className="room-modal" role="dialog" aria-modal="true" aria-labelledby="admin-exit-title">
      <form className="vdx-card call-dialog" onSubmit={submit}>
        <h2 id="admin-exit-title">{t('room.admin.title')}</h2>
        <TextField id="admin-pin" ref={input} label={t('call.pin.label')} error={error} type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value)} />
        <div className="call-dialog-actions">
          <button type="button" className="vdx-button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="vdx-button danger">
            {t('room.admin.exit')}
          </button>
        </div>
      </form>
    </div>
  );
}
