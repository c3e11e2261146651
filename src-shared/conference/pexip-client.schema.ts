import { z } from 'zod';

/**
 * Request bodies of the Pexip Infinity client REST API v2 subset our conference node serves
 * (`/api/client/v2/conferences/{alias}/...`), as the official `@pexip/infinity` SDK sends them.
 * Deliberately lenient about fields we do not use (the SDK sends more than we need, and newer
 * SDKs add fields); strict about what we act on. Response shapes are checked in tests with the
 * SDK's own validators (`@pexip/infinity-api`), so they are not repeated here.
 */

/** SDPs above this are refused: a real browser offer is 5–15 kB. */
export const MAX_SDP_BYTES = 64 * 1024;

/** Must look like an SDP: starts with `v=0` and has at least one media section. */
export const Sdp = z
  .string()
  .max(MAX_SDP_BYTES, 'SDP too large')
  .refine((s) => /^v=0\r?\n/.test(s) && /\r?\nm=(audio|video|application) /.test(s), 'not an SDP');

export const RequestTokenBody = z.object({
  display_name: z.string().max(200).optional(),
  /** SDK default true: the client can do peer-to-peer media. */
  direct_media: z.boolean().optional(),
  call_tag: z.string().max(200).optional(),
  conference_extension: z.string().max(200).optional(),
  chosen_idp: z.string().max(200).optional(),
  sso_token: z.string().max(4000).optional(),
  node: z.string().max(300).optional(),
  token: z.string().max(4000).optional(),
});
export type RequestTokenBody = z.infer<typeof RequestTokenBody>;

export const ReleaseTokenBody = z.object({ reason: z.string().max(500).optional() }).optional();

export const CallsBody = z.object({
  call_type: z.enum(['WEBRTC']),
  sdp: Sdp,
  media_type: z.enum(['video', 'video-only', 'audio']).optional(),
  present: z.enum(['send', 'receive']).optional(),
  fecc_supported: z.boolean().optional(),
});

/**
 * `ack`: empty when acknowledging our answer; `{sdp}` when answering a `new_offer`/`update_sdp`
 * (direct media); `{sdp:"offer_ignored", offer_ignored:true}` when the SDK's impolite peer ignored
 * an offer during glare.
 */
export const AckBody = z
  .object({
    sdp: z.union([Sdp, z.literal('offer_ignored')]).optional(),
    offer_ignored: z.boolean().optional(),
  })
  .optional();

export const NewCandidateBody = z.object({
  /** Empty string = end of candidates. */
  candidate: z.string().max(1000),
  mid: z.string().max(32).optional(),
  ufrag: z.string().max(256).optional(),
  pwd: z.string().max(256).optional(),
});
export type NewCandidateBody = z.infer<typeof NewCandidateBody>;

export const UpdateBody = z.object({ sdp: Sdp, fecc_supported: z.boolean().optional() });

export const MessageBody = z.object({
  type: z.string().max(100).default('text/plain'),
  payload: z.string().max(16 * 1024),
});

/** Periodic call statistics; accepted and dropped (kept small so it cannot be abused). */
export const StatisticsBody = z.record(z.string(), z.unknown()).optional();

export const AliasParams = z.object({ alias: z.string().min(1).max(200) });
export const ParticipantParams = AliasParams.extend({ participantUuid: z.string().min(1).max(100) });
export const CallParams = ParticipantParams.extend({ callUuid: z.string().min(1).max(100) });

/** `?token=` on event streams and beacons (the SDK cannot set headers there). */
export const TokenQuery = z.object({ token: z.string().max(4000).optional() });
