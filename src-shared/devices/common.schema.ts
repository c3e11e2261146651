import { z } from 'zod';

/**
 * Building blocks shared by the device and management contracts of the device fleet
 * (`/device/v1/...`, `/management/v1/...`). Every body the device agent sends or receives is
 * defined in this folder; the agent and the server both validate with these schemas.
 */

/** Ids we hand out (rooms, devices, themes, commands): opaque text, UUIDs today. */
export const EntityId = z.string().min(1).max(64);

/** ISO-8601 timestamp with offset, e.g. `2026-03-02T08:00:00.000Z` (UTC when we produce it). */
export const Timestamp = z.iso.datetime({ offset: true });

/** A released app version (semver, optionally with pre-release/build). */
export const AppVersion = z
  .string()
  .min(1)
  .max(64)
  .regex(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]*)?$/, 'must be a semantic version such as 1.4.2');

/** Update channels a room follows (`/updates/{channel}/`). */
export const UpdateChannel = z.enum(['stable', 'beta']);
export type UpdateChannel = z.infer<typeof UpdateChannel>;

/** UI languages of the room app. Danish is the default everywhere. */
export const Locale = z.enum(['da', 'en']);
export type Locale = z.infer<typeof Locale>;

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;

const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');

/**
 * When a room's device may restart or install updates: weekly slots in a named time zone.
 * A slot whose `end` is not after `start` runs past midnight (e.g. 22:00–02:00).
 */
export const MaintenanceWindow = z.object({
  timeZone: z
    .string()
    .min(1)
    .max(64)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Copenhagen')
    .default('Europe/Copenhagen'),
  slots: z
    .array(z.object({ days: z.array(Weekday).min(1).max(7), start: HhMm, end: HhMm }))
    .max(14),
});
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

/** Every night 02:00–05:00 Copenhagen time. */
export const DEFAULT_MAINTENANCE_WINDOW: MaintenanceWindow = {
  timeZone: 'Europe/Copenhagen',
  slots: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '02:00', end: '05:00' }],
};

/** Our own APIs' error body. */
export const ApiError = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});
