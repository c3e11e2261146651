import { useI18n } from '../i18n/I18nProvider';
import { Icon } from '../ui/icons';
import { VideoTile } from '../ui/VideoTile';
import type { CallSession, CallSnapshot } from './call-session';
import { QualityIndicator } from './QualityIndicator';

/** The video area: a presentation when one is received, the remote video, and the self view. */
export function CallStage({ snapshot, session, speakerId }: { snapshot: CallSnapshot; session: CallSession; speakerId?: string }) {
  const { t } = useI18n();
  const alone = snapshot.participants.every((p) => p.isMe);
  const showPresentation = snapshot.receivingPresentation && snapshot.presentationStream !== undefined;
  return (
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
      <VideoTile stream={snapshot.remoteStream} className="call-remote" testId="remote-video" label={alone ? undefined : t('call.remoteVideo')} speakerId={speakerId} />
      {alone ? <p className="call-alone" role="status">{t('call.waitingForOthers')}</p> : null}
      <VideoTile stream={session.getLocalStream()} className="call-self" testId="self-video" muted mirror label={t('call.selfView')} />
    </main>
  );
}

/** The line above the video: the meeting's name, whether it is locked, and the call quality. */
export function CallHeader({ snapshot }: { snapshot: CallSnapshot }) {
  const { t } = useI18n();
  return (
    <header className="call-top">
      <span className="call-title">{snapshot.conferenceName ?? ''}</span>
      {snapshot.locked ? (
        <span className="tag" data-testid="locked-indicator">
          <Icon name="lock" /> {t('call.locked')}
        </span>
      ) : null}
      <QualityIndicator quality={snapshot.quality} />
    </header>
  );
}
