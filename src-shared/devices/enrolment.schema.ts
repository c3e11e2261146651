import { z } from 'zod';
import { ActivationCodeInput } from './activation.schema';
import { AppVersion, EntityId } from './common.schema';

/** What the device says about its operating system (heartbeats repeat it). */
export const OsInfo = z.object({
  /** `linux`, `win32`, `darwin`. */
  platform: z.string().min(1).max(32),
  release: z.string().max(128),
  arch: z.string().max(32).optional(),
  /** e.g. `Debian GNU/Linux 12 (bookworm)`. */
  name: z.string().max(200).optional(),
});
export type OsInfo = z.infer<typeof OsInfo>;

export const HardwareInfo = z.object({
  vendor: z.string().max(200).optional(),
  model: z.string().max(200).optional(),
  serialNumber: z.string().max(200).optional(),
  cpuModel: z.string().max(200).optional(),
  cpuCores: z.number().int().min(1).max(1024).optional(),
  memoryBytes: z.number().int().nonnegative().optional(),
});
export type HardwareInfo = z.infer<typeof HardwareInfo>;

/**
 * Enrolment is the first thing a new kiosk image does, often from a provisioning script; the
 * descriptive `os`/`hardware` parts accept a plain string too (`"linux"`, `"Dell OptiPlex 7000"`)
 * and an object without `release`, rather than failing a room's set-up on a detail.
 */
const EnrollOs = z.union([
  OsInfo.extend({ release: z.string().max(128).default('') }),
  z
    .string()
    .min(1)
    .max(200)
    .transform((platform) => ({ platform: platform.slice(0, 32), release: '' })),
]);
const EnrollHardware = z.union([
  HardwareInfo,
  z
    .string()
    .max(200)
    .transform((model) => (model ? { model } : {})),
]);

/**
 * `POST /device/v1/enroll` (no token: the activation code is the credential).
 * `machineIdHash` identifies the machine (a hash of the OS machine id, never the raw id);
 * `installId` is a random id the app generated at first start, so machines cloned from one image
 * (same machine id) are still told apart.
 */
export const EnrollRequest = z.object({
  activationCode: ActivationCodeInput,
  machineIdHash: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'must be 16–128 hex/base64url characters'),
  installId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 characters [A-Za-z0-9_-]'),
  hostname: z.string().min(1).max(253),
  hardware: EnrollHardware.default({}),
  os: EnrollOs,
  appVersion: AppVersion,
});
export type EnrollRequest = z.input<typeof EnrollRequest>;

/** The device's credential; `clientSecret` is shown only here and belongs in the OS keychain. */
export const EnrollResponse = z.object({
  deviceId: EntityId,
  clientId: z.string(),
  clientSecret: z.string(),
  /** Base URL of this server (token endpoint `${serverUrl}/oauth/token`). */
  serverUrl: z.string(),
  /** OAuth2 scope to request with client credentials. */
  scope: z.literal('device'),
  room: z.object({ id: EntityId, name: z.string(), organisationCode: z.string() }),
});
export type EnrollResponse = z.infer<typeof EnrollResponse>;

/** `POST /management/v1/devices/{id}/rotate`: a new secret; the old one stops working at once. */
export const CredentialRotated = z.object({ deviceId: EntityId, clientId: z.string(), clientSecret: z.string() });
export type CredentialRotated = z.infer<typeof CredentialRotated>;
