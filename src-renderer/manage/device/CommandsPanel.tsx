import { useState, type FormEvent } from 'react';
import type { Command, CommandType } from '../../../src-shared/devices/commands.schema';
import type { MessageKey } from '../../i18n/translate';
import { TextField } from '../../ui/TextField';
import { formatTime, type FleetFormat } from '../fleet-format';
import { sendCommand, type ManageAuth } from '../manage-api';
import { roomErrorMessage } from '../rooms/room-errors';

/** The commands IT sends from here; each runs once on the device, which answers with a result. */
const ACTIONS: ReadonlyArray<{ type: Exclude<CommandType, 'show_message' | 'join_meeting' | 'reprovision' | 'leave_meeting'>; label: MessageKey }> = [
  { type: 'restart_app', label: 'manage.command.restart_app' },
  { type: 'reload_ui', label: 'manage.command.reload_ui' },
  { type: 'check_update', label: 'manage.command.check_update' },
  { type: 'collect_logs', label: 'manage.command.collect_logs' },
];
const TYPE_KEY: Record<CommandType, MessageKey> = {
  restart_app: 'manage.command.restart_app',
  reload_ui: 'manage.command.reload_ui',
  check_update: 'manage.command.check_update',
  collect_logs: 'manage.command.collect_logs',
  show_message: 'manage.command.show_message',
  join_meeting: 'manage.command.join_meeting',
  leave_meeting: 'manage.command.leave_meeting',
  reprovision: 'manage.command.reprovision',
};
const STATUS_KEY: Record<Command['status'], MessageKey> = {
  queued: 'manage.command.status.queued',
  delivered: 'manage.command.status.delivered',
  succeeded: 'manage.command.status.succeeded',
  failed: 'manage.command.status.failed',
  expired: 'manage.command.status.expired',
};

/**
 * Commands for one device and their results. The list is the page's (re-read when the event
 * stream says the device changed, which includes every result), so a result shows within a second.
 */
export function CommandsPanel({
  auth,
  deviceId,
  commands,
  revoked,
  fmt,
  onSent,
}: {
  auth: ManageAuth;
  deviceId: string;
  commands: Command[] | null;
  revoked: boolean;
  fmt: FleetFormat;
  onSent(): void;
}) {
  const { t } = fmt;
  const [message, setMessage] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  const send = async (command: Parameters<typeof sendCommand>[2]) => {
    if (working) return;
    setWorking(true);
    setDone(null);
    setFailure(null);
    try {
      await sendCommand(auth, deviceId, command);
      setDone(t('manage.command.sent', { command: t(TYPE_KEY[command.type]) }));
      onSent();
    } catch (err) {
      setFailure(roomErrorMessage(err, t));
    }
    setWorking(false);
  };
  const showMessage = (e: FormEvent) => {
    e.preventDefault();
    if (!message.trim()) return;
    void send({ type: 'show_message', args: { text: message.trim(), severity: 'info' } }).then(() => setMessage(''));
  };

  return (
    <section className="vdx-card manage-panel" aria-labelledby="commands-title" data-testid="commands-panel">
      <h3 id="commands-title">{t('manage.command.title')}</h3>
      {revoked ? (
        <p className="vdx-hint">{t('manage.command.revoked')}</p>
      ) : (
        <>
          <div className="manage-actions">
            {ACTIONS.map((a) => (
              <button key={a.type} type="button" className="vdx-button" data-testid={`command-${a.type}`} disabled={working} onClick={() => void send({ type: a.type, args: {} })}>
                {t(a.label)}
              </button>
            ))}
          </div>
          <form className="manage-code-form" onSubmit={showMessage}>
            <TextField id="command-message" label={t('manage.command.message')} value={message} maxLength={500} onChange={(e) => setMessage(e.target.value)} />
            <button type="submit" className="vdx-button" data-testid="command-show_message" disabled={working || !message.trim()}>
              {t('manage.command.show_message')}
            </button>
          </form>
        </>
      )}
      <div aria-live="polite">
        {done && (
          <p className="manage-done" role="status" data-testid="command-done">
            {done}
          </p>
        )}
      </div>
      {failure && (
        <p className="vdx-error" role="alert" data-testid="command-error">
          {failure}
        </p>
      )}
      {commands && commands.length > 0 && (
        <table className="manage-table manage-codes">
          <caption>{t('manage.command.listCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('manage.command.what')}</th>
              <th scope="col">{t('manage.code.created')}</th>
              <th scope="col">{t('manage.code.status')}</th>
              <th scope="col">{t('manage.command.result')}</th>
            </tr>
          </thead>
          <tbody>
            {commands.map((c) => (
              <tr key={c.id} data-testid="command-row" data-command-id={c.id} data-status={c.status}>
                <td>{t(TYPE_KEY[c.type])}</td>
                <td>{formatTime(c.createdAt, fmt)}</td>
                <td data-testid="command-status">{t(STATUS_KEY[c.status])}</td>
                <td data-testid="command-result">
                  {c.result?.detail ? (
                    <details>
                      <summary>{c.completedAt ? formatTime(c.completedAt, fmt) : t('manage.command.detail')}</summary>
                      <pre className="manage-command-detail">{c.result.detail}</pre>
                    </details>
                  ) : c.completedAt ? (
                    formatTime(c.completedAt, fmt)
                  ) : (
                    ''
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
