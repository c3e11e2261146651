import { useEffect, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { CallSession } from './call-session';
import { CallControls, useShareToggle, type CallPanel } from './CallControls';
import { CallPhaseScreen } from './CallPhaseScreen';
import { CallSidePanel } from './CallSidePanel';
import { CallHeader, CallStage } from './CallStage';
import { loadDeviceChoice, openLocalMedia, saveDeviceChoice, type DeviceChoice } from './media-devices';
import { useCallSnapshot } from './useCallSession';
import './call-view.css';

/**
 * The in-call view shared by the guest page and the room: remote video and presentation, self view,
 * controls, participants (with host controls), chat, devices and call quality. It also renders the
 * phases around the call (connecting, PIN, waiting room, ended, failed), so both apps get the same
 * PIN flow. `after` renders below the "ended" message (e.g. "join again" or "back home").
 *
 * The view's own state (open panel, chat read so far, device choice) lives here, above the phase
 * switch, so a moment back in "connecting" does not close the person's panel or re-count chat.
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
  const [panel, setPanel] = useState<CallPanel>('none');
  const [seenChat, setSeenChat] = useState(0);
  const [choice, setChoice] = useState<DeviceChoice>(() => loadDeviceChoice());
  const leave = onLeave ?? (() => void session.leave());
  const share = useShareToggle(session, snapshot.presenting);

  useEffect(() => {
    if (panel === 'chat') setSeenChat(snapshot.chat.length);
  }, [panel, snapshot.chat.length]);

  const { phase } = snapshot;
  if (phase.kind !== 'in-call') return <CallPhaseScreen phase={phase} session={session} after={after} leave={leave} />;

  const unread = panel === 'chat' ? 0 : snapshot.chat.slice(seenChat).filter((m) => !m.mine).length;
  const lastIncoming = snapshot.chat.findLast((m) => !m.mine);

  const changeDevices = async (next: DeviceChoice) => {
    setChoice(next);
    saveDeviceChoice(next);
    const result = await openLocalMedia(next);
    if (result.kind === 'ok') session.replaceLocalStream(result.stream);
  };

  return (
    <div className={`call-view ${panel !== 'none' ? 'with-panel' : ''}`} data-testid="call-view">
      <CallHeader snapshot={snapshot} />

      <CallStage snapshot={snapshot} session={session} speakerId={choice.speakerId} />

      {panel !== 'none' ? (
        <CallSidePanel
          panel={panel}
          snapshot={snapshot}
          session={session}
          choice={choice}
          onChangeDevices={(c) => void changeDevices(c)}
          onClose={() => setPanel('none')}
        />
      ) : null}

      {share.error ? (
        <p className="vdx-error call-toast" role="alert">
          {share.error}
        </p>
      ) : null}
      <div className="vdx-sr-only" aria-live="polite">
        {unread > 0 && lastIncoming ? t('call.newMessage', { name: lastIncoming.from }) : ''}
      </div>

      <CallControls
        snapshot={snapshot}
        session={session}
        panel={panel}
        unreadChat={unread}
        allowShare={allowShare}
        onTogglePanel={(p) => setPanel((cur) => (cur === p ? 'none' : p))}
        onToggleShare={share.toggle}
        onLeave={leave}
      />
    </div>
  );
}
