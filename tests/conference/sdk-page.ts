/**
 * Browser side of the SDK test harness: the unmodified `@pexip/infinity` SDK, bundled by
 * `sdk-harness.ts` and driven by Playwright through `window.vdx`. Keeps everything a test asserts
 * in `window.vdx.state` (plain JSON), and records every RTCPeerConnection so tests can read
 * `getStats()` (the SDK does not expose its PeerConnection).
 */
import { ClientCallType, createCallSignals, createInfinityClient, createInfinityClientSignals, type ParticipantID } from '@pexip/infinity';

const peerConnections: RTCPeerConnection[] = [];
const NativePeerConnection = window.RTCPeerConnection;
class RecordingPeerConnection extends NativePeerConnection {
  constructor(config?: RTCConfiguration) {
    super(config);
    peerConnections.push(this);
  }
}
window.RTCPeerConnection = RecordingPeerConnection as typeof RTCPeerConnection;

const signals = createInfinityClientSignals([], { batchScheduleTimeoutMS: 50, batchBufferSize: 100 });
const callSignals = createCallSignals([]);
const client = createInfinityClient(signals, callSignals);

interface ParticipantView {
  uuid: string;
  displayName: string;
  raisedHand: boolean;
  isPresenting: boolean;
  serviceType: string;
  isMuted: boolean;
  isHost: boolean;
}

const state = {
  log: [] as string[],
  errors: [] as Array<{ error: string; errorCode: string }>,
  pinRequired: null as null | { hasHostPin: boolean; hasGuestPin: boolean },
  disconnected: null as null | { error: string; errorCode: string },
  connected: false,
  serviceType: '',
  me: '',
  participants: [] as ParticipantView[],
  messages: [] as Array<{ displayName: string; message: string }>,
  peerDisconnects: 0,
  callConnected: 0,
  remoteStreams: 0,
  presentationStreams: 0,
  presentationStarts: 0,
  locked: false,
  directMedia: false,
};

let localStream: MediaStream | undefined;
let presentation: MediaStream | undefined;
const log = (line: string): void => {
  state.log.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
};

function attach(id: string, stream: MediaStream) {
  const el = document.getElementById(id) as HTMLVideoElement;
  el.srcObject = stream;
  void el.play().catch(() => undefined);
}

signals.onPinRequired.add((p) => {
  state.pinRequired = p;
  log(`pin required ${JSON.stringify(p)}`);
});
signals.onError.add((e) => {
  state.errors.push({ error: String(e.error), errorCode: String(e.errorCode) });
  log(`error ${e.error}`);
});
signals.onDisconnected.add((e) => {
  state.disconnected = { error: String(e.error), errorCode: String(e.errorCode) };
  state.connected = false;
  log(`disconnected ${e.error}`);
});
signals.onConnected.add(() => {
  state.connected = true;
});
signals.onServiceType.add((t) => {
  state.serviceType = String(t);
  log(`service type ${t}`);
});
signals.onAuthenticatedWithConference.add(() => {
  state.directMedia = Boolean(client.conferenceFeatureFlags?.isDirectMedia);
});
const refreshParticipants = () => {
  state.participants = client.getParticipants('main').map((p) => ({
    uuid: p.uuid,
    displayName: p.displayName ?? '',
    raisedHand: p.raisedHand,
    isPresenting: p.isPresenting,
    serviceType: String(p.serviceType),
    isMuted: p.isMuted,
    isHost: p.isHost,
  }));
  state.me = client.getMe('main')?.uuid ?? state.me;
};
signals.onParticipants.add(refreshParticipants);
signals.onParticipantJoined.add(refreshParticipants);
signals.onParticipantLeft.add(refreshParticipants);
signals.onParticipantUpdated.add(refreshParticipants);
signals.onMe.add(refreshParticipants);
signals.onConferenceStatus.add(({ status }) => {
  state.locked = status.locked;
});
signals.onMessage.add((m) => {
  state.messages.push({ displayName: m.displayName, message: m.message });
  log(`message from ${m.displayName}`);
});
signals.onPeerDisconnect.add(() => {
  state.peerDisconnects += 1;
  log('peer_disconnect → restartCall');
  // What every app on the SDK must do (docs/PEXIP-CLIENT-API.md): restart the call.
  void client.restartCall({ mediaStream: localStream, bandwidth: 0 });
});
callSignals.onCallConnected.add(() => {
  state.callConnected += 1;
  log('call connected');
});
callSignals.onRemoteStream.add((stream) => {
  state.remoteStreams += 1;
  attach('remote', stream);
});
callSignals.onRemotePresentationStream.add((stream) => {
  state.presentationStreams += 1;
  attach('slides', stream);
});
callSignals.onPresentationConnectionChange.add((c) => log(`presentation send=${c.send} recv=${c.recv}`));
signals.onUpdateSdp.add(() => log('update_sdp received'));
signals.onNewOffer.add(() => log('new_offer received'));
signals.onFailedRequest.add((name) => log(`failed request ${String(name)}`));

/** Inbound RTP counters of the newest open PeerConnection, per transceiver mid. */
async function inbound(): Promise<Array<{ kind: string; mid: string; framesDecoded: number; packetsReceived: number; bytesReceived: number }>> {
  const pc = [...peerConnections].reverse().find((p) => p.connectionState !== 'closed');
  if (!pc) return [];
  const mids = new Map<string, string>();
  for (const t of pc.getTransceivers()) if (t.receiver.track) mids.set(t.receiver.track.id, t.mid ?? '');
  const out: Array<{ kind: string; mid: string; framesDecoded: number; packetsReceived: number; bytesReceived: number }> = [];
  (await pc.getStats()).forEach((r: Record<string, unknown>) => {
    if (r.type !== 'inbound-rtp') return;
    out.push({
      kind: String(r.kind),
      mid: String(r.mid ?? mids.get(String(r.trackIdentifier)) ?? ''),
      framesDecoded: Number(r.framesDecoded ?? 0),
      packetsReceived: Number(r.packetsReceived ?? 0),
      bytesReceived: Number(r.bytesReceived ?? 0),
    });
  });
  return out;
}

const vdx = {
  state,
  /** `callType`: a `ClientCallType` name (default `AudioVideoPresentation`, as the room app and guest page join). */
  async join(opts: { alias: string; displayName: string; pin?: string; directMedia?: boolean; callType?: keyof typeof ClientCallType }) {
    localStream ??= await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240, frameRate: 15 } });
    state.pinRequired = null;
    state.disconnected = null;
    await client.call({
      conferenceAlias: opts.alias,
      displayName: opts.displayName,
      pin: opts.pin,
      mediaStream: localStream,
      bandwidth: 0,
      callType: ClientCallType[opts.callType ?? 'AudioVideoPresentation'],
      directMedia: opts.directMedia ?? true,
      host: location.origin,
      node: location.host,
    });
  },
  sendChat: (text: string) => client.sendMessage({ payload: text }),
  raiseHand: (raise: boolean) => client.raiseHand({ raise }),
  lock: (lock: boolean) => client.lock({ lock }),
  admit: (participantUuid: string) => client.admit({ participantUuid: participantUuid as ParticipantID }),
  async present() {
    presentation ??= await navigator.mediaDevices.getDisplayMedia({ video: true });
    client.present(presentation);
  },
  stopPresenting: () => client.stopPresenting(),
  leave: () => client.disconnect({ reason: 'User initiated disconnect' }),
  inbound,
  /** Frames the page's `remote` or `slides` video element has shown (0 while it shows nothing). */
  frames: (id: 'remote' | 'slides') => {
    const video = document.getElementById(id) as HTMLVideoElement;
    return video.videoWidth === 0 ? 0 : video.getVideoPlaybackQuality().totalVideoFrames;
  },
  /** The SDP the SDK offered last (to check the data channel's mid). */
  localSdp: () => [...peerConnections].reverse().find((p) => p.connectionState !== 'closed')?.localDescription?.sdp ?? '',
};

(window as unknown as { vdx: typeof vdx }).vdx = vdx;
document.title = 'ready';
