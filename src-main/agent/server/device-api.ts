/**
 * The agent's HTTP client for its server: enrolment, OAuth2 client-credentials tokens (scope
 * `device`), and the `/device/v1/me/...` endpoints. Every body is validated with the shared schemas.
 *
 * Failures are {@link ServerCallError}s with a `kind` the agent branches on:
 * - `offline`: no HTTP answer (connection refused, DNS, timeout) — keep cached state, buffer, retry;
 * - `unauthorized`: the credential is revoked/unknown (token endpoint `invalid_client`, or 401 with a
 *   fresh token) — go back to the activation screen;
 * - `http`: any other error answer, with the server's `{error:{code,message}}`.
 */
import { TokenResponse } from '../../../src-shared/auth/api-clients.schema';
import { CommandResult } from '../../../src-shared/devices/commands.schema';
import { DeviceConfig } from '../../../src-shared/devices/devices.schema';
import { EnrollResponse, type EnrollRequest } from '../../../src-shared/devices/enrolment.schema';
import { HeartbeatAck, type CallSummary, type Heartbeat } from '../../../src-shared/devices/heartbeat.schema';
import type { Clock } from '../../../src-shared/platform/clock';
import type { HttpFetch } from '../platform/platform';
import type { z } from 'zod';

export class ServerCallError extends Error {
  constructor(
    readonly kind: 'offline' | 'unauthorized' | 'http',
    message: string,
    readonly status: number | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'ServerCallError';
  }
}

export interface DeviceCredentials {
  deviceId: string;
  clientId: string;
  clientSecret: string;
}

const REQUEST_TIMEOUT_MS = 15_000;

/** Normalises a server URL: no trailing slash; only http(s). */
export function normaliseServerUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`Not an http(s) URL: ${url}`);
  return parsed.toString().replace(/\/+$/, '');
}

async function send(fetchImpl: HttpFetch, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchImpl(url, { ...init, signal: init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    throw new ServerCallError('offline', `${init.method ?? 'GET'} ${new URL(url).pathname}: ${(err as Error).message}`);
  }
}

async function errorFrom(response: Response, what: string): Promise<ServerCallError> {
  let code: string | null = null;
  let message = `${what}: HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { error?: unknown; error_description?: string };
    if (typeof body.error === 'string') {
      code = body.error; // OAuth2 error body
      if (body.error_description) message += ` ${body.error_description}`;
    } else if (body.error && typeof body.error === 'object') {
      const e = body.error as { code?: string; message?: string };
      code = e.code ?? null;
      if (e.message) message += ` ${e.message}`;
    }
  } catch {
    // not JSON; the status says enough
  }
  return new ServerCallError('http', message, response.status, code);
}

/** `POST /device/v1/enroll` — no token; the activation code is the credential. */
export async function enroll(fetchImpl: HttpFetch, serverUrl: string, body: EnrollRequest): Promise<EnrollResponse> {
  const response = await send(fetchImpl, `${serverUrl}/device/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await errorFrom(response, 'enroll');
  return EnrollResponse.parse(await response.json());
}

/** A schedule answer: new content, or 304 for the ETag we sent. */
export type ScheduleFetch = { notModified: true } | { notModified: false; etag: string | null; body: unknown };

/**
 * The authenticated device client. Tokens are fetched on demand, cached until a minute before they
 * expire, and refetched once when the server answers 401 (a rotated signing key, a restart).
 */
export class DeviceApi {
  #token: { value: string; expiresAt: number } | null = null;
  #tokenInFlight: Promise<string> | null = null;

  constructor(
    readonly serverUrl: string,
    private readonly credentials: DeviceCredentials,
    private readonly fetchImpl: HttpFetch,
    private readonly clock: Clock,
  ) {}

  get deviceId(): string {
    return this.credentials.deviceId;
  }

  /** A valid access token (fetching one if needed). */
  async token(): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.#token && this.#token.expiresAt - 60_000 > now) return this.#token.value;
    this.#tokenInFlight ??= this.#fetchToken().finally(() => {
      this.#tokenInFlight = null;
    });
    return this.#tokenInFlight;
  }

  async #fetchToken(): Promise<string> {
    const basic = Buffer.from(
      `${encodeURIComponent(this.credentials.clientId)}:${encodeURIComponent(this.credentials.clientSecret)}`,
    ).toString('base64');
    const response = await send(this.fetchImpl, `${this.serverUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'device' }).toString(),
    });
    if (!response.ok) {
      const err = await errorFrom(response, 'token');
      if (err.code === 'invalid_client' || err.code === 'unauthorized_client') {
        throw new ServerCallError('unauthorized', err.message, err.status, err.code);
      }
      throw err;
    }
    const body = TokenResponse.parse(await response.json());
    this.#token = { value: body.access_token, expiresAt: this.clock.now().getTime() + body.expires_in * 1000 };
    return body.access_token;
  }

  /** An authenticated request; retries once with a fresh token on 401. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.token();
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      const response = await send(this.fetchImpl, `${this.serverUrl}${path}`, { ...init, headers });
      if (response.status !== 401) return response;
      this.#token = null;
      if (attempt >= 1) {
        throw new ServerCallError('unauthorized', `${path}: the server refused the device token`, 401, 'unauthorized');
      }
    }
  }

  async #json<T extends z.ZodType>(path: string, schema: T, init: RequestInit = {}): Promise<z.output<T>> {
    const response = await this.request(path, init);
    if (!response.ok) throw await errorFrom(response, path);
    return schema.parse(await response.json());
  }

  #post(body: unknown): RequestInit {
    return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  }

  config(): Promise<DeviceConfig> {
    return this.#json('/device/v1/me/config', DeviceConfig);
  }

  async schedule(range: { from: string; to: string }, etag: string | null): Promise<ScheduleFetch> {
    const query = new URLSearchParams(range).toString();
    const response = await this.request(`/device/v1/me/schedule?${query}`, {
      headers: etag ? { 'if-none-match': etag } : {},
    });
    if (response.status === 304) return { notModified: true };
    if (!response.ok) throw await errorFrom(response, 'schedule');
    return { notModified: false, etag: response.headers.get('etag'), body: await response.json() };
  }

  heartbeat(heartbeat: Heartbeat): Promise<HeartbeatAck> {
    return this.#json('/device/v1/me/heartbeat', HeartbeatAck, this.#post(heartbeat));
  }

  async callSummary(summary: CallSummary): Promise<void> {
    const response = await this.request('/device/v1/me/call-summaries', this.#post(summary));
    if (!response.ok) throw await errorFrom(response, 'call-summaries');
  }

  async commandResult(commandId: string, result: CommandResult): Promise<void> {
    const response = await this.request(
      `/device/v1/me/commands/${encodeURIComponent(commandId)}/result`,
      this.#post(CommandResult.parse(result)),
    );
    // 404/409: the command expired or was answered already; nothing more to do for it.
    if (!response.ok && response.status !== 404 && response.status !== 409) {
      throw await errorFrom(response, 'command result');
    }
  }

  /** Opens the event stream (the caller reads the body). */
  events(lastEventId: string | null, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    return this.request('/device/v1/me/events', { headers, signal });
  }
}
