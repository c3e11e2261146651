import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../src-shared/platform/clock';
import type { LiveConference, LiveParticipant } from '../../src-shared/conference/vmr.schema';
import type { ConferenceMedia, ConferenceMediaFactory } from './media/conference-media';
import type { RoomDefinition } from './conference-room';
import { applicationMid, covers, mediaLayout, renameApplicationMid, ufragOf, type MediaLayout } from './direct-media-sdp';
import type { EventStream } from './event-stream';
import { participantJson, presentationJson } from './participant-json';
import { PexipMessage, pexipError } from './pexip-errors';

/** Tunables of a live conference; tests shorten the timers. */
export interface ConferenceOptions {
  /** Token lifetime (the SDK refreshes every third of it). */
  tokenTtlSeconds: number;
  /** A participant whose event stream stays closed this long is removed. */
  streamGraceMs: number;
  /** A participant who never opens an event stream is removed after this long. */
  joinGraceMs: number;
  /** Pause between answering `offer_ignored` and sending that participant a `new_offer` (its SDK rebuilds its PeerConnection meanwhile). */
  offerSettleMs: number;
  /** Held requests (a `calls` waiting for the peer's answer, an `update` waiting for its ack) give up after this; the SDK itself times out at 5 s. */
  signallingTimeoutMs: number;
  /** More trickled candidates than this on one call are refused. */
  maxCandidatesPerCall: number;
}

export const DEFAULT_CONFERENCE_OPTIONS: ConferenceOptions = {
  tokenTtlSeconds: 120,
  streamGraceMs: 5_000,
  joinGraceMs: 15_000,
  offerSettleMs: 300,
  signallingTimeoutMs: 4_000,
  maxCandidatesPerCall: 200,
};

/**
 * The id of the SDK's negotiated `pexChannel` data channel (`pex_datachannel_id`), the same for
 * every participant: both ends of a channel must use one id, and the call type is not known when
 * the token is issued. 3 is the mid of the application section of the SDK's default call type
 * (audio, video, presentation transceivers), so those offers are relayed unchanged; for other call
 * types the node renames the section between the peers (direct-media-sdp.ts). In server media
 * the engine opens the channel with this id on each leg.
 */
export const PEX_DATACHANNEL_ID = 3;

export type Role = 'HOST' | 'GUEST';

/**
 * State of a participant's call (one `calls` offer and what the node did with it).
 *
 *   waiting ─(admitted)─► stale: peer_disconnect sent, a fresh `calls` follows
 *      ▲
 *   (calls in the waiting room)
 *
 *   (calls, direct media) ─► idle: told offer_ignored, its SDK waits for our new_offer
 *      │                      │
 *      │                      └─(the other side's offer arrives)─► answering ─(ack sdp)─► paired
 *      └─(the other side is idle)──────────────────────────────────► offering ─(ack sdp)─► paired
 *
 *   idle | answering | offering | paired ─(peer left, escalation, failed pairing)─► stale
 *
 *   (calls, server media) ─► server: answered by the media engine
 *
 * `stale` calls wait for the participant's fresh `calls` (which replaces them); `paired` and
 * `server` calls carry media.
 */
type CallState = 'idle' | 'offering' | 'answering' | 'paired' | 'stale' | 'waiting' | 'server';

/** Direct-media states in which the node relays SDP and candidates between the two peers. */
const RELAYING: ReadonlySet<CallState> = new Set(['offering', 'answering', 'paired']);
const isRelaying = (call: Call | null | undefined): call is Call => call !== null && call !== undefined && RELAYING.has(call.state);

/** States whose PeerConnection carries media (shown as "in call"). */
export const carriesMedia = (call: Call | null): boolean => call !== null && (call.state === 'paired' || call.state === 'server');

export interface Call {
  uuid: string;
  state: CallState;
  /** When (clock ms) the SDK was told `offer_ignored`: it rebuilds its PeerConnection then. */
  ignoredAt: number | null;
  /** The ICE ufrag of the participant's current local description, to drop stale candidates. */
  ufrag: string | null;
  candidates: number;
  /** The participant's media sections (its call type), from its offer. */
  layout: MediaLayout;
  /**
   * The mid of the data channel's section in the participant's own PeerConnection: its offer's,
   * or (when it answers our relayed offer) its `pex_datachannel_id`.
   */
  appMid: string | null;
}

interface Held<T> {
  resolve(value: T): void;
}

export interface Participant {
  uuid: string;
  displayName: string;
  role: Role;
  serviceType: 'conference' | 'waiting_room';
  callTag: string;
  /** Admitted by an SMS personal link (no PIN typed). */
  personalLink: boolean;
  /** Whether request_token told the SDK to do direct media (it keeps that for the whole session). */
  directMedia: boolean;
  dataChannelId: number | null;
  joinedAt: Date;
  buzzTime: number;
  audioMuted: boolean;
  videoMuted: boolean;
  call: Call | null;
  /** Calls this participant ended or had replaced, so a late `disconnect` for them is still 200. */
  pastCalls: string[];
  stream: EventStream | null;
  graceTimer: NodeJS.Timeout | null;
}

/**
 * Told of each participant's time in the conference, for the call records (call-records/): when
 * it enters (at join, or when admitted from the waiting room), the statistics its SDK sends, and
 * when it is gone. Called synchronously; an observer must not throw and does its own I/O later.
 */
export interface ConferenceObserver {
  entered(conference: Conference, p: Participant): void;
  statistics(conference: Conference, p: Participant, body: Record<string, unknown> | undefined): void;
  left(conference: Conference, p: Participant): void;
}

export interface JoinInput {
  displayName: string;
  role: Role;
  callTag?: string;
  wantsDirectMedia: boolean;
  personalLink?: boolean;
}

export interface JoinResult {
  participant: Participant;
  token: string;
  expiresSeconds: number;
}

export type CallAnswer = { call_uuid: string; sdp: string; offer_ignored?: boolean };

/**
 * One live conference: its participants, their tokens and event streams, the conference state
 * (lock, guests muted, floor, hands) and the media signalling — direct media between two
 * participants, or the injected server-media engine for three or more (or `directMedia: never`).
 * Created by the registry on the first join, dropped when the last participant leaves.
 */
export class Conference {
  readonly id: string;
  readonly startedAt: Date;
  readonly participants = new Map<string, Participant>();
  readonly #tokens = new Map<string, { participantUuid: string; expiresAt: number }>();
  locked: boolean;
  guestsMuted: boolean;
  presenterUuid: string | null = null;
  mediaMode: 'direct' | 'server';
  #media: ConferenceMedia | null = null;
  #mediaUnsubscribe: Array<() => void> = [];
  /** A `calls` (offerer) held until the other participant answers our `new_offer`. */
  #pendingOffer: { offerer: string; answerer: string; held: Held<string | null> } | null = null;
  /** `update`s held until the other side acks our `update_sdp`, keyed by the answering participant. */
  readonly #pendingUpdates = new Map<string, { updater: string; held: Held<string | null> }>();
  #ended = false;

  constructor(
    public room: RoomDefinition,
    private readonly clock: Clock,
    private readonly options: ConferenceOptions,
    private readonly mediaFactory: ConferenceMediaFactory | undefined,
    /** Called once when the conference is over (last one left, ended, or room removed). */
    private readonly onEnded: (conference: Conference) => void,
    private readonly observer?: ConferenceObserver,
  ) {
    this.id = `${room.id}:${randomUUID()}`;
    this.startedAt = clock.now();
    this.locked = room.lockedByDefault;
    this.guestsMuted = room.muteAllGuests;
    this.mediaMode = room.directMedia === 'never' ? 'server' : 'direct';
  }

  get ended(): boolean {
    return this.#ended;
  }

  // ---------------------------------------------------------------- joining and tokens

  /** Admits a participant whose PIN (or lack of one) has been checked. */
  join(input: JoinInput): JoinResult {
    if (this.#ended) throw pexipError(404, PexipMessage.notFound);
    const max = this.room.maxParticipants;
    if (max !== null && this.participants.size >= max) throw pexipError(403, PexipMessage.participantLimit);
    const waiting = this.locked && input.role === 'GUEST';
    const inConference = this.#inConference().length + (waiting ? 0 : 1);
    if (inConference >= 3 && !this.mediaFactory && !waiting) {
      // Without a server-media engine this node can only bridge two participants peer-to-peer.
      throw pexipError(403, PexipMessage.noMediaResource);
    }
    // Counted as if admitted: a guest waiting to become the third will be served by the media
    // engine, so its SDK is not told direct media (whose `offer_ignored` handling races with the
    // restart at admission, see #restartCallOf).
    const direct = this.mediaMode === 'direct' && input.wantsDirectMedia && this.#inConference().length + 1 <= 2;
    const p: Participant = {
      uuid: randomUUID(),
      displayName: input.displayName,
      role: input.role,
      serviceType: waiting ? 'waiting_room' : 'conference',
      callTag: input.callTag ?? '',
      personalLink: input.personalLink ?? false,
      directMedia: direct,
      dataChannelId: direct ? PEX_DATACHANNEL_ID : null,
      joinedAt: this.clock.now(),
      buzzTime: 0,
      audioMuted: false,
      videoMuted: false,
      call: null,
      pastCalls: [],
      stream: null,
      graceTimer: null,
    };
    this.participants.set(p.uuid, p);
    this.#armGrace(p, this.options.joinGraceMs);
    const token = this.#issueToken(p.uuid);
    this.#broadcast('participant_create', participantJson(p, this), p.uuid);
    if (!waiting) this.#afterAdmission(p);
    return { participant: p, token, expiresSeconds: this.options.tokenTtlSeconds };
  }

  /** The participant a token belongs to; 403 "Invalid token" for unknown, expired or foreign tokens. */
  authenticate(token: string | undefined): Participant {
    const entry = token ? this.#tokens.get(token) : undefined;
    const p = entry ? this.participants.get(entry.participantUuid) : undefined;
    if (!entry || !p || entry.expiresAt <= this.clock.now().getTime()) {
      throw pexipError(403, PexipMessage.invalidToken, 'invalid_token');
    }
    return p;
  }

  /** A fresh token; the old one stays valid until it expires (requests may be in flight with it). */
  refresh(p: Participant): { token: string; expiresSeconds: number } {
    this.#pruneTokens();
    return { token: this.#issueToken(p.uuid), expiresSeconds: this.options.tokenTtlSeconds };
  }

  #issueToken(participantUuid: string): string {
    // URL-safe: the SDK puts it unencoded into the EventSource and beacon URLs.
    const token = randomBytes(24).toString('base64url');
    this.#tokens.set(token, {
      participantUuid,
      expiresAt: this.clock.now().getTime() + this.options.tokenTtlSeconds * 1000,
    });
    return token;
  }

  #pruneTokens(): void {
    const now = this.clock.now().getTime();
    for (const [t, e] of this.#tokens) if (e.expiresAt <= now) this.#tokens.delete(t);
  }

  // ---------------------------------------------------------------- event streams

  /** Attaches the participant's (new) event stream and sends the initial sync. */
  attachStream(p: Participant, stream: EventStream): void {
    const previous = p.stream;
    p.stream = stream;
    if (previous && previous !== stream) previous.end();
    this.#clearGrace(p);
    stream.send('participant_sync_begin');
    for (const other of this.participants.values()) stream.send('participant_create', participantJson(other, this));
    stream.send('participant_sync_end');
    stream.send('conference_update', this.#conferenceState());
    const presenter = this.presenterUuid ? this.participants.get(this.presenterUuid) : undefined;
    if (presenter && presenter.uuid !== p.uuid) stream.send('presentation_start', presentationJson(presenter));
  }

  /** The stream closed on the client's side: remove the participant unless it reconnects in time. */
  streamClosed(p: Participant, stream: EventStream): void {
    if (p.stream !== stream || !this.participants.has(p.uuid)) return;
    p.stream = null;
    this.#armGrace(p, this.options.streamGraceMs);
  }

  #armGrace(p: Participant, ms: number): void {
    this.#clearGrace(p);
    p.graceTimer = setTimeout(() => {
      p.graceTimer = null;
      if (!p.stream || !p.stream.open) void this.leave(p.uuid);
    }, ms);
    p.graceTimer.unref();
  }

  #clearGrace(p: Participant): void {
    if (p.graceTimer) clearTimeout(p.graceTimer);
    p.graceTimer = null;
  }

  #send(participantUuid: string, event: string, data: unknown = null): void {
    this.participants.get(participantUuid)?.stream?.send(event, data);
  }

  #broadcast(event: string, data: unknown = null, exceptUuid?: string): void {
    for (const p of this.participants.values()) if (p.uuid !== exceptUuid) p.stream?.send(event, data);
  }

  #participantChanged(p: Participant): void {
    this.#broadcast('participant_update', participantJson(p, this));
  }

  #conferenceState() {
    return {
      locked: this.locked,
      guests_muted: this.guestsMuted,
      started: true,
      direct_media: this.mediaMode === 'direct',
      presentation_allowed: true,
      guests_can_present: this.room.guestsCanPresent,
      guests_can_unmute: !this.guestsMuted,
    };
  }

  #conferenceChanged(): void {
    this.#broadcast('conference_update', this.#conferenceState());
  }

  // ---------------------------------------------------------------- leaving and ending

  /** Removes a participant (release_token, kick, stream timeout). */
  async leave(uuid: string, disconnectReason?: string): Promise<void> {
    const p = this.participants.get(uuid);
    if (!p) return;
    this.#clearGrace(p);
    if (disconnectReason) p.stream?.send('disconnect', { reason: disconnectReason });
    p.stream?.end();
    p.stream = null;
    await this.#endCall(p);
    this.participants.delete(uuid);
    this.observer?.left(this, p);
    for (const [t, e] of this.#tokens) if (e.participantUuid === uuid) this.#tokens.delete(t);
    if (this.presenterUuid === uuid) this.#setPresenter(null);
    this.#broadcast('participant_delete', { uuid });
    if (this.participants.size === 0) await this.end();
  }

  /** Ends the conference for everyone (host's "end for all", endTime, room removed). */
  async end(reason?: string): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    for (const p of this.participants.values()) {
      this.#clearGrace(p);
      if (reason) p.stream?.send('disconnect', { reason });
      p.stream?.end();
      p.stream = null;
      this.observer?.left(this, p);
    }
    this.#pendingOffer?.held.resolve(null);
    this.#pendingOffer = null;
    for (const u of this.#pendingUpdates.values()) u.held.resolve(null);
    this.#pendingUpdates.clear();
    this.participants.clear();
    this.#tokens.clear();
    for (const off of this.#mediaUnsubscribe) off();
    const media = this.#media;
    this.#media = null;
    this.onEnded(this);
    await media?.close().catch(() => undefined);
  }

  // ---------------------------------------------------------------- conference control

  requireHost(p: Participant): void {
    if (p.role !== 'HOST') throw pexipError(403, PexipMessage.permissionDenied);
  }

  /** Host, or the participant acting on themselves. */
  requireSelfOrHost(actor: Participant, target: Participant): void {
    if (actor.uuid !== target.uuid) this.requireHost(actor);
  }

  participant(uuid: string): Participant {
    const p = this.participants.get(uuid);
    if (!p) throw pexipError(404, PexipMessage.unknownParticipant, 'unknown_participant');
    return p;
  }

  setLocked(locked: boolean): void {
    this.locked = locked;
    this.#conferenceChanged();
    // Unlocking lets everyone who waits in.
    if (!locked) for (const p of [...this.participants.values()]) if (p.serviceType === 'waiting_room') this.admit(p);
  }

  /** Lets a waiting participant into the conference (`participants/{uuid}/unlock`). */
  admit(p: Participant): void {
    if (p.serviceType !== 'waiting_room') return;
    if (this.#inConference().length >= 2 && !this.mediaFactory) throw pexipError(403, PexipMessage.noMediaResource);
    p.serviceType = 'conference';
    this.#participantChanged(p);
    this.#afterAdmission(p);
  }

  setGuestsMuted(muted: boolean): void {
    this.guestsMuted = muted;
    this.#conferenceChanged();
    for (const p of this.participants.values()) {
      if (p.role === 'GUEST') {
        this.#media?.setAudioMuted(p.uuid, this.#effectiveMute(p));
        this.#participantChanged(p);
      }
    }
  }

  setAudioMuted(actor: Participant, target: Participant, muted: boolean): void {
    this.requireSelfOrHost(actor, target);
    if (!muted && actor.role === 'GUEST' && this.guestsMuted) throw pexipError(403, PexipMessage.permissionDenied);
    target.audioMuted = muted;
    this.#media?.setAudioMuted(target.uuid, this.#effectiveMute(target));
    this.#participantChanged(target);
  }

  setVideoMuted(actor: Participant, target: Participant, muted: boolean): void {
    this.requireSelfOrHost(actor, target);
    target.videoMuted = muted;
    this.#participantChanged(target);
  }

  #effectiveMute(p: Participant): boolean {
    return p.audioMuted || (p.role === 'GUEST' && this.guestsMuted);
  }

  setHand(actor: Participant, target: Participant, raised: boolean): void {
    this.requireSelfOrHost(actor, target);
    target.buzzTime = raised ? Math.floor(this.clock.now().getTime() / 1000) : 0;
    this.#participantChanged(target);
  }

  lowerAllHands(): void {
    for (const p of this.participants.values()) {
      if (p.buzzTime) {
        p.buzzTime = 0;
        this.#participantChanged(p);
      }
    }
  }

  /** Chat over the REST path: to everyone else in the conference. */
  message(from: Participant, type: string, payload: string): void {
    this.#broadcast('message_received', { origin: from.displayName, uuid: from.uuid, type, payload, direct: false }, from.uuid);
  }

  takeFloor(p: Participant): void {
    if (p.serviceType !== 'conference') throw pexipError(403, PexipMessage.presentationNotAllowed);
    if (p.role === 'GUEST' && !this.room.guestsCanPresent) throw pexipError(403, PexipMessage.presentationNotAllowed);
    this.#setPresenter(p.uuid);
  }

  releaseFloor(p: Participant): void {
    if (this.presenterUuid === p.uuid) this.#setPresenter(null);
  }

  #setPresenter(uuid: string | null): void {
    const previous = this.presenterUuid ? this.participants.get(this.presenterUuid) : undefined;
    this.presenterUuid = uuid;
    this.#media?.setPresenter(uuid);
    if (previous && previous.uuid !== uuid) this.#participantChanged(previous);
    const presenter = uuid ? this.participants.get(uuid) : undefined;
    if (presenter) {
      // The previous presenter gets it too: its SDK stops sending when someone else takes the floor.
      this.#broadcast('presentation_start', presentationJson(presenter), presenter.uuid);
      this.#participantChanged(presenter);
    } else {
      this.#broadcast('presentation_stop');
    }
  }

  // ---------------------------------------------------------------- calls (media signalling)

  #inConference(): Participant[] {
    return [...this.participants.values()].filter((p) => p.serviceType === 'conference');
  }

  #directPeerOf(p: Participant): Participant | undefined {
    if (this.mediaMode !== 'direct') return undefined;
    return this.#inConference().find((o) => o.uuid !== p.uuid);
  }

  /** After someone enters the conference proper: maybe escalate to server media or re-pair. */
  #afterAdmission(p: Participant): void {
    this.observer?.entered(this, p);
    if (this.mediaMode === 'direct' && this.#inConference().length >= 3) {
      this.#escalateToServerMedia();
      return;
    }
    // Someone who waited already has a call the node ignored; make it restart so it can pair or
    // be answered by the media engine.
    if (p.call) this.#restartCallOf(p);
  }

  /**
   * `peer_disconnect` makes the SDK's app call `restartCall()`: a fresh `calls` offer follows.
   *
   * Not within `offerSettleMs` of telling that SDK `offer_ignored`, though: the event stream can
   * overtake the `calls` response, and an SDK that restarts before it has read that response
   * later applies the stale `offer_ignored` to its *new* call (it rebuilds that PeerConnection and
   * waits for an offer that never comes: no media). A guest admitted from the waiting room just
   * as the call escalated to server media hit exactly that.
   */
  #restartCallOf(p: Participant): void {
    const call = p.call;
    if (call) call.state = 'stale';
    const wait = call?.ignoredAt != null ? call.ignoredAt + this.options.offerSettleMs - this.#now() : 0;
    if (wait <= 0) {
      this.#send(p.uuid, 'peer_disconnect');
      return;
    }
    const timer = setTimeout(() => {
      // Unless the call was replaced or ended meanwhile (the participant restarted or left).
      if (p.call === call && call?.state === 'stale' && this.participants.has(p.uuid)) this.#send(p.uuid, 'peer_disconnect');
    }, wait);
    timer.unref();
  }

  #escalateToServerMedia(exceptUuid?: string): void {
    this.mediaMode = 'server';
    this.#pendingOffer?.held.resolve(null);
    this.#pendingOffer = null;
    for (const u of this.#pendingUpdates.values()) u.held.resolve(null);
    this.#pendingUpdates.clear();
    for (const p of this.#inConference()) if (p.call && p.uuid !== exceptUuid) this.#restartCallOf(p);
    this.#conferenceChanged();
  }

  #ensureMedia(): ConferenceMedia {
    if (this.#media) return this.#media;
    if (!this.mediaFactory) throw pexipError(403, PexipMessage.noMediaResource);
    const media = this.mediaFactory(this.id);
    this.#media = media;
    this.#mediaUnsubscribe.push(
      media.onData((from, message) => {
        // Chat from SDKs that started in direct media still rides the data channel.
        const m = message as { type?: unknown; body?: { type?: unknown; payload?: unknown } } | null;
        const sender = this.participants.get(from);
        if (!sender || m?.type !== 'message' || typeof m.body?.payload !== 'string') return;
        this.message(sender, typeof m.body.type === 'string' ? m.body.type : 'text/plain', m.body.payload);
      }),
    );
    this.#mediaUnsubscribe.push(
      media.onActiveSpeaker((speaker) => {
        // The SDK's `stage` event: who is on stage, active speaker first (voice activity 100).
        const order = [...this.#inConference()].sort((a, b) => (a.uuid === speaker ? -1 : b.uuid === speaker ? 1 : 0));
        this.#broadcast(
          'stage',
          order.map((p, i) => ({ participant_uuid: p.uuid, stage_index: i, vad: p.uuid === speaker ? 100 : 0 })),
        );
      }),
    );
    if (this.presenterUuid) media.setPresenter(this.presenterUuid);
    for (const p of this.participants.values()) if (this.#effectiveMute(p)) media.setAudioMuted(p.uuid, true);
    return media;
  }

  call(p: Participant): Call {
    if (!p.call) throw pexipError(404, PexipMessage.unknownCall, 'unknown_call');
    return p.call;
  }

  /** Looks up a call id of this participant; `null` if it is one that already ended. */
  callById(p: Participant, callUuid: string): Call | null {
    if (p.call?.uuid === callUuid) return p.call;
    if (p.pastCalls.includes(callUuid)) return null;
    throw pexipError(404, PexipMessage.unknownCall, 'unknown_call');
  }

  /** `POST participants/{uuid}/calls`: a new WebRTC offer. */
  async newCall(p: Participant, offerSdp: string): Promise<CallAnswer> {
    if (p.call) await this.#endCall(p);
    const call: Call = {
      uuid: randomUUID(),
      state: 'idle',
      ignoredAt: null,
      ufrag: ufragOf(offerSdp),
      candidates: 0,
      layout: mediaLayout(offerSdp),
      appMid: applicationMid(offerSdp),
    };
    p.call = call;
    const ignored = (): CallAnswer => {
      call.state = p.serviceType === 'waiting_room' ? 'waiting' : 'idle';
      call.ignoredAt = this.#now();
      call.ufrag = null;
      return { call_uuid: call.uuid, sdp: '', offer_ignored: true };
    };
    // Nobody waiting in the lobby gets media.
    if (p.serviceType === 'waiting_room') return ignored();
    if (this.mediaMode === 'server') return this.#serverCall(p, call, offerSdp);

    const peer = this.#directPeerOf(p);
    if (!peer?.call || peer.call.state !== 'idle' || this.#pendingOffer) {
      // First in (or the other is not ready): the SDK rebuilds a polite PeerConnection and waits
      // for our `new_offer`.
      return ignored();
    }
    const peerCall = peer.call;
    if (!covers(call.layout, peerCall.layout)) {
      if (covers(peerCall.layout, call.layout)) {
        // The waiting peer has more sections (e.g. a presentation transceiver): it should offer.
        const answer = ignored();
        this.#restartCallOf(peer);
        return answer;
      }
      if (this.mediaFactory) {
        // Neither call type covers the other (audio-only and video-only, say): the media engine
        // answers both, which any pair of call types can use.
        this.#escalateToServerMedia(p.uuid);
        return this.#serverCall(p, call, offerSdp);
      }
    }
    call.state = 'offering';
    peerCall.state = 'answering';
    // The answering SDK opens its data channel only in a section whose mid is its channel id.
    peerCall.appMid = call.appMid !== null && peer.dataChannelId !== null ? String(peer.dataChannelId) : call.appMid;
    const settle = (peerCall.ignoredAt ?? 0) + this.options.offerSettleMs - this.#now();
    if (settle > 0) await sleep(settle);
    const answer = await this.#hold<string | null>((held) => {
      this.#pendingOffer = { offerer: p.uuid, answerer: peer.uuid, held };
      this.#send(peer.uuid, 'new_offer', { sdp: relaySdp(offerSdp, call, peerCall) });
    });
    this.#pendingOffer = null;
    if (p.call !== call) throw pexipError(403, PexipMessage.unknownCall);
    if (answer === null || peer.call !== peerCall || this.mediaMode !== 'direct') {
      // The other side never answered (or left): start over cleanly.
      if (peer.call === peerCall && this.participants.has(peer.uuid) && this.mediaMode === 'direct') this.#restartCallOf(peer);
      return ignored();
    }
    call.state = 'paired';
    peerCall.state = 'paired';
    // Its answer shows the peer's SDK has long read its `offer_ignored`.
    peerCall.ignoredAt = null;
    return { call_uuid: call.uuid, sdp: relaySdp(answer, peerCall, call) };
  }

  async #serverCall(p: Participant, call: Call, offerSdp: string): Promise<CallAnswer> {
    const media = this.#ensureMedia();
    call.state = 'server';
    const sdp = await media.addLeg(p.uuid, { sdp: offerSdp, dataChannelId: p.dataChannelId ?? undefined });
    if (p.call !== call) throw pexipError(403, PexipMessage.unknownCall);
    return { call_uuid: call.uuid, sdp };
  }

  /** `calls/{id}/ack`: the SDK's acknowledgement, or its answer to our `new_offer`/`update_sdp`. */
  ack(p: Participant, call: Call, body: { sdp?: string; offer_ignored?: boolean } | undefined): void {
    const ignored = body?.offer_ignored === true || body?.sdp === 'offer_ignored';
    // A bare ack just acknowledges the answer we gave; nothing is waiting on it.
    if (!ignored && !body?.sdp) return;
    const answered: string | null = ignored ? null : (body?.sdp ?? null);
    if (answered) call.ufrag = ufragOf(answered) ?? call.ufrag;
    if (this.#pendingOffer?.answerer === p.uuid) {
      this.#pendingOffer.held.resolve(answered);
      return;
    }
    const update = this.#pendingUpdates.get(p.uuid);
    if (update) {
      this.#pendingUpdates.delete(p.uuid);
      update.held.resolve(answered);
    }
  }

  /** `calls/{id}/new_candidate`. */
  async candidate(p: Participant, call: Call, c: { candidate: string; mid?: string; ufrag?: string }): Promise<void> {
    call.candidates += 1;
    if (call.candidates > this.options.maxCandidatesPerCall) throw pexipError(403, PexipMessage.tooManyCandidates, 'too_many_candidates');
    if (call.state === 'server') {
      await this.#media?.addRemoteCandidate(p.uuid, { candidate: c.candidate, mid: c.mid });
      return;
    }
    // Only relay between the two legs of a live pairing, and never a candidate of an offer we ignored.
    if (!isRelaying(call)) return;
    if (c.ufrag && call.ufrag && c.ufrag !== call.ufrag) return;
    const peer = this.#directPeerOf(p);
    if (!peer || !isRelaying(peer.call)) return;
    // A candidate of the data channel's section (a data-channel-only call type) under the peer's name for it.
    const mid = c.mid !== undefined && c.mid === call.appMid && peer.call.appMid !== null ? peer.call.appMid : (c.mid ?? '0');
    this.#send(peer.uuid, 'new_candidate', { candidate: c.candidate, mid, ...(c.ufrag ? { ufrag: c.ufrag } : {}) });
  }

  /** `calls/{id}/update`: renegotiation. Returns the answer SDP, or '' when there is none. */
  async update(p: Participant, call: Call, offerSdp: string): Promise<string> {
    call.ufrag = ufragOf(offerSdp) ?? call.ufrag;
    if (call.state === 'server') {
      return this.#ensureMedia().updateLeg(p.uuid, offerSdp);
    }
    const peer = this.#directPeerOf(p);
    const peerCall = peer?.call;
    if (!peer || call.state !== 'paired' || !peerCall || peerCall.state !== 'paired') return '';
    // Glare (both sides renegotiating at once) is resolved by the SDKs' perfect negotiation: the
    // impolite side acks `offer_ignored` (this update then gets ''), the polite side rolls back
    // and answers. We relay both offers and settle each held update by the ack it gets.
    const superseded = this.#pendingUpdates.get(peer.uuid);
    const answer = await this.#hold<string | null>((held) => {
      this.#pendingUpdates.set(peer.uuid, { updater: p.uuid, held });
      superseded?.held.resolve(null);
      this.#send(peer.uuid, 'update_sdp', { sdp: relaySdp(offerSdp, call, peerCall) });
    });
    const stillPending = this.#pendingUpdates.get(peer.uuid);
    if (stillPending?.updater === p.uuid && answer === null) this.#pendingUpdates.delete(peer.uuid);
    return answer ? relaySdp(answer, peerCall, call) : '';
  }

  /** A periodic `statistics` push of the participant's SDK (kept by the call records, if any). */
  statistics(p: Participant, body: Record<string, unknown> | undefined): void {
    this.observer?.statistics(this, p, body);
  }

  /** `calls/{id}/disconnect`. */
  async disconnectCall(p: Participant, call: Call | null): Promise<void> {
    if (call && p.call === call) await this.#endCall(p);
  }

  async #endCall(p: Participant): Promise<void> {
    const call = p.call;
    if (!call) return;
    p.call = null;
    p.pastCalls = [...p.pastCalls.slice(-9), call.uuid];
    if (call.state === 'server') {
      await this.#media?.removeLeg(p.uuid).catch(() => undefined);
      return;
    }
    if (this.#pendingOffer && (this.#pendingOffer.offerer === p.uuid || this.#pendingOffer.answerer === p.uuid)) {
      this.#pendingOffer.held.resolve(null);
    }
    for (const [answerer, u] of this.#pendingUpdates) {
      if (answerer === p.uuid || u.updater === p.uuid) {
        this.#pendingUpdates.delete(answerer);
        u.held.resolve(null);
      }
    }
    if (isRelaying(call)) {
      const peer = this.#directPeerOf(p);
      if (peer && isRelaying(peer.call)) this.#restartCallOf(peer);
    }
  }

  #hold<T>(start: (held: Held<T | null>) => void): Promise<T | null> {
    return new Promise<T | null>((resolve) => {
      let done = false;
      const timer = setTimeout(() => finish(null), this.options.signallingTimeoutMs);
      const finish = (v: T | null) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(v);
      };
      start({ resolve: finish });
    });
  }

  /**
   * Now by the injected clock. Signalling pauses (`offerSettleMs`, held requests) still wait in
   * real time: they give a remote SDK time to act, which a test's clock does not move.
   */
  #now(): number {
    return this.clock.now().getTime();
  }

  // ---------------------------------------------------------------- views

  participantsJson() {
    return [...this.participants.values()].map((p) => participantJson(p, this));
  }

  live(alias: string): LiveConference {
    return {
      alias,
      aliases: this.room.aliases,
      name: this.room.name,
      source: this.room.source,
      mediaMode: this.mediaMode,
      locked: this.locked,
      guestsMuted: this.guestsMuted,
      startedAt: this.startedAt.toISOString(),
      participants: [...this.participants.values()].map(
        (p): LiveParticipant => ({
          uuid: p.uuid,
          displayName: p.displayName,
          role: p.role,
          serviceType: p.serviceType,
          joinedAt: p.joinedAt.toISOString(),
          media: {
            inCall: carriesMedia(p.call),
            audioMuted: this.#effectiveMute(p),
            videoMuted: p.videoMuted,
            presenting: this.presenterUuid === p.uuid,
            handRaised: p.buzzTime > 0,
          },
        }),
      ),
    };
  }

  isPresenting(p: Participant): boolean {
    return this.presenterUuid === p.uuid;
  }

  effectiveMute(p: Participant): boolean {
    return this.#effectiveMute(p);
  }
}

/** An SDP from one direct-media peer as the other's PeerConnection knows its data channel section. */
function relaySdp(sdp: string, from: Call, to: Call): string {
  return renameApplicationMid(sdp, from.appMid, to.appMid);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
