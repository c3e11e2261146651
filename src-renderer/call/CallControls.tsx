import { useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { Icon, type IconName } from '../ui/icons';
import type { CallSession, CallSnapshot } from './call-session';

/** Starts or stops presenting; a failure other than the person cancelling the picker becomes `error`. */
export function useShareToggle(session: CallSession, presenting: boolean) {
  const { t } = useI18n();
  const [error, setError] = useState<string>();
  const toggle = () => {
    setError(undefined);
    if (presenting) return void session.stopPresenting();
    session.startPresenting().catch((err: unknown) => {
      // Cancelling the browser's picker is not an error worth shouting about.
      if (!(err instanceof DOMException && err.name === 'NotAllowedError')) {
        setError(t('call.share.failed', { message: err instanceof Error ? err.message : String(err) }));
      }
    });
  };
  return { toggle, error };
}

export type CallPanel = 'none' | 'participants' | 'chat' | 'devices';

interface ControlOptions {
  active?: boolean;
  danger?: boolean;
  testId: string;
  badge?: number;
  pressed?: boolean;
}

function Control({ icon, label, onClick, opts }: { icon: IconName; label: string; onClick: () => void; opts: ControlOptions }) {
  return (
    <button
      type="button"
      className={`vdx-button call-control ${opts.active ? 'active' : ''} ${opts.danger ? 'danger' : ''}`}
      onClick={onClick}
      aria-pressed={opts.pressed}
      data-testid={opts.testId}
    >
      <Icon name={icon} />
      <span className="call-control-label">{label}</span>
      {opts.badge ? <span className="badge" aria-label={`${opts.badge}`}>{opts.badge}</span> : null}
    </button>
  );
}

/** The bar under the call: microphone, camera, hand, share, and the panels; leave last. */
export function CallControls({
  snapshot,
  session,
  panel,
  unreadChat,
  allowShare,
  onTogglePanel,
  onToggleShare,
  onLeave,
}: {
  snapshot: CallSnapshot;
  session: CallSession;
  panel: CallPanel;
  unreadChat: number;
  allowShare: boolean;
  onTogglePanel: (panel: CallPanel) => void;
  onToggleShare: () => void;
  onLeave: () => void;
}) {
  const { t } = useI18n();
  const me = snapshot.me;
  const handRaised = me?.handRaised === true;
  const canShare = allowShare && typeof navigator.mediaDevices?.getDisplayMedia === 'function';
  const participants = t('call.participants', { count: snapshot.participants.length });
  return (
    <nav className="call-controls" aria-label={t('call.remoteVideo')}>
      <Control
        icon={snapshot.microphoneMuted ? 'micOff' : 'mic'}
        label={snapshot.microphoneMuted ? t('call.mic.unmute') : t('call.mic.mute')}
        onClick={() => void session.setMicrophoneMuted(!snapshot.microphoneMuted)}
        opts={{ active: snapshot.microphoneMuted, pressed: snapshot.microphoneMuted, testId: 'toggle-mic' }}
      />
      <Control
        icon={snapshot.cameraMuted ? 'cameraOff' : 'camera'}
        label={snapshot.cameraMuted ? t('call.camera.on') : t('call.camera.off')}
        onClick={() => void session.setCameraMuted(!snapshot.cameraMuted)}
        opts={{ active: snapshot.cameraMuted, pressed: snapshot.cameraMuted, testId: 'toggle-camera' }}
      />
      <Control
        icon="hand"
        label={handRaised ? t('call.hand.lower') : t('call.hand.raise')}
        onClick={() => void session.raiseHand(!handRaised)}
        opts={{ active: handRaised, pressed: handRaised, testId: 'toggle-hand' }}
      />
      {canShare ? (
        <Control
          icon="share"
          label={snapshot.presenting ? t('call.share.stop') : t('call.share.start')}
          onClick={onToggleShare}
          opts={{ active: snapshot.presenting, pressed: snapshot.presenting, testId: 'toggle-share' }}
        />
      ) : null}
      <Control
        icon="people"
        label={participants}
        onClick={() => onTogglePanel('participants')}
        // A host sees how many wait in the lobby for them.
        opts={{ active: panel === 'participants', testId: 'open-participants', badge: me?.isHost ? snapshot.participants.filter((p) => p.isWaiting).length : 0 }}
      />
      <Control icon="chat" label={t('call.chat')} onClick={() => onTogglePanel('chat')} opts={{ active: panel === 'chat', testId: 'open-chat', badge: unreadChat }} />
      <Control icon="settings" label={t('call.settings')} onClick={() => onTogglePanel('devices')} opts={{ active: panel === 'devices', testId: 'open-devices' }} />
      <Control icon="leave" label={t('call.leave')} onClick={onLeave} opts={{ danger: true, testId: 'leave' }} />
    </nav>
  );
}
