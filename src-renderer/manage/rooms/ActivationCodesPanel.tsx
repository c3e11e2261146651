import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { ActivationCodeCreated, ActivationCodeSummary } from '../../../src-shared/devices/activation.schema';
import type { Room } from '../../../src-shared/devices/rooms.schema';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/translate';
import { SelectField } from '../../ui/SelectField';
import { TextField } from '../../ui/TextField';
import { useLoad } from '../../ui/useLoad';
import { formatTime, localeOf, type FleetFormat } from '../fleet-format';
import { createActivationCode, listActivationCodes, revokeActivationCode, type ManageAuth } from '../manage-api';
import { activationQrDataUrl } from './activation-qr';
import { PanelHeading } from './PanelHeading';
import { roomErrorMessage } from './room-errors';

const EXPIRY_DAYS = [1, 7, 30, 90] as const;
const STATUS_KEY: Record<ActivationCodeSummary['status'], MessageKey> = {
  active: 'manage.code.status.active',
  used: 'manage.code.status.used',
  expired: 'manage.code.status.expired',
  revoked: 'manage.code.status.revoked',
};

/**
 * A room's activation codes: make a new one (shown once — as text, as a QR code and as the
 * `vdxroom://activate` link — with its expiry), see earlier ones (never their code: the server
 * keeps only a hash) and revoke an unused one.
 */
export function ActivationCodesPanel({ auth, room, onClose }: { auth: ManageAuth; room: Room; onClose(): void }) {
  const { t, language } = useI18n();
  const fmt: FleetFormat = useMemo(() => ({ t, locale: localeOf(language) }), [t, language]);
  const codes = useLoad(() => listActivationCodes(auth, room.id), [auth, room.id]);
  const [days, setDays] = useState<number>(7);
  const [note, setNote] = useState('');
  const [created, setCreated] = useState<{ code: ActivationCodeCreated; qr: string } | null>(null);
  const [working, setWorking] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const createdHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (created) createdHeading.current?.focus();
  }, [created]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (working) return;
    setWorking(true);
    setFailure(null);
    setDone(null);
    try {
      const code = await createActivationCode(auth, room.id, {
        expiresAt: new Date(Date.now() + days * 86_400_000).toISOString(),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setCreated({ code, qr: await activationQrDataUrl(code.url) });
      setNote('');
      codes.reload();
    } catch (err) {
      setFailure(roomErrorMessage(err, t));
    }
    setWorking(false);
  };

  const revoke = async (code: ActivationCodeSummary) => {
    setFailure(null);
    setDone(null);
    try {
      await revokeActivationCode(auth, room.id, code.id);
      if (created?.code.id === code.id) setCreated(null);
      setDone(t('manage.code.revoked', { created: formatTime(code.createdAt, fmt) }));
      codes.reload();
    } catch (err) {
      setFailure(roomErrorMessage(err, t));
    }
  };

  return (
    <section className="vdx-card manage-panel" aria-labelledby="codes-title" data-testid="codes-panel">
      <PanelHeading id="codes-title" title={t('manage.code.title', { name: room.name })} closeTestId="codes-close" onClose={onClose} />
      <p className="vdx-hint">{t('manage.code.intro')}</p>
      <form className="manage-code-form" onSubmit={(e) => void create(e)}>
        <SelectField
          id="code-expiry"
          label={t('manage.code.expiry')}
          value={String(days)}
          options={EXPIRY_DAYS.map((d) => ({ value: String(d), label: t('manage.code.days', { count: d }) }))}
          onChange={(e) => setDays(Number(e.target.value))}
        />
        <TextField id="code-note" label={t('manage.code.note')} hint={t('manage.code.noteHint')} value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />
        <button type="submit" className="vdx-button primary" data-testid="code-create" disabled={working}>
          {t('manage.code.create')}
        </button>
      </form>
      {failure && (
        <p className="vdx-error" role="alert" data-testid="codes-error">
          {failure}
        </p>
      )}
      {done && (
        <p role="status" data-testid="codes-done">
          {done}
        </p>
      )}
      {created && (
        <section className="manage-new-code" aria-labelledby="new-code-title" data-testid="new-code">
          <h4 id="new-code-title" ref={createdHeading} tabIndex={-1}>
            {t('manage.code.newTitle')}
          </h4>
          <div className="manage-new-code-body">
            <img src={created.qr} width={200} height={200} alt={t('manage.code.qrAlt', { name: room.name })} data-testid="activation-qr" />
            <div>
              <p className="manage-code-text" data-testid="activation-code">
                {created.code.code}
              </p>
              <p>
                <a href={created.code.url} data-testid="activation-link" className="manage-code-link">
                  {created.code.url}
                </a>
              </p>
              <p data-testid="activation-expiry">{t('manage.code.expires', { time: formatTime(created.code.expiresAt, fmt) })}</p>
              <p className="vdx-hint">{t('manage.code.onlyOnce')}</p>
            </div>
          </div>
        </section>
      )}
      <CodeList codes={codes.state.kind === 'ok' ? codes.state.value : null} fmt={fmt} onRevoke={(c) => void revoke(c)} />
      {codes.state.kind === 'failed' && (
        <p className="vdx-error" role="alert">
          {roomErrorMessage(codes.state.error, t)}
        </p>
      )}
    </section>
  );
}

function CodeList({ codes, fmt, onRevoke }: { codes: ActivationCodeSummary[] | null; fmt: FleetFormat; onRevoke(code: ActivationCodeSummary): void }) {
  const { t } = fmt;
  if (!codes) return <p className="vdx-hint">{t('common.loading')}</p>;
  if (codes.length === 0) return <p className="vdx-hint">{t('manage.code.none')}</p>;
  return (
    <table className="manage-table manage-codes">
      <caption>{t('manage.code.listCaption', { count: codes.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('manage.code.created')}</th>
          <th scope="col">{t('manage.code.expiresCol')}</th>
          <th scope="col">{t('manage.code.note')}</th>
          <th scope="col">{t('manage.code.status')}</th>
          <th scope="col">
            <span className="vdx-sr-only">{t('manage.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {codes.map((c) => (
          <tr key={c.id} data-testid="code-row" data-code-id={c.id} data-status={c.status}>
            <td>{formatTime(c.createdAt, fmt)}</td>
            <td>{formatTime(c.expiresAt, fmt)}</td>
            <td>{c.note ?? ''}</td>
            <td data-testid="code-status">{t(STATUS_KEY[c.status])}</td>
            <td>
              {c.status === 'active' && (
                <button
                  type="button"
                  className="vdx-button"
                  data-testid="code-revoke"
                  aria-label={t('manage.code.revokeOne', { created: formatTime(c.createdAt, fmt) })}
                  onClick={() => onRevoke(c)}
                >
                  {t('manage.code.revoke')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
