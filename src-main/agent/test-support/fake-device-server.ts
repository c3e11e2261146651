/**
 * A small stand-in for the VDX server's device endpoints on 127.0.0.1, for the agent's unit tests:
 * records what the device sends and lets a test push events down the SSE stream or take the
 * server "offline" (connections refused). The real server is exercised by `tests/` end to end.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMeeting {
  meetingUuid: string;
  subject: string | null;
  startTime: string;
  endTime: string;
  alias: string;
  role: 'host' | 'guest';
  pin: string | null;
  conferenceNodeUrl: string;
  endMeetingOnEndTime: boolean;
}

export const VALID_CODE = '7KQM-3XWP-HT9C';

export class FakeDeviceServer {
  url = '';
  readonly requests: Array<{ method: string; path: string; headers: IncomingMessage['headers']; body: unknown }> = [];
  readonly heartbeats: unknown[] = [];
  readonly callSummaries: unknown[] = [];
  readonly commandResults: Array<{ id: string; body: unknown }> = [];
  readonly enrolments: unknown[] = [];
  meetings: FakeMeeting[] = [];
  /** Extra static pages (path → HTML), e.g. a stand-in room UI at `/room/`. */
  readonly pages = new Map<string, string>();
  revoked = false;
  /** Every SSE connection's Last-Event-ID header (null when absent). */
  readonly streamOpens: Array<string | null> = [];
  #streams = new Set<ServerResponse>();
  #eventId = 0;
  #server: Server;
  #etag = 0;
  #port = 0;

  constructor() {
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(port, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.#port}`;
    return this;
  }

  /** Refuses connections until `start()` again on the same port. */
  async stop(): Promise<void> {
    for (const s of this.#streams) s.destroy();
    this.#streams.clear();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async restart(): Promise<void> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await this.start(this.#port);
  }

  get openStreams(): number {
    return this.#streams.size;
  }

  /** Changes the schedule (new ETag) and, by default, tells the device. */
  setMeetings(meetings: FakeMeeting[], notify = true): void {
    this.meetings = meetings;
    this.#etag++;
    if (notify) this.push('schedule_changed', { at: new Date().toISOString() });
  }

  push(type: string, data: unknown): string {
    const id = String(++this.#eventId);
    for (const s of this.#streams) s.write(`id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
    return id;
  }

  /** Drops open streams (the device should reconnect with Last-Event-ID). */
  dropStreams(): void {
    for (const s of this.#streams) s.destroy();
    this.#streams.clear();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw;
    if ((req.headers['content-type'] ?? '').includes('json') && raw) body = JSON.parse(raw);
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (url.pathname === '/device/v1/enroll') {
      const b = body as { activationCode?: string };
      if (b.activationCode !== VALID_CODE.replace(/-/g, '')) return json(400, { error: { code: 'activation_code_invalid', message: 'no' } });
      this.enrolments.push(body);
      return json(201, {
        deviceId: 'dev-1', clientId: 'client-1', clientSecret: 'very-secret-value', serverUrl: 'http://public.example',
        scope: 'device', room: { id: 'room-1', name: 'Mødelokale 3', organisationCode: 'ORG1' },
      });
    }
    if (url.pathname === '/oauth/token') {
      const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      if (this.revoked || auth !== 'client-1:very-secret-value') return json(401, { error: 'invalid_client' });
      return json(200, { access_token: 'tok-abc', token_type: 'Bearer', expires_in: 300, scope: 'device' });
    }
    if (url.pathname.startsWith('/device/v1/me/')) {
      if (this.revoked || req.headers.authorization !== 'Bearer tok-abc') return json(401, { error: { code: 'unauthorized', message: 'no' } });
    }
    switch (url.pathname) {
      case '/device/v1/me/config':
        return json(200, {
          deviceId: 'dev-1',
          room: { id: 'room-1', name: 'Mødelokale 3', location: null, organisationCode: 'ORG1', fixedVmrAlias: null },
          theme: null,
          conferenceNodeUrl: this.url,
          maintenanceWindow: { timeZone: 'Europe/Copenhagen', slots: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '02:00', end: '05:00' }] },
          updateChannel: 'stable',
          pinnedVersion: null,
          heartbeatIntervalSeconds: 30,
          locale: 'da',
          privacy: { showSubjects: true },
          serverTime: new Date().toISOString(),
        });
      case '/device/v1/me/schedule': {
        const etag = `"s${this.#etag}"`;
        if (req.headers['if-none-match'] === etag) {
          res.writeHead(304, { etag });
          return void res.end();
        }
        res.writeHead(200, { 'content-type': 'application/json', etag });
        return void res.end(JSON.stringify({ roomId: 'room-1', from: '', to: '', meetings: this.meetings }));
      }
      case '/device/v1/me/events': {
        const last = req.headers['last-event-id'];
        this.streamOpens.push(typeof last === 'string' ? last : null);
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
        res.write(': hello\n\n');
        this.#streams.add(res);
        res.on('close', () => this.#streams.delete(res));
        return;
      }
      case '/device/v1/me/heartbeat':
        this.heartbeats.push(body);
        return json(200, { receivedAt: new Date().toISOString(), nextHeartbeatSeconds: 30 });
      case '/device/v1/me/call-summaries':
        this.callSummaries.push(body);
        return json(201, { id: 'cs1', goodQuality: true });
    }
    const m = /^\/device\/v1\/me\/commands\/([^/]+)\/result$/.exec(url.pathname);
    if (m) {
      this.commandResults.push({ id: decodeURIComponent(m[1]!), body });
      return json(200, { ok: true });
    }
    const page = this.pages.get(url.pathname);
    if (page !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(page);
    }
    if (url.pathname === '/') return json(200, { ok: true });
    json(404, { error: { code: 'not_found', message: url.pathname } });
  }
}
