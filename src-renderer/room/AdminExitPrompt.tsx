import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { RoomBridge } from '../../src-shared/ipc/room-bridge.contract';
import { useI18n } from '../i18n/I18nProvider';

/** Kiosk admin exit: shown after the key combination; the agent checks the PIN and quits. */
export function AdminExitPrompt({ bridge, onClose }: { bridge: RoomBridge; onClose(): void }) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [invalid, setInvalid] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    bridge.app.adminExit({ pin }).catch(() => {
      setInvalid(true);
      setPin('');
    });
  };
  return (
    <div className="room-modal" role="dialog" aria-modal="true" aria-labelledby="admin-exit-title">
      <form className="vdx-card call-dialog" onSubmit={submit}>
        <h2 id="admin-exit-title">{t('room.admin.title')}</h2>
        <div className="vdx-field">
          <label className="vdx-label" htmlFor="admin-pin">
            {t('call.pin.label')}
          </label>
          <input id="admin-pin" ref={input} className="vdx-input" type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value)} aria-invalid={invalid} />
          {invalid ? <p className="vdx-error" role="alert">{t('call.pin.invalid')}</p> : null}
        </div>
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
