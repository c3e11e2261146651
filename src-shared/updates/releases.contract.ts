import { z } from 'zod';

/**
 * Contracts of the update capability: releases IT registers in management, and the
 * electron-updater feed devices read. The feed itself is YAML (electron-updater's *generic
 * provider* format), so only the management API has JSON schemas here.
 */

/** Update channels. `beta` devices also receive stable releases that are newer than any beta. */
export const ReleaseChannel = z.enum(['stable', 'beta']);
export type ReleaseChannel = z.infer<typeof ReleaseChannel>;

/** Semantic version 2.0.0 (what electron-updater's `semver.parse` accepts, without a leading `v`). */
export const SemVer = z
  .string()
  .regex(
    /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/,
    'must be a semantic version such as 1.4.0 or 1.5.0-beta.2',
  )
  .max(64);

/** A base64 SHA-512 digest (88 characters, as electron-builder writes it). */
export const Sha512Base64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]{86}==$/, 'must be a base64-encoded SHA-512 digest (88 characters)');

/**
 * An artifact's file name as it appears in feed URLs: no path separators, no leading dot, so
 * it can never escape the artifact directory.
 */
export const ArtifactName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, 'must be a plain file name (letters, digits, . _ + -)');

/** One downloadable file of a release. `url` is absolute, or relative to the channel's feed URL. */
export const ReleaseFile = z.object({
  url: z
    .string()
    .min(1)
    .max(2000)
    .refine((u) => /^https?:\/\//i.test(u) || ArtifactName.safeParse(u).success, {
      message: 'must be an http(s) URL or a plain artifact file name',
    }),
  sha512: Sha512Base64,
  size: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
export type ReleaseFile = z.infer<typeof ReleaseFile>;

export const StagingPercentage = z.number().int().min(0).max(100);

export const CreateReleaseRequest = z.object({
  version: SemVer,
  channel: ReleaseChannel,
  /** May be empty when the files are uploaded afterwards as artifacts. */
  files: z.array(ReleaseFile).max(20).default([]),
  notes: z.string().max(20_000).optional(),
  /** Share of devices (0–100) that should take this release; absent means everyone. */
  stagingPercentage: StagingPercentage.optional(),
  /** Defaults to the time of registration. */
  releaseDate: z.iso.datetime({ offset: true }).optional(),
});
export type CreateReleaseRequest = z.infer<typeof CreateReleaseRequest>;

export const UpdateReleaseRequest = z
  .object({
    /** `null` removes staging: everyone gets the release. */
    stagingPercentage: StagingPercentage.nullable().optional(),
    notes: z.string().max(20_000).nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });
export type UpdateReleaseRequest = z.infer<typeof UpdateReleaseRequest>;

export const PromoteReleaseRequest = z.object({ channel: ReleaseChannel });

export const Release = z.object({
  id: z.string(),
  version: z.string(),
  channel: ReleaseChannel,
  files: z.array(ReleaseFile),
  notes: z.string().nullable(),
  stagingPercentage: z.number().int().nullable(),
  paused: z.boolean(),
  releaseDate: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Release = z.infer<typeof Release>;

export const ReleaseList = z.object({ releases: z.array(Release) });

export const ListReleasesQuery = z.object({ channel: ReleaseChannel.optional() });

export const ReleaseIdParams = z.object({ id: z.string().min(1).max(100) });

export const ArtifactParams = z.object({ id: z.string().min(1).max(100), name: ArtifactName });

/** What an artifact upload answers: the digest the server computed while storing the bytes. */
export const ArtifactUploaded = z.object({
  name: z.string(),
  sha512: z.string(),
  size: z.number().int(),
  /** The URL devices download it from (on the release's channel). */
  url: z.string(),
  release: Release,
});

/**
 * A room held at one version regardless of its channel (IT's escape hatch for a bad release).
 * Stored as the room's `pinnedVersion`; these endpoints check that the release exists.
 */
export const RoomUpdatePin = z.object({
  roomId: z.string(),
  version: z.string(),
});
export type RoomUpdatePin = z.infer<typeof RoomUpdatePin>;

export const PinRoomRequest = z.object({ version: SemVer });
export const RoomIdParams = z.object({ id: z.string().min(1).max(100) });
export const RoomUpdatePinList = z.object({ pins: z.array(RoomUpdatePin) });

/** Platforms of the feed files electron-updater asks for. */
export const FeedPlatform = z.enum(['windows', 'mac', 'linux', 'linux-arm64']);
export type FeedPlatform = z.infer<typeof FeedPlatform>;
