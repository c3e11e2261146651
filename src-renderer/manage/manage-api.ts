import type { z } from 'zod';
import { OAuthErrorBody, TokenResponse } from '../../src-shared/auth/api-clients.schema';
import { ApiError } from '../../src-shared/devices/common.schema';
import { Device } from '../../src-shared/devices/devices.schema';
import { FleetSummary } from '../../src-shared/devices/health.schema';
import { Room } from '../../src-shared/devices/rooms.schema';

/**
 * The management page's HTTP client: the client-credentials sign-in (`POST /oauth/token`) and the
 * fleet reads (`/management/v1/...`), same origin. Every answer is validated with the shared
 * contracts, and every failure becomes a value or a `ManageApiError` the page can word in Danish.
 *
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
 * A failed management read: `expired` (401: the token is no longer accepted — sign in again),
 * `forbidden` (403: the client is not a management admin), `unreachable` (no answer at all),
 * `failed` (anything else; the message is the server's).
 */
export class ManageApiError extends Error {
  constructor(
    readonly kind: 'expired' | 'forbidden' | 'unreachable' | 'failed',
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ManageApiError';
  }
}

/** Everything the fleet view shows, read at one moment. */
export interface FleetSnapshot {
  /** Every device, revoked ones included (they stay listed so IT sees a revocation took effect). */
  devices: Device[];
  rooms: Room[];
  summary: FleetSummary;
}

/** Reads devices, rooms and the fleet summary in parallel; throws `ManageApiError`. */
export async function loadFleet(fetchImpl: FetchLike, session: Session, now: number, signal?: AbortSignal): Promise<FleetSnapshot> {
  if (now >= session.expiresAt) throw new ManageApiError('expired', 'The access token has expired', 401);
  const get = <T>(url: string, schema: z.ZodType<T>) => getJson(fetchImpl, session.accessToken, url, schema, signal);
  const [devices, rooms, summary] = await Promise.all([
    get('/management/v1/devices?includeRevoked=true', Device.array()),
    get('/management/v1/rooms', Room.array()),
    get('/management/v1/fleet/summary', FleetSummary),
  ]);
  return { devices, rooms, summary };
}

async function getJson<T>(fetchImpl: FetchLike, token: string, url: string, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetchImpl(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      credentials: 'omit',
      cache: 'no-store',
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ManageApiError('unreachable', 'The server does not answer');
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const message = ApiError.safeParse(body).data?.error.message ?? `HTTP ${res.status}`;
    const kind = res.status === 401 ? 'expired' : res.status === 403 ? 'forbidden' : 'failed';
    throw new ManageApiError(kind, message, res.status);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ManageApiError('failed', `Unexpected answer from ${url.split('?')[0]}`, res.status);
  return parsed.data;
}
