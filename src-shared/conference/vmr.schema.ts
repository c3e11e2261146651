import { z } from 'zod';

/**
 * Contracts of the conference node's management side: fixed meeting rooms (VDX Management's
 * permanent VMRs) and the list of live conferences.
 */

/**
 * A conference alias. It appears unencoded in the SDK's EventSource URL
 * (`.../conferences/{alias}/events?token=...`), so it must stay URL-safe.
 */
export const ConferenceAlias = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@+-]*$/, 'only letters, digits and . _ @ + - (no spaces)');

/** Conference PINs are digits only (entered on keypads and IVRs). */
export const ConferencePin = z.string().regex(/^[0-9]{4,12}$/, 'a PIN is 4–12 digits');

/** `best_effort`: peer-to-peer while there are two participants; `never`: always server media. */
export const DirectMediaPolicy = z.enum(['never', 'best_effort']);
export type DirectMediaPolicy = z.infer<typeof DirectMediaPolicy>;

const VmrSettings = {
  name: z.string().trim().min(1).max(200),
  hostPin: ConferencePin,
  /** Without a guest PIN, guests join by answering the SDK's PIN prompt with "none". */
  guestPin: ConferencePin.nullable().optional(),
  theme: z.string().max(100).nullable().optional(),
  directMedia: DirectMediaPolicy.optional(),
  maxParticipants: z.number().int().min(1).max(1000).nullable().optional(),
  guestsCanPresent: z.boolean().optional(),
  muteAllGuests: z.boolean().optional(),
  lockedByDefault: z.boolean().optional(),
};

/** `POST /management/v1/vmrs`. */
export const VmrCreate = z
  .object({ alias: ConferenceAlias, ...VmrSettings })
  .refine((v) => !v.guestPin || v.guestPin !== v.hostPin, {
    message: 'guestPin must differ from hostPin',
    path: ['guestPin'],
  });
export type VmrCreate = z.infer<typeof VmrCreate>;

/** `PATCH /management/v1/vmrs/{alias}`: absent = unchanged, null = cleared (where nullable). */
export const VmrPatch = z.object({
  name: VmrSettings.name.optional(),
  hostPin: VmrSettings.hostPin.optional(),
  guestPin: VmrSettings.guestPin,
  theme: VmrSettings.theme,
  directMedia: VmrSettings.directMedia,
  maxParticipants: VmrSettings.maxParticipants,
  guestsCanPresent: VmrSettings.guestsCanPresent,
  muteAllGuests: VmrSettings.muteAllGuests,
  lockedByDefault: VmrSettings.lockedByDefault,
});
export type VmrPatch = z.infer<typeof VmrPatch>;

/** A fixed VMR as management sees it (PINs included: management-admin only). */
export const Vmr = z.object({
  alias: z.string(),
  name: z.string(),
  hostPin: z.string(),
  guestPin: z.string().nullable(),
  theme: z.string().nullable(),
  directMedia: DirectMediaPolicy,
  maxParticipants: z.number().int().nullable(),
  guestsCanPresent: z.boolean(),
  muteAllGuests: z.boolean(),
  lockedByDefault: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Vmr = z.infer<typeof Vmr>;

export const VmrList = z.object({ vmrs: z.array(Vmr) });

export const VmrAliasParams = z.object({ alias: ConferenceAlias });

/** Media state of one participant in a live conference. */
export const LiveParticipant = z.object({
  uuid: z.string(),
  displayName: z.string(),
  role: z.enum(['HOST', 'GUEST']),
  /** `waiting_room` until a host admits them into a locked conference. */
  serviceType: z.enum(['conference', 'waiting_room']),
  joinedAt: z.string(),
  media: z.object({
    /** The participant has a WebRTC call up (direct or through the node). */
    inCall: z.boolean(),
    audioMuted: z.boolean(),
    videoMuted: z.boolean(),
    presenting: z.boolean(),
    handRaised: z.boolean(),
  }),
});
export type LiveParticipant = z.infer<typeof LiveParticipant>;

export const LiveConference = z.object({
  alias: z.string(),
  /** Every alias this room answers to (a booked meeting has two). */
  aliases: z.array(z.string()),
  name: z.string(),
  source: z.enum(['vmr', 'booked']),
  /** `direct` = peer-to-peer between two participants; `server` = the node terminates media. */
  mediaMode: z.enum(['direct', 'server']),
  locked: z.boolean(),
  guestsMuted: z.boolean(),
  startedAt: z.string(),
  participants: z.array(LiveParticipant),
});
export type LiveConference = z.infer<typeof LiveConference>;

export const LiveConferenceList = z.object({ conferences: z.array(LiveConference) });
