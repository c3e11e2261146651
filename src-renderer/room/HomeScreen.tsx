import { useState, type FormEvent, type ReactNode } from 'react';
import type { AgendaMeeting, AppState, RoomInfo, Schedule, ScreenMessage } from '../../src-shared/ipc/room-bridge.contract';
import { useI18n } from '../i18n/I18nProvider';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { TextField } from '../ui/TextField';
import { useNow } from '../ui/useNow';
import { canJoin, currentOrNext, formatClock, formatCountdown, formatDate, isInProgress, remainingToday } from './agenda';

/**
 * The room's idle screen: name, clock, today's agenda with a countdown to the next meeting and a
 * join button, messages from IT, in the organisation's theme. Desktop mode adds join-by-address.
 */
export function HomeScreen({
  room,
  app,
  schedule,
  messages,
  onJoinMeeting,
  onJoinAddress,
  onDismissMessage,
  busyText,
  staffPanel,
}: {
  room: RoomInfo;
  app: AppState;
  schedule: Schedule | undefined;
  messages: ScreenMessage[];
  onJoinMeeting(meeting: AgendaMeeting): void;
  onJoinAddress(alias: string, pin: string | undefined): void;
  onDismissMessage(id: string): void;
  busyText?: string;
  /**
   * Desktop: the signed-in person's meetings (replacing the device agenda, which a desktop without
   * an enrolment does not have), or the sign-in beside an enrolled desktop's agenda.
   */
  staffPanel?: ReactNode;
}) {
  const { t, language } = useI18n();
  const now = useNow();
  const meetings = schedule?.meetings ?? [];
  const today = remainingToday(meetings, now);
  const next = currentOrNext(meetings, now);
  const subject = (m: AgendaMeeting) => m.subject ?? t('room.home.noSubject');
  const welcome = room.theme?.welcomeText[language];

  return (
    <div className="room-home" style={room.theme?.background ? { backgroundImage: `url("${room.theme.background}")` } : undefined}>
      <header className="room-header">
        <div className="room-brand">
          {room.theme?.logo ? <img className="room-logo" src={room.theme.logo} alt="" /> : null}
          <div>
            <h1 data-testid="room-name">{room.roomName}</h1>
            {welcome ? <p className="vdx-hint">{welcome}</p> : null}
          </div>
        </div>
        <div className="room-clock" aria-label={formatClock(now, language)}>
          <span className="time" data-testid="clock">
            {formatClock(now, language)}
          </span>
          <span className="date">{formatDate(now, language)}</span>
        </div>
      </header>

      {!app.online || schedule?.source === 'cache' ? (
        <p className="room-banner warning" role="status" data-testid="offline-banner">
          {app.staff && app.staff.kind !== 'signed_out' ? t('room.staff.offline') : t('room.home.offline')}
        </p>
      ) : null}
      {messages.map((m) => (
        <div key={m.id} className={`room-banner ${m.severity}`} role="alert" data-testid="it-message">
          <strong>{t('room.home.messages')}:</strong> <span>{m.text}</span>
          <button type="button" className="vdx-button" onClick={() => onDismissMessage(m.id)} aria-label={t('common.close')}>
            ✕
          </button>
        </div>
      ))}

      <main className="room-main">
        {app.staff?.kind === 'signed_in' || app.staff?.kind === 'unreachable' ? (
          <>
            {staffPanel}
            {busyText ? <p role="status">{busyText}</p> : null}
          </>
        ) : (
          <>
            {staffPanel}
            <section className="room-next vdx-card" aria-labelledby="next-title" data-testid="next-meeting">
              <h2 id="next-title">{t('room.home.next')}</h2>
              {next ? (
                <>
                  <p className="room-next-subject">{subject(next)}</p>
                  <p className="room-next-time">
                    {formatClock(new Date(next.startTime), language)}–{formatClock(new Date(next.endTime), language)}
                  </p>
                  <p className="room-countdown" aria-live="off" data-testid="countdown">
                    {isInProgress(next, now)
                      ? t('room.home.inProgress', { end: formatClock(new Date(next.endTime), language) })
                      : t('room.home.startsIn', { time: formatCountdown(new Date(next.startTime), now, language) })}
                  </p>
                  {canJoin(next, now) ? (
                    <button type="button" className="vdx-button primary big" onClick={() => onJoinMeeting(next)} disabled={busyText !== undefined} data-testid="join-next">
                      {t('room.home.join')}
                    </button>
                  ) : null}
                </>
              ) : (
                <p>{t('room.home.noMeetings')}</p>
              )}
              {busyText ? <p role="status">{busyText}</p> : null}
            </section>

            <section className="room-agenda vdx-card" aria-labelledby="agenda-title">
              <h2 id="agenda-title">{t('room.home.today')}</h2>
              {today.length === 0 ? <p className="vdx-hint">{t('room.home.noMeetings')}</p> : null}
              <ol className="room-agenda-list" data-testid="agenda">
                {today.map((m) => (
                  <li key={m.id} className={isInProgress(m, now) ? 'now' : ''} data-testid="agenda-item">
                    <span className="when">
                      {formatClock(new Date(m.startTime), language)}–{formatClock(new Date(m.endTime), language)}
                    </span>
                    <span className="what">{subject(m)}</span>
                    {canJoin(m, now) && m !== next ? (
                      <button type="button" className="vdx-button" onClick={() => onJoinMeeting(m)} disabled={busyText !== undefined}>
                        {t('room.home.join')}
                      </button>
                    ) : null}
                  </li>
                ))}
              </ol>
            </section>
          </>
        )}

        {app.mode === 'desktop' ? <JoinByAddress onJoin={onJoinAddress} /> : null}
      </main>

      <footer className="room-footer">
        <LanguageSwitch />
        <span className="vdx-hint">
          {room.organisation ?? ''} · v{app.appVersion}
        </span>
      </footer>
    </div>
  );
}

function JoinByAddress({ onJoin }: { onJoin(alias: string, pin: string | undefined): void }) {
  const { t } = useI18n();
  const [alias, setAlias] = useState('');
  const [pin, setPin] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (alias.trim()) onJoin(alias.trim(), pin.trim() || undefined);
  };
  return (
    <form className="room-address vdx-card" onSubmit={submit}>
      <h2>{t('portal.join')}</h2>
      <TextField id="address" label={t('portal.alias')} value={alias} onChange={(e) => setAlias(e.target.value)} />
      <TextField id="address-pin" label={t('call.pin.label')} type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value)} />
      <button type="submit" className="vdx-button primary">
        {t('call.pin.submit')}
      </button>
    </form>
  );
}
