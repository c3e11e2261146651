import type { StaffMeeting, StaffSession } from '../../../src-shared/ipc/room-bridge.contract';
import { useI18n } from '../../i18n/I18nProvider';
import { useNow } from '../../ui/useNow';
import { formatClock } from '../agenda';

/**
 * The signed-in clinician's part of the desktop home screen: who is signed in (with sign-out), and
 * "my meetings today" from the booking API, each with one-click "join as host" (the agent fills in
 * the host PIN). A meeting whose room has not opened yet says when it opens instead.
 */
export function StaffMeetingsPanel({
  session,
  meetings,
  error,
  busy,
  onJoinAsHost,
  onSignOut,
}: {
  session: Extract<StaffSession, { kind: 'signed_in' | 'unreachable' }>;
  /** undefined: not loaded yet. */
  meetings: StaffMeeting[] | undefined;
  error: string | undefined;
  busy: boolean;
  onJoinAsHost(meeting: StaffMeeting): void;
  onSignOut(): void;
}) {
  const { t, language } = useI18n();
  const now = useNow(15_000);
  const upcoming = (meetings ?? []).filter((m) => Date.parse(m.endTime) > now.getTime());
  return (
    <section className="room-agenda vdx-card staff-meetings" aria-labelledby="staff-meetings-title" data-testid="staff-meetings">
      <div className="staff-person">
        <span data-testid="staff-person">{t('room.staff.signedInAs', { name: session.person.name })}</span>
        <button type="button" className="vdx-button" onClick={onSignOut} data-testid="staff-sign-out">
          {t('room.staff.signOut')}
        </button>
      </div>
      <h2 id="staff-meetings-title">{t('room.staff.title')}</h2>
      {error ? (
        <p className="vdx-error" role="alert">
          {error}
        </p>
      ) : null}
      {meetings === undefined && !error ? <p role="status">{t('room.staff.loading')}</p> : null}
      {meetings !== undefined && upcoming.length === 0 ? <p className="vdx-hint">{t('room.staff.none')}</p> : null}
      <ol className="room-agenda-list">
        {upcoming.map((m) => {
          const opensAt = m.opensAt ? new Date(m.opensAt) : null;
          const open = !opensAt || opensAt.getTime() <= now.getTime();
          const subject = m.subject || t('room.home.noSubject');
          return (
            <li key={m.id} data-testid="staff-meeting" data-alias={m.alias}>
              <span className="when">
                {formatClock(new Date(m.startTime), language)}–{formatClock(new Date(m.endTime), language)}
              </span>
              <span className="what">
                {subject}
                <span className="vdx-hint staff-alias">{m.alias}</span>
              </span>
              {open ? (
                <button
                  type="button"
                  className="vdx-button primary"
                  onClick={() => onJoinAsHost(m)}
                  disabled={busy}
                  aria-label={t('room.staff.joinHostLabel', { subject })}
                  data-testid="join-as-host"
                >
                  {t('room.staff.joinHost')}
                </button>
              ) : (
                <span className="vdx-hint">{t('room.staff.opensAt', { time: formatClock(opensAt, language) })}</span>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
