import { z } from 'zod';
import { EntityId, Timestamp } from './common.schema';

/** The remote commands a room device obeys. */
export const CommandType = z.enum([
  'restart_app',
  'reload_ui',
  'check_update',
  'show_message',
  'join_meeting',
  'leave_meeting',
  'collect_logs',
  'reprovision',
]);
export type CommandType = z.infer<typeof CommandType>;

const NoArgs = z.object({}).strict().default({});

/** Arguments per command type; anything else is refused. */
export const CommandArgs = {
  restart_app: NoArgs,
  reload_ui: NoArgs,
  check_update: NoArgs,
  show_message: z
    .object({
      text: z.string().trim().min(1).max(500),
      severity: z.enum(['info', 'warning']).default('info'),
      /** How long the message stays on screen; default until the command expires. */
      durationSeconds: z.number().int().min(1).max(86_400).optional(),
    })
    .strict(),
  join_meeting: z
    .object({
      alias: z.string().trim().min(1).max(256),
      /** The PIN for the room's role, when the meeting has one. */
      pin: z.string().regex(/^\d{4,12}$/).optional(),
      displayName: z.string().max(100).optional(),
    })
    .strict(),
  leave_meeting: NoArgs,
  collect_logs: z
    .object({
      /** Only log lines newer than this many minutes. */
      sinceMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
      maxLines: z.number().int().min(1).max(5000).default(1000),
    })
    .strict()
    .default({ sinceMinutes: 60, maxLines: 1000 }),
  reprovision: z
    .object({
      /** Wipe the stored credential and show the activation screen again (default true). */
      wipeCredentials: z.boolean().default(true),
    })
    .strict()
    .default({ wipeCredentials: true }),
} satisfies Record<CommandType, z.ZodType>;

const commandOf = <T extends CommandType>(type: T) =>
  z.object({
    type: z.literal(type),
    args: CommandArgs[type],
    /** Default 24 hours from now; must be in the future, at most 30 days ahead. */
    expiresAt: Timestamp.optional(),
  });

/** `POST /management/v1/devices/{id}/commands`. */
export const CommandCreate = z.discriminatedUnion('type', [
  commandOf('restart_app'),
  commandOf('reload_ui'),
  commandOf('check_update'),
  commandOf('show_message'),
  commandOf('join_meeting'),
  commandOf('leave_meeting'),
  commandOf('collect_logs'),
  commandOf('reprovision'),
]);
export type CommandCreate = z.input<typeof CommandCreate>;

/**
 * A command's life:
 *
 *   queued ──(written to the device's event stream)──▶ delivered ──(device result)──▶ succeeded | failed
 *      └───────────────(expiresAt passes before a result)──────────┴──▶ expired
 */
export const CommandStatus = z.enum(['queued', 'delivered', 'succeeded', 'failed', 'expired']);
export type CommandStatus = z.infer<typeof CommandStatus>;

/** `POST /device/v1/me/commands/{id}/result`. `detail` carries e.g. collected logs (≤ 64 KiB). */
export const CommandResult = z.object({
  status: z.enum(['succeeded', 'failed']),
  detail: z.string().max(64 * 1024).optional(),
});
export type CommandResult = z.infer<typeof CommandResult>;

/** A command as management sees it. */
export const Command = z.object({
  id: EntityId,
  deviceId: EntityId,
  type: CommandType,
  args: z.record(z.string(), z.unknown()),
  status: CommandStatus,
  createdAt: Timestamp,
  createdBy: z.string(),
  expiresAt: Timestamp,
  deliveredAt: Timestamp.nullable(),
  completedAt: Timestamp.nullable(),
  result: CommandResult.nullable(),
});
export type Command = z.infer<typeof Command>;
