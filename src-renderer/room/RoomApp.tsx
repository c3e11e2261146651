import { useCallback, useEffect, useState } from 'react';
import { resolveRoomBridge } from '../../src-shared/ipc/room-bridge.client';
import type { AgendaMeeting, RoomBridge, StaffMeeting } from '../../src-shared/ipc/room-bridge.contract';
import { useAgentState, usePeripheralReports, usePreflightResponder } from './agent-hooks';
import { useI18n } from '../i18n/I18nProvider';
import { ActivationScreen } from './ActivationScreen';
import { AdminExitPrompt } from './AdminExitPrompt';
import { HomeScreen } from './HomeScreen';
import { RoomCall } from './RoomCall';
import { StaffMeetingsPanel } from './desktop/StaffMeetingsPanel';
import { StaffSignIn } from './desktop/StaffSignIn';
import { useStaffMeetings } from './desktop/use-staff-meetings';
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
  const staff = app?.staff ?? null;
  const staffMeetings = useStaffMeetings(bridge, staff, t);

  const joinMeeting = (m: AgendaMeeting) => {
    setBusy(t('room.call.joining', { subject: m.subject ?? t('room.home.noSubject') }));
    bridge.call.join({ meetingId: m.id }).catch((err: unknown) => setBusy(bridgeErrorText(t, err)));
  };
  const joinAsHost = (m: StaffMeeting) => {
    setBusy(t('room.call.joining', { subject: m.subject || m.alias }));
    bridge.staff.joinAsHost({ meetingId: m.id }).catch((err: unknown) => setBusy(bridgeErrorText(t, err)));
  };
  // The agent reports the outcome in the staff state (and the sign-in screen shows it).
  const signIn = () => void bridge.staff.signIn({}).catch(() => undefined);
  const signOut = () => {
    setBusy(undefined);
    void bridge.staff.signOut({}).catch(() => undefined);
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
  if (agent.kind === 'signed_out') {
    return <StaffSignIn session={staff} onSignIn={signIn} />;
  }
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
        staffPanel={
          staff && (staff.kind === 'signed_in' || staff.kind === 'unreachable') ? (
            <StaffMeetingsPanel
              session={staff}
              meetings={staffMeetings.meetings}
              error={staffMeetings.error}
              busy={busy !== undefined}
              onJoinAsHost={joinAsHost}
              onSignOut={signOut}
            />
          ) : staff ? (
            <section className="room-agenda vdx-card">
              <StaffSignInButton waiting={staff.kind === 'signing_in'} onSignIn={signIn} />
            </section>
          ) : undefined
        }
        onDismissMessage={(id) => {
          setMessages((cur) => cur.filter((m) => m.id !== id));
          void bridge.message.dismiss({ id }).catch(() => undefined);
        }}
      />
      {prompt}
    </>
  );
}

/** An enrolled desktop nobody is signed in to keeps its room's agenda and offers the sign-in beside it. */
function StaffSignInButton({ waiting, onSignIn }: { waiting: boolean; onSignIn(): void }) {
  const { t } = useI18n();
  return (
    <>
      <p role="status">{waiting ? t('room.staff.signingIn') : t('room.staff.signInIntro')}</p>
      <button type="button" className="vdx-button primary" onClick={onSignIn} data-testid="staff-sign-in">
        {waiting ? t('room.staff.openAgain') : t('room.staff.signIn')}
      </button>
    </>
  );
}
