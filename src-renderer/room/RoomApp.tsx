import { useCallback, useEffect, useState } from 'react';
import { resolveRoomBridge } from '../../src-shared/ipc/room-bridge.client';
import type { AgendaMeeting, AppState, RoomBridge, Schedule, ScreenMessage } from '../../src-shared/ipc/room-bridge.contract';
import { listDevices, loadDeviceChoice, openLocalMedia, saveDeviceChoice, stopStream } from '../call/media-devices';
import { useI18n } from '../i18n/I18nProvider';
import { ActivationScreen } from './ActivationScreen';
import { AdminExitPrompt } from './AdminExitPrompt';
import { HomeScreen } from './HomeScreen';
import { RoomCall, type JoinCommand } from './RoomCall';
import { bridgeErrorText } from './bridge-error';
import { applyTheme } from './room-theme';

type Connection = { kind: 'connecting' } | { kind: 'no-bridge' } | { kind: 'failed'; message: string } | { kind: 'ready'; bridge: RoomBridge };

/**
 * The room app (kiosk and desktop). Everything device-side — enrolment, schedule, when to join,
 * health, updates — is the agent's; this UI renders the agent's state and does the calls, talking
 * to the shell only through the room bridge (`window.vdxRoom` or the Chromium shell's socket).
 */
export function RoomApp({ resolveBridge = resolveRoomBridge }: { resolveBridge?: () => Promise<RoomBridge | null> }) {
  const { t } = useI18n();
  const [connection, setConnection] = useState<Connection>({ kind: 'connecting' });
  useEffect(() => {
    resolveBridge()
      .then((bridge) => setConnection(bridge ? { kind: 'ready', bridge } : { kind: 'no-bridge' }))
      .catch((err: unknown) => setConnection({ kind: 'failed', message: err instanceof Error ? err.message : String((err as { message?: string })?.message ?? err) }));
  }, [resolveBridge]);

  if (connection.kind === 'ready') return <ConnectedRoom bridge={connection.bridge} />;
  return (
    <div className="call-center" role="status">
      {connection.kind === 'connecting' ? <div className="spinner" aria-hidden="true" /> : null}
      <p className={connection.kind === 'connecting' ? '' : 'vdx-error'}>
        {connection.kind === 'connecting'
          ? t('room.status.connecting')
          : connection.kind === 'no-bridge'
            ? t('room.status.noBridge')
            : t('call.failed', { message: connection.message })}
      </p>
    </div>
  );
}

function ConnectedRoom({ bridge }: { bridge: RoomBridge }) {
  const { t, setLanguage } = useI18n();
  const [app, setApp] = useState<AppState>();
  const [schedule, setSchedule] = useState<Schedule>();
  const [messages, setMessages] = useState<ScreenMessage[]>([]);
  const [call, setCall] = useState<JoinCommand>();
  const [leaveSignal, setLeaveSignal] = useState(0);
  const [adminExit, setAdminExit] = useState(false);
  const [busy, setBusy] = useState<string>();

  // Subscriptions first, then the snapshot: no change can slip between the two.
  useEffect(() => {
    const offs = [
      bridge.on('app:state-changed', setApp),
      bridge.on('provisioning:changed', (agent) => setApp((cur) => (cur ? { ...cur, agent } : cur))),
      bridge.on('schedule:changed', setSchedule),
      bridge.on('message:show', (m) => setMessages((cur) => [...cur.filter((x) => x.id !== m.id), m])),
      bridge.on('message:hide', ({ id }) => setMessages((cur) => cur.filter((x) => x.id !== id))),
      bridge.on('call:command', (cmd) => {
        if (cmd.action === 'join') {
          setBusy(undefined);
          setCall(cmd);
        } else setLeaveSignal((n) => n + 1);
      }),
      bridge.on('app:admin-exit-requested', () => setAdminExit(true)),
      bridge.on('settings:changed', (s) => {
        if (s.locale) setLanguage(s.locale);
        saveDeviceChoice({ cameraId: s.cameraId ?? undefined, microphoneId: s.microphoneId ?? undefined, speakerId: s.speakerId ?? undefined });
      }),
    ];
    void bridge.app.state({}).then((s) => {
      setApp(s);
      setLanguage(s.locale);
    });
    void bridge.settings.get({}).then((s) => {
      // The agent's settings survive a reinstall of the UI; local storage may not.
      const local = loadDeviceChoice();
      saveDeviceChoice({
        cameraId: s.cameraId ?? local.cameraId,
        microphoneId: s.microphoneId ?? local.microphoneId,
        speakerId: s.speakerId ?? local.speakerId,
      });
    });
    return () => offs.forEach((off) => off());
  }, [bridge, setLanguage]);

  const provisioned = app ? app.agent.kind !== 'unprovisioned' && app.agent.kind !== 'enrolling' : false;
  useEffect(() => {
    if (!provisioned) return;
    void bridge.schedule.get({}).then(setSchedule).catch(() => undefined);
  }, [bridge, provisioned]);

  const room = app && 'room' in app.agent ? app.agent.room : null;
  useEffect(() => applyTheme(room?.theme ?? null), [room?.theme]);

  // Peripherals for the heartbeat: at start and whenever devices come and go.
  useEffect(() => {
    if (!provisioned) return;
    const report = () =>
      void listDevices().then((d) => {
        const choice = loadDeviceChoice();
        const map = (list: MediaDeviceInfo[], selected: string | undefined) =>
          list.slice(0, 32).map((x, i) => ({ id: x.deviceId.slice(0, 256), label: (x.label || `#${i + 1}`).slice(0, 256), selected: selected ? x.deviceId === selected : i === 0 }));
        void bridge.media
          .reportDevices({ cameras: map(d.cameras, choice.cameraId), microphones: map(d.microphones, choice.microphoneId), speakers: map(d.speakers, choice.speakerId) })
          .catch(() => undefined);
      });
    report();
    navigator.mediaDevices?.addEventListener?.('devicechange', report);
    return () => navigator.mediaDevices?.removeEventListener?.('devicechange', report);
  }, [bridge, provisioned]);

  // Pre-flight: open the chosen camera and microphone briefly and say whether they work.
  useEffect(
    () =>
      bridge.on('preflight:request', ({ requestId }) => {
        if (call) return; // never touch devices mid-call; the agent treats silence as "busy"
        void openLocalMedia(loadDeviceChoice()).then((media) => {
          const stream = media.kind === 'ok' ? media.stream : undefined;
          const check = (track: MediaStreamTrack | undefined) => ({
            ok: track?.readyState === 'live',
            deviceLabel: track?.label || null,
            error: track ? null : media.kind === 'denied' ? 'NotAllowedError' : media.kind === 'unavailable' ? media.message.slice(0, 200) : 'NotFoundError',
          });
          const report = { requestId, camera: check(stream?.getVideoTracks()[0]), microphone: check(stream?.getAudioTracks()[0]) };
          stopStream(stream);
          void bridge.preflight.report(report).catch(() => undefined);
        });
      }),
    [bridge, call],
  );

  const endCall = useCallback(() => setCall(undefined), []);

  const joinMeeting = (m: AgendaMeeting) => {
    setBusy(t('room.call.joining', { subject: m.subject ?? t('room.home.noSubject') }));
    bridge.call.join({ meetingId: m.id }).catch((err: unknown) => setBusy(bridgeErrorText(t, err)));
  };
  const joinAddress = (alias: string, pin: string | undefined) => {
    setBusy(t('room.call.joining', { subject: alias }));
    bridge.call.join(pin ? { alias, pin } : { alias }).catch((err: unknown) => setBusy(bridgeErrorText(t, err)));
  };

  if (!app) {
    return (
      <div className="call-center" role="status">
        <div className="spinner" aria-hidden="true" />
        <p>{t('room.status.connecting')}</p>
      </div>
    );
  }

  const prompt = adminExit ? <AdminExitPrompt bridge={bridge} onClose={() => setAdminExit(false)} /> : null;

  if (call) {
    return (
      <>
        <RoomCall bridge={bridge} command={call} leaveSignal={leaveSignal} onDone={endCall} />
        {prompt}
      </>
    );
  }

  const agent = app.agent;
  if (agent.kind === 'unprovisioned' || agent.kind === 'enrolling') {
    return (
      <>
        <ActivationScreen
          enrolling={agent.kind === 'enrolling'}
          lastError={agent.kind === 'unprovisioned' ? agent.lastError : null}
          onActivate={async (input) => {
            const next = await bridge.provisioning.activate(input);
            setApp((cur) => (cur ? { ...cur, agent: next } : cur));
          }}
        />
        {prompt}
      </>
    );
  }
  return (
    <>
      <HomeScreen
        room={agent.room}
        app={app}
        schedule={schedule}
        messages={messages}
        busyText={busy ?? (agent.kind === 'joining' ? t('room.call.joining', { subject: agent.call.alias }) : undefined)}
        onJoinMeeting={joinMeeting}
        onJoinAddress={joinAddress}
        onDismissMessage={(id) => {
          setMessages((cur) => cur.filter((m) => m.id !== id));
          void bridge.message.dismiss({ id }).catch(() => undefined);
        }}
      />
      {prompt}
    </>
  );
}
