/**
 * Provisioning: turning an activation code into a stored device credential.
 *
 * - Input: a code typed on the screen (with the server the app was started against), the
 *   `vdxroom://activate?server=<url>&code=<code>` URL (QR code, link, OS protocol handler), or
 *   zero-touch from `VDX_ACTIVATION_CODE` + `VDX_SERVER_URL` or `{appData}/provisioning.json`.
 * - Identity sent with enrolment: SHA-256 of the OS machine id (the raw id never leaves the device)
 *   and a random install id generated once and kept in the settings store, so machines cloned from
 *   one image (same machine id) are still told apart.
 * - The credential (client id + secret) goes to the {@link SecretStore} only; the settings store
 *   keeps the non-secret facts (server URL, device id).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { normaliseActivationCode } from '../../../src-shared/devices/activation.schema';
import type { AppConfig } from '../config/app-config';
import type { DeviceCredentials } from '../server/device-api';
import { normaliseServerUrl } from '../server/device-api';
import type { SecretStore, SettingsStore } from '../platform/platform';

/** Keychain entries (service `dk.medcom.vdxroom`, these accounts). */
export const SECRET_KEYS = { clientId: 'device-client-id', clientSecret: 'device-client-secret' } as const;
const INSTALL_ID_KEY = 'installId';
const ENROLMENT_KEY = 'enrolment';

/** What the settings store remembers about the enrolment (nothing secret). */
export const EnrolmentRecord = z.object({
  serverUrl: z.string(),
  deviceId: z.string(),
  roomId: z.string(),
  roomName: z.string(),
  organisationCode: z.string(),
  enrolledAt: z.string(),
});
export type EnrolmentRecord = z.infer<typeof EnrolmentRecord>;

export interface ActivationRequest {
  serverUrl: string;
  code: string;
}

/** Parses `vdxroom://activate?server=...&code=...`; null when it is not such a URL. */
export function parseActivationUrl(url: string): ActivationRequest | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'vdxroom:') return null;
  // `vdxroom://activate?...`: WHATWG puts "activate" in host; tolerate `vdxroom:activate?...` too.
  const action = (parsed.host || parsed.pathname).replace(/^\/+|\/+$/g, '');
  if (action !== 'activate') return null;
  const server = parsed.searchParams.get('server');
  const code = parsed.searchParams.get('code');
  if (!server || !code) return null;
  try {
    return { serverUrl: normaliseServerUrl(server), code: normaliseActivationCode(code) };
  } catch {
    return null;
  }
}

/** `vdxroom://join?alias=...&pin=...` (desktop links); null otherwise. */
export function parseJoinUrl(url: string): { alias: string; pin: string | null } | null {
  try {
    const parsed = new URL(url);
    const action = (parsed.host || parsed.pathname).replace(/^\/+|\/+$/g, '');
    if (parsed.protocol !== 'vdxroom:' || action !== 'join') return null;
    const alias = parsed.searchParams.get('alias') ?? parsed.searchParams.get('conference');
    return alias ? { alias, pin: parsed.searchParams.get('pin') } : null;
  } catch {
    return null;
  }
}

/** SHA-256 (hex) of the raw machine id: stable per machine, useless to anyone who sees it. */
export function hashMachineId(raw: string): string {
  return createHash('sha256').update(`vdxroom:${raw.trim().toLowerCase()}`).digest('hex');
}

/** The install id, created on first use and kept. */
export function installId(store: SettingsStore): string {
  const existing = store.get(INSTALL_ID_KEY);
  if (typeof existing === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(existing)) return existing;
  const fresh = randomBytes(18).toString('base64url');
  store.set(INSTALL_ID_KEY, fresh);
  return fresh;
}

/** Zero-touch source: the environment first, then `{appDataDir}/provisioning.json`. */
export function zeroTouchActivation(config: Pick<AppConfig, 'serverUrl' | 'activationCode'>, appDataDir: string): ActivationRequest | null {
  if (config.activationCode && config.serverUrl) return { serverUrl: config.serverUrl, code: config.activationCode };
  const file = join(appDataDir, 'provisioning.json');
  if (!existsSync(file)) return null;
  const parsed = z
    .object({ serverUrl: z.string(), activationCode: z.string() })
    .safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: expected {"serverUrl", "activationCode"}`);
  return { serverUrl: normaliseServerUrl(parsed.data.serverUrl), code: normaliseActivationCode(parsed.data.activationCode) };
}

/** The stored enrolment and credential, or null when the device is not (fully) enrolled. */
export async function loadEnrolment(
  settings: SettingsStore,
  secrets: SecretStore,
): Promise<{ record: EnrolmentRecord; credentials: DeviceCredentials } | null> {
  const record = EnrolmentRecord.safeParse(settings.get(ENROLMENT_KEY));
  if (!record.success) return null;
  const [clientId, clientSecret] = await Promise.all([secrets.get(SECRET_KEYS.clientId), secrets.get(SECRET_KEYS.clientSecret)]);
  if (!clientId || !clientSecret) return null;
  return { record: record.data, credentials: { deviceId: record.data.deviceId, clientId, clientSecret } };
}

export async function saveEnrolment(
  settings: SettingsStore,
  secrets: SecretStore,
  record: EnrolmentRecord,
  credentials: { clientId: string; clientSecret: string },
): Promise<void> {
  // Secret first: a crash in between leaves "no record" (= not enrolled), never a record without its secret.
  await secrets.set(SECRET_KEYS.clientId, credentials.clientId);
  await secrets.set(SECRET_KEYS.clientSecret, credentials.clientSecret);
  settings.set(ENROLMENT_KEY, record);
}

export async function wipeEnrolment(settings: SettingsStore, secrets: SecretStore): Promise<void> {
  settings.delete(ENROLMENT_KEY);
  await secrets.delete(SECRET_KEYS.clientSecret);
  await secrets.delete(SECRET_KEYS.clientId);
}
