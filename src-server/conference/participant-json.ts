import type { Conference, Participant } from './conference';

/** The participant object of the Pexip client API (`participants` and `participant_create/update`). */
export function participantJson(p: Participant, conference: Conference) {
  const presenting = conference.isPresenting(p);
  return {
    api_url: '',
    buzz_time: p.buzzTime,
    call_direction: 'in' as const,
    call_tag: p.callTag,
    disconnect_supported: 'YES' as const,
    display_name: p.displayName,
    encryption: 'On' as const,
    external_node_uuid: '',
    fecc_supported: 'NO' as const,
    has_media: Boolean(p.call && p.call.state !== 'waiting'),
    is_audio_only_call: 'NO' as const,
    is_external: false,
    is_muted: conference.effectiveMute(p) ? ('YES' as const) : ('NO' as const),
    is_presenting: presenting ? ('YES' as const) : ('NO' as const),
    is_streaming_conference: false,
    is_video_call: 'YES' as const,
    is_video_muted: p.videoMuted,
    is_video_silent: false,
    local_alias: conference.room.aliases[0] ?? '',
    mute_supported: 'YES' as const,
    overlay_text: p.displayName,
    protocol: 'webrtc' as const,
    role: p.role === 'HOST' ? ('chair' as const) : ('guest' as const),
    rx_presentation_policy: 'ALLOW' as const,
    service_type: p.serviceType,
    spotlight: 0,
    start_time: Math.floor(p.joinedAt.getTime() / 1000),
    supports_direct_chat: false,
    transfer_supported: 'NO' as const,
    uuid: p.uuid,
    uri: '',
    vendor: 'VDX Room',
    can_receive_personal_mix: false,
    receive_from_video_mix: { mix_name: 'main', timestamp: 0 },
  };
}

/** The `presentation_start` payload. */
export function presentationJson(p: Participant) {
  return { presenter_name: p.displayName, presenter_uri: '', presenter_uuid: p.uuid };
}

