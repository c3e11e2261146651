import { useCallback, useEffect, useState } from 'react';
import { resolveRoomBridge } from '../../src-shared/ipc/room-bridge.client';
import type { AgendaMeeting, RoomBridge } from '../../src-shared/ipc/room-bridge.contract';
import { useAgentState, usePeripheralReports, usePreflightResponder } from './agent-hooks';
import { useI18n } from '../i18n/I18nProvider';
import { ActivationScreen } from './ActivationScreen';
import { AdminExitPrompt } from './AdminExitPrompt';
import { HomeScreen } from './HomeScreen';
import { RoomCall } from './RoomCall';
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
  const { app, setApp, schedule, messages, setMessages, call, setCall, leaveSignal, adminExit, setAdminExit, provisioned } = useAgentState(bridge, setLanguage);
  const [busy, setBusy] = useState<string>();
  // A join command ends whatever "joining …" text the person's own join put up.
  useEffect(() => {
    if (call) setBusy(undefined);
  }, [call]);
  usePeripheralReports(bridge, provisioned);
  usePreflightResponder(bridge, call !== undefined);

  const room = app && 'room' in app.agent ? app.agent.room : null;
  useEffect(() => applyTheme(room?.theme ?? null), [room?.theme]);

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
