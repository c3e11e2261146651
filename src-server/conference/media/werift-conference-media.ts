/**
 * Server-side media of one conference on werift: an MCU-style "single PeerConnection per
 * participant" engine that the `@pexip/infinity` SDK accepts as if it were Pexip Infinity.
 *
 *   participant A ─┐                       ┌─► A: video of the active speaker (or the previous
 *   participant B ─┼─► legs (werift PCs) ──┤       one, if A is speaking), Opus mix of B+C,
 *   participant C ─┘    │   ▲              │       presentation of the presenter
 *                       │   │              └─► B, C likewise
 *            Opus ──► AudioMixer worker (decode, N-1 mix, encode, 20 ms)
 *            levels ─► ActiveSpeakerDetector ─► VideoForwarder per receiver (keyframe cut-over)
 *
 * Video is forwarded, never transcoded: every participant sends VP8, the active speaker's packets
 * are rewritten per receiver (see video-forwarder.ts). Audio is decoded and re-encoded because a
 * mix cannot be forwarded. See docs/decisions/0003-server-media-engine.md.
 */
import {
  PictureLossIndication,
  RtcpPayloadSpecificFeedback,
  RTCDtlsTransport,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtpHeader,
  RtpPacket,
  useAbsSendTime,
  useAudioLevelIndication,
  useFIR,
  useNACK,
  usePLI,
  useREMB,
  useSdesMid,
  type MediaStreamTrack,
  type RTCDataChannel,
  type RTCRtpTransceiver,
} from 'werift';
import { ActiveSpeakerDetector, type ActiveSpeakerOptions } from './active-speaker';
import { shapeAnswer, describeOffer, type OfferSection } from './answer-sdp';
import { AudioMixer } from './audio-mixer';
import type {
  ConferenceMedia,
  ConferenceMediaFactory,
  ConferenceMediaStats,
  LegOffer,
} from './conference-media';
import { VideoForwarder } from './video-forwarder';

const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
const OPUS_FRAME_TICKS = 960; // 20 ms at 48 kHz
const SPEAKER_EVALUATION_MS = 100;
const KEYFRAME_RETRY_MS = 300;
const GATHERING_TIMEOUT_MS = 3000;
const DATA_QUEUE_LIMIT = 50;
/** RTCP payload-specific feedback format of a Full Intra Request (RFC 5104 §4.3.1). */
const FIR_COUNT = 4;

export interface WeriftConferenceMediaOptions {
  /** Extra host addresses for ICE (e.g. 127.0.0.1 when browsers only offer loopback). */
  iceAdditionalHostAddresses?: string[];
  speaker?: Partial<ActiveSpeakerOptions>;
  /** Diagnostics sink; defaults to console.warn. Never receives SDP or secrets. */
  warn?: (message: string, error?: unknown) => void;
}

interface Leg {
  readonly id: string;
  readonly pc: RTCPeerConnection;
  offer: OfferSection[];
  mainAudio: RTCRtpTransceiver | undefined;
  mainVideo: RTCRtpTransceiver | undefined;
  slides: RTCRtpTransceiver | undefined;
  /** Incoming tracks, kept to request keyframes from their SSRC. */
  videoIn: MediaStreamTrack | undefined;
  slidesIn: MediaStreamTrack | undefined;
  readonly subscribedTracks: Set<string>;
  readonly rtcpTransports: Set<object>;
  readonly video: VideoForwarder;
  readonly presentation: VideoForwarder;
  audioSeq: number;
  audioTs: number;
  audioLevelFromExtension: boolean;
  muted: boolean;
  dataChannel: RTCDataChannel | undefined;
  readonly pendingData: string[];
  /** Serialises offer/answer on this leg: the SDK may send an update while the first is answered. */
  negotiation: Promise<unknown>;
  readonly lastKeyframeRequest: Map<string, number>;
  closed: boolean;
}

function peerConfig(options: WeriftConferenceMediaOptions): ConstructorParameters<typeof RTCPeerConnection>[0] {
  return {
    codecs: {
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48_000, channels: 2 })],
      // VP8 only: forwarding needs every sender to use the codec every receiver decodes, and VP8
      // is what every WebRTC browser offers. No transport-cc (see answer-sdp.ts).
      video: [
        new RTCRtpCodecParameters({
          mimeType: 'video/VP8',
          clockRate: 90_000,
          rtcpFeedback: [useNACK(), usePLI(), useFIR(), useREMB()],
        }),
      ],
    },
    headerExtensions: {
      audio: [useSdesMid(), useAudioLevelIndication()],
      video: [useSdesMid(), useAbsSendTime()],
    },
    iceUseIpv6: false,
    ...(options.iceAdditionalHostAddresses ? { iceAdditionalHostAddresses: options.iceAdditionalHostAddresses } : {}),
  };
}

function randomUint(bits: 16 | 32): number {
  return Math.floor(Math.random() * 2 ** bits) >>> 0;
}

async function iceGatheringComplete(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, GATHERING_TIMEOUT_MS);
    const { unSubscribe } = pc.iceGatheringStateChange.subscribe((state) => {
      if (state === 'complete') done();
    });
    function done(): void {
      clearTimeout(timer);
      unSubscribe();
      resolve();
    }
  });
}

class WeriftConferenceMedia implements ConferenceMedia {
  private readonly legs = new Map<string, Leg>();
  private readonly detector: ActiveSpeakerDetector;
  private readonly mixer: AudioMixer;
  private readonly dataListeners = new Set<(from: string, message: unknown) => void>();
  private readonly speakerListeners = new Set<(participantUuid: string | null) => void>();
  private readonly timers: NodeJS.Timeout[] = [];
  private presenter: string | null = null;
  private speakerSwitches = 0;
  private videoPacketsForwarded = 0;
  private audioFramesSent = 0;
  private keyframeRequests = 0;
  private closed = false;
  private readonly warn: (message: string, error?: unknown) => void;

  constructor(
    readonly conferenceId: string,
    private readonly options: WeriftConferenceMediaOptions,
  ) {
    this.warn = options.warn ?? ((message, error) => console.warn(`[media ${conferenceId}] ${message}`, error ?? ''));
    this.detector = new ActiveSpeakerDetector(options.speaker);
    // werift creates its process-wide DTLS certificate on first use, which otherwise delays the
    // first participant's connection by about a second.
    RTCDtlsTransport.SetupCertificate().catch((error: unknown) => this.warn('DTLS certificate setup failed', error));
    this.mixer = new AudioMixer({
      onFrame: (ids, payload) => this.sendMixedAudio(ids, payload),
      onLevels: (levels) => {
        const now = performance.now();
        for (const [id, level] of levels) {
          if (!this.legs.get(id)?.audioLevelFromExtension) this.detector.report(id, level, now);
        }
      },
      onError: (error) => this.warn('audio mixer failed', error),
    });
    this.timers.push(setInterval(() => this.evaluateSpeaker(), SPEAKER_EVALUATION_MS));
    this.timers.push(setInterval(() => this.retryKeyframes(), KEYFRAME_RETRY_MS));
    for (const timer of this.timers) timer.unref();
  }

  async addLeg(participantUuid: string, offer: LegOffer): Promise<string> {
    this.assertOpen();
    const existing = this.legs.get(participantUuid);
    if (existing) await this.removeLeg(participantUuid); // a fresh `calls` replaces the old call
    const sections = describeOffer(offer.sdp);
    const pc = new RTCPeerConnection(peerConfig(this.options));
    const leg: Leg = {
      id: participantUuid,
      pc,
      offer: sections,
      mainAudio: undefined,
      mainVideo: undefined,
      slides: undefined,
      videoIn: undefined,
      slidesIn: undefined,
      subscribedTracks: new Set(),
      rtcpTransports: new Set(),
      video: new VideoForwarder(),
      presentation: new VideoForwarder(),
      audioSeq: randomUint(16),
      audioTs: randomUint(32),
      audioLevelFromExtension: false,
      muted: false,
      dataChannel: undefined,
      pendingData: [],
      negotiation: Promise.resolve(),
      lastKeyframeRequest: new Map(),
      closed: false,
    };
    // Track events fire inside setRemoteDescription (the offer carries a=ssrc): listen first.
    pc.ontrack = (event) => this.onTrack(leg, event.track, event.transceiver);
    pc.connectionStateChange.subscribe((state) => {
      if (state !== 'connected') return;
      // Start both forwarders afresh so the first thing this receiver gets is a keyframe.
      leg.video.select(undefined);
      leg.presentation.select(undefined);
      this.route();
    });
    this.legs.set(participantUuid, leg);
    this.detector.add(participantUuid);
    this.mixer.add(participantUuid);
    try {
      const answer = await this.negotiate(leg, offer.sdp, sections);
      this.openDataChannel(leg, offer.dataChannelId);
      this.route();
      return answer;
    } catch (error) {
      await this.removeLeg(participantUuid);
      throw error;
    }
  }

  async updateLeg(participantUuid: string, offerSdp: string): Promise<string> {
    this.assertOpen();
    const leg = this.requireLeg(participantUuid);
    const sections = describeOffer(offerSdp);
    const answer = await this.negotiate(leg, offerSdp, sections);
    this.route();
    return answer;
  }

  async addRemoteCandidate(participantUuid: string, candidate: { candidate: string; mid?: string }): Promise<void> {
    const leg = this.legs.get(participantUuid);
    if (!leg || leg.closed || !candidate.candidate) return;
    try {
      await leg.pc.addIceCandidate({ candidate: candidate.candidate, sdpMid: candidate.mid ?? '0' });
    } catch (error) {
      // A bad candidate only affects its own leg; other participants' media goes on.
      this.warn(`ignored ICE candidate on leg ${participantUuid}`, error);
    }
  }

  async removeLeg(participantUuid: string): Promise<void> {
    const leg = this.legs.get(participantUuid);
    if (!leg) return;
    leg.closed = true;
    this.legs.delete(participantUuid);
    this.detector.remove(participantUuid);
    this.mixer.remove(participantUuid);
    if (this.presenter === participantUuid) this.presenter = null;
    this.route();
    await leg.pc.close().catch((error: unknown) => this.warn('closing a leg failed', error));
  }

  setPresenter(participantUuid: string | null): void {
    if (this.presenter === participantUuid) return;
    this.presenter = participantUuid;
    this.route();
  }

  setAudioMuted(participantUuid: string, muted: boolean): void {
    const leg = this.legs.get(participantUuid);
    if (!leg || leg.muted === muted) return;
    leg.muted = muted;
    this.detector.setMuted(participantUuid, muted);
    this.mixer.setMuted(participantUuid, muted);
  }

  sendData(participantUuid: string, message: unknown): void {
    const leg = this.legs.get(participantUuid);
    if (!leg || leg.closed) return;
    const text = JSON.stringify(message);
    if (leg.dataChannel?.readyState === 'open') {
      leg.dataChannel.send(text);
    } else if (leg.pendingData.length < DATA_QUEUE_LIMIT) {
      leg.pendingData.push(text); // delivered when the channel opens
    }
  }

  onData(listener: (fromParticipantUuid: string, message: unknown) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onActiveSpeaker(listener: (participantUuid: string | null) => void): () => void {
    this.speakerListeners.add(listener);
    return () => this.speakerListeners.delete(listener);
  }

  stats(): WeriftConferenceMediaStats {
    return {
      legs: this.legs.size,
      activeSpeaker: this.detector.current,
      presenter: this.presenter,
      speakerSwitches: this.speakerSwitches,
      connectedLegs: [...this.legs.values()].filter((leg) => leg.pc.connectionState === 'connected').length,
      videoPacketsForwarded: this.videoPacketsForwarded,
      audioFramesSent: this.audioFramesSent,
      keyframeRequests: this.keyframeRequests,
      mixerTicks: this.mixer.ticks,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    const legs = [...this.legs.keys()];
    await Promise.all(legs.map((id) => this.removeLeg(id)));
    this.dataListeners.clear();
    this.speakerListeners.clear();
    await this.mixer.close();
  }

  // --- negotiation -------------------------------------------------------------------------------

  private negotiate(leg: Leg, offerSdp: string, sections: OfferSection[]): Promise<string> {
    const run = async (): Promise<string> => {
      if (leg.closed) throw new Error('leg closed');
      const { pc } = leg;
      await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
      leg.offer = sections;
      this.identifyTransceivers(leg);
      // We send on every section the participant lets us send on; werift intersects this with
      // the offered direction (main: sendrecv, slides: recvonly for the presenter, sendonly for
      // the others, inactive while nobody presents).
      for (const transceiver of pc.getTransceivers()) transceiver.setDirection('sendrecv');
      await pc.setLocalDescription(await pc.createAnswer());
      await iceGatheringComplete(pc);
      const answer = pc.localDescription?.sdp;
      if (!answer) throw new Error('werift produced no answer');
      return shapeAnswer(answer, sections, { mainStreamId: `vdx-main`, slidesStreamId: `vdx-slides` });
    };
    const result = leg.negotiation.then(run, run);
    leg.negotiation = result.catch(() => undefined);
    return result;
  }

  private identifyTransceivers(leg: Leg): void {
    const byMid = new Map(leg.pc.getTransceivers().map((t) => [t.mid, t] as const));
    leg.mainAudio = undefined;
    leg.mainVideo = undefined;
    leg.slides = undefined;
    for (const section of leg.offer) {
      const transceiver = byMid.get(section.mid);
      if (!transceiver) continue;
      if (section.kind === 'audio') leg.mainAudio ??= transceiver;
      else if (section.kind === 'video') {
        // Without a=content the first video is main and the second presentation (SDK order).
        if (section.content === 'slides' || (section.content === undefined && leg.mainVideo)) leg.slides ??= transceiver;
        else leg.mainVideo ??= transceiver;
      }
    }
    // Keyframe requests from the participant for what we send. werift routes a PLI by the
    // *sender* SSRC of the feedback first, which is the participant's own media SSRC, so the PLI
    // lands on our receiver and RTCRtpSender.onPictureLossIndication never fires. Listening on
    // the (bundled) DTLS transport and matching the media SSRC ourselves is reliable.
    for (const transport of new Set(leg.pc.getTransceivers().map((t) => t.dtlsTransport))) {
      if (leg.rtcpTransports.has(transport)) continue;
      leg.rtcpTransports.add(transport);
      transport.onRtcp.subscribe((rtcp) => {
        if (rtcp.type !== RtcpPayloadSpecificFeedback.type) return;
        const { feedback } = rtcp as RtcpPayloadSpecificFeedback;
        let mediaSsrc: number | undefined;
        if (feedback.count === PictureLossIndication.count) mediaSsrc = (feedback as PictureLossIndication).mediaSsrc;
        else if (feedback.count === FIR_COUNT) mediaSsrc = (feedback as unknown as { fir: Array<{ ssrc: number }> }).fir[0]?.ssrc;
        if (mediaSsrc === undefined) return;
        if (mediaSsrc === leg.mainVideo?.sender.ssrc) this.onReceiverWantsKeyframe(leg, leg.mainVideo);
        else if (mediaSsrc === leg.slides?.sender.ssrc) this.onReceiverWantsKeyframe(leg, leg.slides);
      });
    }
  }

  private openDataChannel(leg: Leg, dataChannelId: number | undefined): void {
    const application = leg.offer.find((section) => section.kind === 'application' && section.port !== 0);
    if (!application) return;
    const id = dataChannelId ?? (/^\d+$/.test(application.mid) ? Number(application.mid) : undefined);
    if (id === undefined) return;
    const channel = leg.pc.createDataChannel('pexChannel', { negotiated: true, id });
    leg.dataChannel = channel;
    channel.stateChanged.subscribe((state) => {
      if (state !== 'open') return;
      for (const text of leg.pendingData.splice(0)) channel.send(text);
    });
    channel.onMessage.subscribe((data) => {
      let message: unknown;
      try {
        message = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
      } catch {
        return; // not ours to interpret; the SDK only sends JSON
      }
      for (const listener of this.dataListeners) listener(leg.id, message);
    });
  }

  // --- incoming media ----------------------------------------------------------------------------

  private onTrack(leg: Leg, track: MediaStreamTrack, transceiver: RTCRtpTransceiver): void {
    if (leg.subscribedTracks.has(track.uuid)) return; // werift repeats track events on renegotiation
    leg.subscribedTracks.add(track.uuid);
    if (track.kind === 'audio') {
      track.onReceiveRtp.subscribe((packet, extensions) => {
        if (leg.closed) return;
        const level = extensions?.[AUDIO_LEVEL_URI] as { level: number } | undefined;
        if (level) {
          leg.audioLevelFromExtension = true;
          this.detector.report(leg.id, 127 - level.level, performance.now());
        }
        if (!leg.muted && packet.payload.length > 0) this.mixer.push(leg.id, packet.payload);
      });
      return;
    }
    const isSlides = transceiver === leg.slides || leg.offer.find((s) => s.mid === transceiver.mid)?.content === 'slides';
    if (isSlides) leg.slidesIn = track;
    else leg.videoIn = track;
    track.onReceiveRtp.subscribe((packet) => {
      if (leg.closed) return;
      if (isSlides) this.forwardSlides(leg, packet);
      else this.forwardVideo(leg, packet);
    });
    this.route();
  }

  private forwardVideo(source: Leg, packet: RtpPacket): void {
    for (const receiver of this.legs.values()) {
      if (receiver.video.forwarding !== source.id && receiver.video.pending !== source.id) continue;
      this.sendForwarded(receiver.mainVideo, receiver.video, source.id, packet);
    }
  }

  private forwardSlides(source: Leg, packet: RtpPacket): void {
    if (this.presenter !== source.id) return;
    for (const receiver of this.legs.values()) {
      if (receiver.id === source.id) continue;
      this.sendForwarded(receiver.slides, receiver.presentation, source.id, packet);
    }
  }

  private sendForwarded(
    transceiver: RTCRtpTransceiver | undefined,
    forwarder: VideoForwarder,
    sourceId: string,
    packet: RtpPacket,
  ): void {
    // Until the receiver's DTLS is up werift silently drops what we send; a keyframe cut over to
    // then would be lost and the receiver would wait for Chrome's own PLI (seconds).
    if (!transceiver || transceiver.sender.dtlsTransport.state !== 'connected') return;
    const out = forwarder.forward(sourceId, {
      sequenceNumber: packet.header.sequenceNumber,
      timestamp: packet.header.timestamp,
      marker: packet.header.marker,
      payload: packet.payload,
    });
    if (!out) return;
    const header = new RtpHeader({
      sequenceNumber: out.sequenceNumber,
      timestamp: out.timestamp,
      marker: out.marker,
      payloadType: packet.header.payloadType,
      extensions: [],
    });
    this.videoPacketsForwarded++;
    transceiver.sender.sendRtp(new RtpPacket(header, out.payload)).catch(() => undefined);
  }

  private sendMixedAudio(ids: readonly string[], payload: Buffer): void {
    for (const id of ids) {
      const leg = this.legs.get(id);
      if (!leg?.mainAudio || leg.closed) continue;
      leg.audioSeq = (leg.audioSeq + 1) & 0xffff;
      leg.audioTs = (leg.audioTs + OPUS_FRAME_TICKS) >>> 0;
      const header = new RtpHeader({
        sequenceNumber: leg.audioSeq,
        timestamp: leg.audioTs,
        payloadType: 111,
        marker: false,
        extensions: [],
      });
      this.audioFramesSent++;
      leg.mainAudio.sender.sendRtp(new RtpPacket(header, payload)).catch(() => undefined);
    }
  }

  // --- switching ---------------------------------------------------------------------------------

  private evaluateSpeaker(): void {
    const changed = this.detector.evaluate(performance.now());
    if (changed === undefined) return;
    this.speakerSwitches++;
    this.route();
    for (const listener of this.speakerListeners) listener(changed);
  }

  /**
   * Decides for every receiver which participant's video and which presentation it gets, and
   * requests keyframes where a forwarder waits for a new source.
   */
  private route(): void {
    if (this.closed) return;
    const speaker = this.detector.current;
    const withVideo = [...this.legs.values()].filter((leg) => leg.videoIn);
    for (const receiver of this.legs.values()) {
      receiver.video.select(this.videoSourceFor(receiver, speaker, withVideo));
      const presenter = this.presenter !== null && this.presenter !== receiver.id ? this.presenter : undefined;
      receiver.presentation.select(presenter);
    }
    this.retryKeyframes();
  }

  private videoSourceFor(receiver: Leg, speaker: string | null, withVideo: Leg[]): string | undefined {
    const others = withVideo.filter((leg) => leg.id !== receiver.id);
    // Nobody else: loop the participant's own video back, so the SDK's stagnation check does not
    // see a dead inbound stream and restart ICE every few seconds.
    if (others.length === 0) return receiver.videoIn ? receiver.id : undefined;
    if (speaker !== null && speaker !== receiver.id && others.some((leg) => leg.id === speaker)) return speaker;
    const before = this.detector.before;
    if (before !== null && before !== receiver.id && others.some((leg) => leg.id === before)) return before;
    // Keep what the receiver already sees if it is still valid, else the first other participant.
    const current = receiver.video.forwarding;
    if (current && others.some((leg) => leg.id === current)) return current;
    return others[0]!.id;
  }

  private retryKeyframes(): void {
    for (const receiver of this.legs.values()) {
      if (receiver.video.awaitingKeyframe && receiver.video.sourceId) {
        this.requestKeyframe(receiver.video.sourceId, 'video');
      }
      if (receiver.presentation.awaitingKeyframe && receiver.presentation.sourceId) {
        this.requestKeyframe(receiver.presentation.sourceId, 'slides');
      }
    }
  }

  private onReceiverWantsKeyframe(receiver: Leg, transceiver: RTCRtpTransceiver): void {
    const forwarder = transceiver === receiver.slides ? receiver.presentation : receiver.video;
    const source = forwarder.forwarding ?? forwarder.sourceId;
    if (source) this.requestKeyframe(source, transceiver === receiver.slides ? 'slides' : 'video');
  }

  private requestKeyframe(sourceId: string, which: 'video' | 'slides'): void {
    const source = this.legs.get(sourceId);
    const transceiver = which === 'video' ? source?.mainVideo : source?.slides;
    const track = which === 'video' ? source?.videoIn : source?.slidesIn;
    if (!source || !transceiver || track?.ssrc === undefined) return;
    const now = performance.now();
    if (now - (source.lastKeyframeRequest.get(which) ?? -Infinity) < KEYFRAME_RETRY_MS) return;
    source.lastKeyframeRequest.set(which, now);
    this.keyframeRequests++;
    transceiver.receiver.sendRtcpPLI(track.ssrc).catch(() => undefined);
  }

  private requireLeg(participantUuid: string): Leg {
    const leg = this.legs.get(participantUuid);
    if (!leg || leg.closed) throw new Error(`no media leg for participant ${participantUuid}`);
    return leg;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('conference media is closed');
  }
}

/** Stats of the werift engine: the contract's numbers plus forwarding counters. */
export interface WeriftConferenceMediaStats extends ConferenceMediaStats {
  connectedLegs: number;
  videoPacketsForwarded: number;
  audioFramesSent: number;
  keyframeRequests: number;
  mixerTicks: number;
}

/** Builds a factory with options (ICE addresses, speaker tuning, diagnostics). */
export function weriftConferenceMediaFactory(options: WeriftConferenceMediaOptions = {}): ConferenceMediaFactory {
  return (conferenceId) => new WeriftConferenceMedia(conferenceId, options);
}

/** The default server-media engine: werift PeerConnections, Opus mixing in a worker thread. */
export const createWeriftConferenceMedia: ConferenceMediaFactory = weriftConferenceMediaFactory();
