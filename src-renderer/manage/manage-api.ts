import { z } from 'zod';
import { ActivationCodeCreated, ActivationCodeSummary, type ActivationCodeCreate } from '../../src-shared/devices/activation.schema';
import { OAuthErrorBody, TokenResponse } from '../../src-shared/auth/api-clients.schema';
import { ApiError } from '../../src-shared/devices/common.schema';
import { Command, type CommandCreate } from '../../src-shared/devices/commands.schema';
import { Device } from '../../src-shared/devices/devices.schema';
import { DeviceHealth, FleetSummary } from '../../src-shared/devices/health.schema';
import { Room, type RoomCreate, type RoomMessageCreate as RoomMessageCreateSchema, type RoomUpdate } from '../../src-shared/devices/rooms.schema';
import { Theme } from '../../src-shared/devices/themes.schema';
import { KpiReport } from '../../src-shared/operations/kpis.schema';
import { StaffSessionError, type StaffSession } from '../ui/staff-session';

/**
 * The management page's HTTP client: the client-credentials sign-in (`POST /oauth/token`) and the
 * management API (`/management/v1/...`), same origin. Every answer is validated with the shared
 * contracts, and every failure becomes a value or a `ManageApiError` the page can word in Danish.
 *
 * Requests are authorised by a `ManageAuth`: a person's staff session (the usual way in, decision
 * 0015) or an API client's token (bootstrapping and automation, decision 0009).
 * Requests go with `credentials: 'omit'`: we authenticate with a bearer token only, and a 401 from
 * `/oauth/token` carries `WWW-Authenticate: Basic`, which would make the browser pop its own login
 * dialog over our form for a credentialed request.
 */

/** `fetch` as the page uses it; tests pass a fake. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** A signed-in session. Lives in React state only: never in localStorage, sessionStorage or cookies. */
export interface Session {
  accessToken: string;
  /** Epoch milliseconds after which the token is no longer accepted. */
  expiresAt: number;
}

/** Why a sign-in failed: an OAuth2 error code from the server, or what went wrong on the way. */
export type SignInFailure =
  | { kind: 'oauth'; code: OAuthErrorBody['error']; description?: string }
  | { kind: 'network' }
  | { kind: 'unexpected'; status: number };

export type SignInResult = { ok: true; session: Session } | { ok: false; failure: SignInFailure };

/** Leaves this much margin so a token is not used in the last seconds of its life. */
const EXPIRY_MARGIN_MS = 10_000;

/** Exchanges a management client's id and secret for an access token (RFC 6749 §4.4). */
export async function signIn(fetchImpl: FetchLike, clientId: string, clientSecret: string, now: number): Promise<SignInResult> {
  let res: Response;
  try {
    res = await fetchImpl('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    return { ok: false, failure: { kind: 'network' } };
  }
  const body = await res.json().catch(() => undefined);
  if (res.ok) {
    const token = TokenResponse.safeParse(body);
    if (!token.success) return { ok: false, failure: { kind: 'unexpected', status: res.status } };
    return {
      ok: true,
      session: { accessToken: token.data.access_token, expiresAt: now + token.data.expires_in * 1000 - EXPIRY_MARGIN_MS },
    };
  }
  const error = OAuthErrorBody.safeParse(body);
  if (!error.success) return { ok: false, failure: { kind: 'unexpected', status: res.status } };
  return { ok: false, failure: { kind: 'oauth', code: error.data.error, description: error.data.error_description } };
}

/**
 * A failed management request: `expired` (401 or a sign-in that has ended — sign in again),
 * `forbidden` (403: not a management admin, or outside the organisation), `unreachable` (no answer
 * at all), `failed` (anything else). `code` is the server's stable error code when it sent one;
 * the page words known codes itself and shows `message` (the server's) only for the rest.
 */
export class ManageApiError extends Error {
  constructor(
    readonly kind: 'expired' | 'forbidden' | 'unreachable' | 'failed',
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ManageApiError';
  }
}

/** How the page's requests carry a token. `fetch` throws `ManageApiError('expired')` once the sign-in has ended. */
export interface ManageAuth {
  fetch(url: string, init: RequestInit): Promise<Response>;
}

/** An API client's access token (client-credentials sign-in); it is never renewed, only expires. */
export function clientCredentialsAuth(session: Session, fetchImpl: FetchLike = (url, init) => fetch(url, init), now = () => Date.now()): ManageAuth {
  return {
    fetch(url, init) {
      if (now() >= session.expiresAt) return Promise.reject(new ManageApiError('expired', 'The access token has expired', 401));
      return fetchImpl(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${session.accessToken}` } });
    },
  };
}

/** A person's staff session: tokens renewed silently; an ended sign-in counts as expired. */
export function staffAuth(staff: Pick<StaffSession, 'fetch'>): ManageAuth {
  return {
    async fetch(url, init) {
      try {
        return await staff.fetch(url, init);
      } catch (err) {
        if (err instanceof StaffSessionError && err.code === 'signed_out') throw new ManageApiError('expired', err.message, 401);
        throw err;
      }
    },
  };
}

/** Everything the fleet view shows, read at one moment. */
export interface FleetSnapshot {
  /** Every device, revoked ones included (they stay listed so IT sees a revocation took effect). */
  devices: Device[];
  rooms: Room[];
  summary: FleetSummary;
}

/** Reads devices, rooms and the fleet summary in parallel; throws `ManageApiError`. */
export async function loadFleet(auth: ManageAuth, signal?: AbortSignal): Promise<FleetSnapshot> {
  const [devices, rooms, summary] = await Promise.all([
    call(auth, 'GET', '/management/v1/devices?includeRevoked=true', Device.array(), undefined, signal),
    call(auth, 'GET', '/management/v1/rooms', Room.array(), undefined, signal),
    call(auth, 'GET', '/management/v1/fleet/summary', FleetSummary, undefined, signal),
  ]);
  return { devices, rooms, summary };
}

/** The rooms IT manages and the themes it may give them (both scoped by the server, decision 0011). */
export async function loadRooms(auth: ManageAuth, signal?: AbortSignal): Promise<{ rooms: Room[]; themes: Theme[] }> {
  const [rooms, themes] = await Promise.all([
    call(auth, 'GET', '/management/v1/rooms', Room.array(), undefined, signal),
    call(auth, 'GET', '/management/v1/themes', Theme.array(), undefined, signal),
  ]);
  return { rooms, themes };
}

const roomUrl = (id: string) => `/management/v1/rooms/${encodeURIComponent(id)}`;

export const createRoom = (auth: ManageAuth, input: RoomCreate) => call(auth, 'POST', '/management/v1/rooms', Room, input);
export const updateRoom = (auth: ManageAuth, id: string, patch: RoomUpdate) => call(auth, 'PATCH', roomUrl(id), Room, patch);
export const deleteRoom = (auth: ManageAuth, id: string) => call(auth, 'DELETE', roomUrl(id), z.undefined());

/** `connectedDevices`: how many of the room's screens have the message now. */
const RoomMessageSent = z.object({ id: z.string(), connectedDevices: z.number().int() });
export const sendRoomMessage = (auth: ManageAuth, roomId: string, message: z.input<typeof RoomMessageCreateSchema>) =>
  call(auth, 'POST', `${roomUrl(roomId)}/messages`, RoomMessageSent, message);

export const listActivationCodes = (auth: ManageAuth, roomId: string, signal?: AbortSignal) =>
  call(auth, 'GET', `${roomUrl(roomId)}/activation-codes`, ActivationCodeSummary.array(), undefined, signal);
export const createActivationCode = (auth: ManageAuth, roomId: string, input: ActivationCodeCreate) =>
  call(auth, 'POST', `${roomUrl(roomId)}/activation-codes`, ActivationCodeCreated, input);
export const revokeActivationCode = (auth: ManageAuth, roomId: string, codeId: string) =>
  call(auth, 'POST', `${roomUrl(roomId)}/activation-codes/${encodeURIComponent(codeId)}/revoke`, ActivationCodeSummary);

const deviceUrl = (id: string) => `/management/v1/devices/${encodeURIComponent(id)}`;

export const loadDevice = (auth: ManageAuth, id: string, signal?: AbortSignal) => call(auth, 'GET', deviceUrl(id), Device, undefined, signal);
export const loadRoom = (auth: ManageAuth, id: string, signal?: AbortSignal) => call(auth, 'GET', roomUrl(id), Room, undefined, signal);
/** The device's heartbeat series between `from` and `to` (at most 31 days). */
export const loadHealth = (auth: ManageAuth, id: string, range: { from: string; to: string }, signal?: AbortSignal) =>
  call(auth, 'GET', `${deviceUrl(id)}/health?${new URLSearchParams(range)}`, DeviceHealth, undefined, signal);
export const listCommands = (auth: ManageAuth, id: string, signal?: AbortSignal) => call(auth, 'GET', `${deviceUrl(id)}/commands`, Command.array(), undefined, signal);
export const sendCommand = (auth: ManageAuth, id: string, command: CommandCreate) => call(auth, 'POST', `${deviceUrl(id)}/commands`, Command, command);

/** The monthly KPIs from `from` to `to` (`YYYY-MM`, inclusive), within the caller's organisation subtree. */
export const loadKpis = (auth: ManageAuth, range: { from: string; to: string }, signal?: AbortSignal) =>
  call(auth, 'GET', `/management/v1/kpis?${new URLSearchParams(range)}`, KpiReport, undefined, signal);

/** One request, its answer validated against `schema` (`z.undefined()` for an empty 204). */
async function call<T>(auth: ManageAuth, method: string, url: string, schema: z.ZodType<T>, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await auth.fetch(url, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      signal,
    });
  } catch (err) {
    if (signal?.aborted || err instanceof ManageApiError) throw err;
    throw new ManageApiError('unreachable', 'The server does not answer');
  }
  const text = await res.text().catch(() => '');
  let parsedBody: unknown;
  try {
    parsedBody = text ? JSON.parse(text) : undefined;
  } catch {
    parsedBody = undefined;
  }
  if (!res.ok) {
    const error = ApiError.safeParse(parsedBody).data?.error;
    const kind = res.status === 401 ? 'expired' : res.status === 403 ? 'forbidden' : 'failed';
    throw new ManageApiError(kind, error?.message ?? `HTTP ${res.status}`, res.status, error?.code);
  }
  const parsed = schema.safeParse(parsedBody);
  if (!parsed.success) throw new ManageApiError('failed', `Unexpected answer from ${url.split('?')[0]}`, res.status);
  return parsed.data;
}
