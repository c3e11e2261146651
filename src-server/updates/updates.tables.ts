/**
 * Tables of the update capability (migration 0500). Timestamps ISO-8601 UTC text, booleans 0/1,
 * JSON in text — the portability rules of `db/database.ts`.
 */

/** A version IT published on a channel. One row per version: promoting moves it to another channel. */
export interface ReleaseTable {
  id: string;
  /** Semantic version, unique. */
  version: string;
  /** `stable` | `beta`. */
  channel: string;
  /** JSON `ReleaseFile[]`: url (absolute, or an uploaded artifact's name), sha512, size. */
  files: string;
  notes: string | null;
  /** 0–100, or null for everyone. */
  staging_percentage: number | null;
  /** 1 while IT has stopped the rollout: the feed then serves the previous release. */
  paused: number;
  release_date: string;
  created_at: string;
  updated_at: string;
}

/** A file uploaded for a release, stored under the artifact directory. */
export interface ReleaseArtifactTable {
  release_id: string;
  /** The file name in feed URLs; unique across all releases so a URL names one file. */
  name: string;
  /** Base64 SHA-512 computed by the server while storing the upload. */
  sha512: string;
  size: number;
  /** Path relative to the artifact directory (never derived from the name, so uploads cannot collide). */
  stored_path: string;
  created_at: string;
}


export interface UpdateTables {
  releases: ReleaseTable;
  release_artifacts: ReleaseArtifactTable;
}
