/**
 * The contract between the conference node's signalling (Pexip client API, participants, floor)
 * and its server-side media engine (werift). Signalling decides *who* is in the call and *when*
 * media changes; the engine terminates each participant's single PeerConnection, forwards the
 * active speaker's video, mixes N-1 Opus audio and forwards the presentation.
 *
 * One `ConferenceMedia` exists per live conference while it is in server-media mode.
 */
export interface ConferenceMedia {
  /**
   * Terminates a participant's PeerConnection: applies the SDK's offer and returns our answer.
   * The answer carries our ICE candidates (gathering completes before answering), echoes each
   * section's `a=content:main|slides`, keeps inactive sections at port 9, omits transport-cc,
   * and groups main audio + video under one `a=msid` stream.
   */
  addLeg(participantUuid: string, offer: LegOffer): Promise<string>;
  /** Renegotiation on an existing leg (presentation on/off, ICE restart); returns the answer SDP. */
  updateLeg(participantUuid: string, offerSdp: string): Promise<string>;
  /** A trickled candidate from the participant (`new_candidate`). Unknown legs are ignored. */
  addRemoteCandidate(participantUuid: string, candidate: { candidate: string; mid?: string }): Promise<void>;
  /** Ends and forgets a participant's leg (leave, kick, call disconnect). */
  removeLeg(participantUuid: string): Promise<void>;
  /** Who holds the presentation floor (their slides are forwarded to everyone else), or null. */
  setPresenter(participantUuid: string | null): void;
  /** Muted participants are left out of the mix and never become the active speaker. */
  setAudioMuted(participantUuid: string, muted: boolean): void;
  /** Sends a JSON message on a participant's negotiated `pexChannel` data channel. */
  sendData(participantUuid: string, message: unknown): void;
  /** Messages arriving on any leg's data channel (chat from SDK clients that started in direct media). */
  onData(listener: (fromParticipantUuid: string, message: unknown) => void): () => void;
  /** The participant whose video everyone else currently receives. */
  onActiveSpeaker(listener: (participantUuid: string | null) => void): () => void;
  /** Numbers for management and benchmarks. */
  stats(): ConferenceMediaStats;
  close(): Promise<void>;
}

export interface LegOffer {
  sdp: string;
  /** `pex_datachannel_id` given in request_token: the negotiated data channel's id. */
  dataChannelId?: number;
}

export interface ConferenceMediaStats {
  legs: number;
  activeSpeaker: string | null;
  presenter: string | null;
  /** Keyframes requested because the forwarded speaker changed. */
  speakerSwitches: number;
}

/** Creates the media of one conference. */
export type ConferenceMediaFactory = (conferenceId: string) => ConferenceMedia;
