import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { Icon, type IconName } from '../ui/icons';
import { VideoTile } from '../ui/VideoTile';
import type { CallSession } from './call-session';
import { ChatPanel } from './ChatPanel';
import { DeviceSettings } from './DeviceSettings';
import { loadDeviceChoice, openLocalMedia, saveDeviceChoice, type DeviceChoice } from './media-devices';
import { ParticipantList } from './ParticipantList';
import { PinPrompt } from './PinPrompt';
import { QualityIndicator } from './QualityIndicator';
import { useCallSnapshot } from './useCallSession';
import './call-view.css';

type Panel = 'none' | 'participants' | 'chat' | 'devices';

/**
 * The in-call view shared by the guest page and the room: remote video and presentation, self view,
 * controls, participants (with host controls), chat, devices and call quality. It also renders the
 * phases around the call (connecting, PIN, waiting room, ended, failed), so both apps get the same
 * PIN flow. `after` renders below the "ended" message (e.g. "join again" or "back home").
 */
export function CallView({
  session,
  after,
  allowShare = true,
  onLeave,
}: {
  session: CallSession;
  after?: ReactNode;
  allowShare?: boolean;
  /** Replaces the default "leave" (the room asks its agent, which then commands the hang-up). */
  onLeave?: () => void;
}) {
  const { t } = useI18n();
  const snapshot = useCallSnapshot(session);
  const [panel, setPanel] = useState<Panel>('none');
  const [seenChat, setSeenChat] = useState(0);
  const [shareError, setShareError] = useState<string>();
  const [choice, setChoice] = useState<DeviceChoice>(() => loadDeviceChoice());
  const announce = useRef<HTMLDivElement>(null);
  const { phase } = snapshot;
  const leave = onLeave ?? (() => void session.leave());

  useEffect(() => {
    if (panel === 'chat') setSeenChat(snapshot.chat.length);
  }, [panel, snapshot.chat.length]);
  const unread = panel === 'chat' ? 0 : snapshot.chat.slice(seenChat).filter((m) => !m.mine).length;
  const lastIncoming = [...snapshot.chat].reverse().find((m) => !m.mine);

  if (phase.kind === 'pin-required') {
    return (
      <div className="call-center">
        <PinPrompt guestPinRequired={phase.guestPinRequired} invalid={phase.invalid} onSubmit={(pin) => void session.submitPin(pin)} />
      </div>
    );
  }
  if (phase.kind === 'idle' || phase.kind === 'connecting') {
    return (
      <div className="call-center" role="status" data-testid="call-connecting">
        <div className="spinner" aria-hidden="true" />
        <p>{t('call.connecting')}</p>
      </div>
    );
  }
  if (phase.kind === 'ended' || phase.kind === 'failed') {
    const text =
      phase.kind === 'failed'
        ? t('call.failed', { message: phase.message })
        : phase.reason === 'User initiated disconnect'
          ? t('call.ended')
          : t('call.endedBy', { reason: phase.reason });
    return (
      <div className="call-center" data-testid="call-ended">
        <p role="status" className={phase.kind === 'failed' ? 'vdx-error' : ''}>
          {text}
        </p>
        {after}
      </div>
    );
  }
  if (phase.kind === 'waiting-room') {
    return (
      <div className="call-center" role="status" data-testid="call-waiting-room">
        <div className="spinner" aria-hidden="true" />
        <p>{t('call.waitingRoom')}</p>
        <button type="button" className="vdx-button danger" onClick={leave}>
          <Icon name="leave" /> {t('call.leave')}
        </button>
      </div>
    );
  }

  const me = snapshot.me;
  const handRaised = me?.handRaised === true;
  const others = snapshot.participants.filter((p) => !p.isMe);
  const showPresentation = snapshot.receivingPresentation && snapshot.presentationStream !== undefined;
  const togglePanel = (p: Panel) => setPanel((cur) => (cur === p ? 'none' : p));

  const changeDevices = async (next: DeviceChoice) => {
    setChoice(next);
    saveDeviceChoice(next);
    const result = await openLocalMedia(next);
    if (result.kind === 'ok') session.replaceLocalStream(result.stream);
  };

  const toggleShare = async () => {
    setShareError(undefined);
    if (snapshot.presenting) return session.stopPresenting();
    try {
      await session.startPresenting();
    } catch (error) {
      // Cancelling the browser's picker is not an error worth shouting about.
      if (!(error instanceof DOMException && error.name === 'NotAllowedError')) {
        setShareError(t('call.share.failed', { message: error instanceof Error ? error.message : String(error) }));
      }
    }
  };

  const control = (icon: IconName, label: string, onClick: () => void, opts: { active?: boolean; danger?: boolean; testId: string; badge?: number; pressed?: boolean }) => (
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

  return (
    <div className={`call-view ${panel !== 'none' ? 'with-panel' : ''}`} data-testid="call-view">
      <header className="call-top">
        <span className="call-title">{snapshot.conferenceName ?? ''}</span>
        {snapshot.locked ? (
          <span className="tag" data-testid="locked-indicator">
            <Icon name="lock" /> {t('call.locked')}
          </span>
        ) : null}
        <QualityIndicator quality={snapshot.quality} />
      </header>

      <main className={`call-stage ${showPresentation ? 'presenting' : ''}`}>
        {showPresentation ? (
          <VideoTile
            stream={snapshot.presentationStream}
            className="call-presentation"
            testId="presentation-video"
            muted
            label={snapshot.presenterName ? t('call.presentationBy', { name: snapshot.presenterName }) : t('call.presentation')}
          />
        ) : null}
        <VideoTile stream={snapshot.remoteStream} className="call-remote" testId="remote-video" label={others.length === 0 ? undefined : t('call.remoteVideo')} speakerId={choice.speakerId} />
        {others.length === 0 ? <p className="call-alone" role="status">{t('call.waitingForOthers')}</p> : null}
        <VideoTile stream={session.getLocalStream()} className="call-self" testId="self-video" muted mirror label={t('call.selfView')} />
      </main>

      {panel !== 'none' ? (
        <aside className="call-panel" aria-label={panel === 'chat' ? t('call.chat') : panel === 'devices' ? t('call.settings') : t('call.participants', { count: snapshot.participants.length })}>
          <div className="call-panel-head">
            <h2>{panel === 'chat' ? t('call.chat') : panel === 'devices' ? t('call.settings') : t('call.participants', { count: snapshot.participants.length })}</h2>
            <button type="button" className="vdx-button" onClick={() => setPanel('none')} aria-label={t('common.close')}>
              ✕
            </button>
          </div>
          {panel === 'chat' ? <ChatPanel messages={snapshot.chat} onSend={(text) => session.sendChat(text)} /> : null}
          {panel === 'participants' ? <ParticipantList snapshot={snapshot} session={session} /> : null}
          {panel === 'devices' ? <DeviceSettings choice={choice} onChange={(c) => void changeDevices(c)} /> : null}
        </aside>
      ) : null}

      {shareError ? (
        <p className="vdx-error call-toast" role="alert">
          {shareError}
        </p>
      ) : null}
      <div ref={announce} className="vdx-sr-only" aria-live="polite">
        {unread > 0 && lastIncoming ? t('call.newMessage', { name: lastIncoming.from }) : ''}
      </div>

      <nav className="call-controls" aria-label={t('call.remoteVideo')}>
        {control(snapshot.microphoneMuted ? 'micOff' : 'mic', snapshot.microphoneMuted ? t('call.mic.unmute') : t('call.mic.mute'), () => void session.setMicrophoneMuted(!snapshot.microphoneMuted), {
          active: snapshot.microphoneMuted,
          pressed: snapshot.microphoneMuted,
          testId: 'toggle-mic',
        })}
        {control(snapshot.cameraMuted ? 'cameraOff' : 'camera', snapshot.cameraMuted ? t('call.camera.on') : t('call.camera.off'), () => void session.setCameraMuted(!snapshot.cameraMuted), {
          active: snapshot.cameraMuted,
          pressed: snapshot.cameraMuted,
          testId: 'toggle-camera',
        })}
        {control('hand', handRaised ? t('call.hand.lower') : t('call.hand.raise'), () => void session.raiseHand(!handRaised), {
          active: handRaised,
          pressed: handRaised,
          testId: 'toggle-hand',
        })}
        {allowShare && typeof navigator.mediaDevices?.getDisplayMedia === 'function'
          ? control('share', snapshot.presenting ? t('call.share.stop') : t('call.share.start'), () => void toggleShare(), {
              active: snapshot.presenting,
              pressed: snapshot.presenting,
              testId: 'toggle-share',
            })
          : null}
        {control('people', t('call.participants', { count: snapshot.participants.length }), () => togglePanel('participants'), {
          active: panel === 'participants',
          testId: 'open-participants',
          badge: me?.isHost ? snapshot.participants.filter((p) => p.isWaiting).length : 0,
        })}
        {control('chat', t('call.chat'), () => togglePanel('chat'), { active: panel === 'chat', testId: 'open-chat', badge: unread })}
        {control('settings', t('call.settings'), () => togglePanel('devices'), { active: panel === 'devices', testId: 'open-devices' })}
        {control('leave', t('call.leave'), leave, { danger: true, testId: 'leave' })}
      </nav>
    </div>
  );
}
