import {
  ClientCallType,
  createCallSignals,
  createInfinityClient,
  createInfinityClientSignals,
  MAIN_ROOM_ID,
  type InfinityClient,
  type Participant,
} from '@pexip/infinity';
import { summariseQuality, type CallQuality } from './call-quality';

/**
 * One conference call, built only on the unmodified `@pexip/infinity` SDK, exposed as an
 * immutable snapshot plus `subscribe` so React renders it with `useSyncExternalStore` and the room
 * shell can forward quality figures without React.
 *
 * Phases:
 *
 *   idle ──join()──► connecting ──► in-call ──leave()/remote end──► ended
 *                       │   ▲  └──► waiting-room ──host admits──► in-call
 *                       ▼   │ submitPin()
 *                   pin-required (invalid: true after a wrong PIN)
 *   any error from the node or the media path ──► failed
 */
export type CallPhase =
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'pin-required'; hostPinRequired: boolean; guestPinRequired: boolean; invalid: boolean }
  | { kind: 'waiting-room' }
  | { kind: 'in-call' }
  | { kind: 'ended'; reason: string }
  | { kind: 'failed'; code: string; message: string };

/** What the UI needs of a participant (a view over the SDK's `Participant`). */
export interface ParticipantView {
  uuid: string;
  displayName: string;
  isHost: boolean;
  isMuted: boolean;
  isCameraMuted: boolean;
  handRaised: boolean;
  /** Raised-hand time (ms) so hands can be listed first-come first-served. */
  handRaisedTime: number;
  isPresenting: boolean;
  isWaiting: boolean;
  isMe: boolean;
}

export interface ChatMessage {
  id: string;
  at: number;
  from: string;
  text: string;
  mine: boolean;
}

export interface CallSnapshot {
  phase: CallPhase;
  conferenceName?: string;
  me?: ParticipantView;
  participants: ParticipantView[];
  locked: boolean;
  guestsMuted: boolean;
  remoteStream?: MediaStream;
  presentationStream?: MediaStream;
  /** Someone else presents and the presentation stream is flowing. */
  receivingPresentation: boolean;
  presenterName?: string;
  /** This participant is sending a presentation. */
  presenting: boolean;
  microphoneMuted: boolean;
  cameraMuted: boolean;
  chat: ChatMessage[];
  quality?: CallQuality;
}

export interface CallSessionOptions {
  /** Conference alias, e.g. `meet.1234@vdx.test` or `1234`. */
  alias: string;
  displayName: string;
  /** Conference node base URL (`https://node.example`); default: the page's own origin. */
  nodeUrl?: string;
  /** Maximum call bandwidth, kbit/s. */
  bandwidthKbps?: number;
  /** Camera + microphone to send; `undefined` joins receive-only. */
  localStream?: MediaStream;
  /** Try this PIN on the first attempt (a device joining from its agenda knows it). */
  pin?: string;
  /**
   * Which of our clients this is (`vdx-room`, `vdx-web/guest`, `vdx-web/host`), sent as the SDK's
   * call tag: the node's call records count calls per client kind (decision 0020).
   */
  callTag?: string;
  /** Injected for tests; defaults to the real SDK. */
  createClient?: typeof createRealClient;
}

const DEFAULT_BANDWIDTH_KBPS = 1264;
const CHAT_LIMIT = 200;

/** The SDK's wrong-PIN error text (Pexip client API: 403 `"Invalid PIN"`). */
const INVALID_PIN = 'Invalid PIN';

function toView(p: Participant, meUuid: string | undefined): ParticipantView {
  return {
    uuid: p.uuid,
    displayName: p.displayName || p.uri || '—',
    isHost: p.isHost,
    isMuted: p.isMuted,
    isCameraMuted: p.isCameraMuted,
    handRaised: p.raisedHand,
    handRaisedTime: p.handRaisedTime,
    isPresenting: p.isPresenting,
    isWaiting: p.isWaiting || p.serviceType === 'waiting_room',
    isMe: p.uuid === meUuid,
  };
}

/** Creates the SDK client and its signal sets (one set per session: signals hold observers). */
export function createRealClient() {
  const signals = createInfinityClientSignals(['onPinRequired', 'onParticipants', 'onError', 'onCallConnected'], {
    batchScheduleTimeoutMS: 50,
    batchBufferSize: 32,
  });
  const callSignals = createCallSignals(['onCallConnected']);
  const client: InfinityClient = createInfinityClient(signals, callSignals);
  return { client, signals, callSignals };
}

type Listener = () => void;

export class CallSession {
  private snapshot: CallSnapshot = {
    phase: { kind: 'idle' },
    participants: [],
    locked: false,
    guestsMuted: false,
    receivingPresentation: false,
    presenting: false,
    microphoneMuted: false,
    cameraMuted: false,
    chat: [],
  };
  private readonly listeners = new Set<Listener>();
  private readonly qualityListeners = new Set<(q: CallQuality) => void>();
  private readonly detach: (() => void)[] = [];
  private readonly sdk: ReturnType<typeof createRealClient>;
  private localStream: MediaStream | undefined;
  private presentationSource: MediaStream | undefined;
  private pin: string | undefined;
  private chatSeq = 0;

  constructor(private readonly options: CallSessionOptions) {
    this.localStream = options.localStream;
    this.pin = options.pin;
    this.sdk = (options.createClient ?? createRealClient)();
    this.wire();
  }

  /** Current immutable state; a new object after every change. */
  getSnapshot = (): CallSnapshot => this.snapshot;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Quality figures roughly once a second while in a call (for `call:report-stats`). */
  onQuality(listener: (q: CallQuality) => void): () => void {
    this.qualityListeners.add(listener);
    return () => this.qualityListeners.delete(listener);
  }

  get client(): InfinityClient {
    return this.sdk.client;
  }

  private set(patch: Partial<CallSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l();
  }

  private get bandwidth(): number {
    return this.options.bandwidthKbps ?? DEFAULT_BANDWIDTH_KBPS;
  }

  private refreshParticipants(): void {
    const me = this.sdk.client.getMe(MAIN_ROOM_ID);
    const list = this.sdk.client.getParticipants(MAIN_ROOM_ID).map((p) => toView(p, me?.uuid));
    const presenter = list.find((p) => p.isPresenting && !p.isMe);
    this.set({
      participants: list,
      me: me ? toView(me, me.uuid) : this.snapshot.me,
      presenterName: presenter?.displayName,
    });
  }

  private wire(): void {
    const { signals, callSignals } = this.sdk;
    const on = <T>(signal: { add(cb: (v: T) => void): () => void }, cb: (v: T) => void) => this.detach.push(signal.add(cb));

    on(signals.onPinRequired, ({ hasHostPin, hasGuestPin }) => {
      this.set({ phase: { kind: 'pin-required', hostPinRequired: hasHostPin, guestPinRequired: hasGuestPin, invalid: false } });
    });
    on(signals.onError, ({ error, errorCode }) => {
      if (error === INVALID_PIN) {
        const prev = this.snapshot.phase;
        this.set({
          phase: {
            kind: 'pin-required',
            hostPinRequired: prev.kind === 'pin-required' ? prev.hostPinRequired : true,
            guestPinRequired: prev.kind === 'pin-required' ? prev.guestPinRequired : true,
            invalid: true,
          },
        });
        return;
      }
      this.set({ phase: { kind: 'failed', code: String(errorCode), message: String(error) } });
    });
    on(signals.onDisconnected, ({ error }) => {
      if (this.snapshot.phase.kind === 'ended' || this.snapshot.phase.kind === 'failed') return;
      this.set({ phase: { kind: 'ended', reason: String(error) } });
    });
    on(signals.onAuthenticatedWithConference, ({ conferenceName }) => {
      this.set({ conferenceName: conferenceName ?? this.snapshot.conferenceName });
    });
    on(signals.onServiceType, (serviceType) => {
      if (this.snapshot.phase.kind === 'ended' || this.snapshot.phase.kind === 'failed') return;
      this.set({ phase: serviceType === 'waiting_room' ? { kind: 'waiting-room' } : { kind: 'in-call' } });
    });
    on(signals.onParticipants, () => this.refreshParticipants());
    on(signals.onParticipantJoined, () => this.refreshParticipants());
    on(signals.onParticipantUpdated, () => this.refreshParticipants());
    on(signals.onParticipantLeft, () => this.refreshParticipants());
    on(signals.onMe, () => this.refreshParticipants());
    on(signals.onConferenceStatus, ({ id, status }) => {
      if (id !== MAIN_ROOM_ID) return;
      this.set({ locked: status.locked, guestsMuted: status.guestsMuted });
    });
    on(signals.onMessage, (m) => {
      this.appendChat({ id: m.id, at: m.at.getTime(), from: m.displayName, text: m.message, mine: false });
    });
    // Direct media: when the other peer leaves the node says `peer_disconnect` and the SDK expects
    // the app to rebuild the PeerConnection (and wait for the next peer) with `restartCall()`.
    on(signals.onPeerDisconnect, () => {
      this.set({ remoteStream: undefined, presentationStream: undefined, receivingPresentation: false });
      void this.sdk.client.restartCall({ bandwidth: this.bandwidth, mediaStream: () => this.localStream });
    });

    on(callSignals.onRemoteStream, (stream) => this.set({ remoteStream: stream }));
    on(callSignals.onRemotePresentationStream, (stream) => this.set({ presentationStream: stream }));
    on(callSignals.onPresentationConnectionChange, ({ send, recv }) => {
      const presenting = send === 'connected' || send === 'connecting';
      const receiving = recv === 'connected' || recv === 'connecting';
      if (!presenting && this.presentationSource) {
        this.presentationSource.getTracks().forEach((t) => t.stop());
        this.presentationSource = undefined;
      }
      this.set({ presenting, receivingPresentation: receiving });
    });
    on(callSignals.onRtcStats, (stats) => {
      const quality = summariseQuality(stats);
      this.set({ quality });
      for (const l of this.qualityListeners) l(quality);
    });
  }

  private appendChat(message: ChatMessage): void {
    this.set({ chat: [...this.snapshot.chat, message].slice(-CHAT_LIMIT) });
  }

  private nodeTarget(): { host?: string; node?: string } {
    if (!this.options.nodeUrl) return {};
    const url = new URL(this.options.nodeUrl);
    return { host: `${url.protocol}//${url.host}`, node: url.host };
  }

  /** Asks the node for a token and starts the call; PIN prompts and errors arrive as phases. */
  async join(): Promise<void> {
    this.set({ phase: { kind: 'connecting' } });
    try {
      const res = await this.sdk.client.call({
        conferenceAlias: this.options.alias,
        displayName: this.options.displayName,
        bandwidth: this.bandwidth,
        mediaStream: () => this.localStream,
        callType: ClientCallType.AudioVideoPresentation,
        ...(this.pin !== undefined ? { pin: this.pin } : {}),
        ...(this.options.callTag ? { callTag: this.options.callTag } : {}),
        ...this.nodeTarget(),
      });
      if (res?.status === 200 && this.snapshot.phase.kind === 'connecting') {
        const waiting = res.data.result.current_service_type === 'waiting_room';
        this.set({ phase: waiting ? { kind: 'waiting-room' } : { kind: 'in-call' } });
        this.refreshParticipants();
      }
    } catch (error) {
      this.set({ phase: { kind: 'failed', code: 'network', message: error instanceof Error ? error.message : String(error) } });
    }
  }

  /**
   * Retries with a PIN. An empty PIN means "join as guest" when the conference has no guest PIN
   * (the API's literal `none`).
   */
  async submitPin(pin: string): Promise<void> {
    const trimmed = pin.trim();
    this.pin = trimmed === '' ? 'none' : trimmed;
    await this.join();
  }

  /** Leaves the call and releases the token. Safe to call twice. */
  async leave(): Promise<void> {
    const phase = this.snapshot.phase.kind;
    this.stopPresentationSource();
    if (phase !== 'ended' && phase !== 'failed' && phase !== 'idle') {
      this.set({ phase: { kind: 'ended', reason: 'User initiated disconnect' } });
      try {
        await this.sdk.client.disconnect({ reason: 'User initiated disconnect' });
      } catch {
        // Leaving must always succeed locally; the node releases us when the event stream closes.
      }
    }
  }

  /** Detaches every observer; call after `leave()` when the view goes away. */
  dispose(): void {
    this.detach.splice(0).forEach((d) => d());
    this.listeners.clear();
    this.qualityListeners.clear();
  }

  /**
   * Mutes the microphone locally (track disabled: nothing leaves the device) and tells the node,
   * so the participant list shows it to everyone.
   */
  async setMicrophoneMuted(muted: boolean): Promise<void> {
    this.localStream?.getAudioTracks().forEach((t) => (t.enabled = !muted));
    this.set({ microphoneMuted: muted });
    await this.sdk.client.mute({ mute: muted }).catch(() => undefined);
  }

  async setCameraMuted(muted: boolean): Promise<void> {
    this.localStream?.getVideoTracks().forEach((t) => (t.enabled = !muted));
    this.set({ cameraMuted: muted });
    await this.sdk.client.muteVideo({ muteVideo: muted }).catch(() => undefined);
  }

  /** Switches to another camera/microphone mid-call (renegotiates through the SDK). */
  replaceLocalStream(stream: MediaStream): void {
    const old = this.localStream;
    this.localStream = stream;
    stream.getAudioTracks().forEach((t) => (t.enabled = !this.snapshot.microphoneMuted));
    stream.getVideoTracks().forEach((t) => (t.enabled = !this.snapshot.cameraMuted));
    if (this.snapshot.phase.kind === 'in-call') this.sdk.client.setStream(stream);
    if (old && old !== stream) old.getTracks().forEach((t) => t.stop());
    this.set({});
  }

  getLocalStream(): MediaStream | undefined {
    return this.localStream;
  }

  async raiseHand(raise: boolean): Promise<void> {
    await this.sdk.client.raiseHand({ raise });
  }

  async sendChat(text: string): Promise<void> {
    const payload = text.trim();
    if (payload === '') return;
    await this.sdk.client.sendMessage({ payload });
    // The node does not echo our own messages back to us.
    this.appendChat({ id: `local-${++this.chatSeq}`, at: Date.now(), from: this.options.displayName, text: payload, mine: true });
  }

  /** Shares the screen (browser picker; Electron answers it through its display-media handler). */
  async startPresenting(): Promise<void> {
    if (!navigator.mediaDevices?.getDisplayMedia) throw new Error('Screen sharing is not supported here');
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } }, audio: false });
    this.presentationSource = stream;
    // The browser's own "Stop sharing" button ends the track: stop presenting with it.
    stream.getVideoTracks()[0]?.addEventListener('ended', () => this.stopPresenting());
    this.set({ presenting: true });
    this.sdk.client.present(stream);
  }

  stopPresenting(): void {
    this.sdk.client.stopPresenting();
    this.stopPresentationSource();
    this.set({ presenting: false });
  }

  private stopPresentationSource(): void {
    this.presentationSource?.getTracks().forEach((t) => t.stop());
    this.presentationSource = undefined;
  }

  // Host controls. The node refuses them (403) for guests; the UI only offers them to hosts.
  async setLocked(lock: boolean): Promise<void> {
    await this.sdk.client.lock({ lock });
  }

  async setGuestsMuted(mute: boolean): Promise<void> {
    await this.sdk.client.muteAllGuests({ mute });
  }

  async admit(participantUuid: string): Promise<void> {
    await this.sdk.client.admit({ participantUuid: participantUuid as Participant['uuid'] });
  }

  async lowerAllHands(): Promise<void> {
    await this.sdk.client.lowerAllRaisedHands({});
  }
}
