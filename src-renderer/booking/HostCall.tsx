import 'webrtc-adapter';
import { useEffect, useState } from 'react';
import { CallSession } from '../call/call-session';
import { CallView } from '../call/CallView';
import { loadDeviceChoice, openLocalMedia, stopStream } from '../call/media-devices';
import { useI18n } from '../i18n/I18nProvider';

/**
 * Join the meeting as its host from the booking page: the shared call view, joined with the
 * host PIN already given (the person need not type it). Loaded on demand: it brings the SDK.
 */
export default function HostCall({ alias, pin, displayName, onBack }: { alias: string; pin: string | undefined; displayName: string; onBack(): void }) {
  const { t } = useI18n();
  const [session, setSession] = useState<CallSession>();

  useEffect(() => {
    let disposed = false;
    let created: CallSession | undefined;
    void (async () => {
      const media = await openLocalMedia(loadDeviceChoice());
      const stream = media.kind === 'ok' ? media.stream : undefined;
      if (disposed) return stopStream(stream);
      created = new CallSession({ alias, displayName, pin, localStream: stream, callTag: 'vdx-web/host' });
      // Exposed for diagnostics and browser tests (read-only use), as on the guest page.
      (window as unknown as { vdxCall?: CallSession }).vdxCall = created;
      setSession(created);
      void created.join();
    })();
    const leave = () => void created?.leave();
    window.addEventListener('pagehide', leave);
    return () => {
      disposed = true;
      window.removeEventListener('pagehide', leave);
      if (created) {
        void created.leave();
        stopStream(created.getLocalStream());
        created.dispose();
      }
    };
  }, [alias, pin, displayName]);

  const back = (
    <button type="button" className="vdx-button primary" onClick={onBack} data-testid="back-to-meeting">
      {t('booking.call.back')}
    </button>
  );
  if (!session) {
    return (
      <div className="call-center" role="status">
        <p>{t('call.connecting')}</p>
      </div>
    );
  }
  return (
    <div className="booking-call">
      <CallView session={session} after={back} />
    </div>
  );
}
