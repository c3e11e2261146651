import { useEffect, useState } from 'react';
import type { AppState, RoomBridge, Schedule, ScreenMessage } from '../../src-shared/ipc/room-bridge.contract';
import { listDevices, loadDeviceChoice, openLocalMedia, saveDeviceChoice, stopStream } from '../call/media-devices';
import type { JoinCommand } from './RoomCall';

/**
 * What the agent tells the room UI, as React state: its app state, the schedule, the screen
 * messages, and the call commands (join, or a count of leave commands the call view reacts to).
 * Subscriptions first, then the snapshot: no change can slip between the two.
 */
export function useAgentState(bridge: RoomBridge, setLanguage: (locale: AppState['locale']) => void) {
  const [app, setApp] = useState<AppState>();
  const [schedule, setSchedule] = useState<Schedule>();
  const [messages, setMessages] = useState<ScreenMessage[]>([]);
  const [call, setCall] = useState<JoinCommand>();
  const [leaveSignal, setLeaveSignal] = useState(0);
  const [adminExit, setAdminExit] = useState(false);

  useEffect(() => {
    const offs = [
      bridge.on('app:state-changed', setApp),
      bridge.on('provisioning:changed', (agent) => setApp((cur) => (cur ? { ...cur, agent } : cur))),
      bridge.on('schedule:changed', setSchedule),
      bridge.on('message:show', (m) => setMessages((cur) => [...cur.filter((x) => x.id !== m.id), m])),
      bridge.on('message:hide', ({ id }) => setMessages((cur) => cur.filter((x) => x.id !== id))),
      bridge.on('call:command', (cmd) => {
        if (cmd.action === 'join') setCall(cmd);
        else setLeaveSignal((n) => n + 1);
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

  return { app, setApp, schedule, messages, setMessages, call, setCall, leaveSignal, adminExit, setAdminExit, provisioned };
}

/** Reports the cameras, microphones and speakers for the heartbeat: at start and whenever devices come and go. */
export function usePeripheralReports(bridge: RoomBridge, provisioned: boolean) {
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
}

/** Answers the agent's pre-flight: opens the chosen camera and microphone briefly and says whether they work. */
export function usePreflightResponder(bridge: RoomBridge, inCall: boolean) {
  useEffect(
    () =>
      bridge.on('preflight:request', ({ requestId }) => {
        if (inCall) return; // never touch devices mid-call; the agent treats silence as "busy"
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
    [bridge, inCall],
  );
}
