import { useEffect, useRef, useState } from 'react';
import type { BridgeErrorCode, CallCommand, RoomBridge } from '../../src-shared/ipc/room-bridge.contract';
import { CallSession } from '../call/call-session';
import { CallView } from '../call/CallView';
import { loadDeviceChoice, openLocalMedia } from '../call/media-devices';
import { inboundVideoHealth } from '../call/peer-connection-registry';
import { useI18n } from '../i18n/I18nProvider';
import { CallSummaryBuilder, toBridgeQuality } from './call-report';

/** How often live quality goes to the agent (the heartbeat picks up the latest). */
const REPORT_EVERY_MS = 5000;
/** If the agent does not answer "leave" with a leave command within this, hang up anyway. */
const LEAVE_FALLBACK_MS = 3000;

export type JoinCommand = Extract<CallCommand, { action: 'join' }>;

/**
 * Runs one call the agent asked for (`call:command` join) and keeps the agent informed, per the
 * hand-shake in src-shared/ipc/README.md: `call.connected` once in, `call.reportStats` while in,
 * `call.failed` if it never connected, and `call.ended` with a summary whenever it ends.
 * `leaveSignal` increments when the agent commands a leave.
 */
export function RoomCall({ bridge, command, leaveSignal, onDone }: { bridge: RoomBridge; command: JoinCommand; leaveSignal: number; onDone(): void }) {
  const { t } = useI18n();
  const [session, setSession] = useState<CallSession>();
  const initialLeave = useRef(leaveSignal);

  useEffect(() => {
    let disposed = false;
    let created: CallSession | undefined;
    const cleanups: (() => void)[] = [];
    void (async () => {
      const media = await openLocalMedia(loadDeviceChoice());
      if (disposed) {
        if (media.kind === 'ok') media.stream.getTracks().forEach((tr) => tr.stop());
        return;
      }
      const s = new CallSession({
        alias: command.alias,
        displayName: command.displayName,
        nodeUrl: command.conferenceBaseUrl,
        pin: command.pin ?? undefined,
        callTag: 'vdx-room',
        localStream: media.kind === 'ok' ? media.stream : undefined,
      });
      created = s;
      (window as unknown as { vdxCall?: CallSession }).vdxCall = s;
      const summary = new CallSummaryBuilder({ alias: command.alias, meetingId: command.meetingId }, new Date());
      let connected = false;
      let finished = false;
      let lastReport = 0;

      cleanups.push(
        s.subscribe(() => {
          const snap = s.getSnapshot();
          summary.noteParticipants(snap.participants.length);
          const phase = snap.phase;
          if (phase.kind === 'in-call' && !connected) {
            connected = true;
            void bridge.call.connected({ alias: command.alias }).catch(() => undefined);
          }
          if ((phase.kind === 'ended' || phase.kind === 'failed') && !finished) {
            finished = true;
            s.getLocalStream()?.getTracks().forEach((tr) => tr.stop());
            const done = () => setTimeout(onDone, phase.kind === 'failed' ? 4000 : 1500);
            if (!connected) {
              const code: BridgeErrorCode = phase.kind === 'failed' ? (phase.code === 'network' ? 'offline' : 'server_error') : 'internal';
              const message = phase.kind === 'failed' ? phase.message : phase.reason;
              void bridge.call.failed({ alias: command.alias, error: { code, message } }).catch(() => undefined).finally(done);
            } else {
              const reason = phase.kind === 'failed' ? 'error' : phase.reason === 'User initiated disconnect' ? 'local_hangup' : 'remote_disconnect';
              void bridge.call.ended({ summary: summary.build(new Date(), reason) }).catch(() => undefined).finally(done);
            }
          }
        }),
      );
      cleanups.push(
        s.onQuality((q) => {
          const now = Date.now();
          if (now - lastReport < REPORT_EVERY_MS) return;
          lastReport = now;
          void inboundVideoHealth().then((video) => {
            const quality = toBridgeQuality(q, video);
            summary.addSample(quality, video);
            void bridge.call.reportStats({ quality }).catch(() => undefined);
          });
        }),
      );
      setSession(s);
      await s.join();
    })();
    return () => {
      disposed = true;
      cleanups.forEach((c) => c());
      if (created) {
        void created.leave().finally(() => created?.dispose());
      }
    };
    // One call per command; the command object identity is the call.
  }, [bridge, command, onDone]);

  // The agent commanded a leave (meeting end, IT command, or answer to our call.leave).
  useEffect(() => {
    if (leaveSignal !== initialLeave.current) void session?.leave();
  }, [leaveSignal, session]);

  const leave = () => {
    const s = session;
    if (!s) return;
    const fallback = setTimeout(() => void s.leave(), LEAVE_FALLBACK_MS);
    bridge.call
      .leave({})
      .catch(() => void s.leave())
      .finally(() => {
        // The leave command normally arrives first; if not, the fallback hangs up.
        if (s.getSnapshot().phase.kind === 'ended') clearTimeout(fallback);
      });
  };

  if (!session) {
    return (
      <div className="call-center" role="status">
        <div className="spinner" aria-hidden="true" />
        <p>{t('room.call.joining', { subject: command.alias })}</p>
      </div>
    );
  }
  return <CallView session={session} onLeave={leave} />;
}
