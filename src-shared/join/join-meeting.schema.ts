import { z } from 'zod';

/**
 * The guest page's public meeting lookup, `GET /join-api/v1/meetings/{shortId}` (no token: the short
 * id in an invitation link is the capability). It tells the page which conference to join, when
 * it opens and whether to ask for a PIN — never the PINs themselves.
 */
export const JoinShortIdSchema = z
  .string()
  .min(4)
  .max(32)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');

export const JoinMeetingParamsSchema = z.object({ shortId: JoinShortIdSchema });

export const JoinMeetingSchema = z.object({
  /** Conference alias to join (the meeting's `uriWithDomain`). */
  alias: z.string().min(1).max(255),
  subject: z.string().max(500).optional(),
  /** ISO-8601 UTC. */
  startTime: z.string(),
  endTime: z.string(),
  /** True when guests need a PIN to enter (the page asks before the node does). */
  guestPinRequired: z.boolean(),
  /** ISO-8601 UTC: the meeting can be joined from this instant on (start − vMRAvailableBefore). */
  opensAt: z.iso.datetime(),
  /**
   * The server's clock when it answered (ISO-8601 UTC). The page opened early waits for `opensAt`
   * by this clock, not by the device's, which may be minutes off.
   */
  serverTime: z.iso.datetime(),
});
export type JoinMeeting = z.infer<typeof JoinMeetingSchema>;

/**
 * A personal link (SMS Video, invitations) carries a token in its URL fragment (`#p=<token>`).
 * The guest page trades it at `POST /join-api/v1/personal-link` for the meeting and the name to
 * join as, then hands the SDK `PERSONAL_LINK_PIN_PREFIX + token` as its PIN: the conference node
 * admits that token's holder with the link's role and name. The meeting's PINs never reach the page.
 */
export const PERSONAL_LINK_PIN_PREFIX = 'link:';

export const PersonalLinkRequestSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{24}$/, 'not a personal link token') });

export const PersonalLinkSchema = JoinMeetingSchema.extend({
  /** The meeting's short id (the page's own URL names it too). */
  shortId: JoinShortIdSchema,
  /** The name the holder joins under (the recipient's, as the sender wrote it). */
  displayName: z.string(),
  role: z.enum(['host', 'guest']),
});
export type PersonalLink = z.infer<typeof PersonalLinkSchema>;
