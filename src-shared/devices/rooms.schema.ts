import { z } from 'zod';
import { AppVersion, EntityId, MaintenanceWindow, Timestamp, UpdateChannel } from './common.schema';

/** `POST /management/v1/rooms`. Defaults: the caller's organisation, nightly window, stable channel. */
export const RoomCreate = z.object({
  name: z.string().trim().min(1).max(200),
  organisationCode: z.string().min(1).max(64).optional(),
  location: z.string().trim().max(500).nullable().optional(),
  themeId: EntityId.nullable().optional(),
  /** A fixed VMR the room always dials, e.g. `afd-12@vdx.dk`; null when meetings say where to go. */
  fixedVmrAlias: z.string().trim().min(1).max(200).nullable().optional(),
  maintenanceWindow: MaintenanceWindow.optional(),
  updateChannel: UpdateChannel.optional(),
  /** Keep the room on exactly this app version (null follows the channel). */
  pinnedVersion: AppVersion.nullable().optional(),
  /** Privacy: whether the kiosk shows meeting subjects (off shows only times). */
  showSubjects: z.boolean().optional(),
});
export type RoomCreate = z.infer<typeof RoomCreate>;

/** `PATCH /management/v1/rooms/{id}`: any subset of the creation fields. */
export const RoomUpdate = RoomCreate.omit({ organisationCode: true }).partial();
export type RoomUpdate = z.infer<typeof RoomUpdate>;

export const Room = z.object({
  id: EntityId,
  name: z.string(),
  organisationCode: z.string(),
  location: z.string().nullable(),
  themeId: EntityId.nullable(),
  fixedVmrAlias: z.string().nullable(),
  maintenanceWindow: MaintenanceWindow,
  updateChannel: UpdateChannel,
  pinnedVersion: z.string().nullable(),
  showSubjects: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Room = z.infer<typeof Room>;

export const RoomListQuery = z.object({ organisationCode: z.string().min(1).max(64).optional() });

/** `POST /management/v1/rooms/{id}/messages`: text shown on the room's screens until it expires. */
export const RoomMessageCreate = z.object({
  text: z.string().trim().min(1).max(500),
  severity: z.enum(['info', 'warning']).default('info'),
  /** Default: 1 hour from now; at most 7 days ahead. */
  expiresAt: Timestamp.optional(),
});
export type RoomMessageCreate = z.infer<typeof RoomMessageCreate>;
