import { useRef, useState, type FormEvent } from 'react';
import type { Room } from '../../../src-shared/devices/rooms.schema';
import { useI18n } from '../../i18n/I18nProvider';
import { SelectField } from '../../ui/SelectField';
import { TextField } from '../../ui/TextField';
import { sendRoomMessage, type ManageAuth } from '../manage-api';
import { PanelHeading } from './PanelHeading';
import { roomErrorMessage } from './room-errors';

const DURATIONS_MIN = [15, 60, 240, 1440] as const;

/**
 * A message on every screen of a room (`POST /management/v1/rooms/{id}/messages`) until it
 * expires; the answer says how many screens have it now (a screen that connects later gets it
 * from its stream's backlog while it lasts).
 */
export function RoomMessagePanel({ auth, room, onClose }: { auth: ManageAuth; room: Room; onClose(): void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [severity, setSeverity] = useState<'info' | 'warning'>('info');
  const [minutes, setMinutes] = useState<number>(60);
  const [problem, setProblem] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const field = useRef<HTMLInputElement>(null);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (working) return;
    if (!text.trim()) {
      setProblem(true);
      field.current?.focus();
      return;
    }
    setProblem(false);
    setWorking(true);
    setDone(null);
    setFailure(null);
    try {
      const sent = await sendRoomMessage(auth, room.id, { text: text.trim(), severity, expiresAt: new Date(Date.now() + minutes * 60_000).toISOString() });
      setDone(sent.connectedDevices > 0 ? t('manage.message.sent', { count: sent.connectedDevices }) : t('manage.message.sentNone'));
      setText('');
    } catch (err) {
      setFailure(roomErrorMessage(err, t));
    }
    setWorking(false);
  };

  return (
    <section className="vdx-card manage-panel" aria-labelledby="message-title" data-testid="message-panel">
      <PanelHeading id="message-title" title={t('manage.message.title', { name: room.name })} closeTestId="message-close" onClose={onClose} />
      <form className="manage-code-form" onSubmit={(e) => void send(e)} noValidate>
        <TextField
          id="message-text"
          ref={field}
          label={t('manage.message.text')}
          value={text}
          maxLength={500}
          onChange={(e) => setText(e.target.value)}
          error={problem && t('manage.message.problem')}
          required
        />
        <SelectField
          id="message-severity"
          label={t('manage.message.severity')}
          value={severity}
          options={[
            { value: 'info', label: t('manage.message.info') },
            { value: 'warning', label: t('manage.message.warning') },
          ]}
          onChange={(e) => setSeverity(e.target.value === 'warning' ? 'warning' : 'info')}
        />
        <SelectField
          id="message-duration"
          label={t('manage.message.duration')}
          value={String(minutes)}
          options={DURATIONS_MIN.map((m) => ({ value: String(m), label: m < 60 ? t('manage.message.minutes', { count: m }) : t('manage.message.hours', { count: m / 60 }) }))}
          onChange={(e) => setMinutes(Number(e.target.value))}
        />
        <button type="submit" className="vdx-button primary" data-testid="message-send" disabled={working}>
          {t('manage.message.send')}
        </button>
      </form>
      <div aria-live="polite">
        {done && (
          <p className="manage-done" role="status" data-testid="message-done">
            {done}
          </p>
        )}
      </div>
      {failure && (
        <p className="vdx-error" role="alert">
          {failure}
        </p>
      )}
    </section>
  );
}
