import { useI18n } from '../i18n/I18nProvider';
import { Icon } from '../ui/icons';
import type { CallSession, CallSnapshot, ParticipantView } from './call-session';

/**
 * Everyone in the call with role, mute and hand state. Hosts also get the conference controls:
 * lock/unlock, mute all guests, lower hands, and admit for people in the waiting room.
 */
export function ParticipantList({ snapshot, session }: { snapshot: CallSnapshot; session: CallSession }) {
  const { t } = useI18n();
  const isHost = snapshot.me?.isHost === true;
  // Waiting first (someone needs a decision), then raised hands in order, then the rest by name.
  const ordered = [...snapshot.participants].sort((a, b) => rank(a) - rank(b) || a.handRaisedTime - b.handRaisedTime || a.displayName.localeCompare(b.displayName));
  return (
    <section className="call-panel-body" aria-label={t('call.participants', { count: snapshot.participants.length })}>
      {isHost ? (
        <div className="call-host-controls" data-testid="host-controls">
          <button type="button" className="vdx-button" onClick={() => void session.setLocked(!snapshot.locked)} data-testid="toggle-lock">
            {snapshot.locked ? t('call.host.unlock') : t('call.host.lock')}
          </button>
          <button type="button" className="vdx-button" onClick={() => void session.setGuestsMuted(!snapshot.guestsMuted)} data-testid="toggle-mute-guests">
            {snapshot.guestsMuted ? t('call.host.unmuteGuests') : t('call.host.muteGuests')}
          </button>
          {snapshot.participants.some((p) => p.handRaised) ? (
            <button type="button" className="vdx-button" onClick={() => void session.lowerAllHands()}>
              {t('call.host.lowerHands')}
            </button>
          ) : null}
        </div>
      ) : null}
      <ul className="call-participants" data-testid="participants">
        {ordered.map((p) => (
          <li key={p.uuid} data-testid="participant" data-name={p.displayName} data-hand={p.handRaised} data-waiting={p.isWaiting} data-muted={p.isMuted}>
            <div className="who">
              <strong>{p.isMe ? t('call.you', { name: p.displayName }) : p.displayName}</strong>
              <span className="vdx-hint">{p.isHost ? t('call.role.host') : t('call.role.guest')}</span>
            </div>
            <div className="states">
              {p.isWaiting ? <span className="tag">{t('call.state.waiting')}</span> : null}
              {p.handRaised ? (
                <span className="tag hand" role="img" aria-label={t('call.state.hand')} title={t('call.state.hand')}>
                  <Icon name="hand" />
                </span>
              ) : null}
              {p.isPresenting ? <span className="tag">{t('call.state.presenting')}</span> : null}
              {p.isMuted ? (
                <span className="tag" role="img" aria-label={t('call.state.muted')} title={t('call.state.muted')}>
                  <Icon name="micOff" />
                </span>
              ) : null}
              {p.isCameraMuted ? (
                <span className="tag" role="img" aria-label={t('call.state.cameraOff')} title={t('call.state.cameraOff')}>
                  <Icon name="cameraOff" />
                </span>
              ) : null}
              {isHost && p.isWaiting ? (
                <button type="button" className="vdx-button primary" onClick={() => void session.admit(p.uuid)} data-testid="admit">
                  {t('call.host.admit')}
                </button>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function rank(p: ParticipantView): number {
  if (p.isWaiting) return 0;
  if (p.handRaised) return 1;
  return 2;
}
