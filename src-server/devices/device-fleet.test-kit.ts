import { request as httpRequest, type IncomingMessage } from 'node:http';
import { expect } from 'vitest';
import { Device } from '../../src-shared/devices/devices.schema';
import type { TestApp } from '../test-support/test-app';
import { authHeader } from '../test-support/tokens';

type Headers = Record<string, string>;

/** Small builders for device-fleet tests: an admin, a room, a code, an enrolled device with its token. */

export async function adminHeaders(t: TestApp): Promise<{ authorization: string }> {
  return authHeader(t, { roles: [], organisation: t.config.bootstrapOrganisation, managementAdmin: true });
}

export async function createRoom(t: TestApp, admin: Headers, body: Record<string, unknown> = {}) {
  const res = await t.app.inject({ method: 'POST', url: '/management/v1/rooms', headers: admin, payload: { name: 'Mødelokale 1', ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; name: string };
}

export async function createCode(t: TestApp, admin: Headers, roomId: string, body: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/management/v1/rooms/${roomId}/activation-codes`,
    headers: admin,
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; code: string; url: string; expiresAt: string };
}

let machineCounter = 0;
export function enrolBody(code: string, over: Record<string, unknown> = {}) {
  machineCounter++;
  return {
    activationCode: code,
    machineIdHash: `${'ab'.repeat(16)}${String(machineCounter).padStart(8, '0')}`,
    installId: `install-${machineCounter}-${Math.random().toString(36).slice(2, 10)}`,
    hostname: `kiosk-${machineCounter}`,
    hardware: { vendor: 'Intel', model: 'NUC', cpuCores: 4 },
    os: { platform: 'linux', release: '6.1.0', arch: 'x64' },
    appVersion: '1.2.3',
    ...over,
  };
}

export interface EnrolledDevice {
  deviceId: string;
  clientId: string;
  clientSecret: string;
  roomId: string;
  headers: { authorization: string };
}

/** Enrols through the public API and fetches a device token from POST /oauth/token. */
export async function enrolDevice(
  t: TestApp,
  admin: Headers,
  roomId?: string,
  over: Record<string, unknown> = {},
): Promise<EnrolledDevice> {
  const room = roomId ?? (await createRoom(t, admin)).id;
  const { code } = await createCode(t, admin, room);
  const res = await t.app.inject({ method: 'POST', url: '/device/v1/enroll', payload: enrolBody(code, over) });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json() as { deviceId: string; clientId: string; clientSecret: string };
  const token = await deviceToken(t, body.clientId, body.clientSecret);
  expect(token.status, JSON.stringify(token.body)).toBe(200);
  return { ...body, roomId: room, headers: { authorization: `Bearer ${token.body.access_token}` } };
}

export async function deviceToken(t: TestApp, clientId: string, clientSecret: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'device' }).toString(),
  });
  return { status: res.statusCode, body: res.json() as { access_token: string; scope: string } };
}

export function heartbeatBody(over: Record<string, unknown> = {}) {
  const device = (label: string) => ({ id: label, label, selected: true });
  return {
    appVersion: '1.2.3',
    os: { platform: 'linux', release: '6.1.0' },
    uptimeSeconds: 3600,
    cpu: { loadPercent: 12 },
    memory: { totalBytes: 8e9, usedBytes: 2e9 },
    disk: { totalBytes: 100e9, freeBytes: 60e9 },
    network: { serverReachable: true, latencyMs: 12 },
    peripherals: { cameras: [device('cam')], microphones: [device('mic')], speakers: [device('spk')] },
    callState: { state: 'idle' },
    update: { state: 'idle' },
    recentErrors: [],
    ...over,
  };
}

/** Posts a heartbeat (`heartbeatBody` with overrides) with the device's token. */
export function sendHeartbeat(t: TestApp, d: EnrolledDevice, over: Record<string, unknown> = {}) {
  return t.app.inject({ method: 'POST', url: '/device/v1/me/heartbeat', headers: d.headers, payload: heartbeatBody(over) });
}

/** A device as management shows it (`GET /management/v1/devices/{id}`), checked against the contract. */
export async function getDevice(t: TestApp, admin: Headers, id: string): Promise<Device> {
  const res = await t.app.inject({ method: 'GET', url: `/management/v1/devices/${id}`, headers: admin });
  expect(res.statusCode, res.body).toBe(200);
  return Device.parse(res.json());
}

/** One parsed server-sent event. */
export interface SseEvent {
  id?: string;
  event: string;
  data: unknown;
}

/**
 * A real HTTP event-stream client (app.inject does not stream). Collects events and comments;
 * `next` waits — bounded — for one matching a predicate.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  status = 0;
  ended = false;
  #buffer = '';
  #waiters: (() => void)[] = [];
  #res?: IncomingMessage;
  #req?: ReturnType<typeof httpRequest>;

  /** Opens the device's stream, or the one at `path` (e.g. `/management/v1/events`). */
  static open(baseUrl: string, headers: Record<string, string>, path = '/device/v1/me/events'): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${baseUrl}${path}`, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        client.status = res.statusCode ?? 0;
        client.#res = res;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.#feed(chunk));
        res.on('end', () => client.#end());
        res.on('close', () => client.#end());
        resolve(client);
      });
      client.#req = req;
      req.on('error', (err) => (client.status ? client.#end() : reject(err)));
      req.end();
    });
  }

  /** The whole body, for non-stream answers (e.g. a 401 JSON error). */
  async body(): Promise<string> {
    await this.waitFor(() => this.ended);
    return this.#buffer;
  }

  async next(match: (e: SseEvent) => boolean = () => true, timeoutMs = 5000): Promise<SseEvent> {
    let found: SseEvent | undefined;
    await this.waitFor(() => (found = this.events.find(match)) !== undefined, timeoutMs);
    return found!;
  }

  async waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`timed out; events so far: ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.#req?.destroy();
    this.#res?.destroy();
  }

  #feed(chunk: string): void {
    if (this.status !== 200) {
      this.#buffer += chunk;
      return;
    }
    this.#buffer += chunk;
    let idx: number;
    while ((idx = this.#buffer.indexOf('\n\n')) >= 0) {
      const frame = this.#buffer.slice(0, idx);
      this.#buffer = this.#buffer.slice(idx + 2);
      const ev: Partial<SseEvent> & { dataLines: string[] } = { dataLines: [] };
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('id: ')) ev.id = line.slice(4);
        else if (line.startsWith('event: ')) ev.event = line.slice(7);
        else if (line.startsWith('data: ')) ev.dataLines.push(line.slice(6));
      }
      if (ev.event) this.events.push({ id: ev.id, event: ev.event, data: JSON.parse(ev.dataLines.join('\n')) });
    }
    this.#wake();
  }

  #end(): void {
    this.ended = true;
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
