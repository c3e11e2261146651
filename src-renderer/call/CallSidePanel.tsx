import { useI18n } from '../i18n/I18nProvider';
import type { CallSession, CallSnapshot } from './call-session';
import type { CallPanel } from './CallControls';
import { ChatPanel } from './ChatPanel';
import { DeviceSettings } from './DeviceSettings';
import type { DeviceChoice } from './media-devices';
import { ParticipantList } from './ParticipantList';

/** The open panel beside the video: participants (host controls), chat, or device settings. */
export function CallSidePanel({
  panel,
  snapshot,
  session,
  choice,
  onChangeDevices,
  onClose,
}: {
  panel: Exclude<CallPanel, 'none'>;
  snapshot: CallSnapshot;
  session: CallSession;
  choice: DeviceChoice;
  onChangeDevices: (choice: DeviceChoice) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const title =
    panel === 'chat' ? t('call.chat') : panel === 'devices' ? t('call.settings') : t('call.participants', { count: snapshot.participants.length });
  return (
    <aside className="call-panel" aria-label={title}>
      <div className="call-panel-head">
        <h2>{title}</h2>
        <button type="button" className="vdx-button" onClick={onClose} aria-label={t('common.close')}>
          ✕
        </button>
      </div>
      {panel === 'chat' ? <ChatPanel messages={snapshot.chat} onSend={(text) => session.sendChat(text)} /> : null}
      {panel === 'participants' ? <ParticipantList snapshot={snapshot} session={session} /> : null}
      {panel === 'devices' ? <DeviceSettings choice={choice} onChange={onChangeDevices} /> : null}
    </aside>
  );
}
