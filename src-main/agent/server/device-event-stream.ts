/**
 * The device's end of `GET /device/v1/me/events` (server-sent events, see
 * `src-shared/devices/events.schema.ts`): parses the stream, remembers the last event id and
 * reconnects with `Last-Event-ID` after any drop, backing off 1 s, 2 s, 4 s … 30 s (with jitter)
 * while the server is unreachable and resetting after a good connection.
 *
 * A stream that goes silent for longer than {@link STALL_TIMEOUT_MS} (the server writes at least
 * every 25 s) is treated as dropped: NATs and proxies kill idle TCP connections without a FIN.
 */
import { DeviceEvent, type DeviceStreamEvent } from '../../../src-shared/devices/events.schema';
import type { AgentLogger, Sleep } from '../platform/platform';
import { ServerCallError } from './device-api';

export const STALL_TIMEOUT_MS = 60_000;
export const BACKOFF_MAX_MS = 30_000;

/** Backoff before reconnect attempt `n` (0-based): 1 s · 2^n, capped, ±20 % jitter. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, 1000 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Incremental `text/event-stream` parser (WHATWG HTML §9.2.6, the parts servers use). */
export class SseParser {
  #buffer = '';
  #id: string | null = null;
  #event = '';
  #data: string[] = [];

  /** Feeds a chunk; returns the complete events it finished. */
  push(chunk: string): Array<{ id: string | null; event: string; data: string }> {
    this.#buffer += chunk;
    const out: Array<{ id: string | null; event: string; data: string }> = [];
    let nl: number;
    while ((nl = this.#buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.#buffer.slice(0, nl);
      const sepLen = this.#buffer.startsWith('\r\n', nl) ? 2 : 1;
      this.#buffer = this.#buffer.slice(nl + sepLen);
      if (line === '') {
        if (this.#data.length > 0) out.push({ id: this.#id, event: this.#event || 'message', data: this.#data.join('\n') });
        this.#event = '';
        this.#data = [];
        continue;
      }
      if (line.startsWith(':')) continue; // comment / keep-alive
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') this.#data.push(value);
      else if (field === 'event') this.#event = value;
      else if (field === 'id' && !value.includes('\0')) this.#id = value;
    }
    return out;
  }
}

export interface EventStreamOptions {
  open(lastEventId: string | null, signal: AbortSignal): Promise<Response>;
  onEvent(event: DeviceStreamEvent): void | Promise<void>;
  /** Connected (true) or dropped (false): drives the agent's `online` flag and resync. */
  onConnection(connected: boolean): void;
  /** The server refused our credential: stop for good. */
  onUnauthorized(error: ServerCallError): void;
  log: AgentLogger;
  sleep: Sleep;
  /** Resume point from a previous run. */
  lastEventId?: string | null;
  random?: () => number;
}

/** Runs until `stop()`; reconnects by itself. */
export class DeviceEventStream {
  lastEventId: string | null;
  #abort = new AbortController();
  #running: Promise<void> | null = null;

  constructor(private readonly options: EventStreamOptions) {
    this.lastEventId = options.lastEventId ?? null;
  }

  start(): void {
    this.#running ??= this.#loop();
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#running;
  }

  async #loop(): Promise<void> {
    const { log, sleep } = this.options;
    let failures = 0;
    while (!this.#abort.signal.aborted) {
      const delivered = await this.#connectOnce().catch((err: unknown) => {
        if (err instanceof ServerCallError && err.kind === 'unauthorized') {
          this.options.onUnauthorized(err);
          this.#abort.abort();
        } else if (!this.#abort.signal.aborted) {
          log.warn('event stream dropped', { error: (err as Error).message });
        }
        return false;
      });
      this.options.onConnection(false);
      if (this.#abort.signal.aborted) break;
      failures = delivered ? 0 : failures + 1;
      await sleep(reconnectDelay(failures, this.options.random), this.#abort.signal);
    }
  }

  /** One connection; resolves true if it was established (so backoff resets). */
  async #connectOnce(): Promise<boolean> {
    const attempt = new AbortController();
    const onStop = () => attempt.abort();
    this.#abort.signal.addEventListener('abort', onStop, { once: true });
    let stall: ReturnType<typeof setTimeout> | undefined;
    const armStall = () => {
      clearTimeout(stall);
      stall = setTimeout(() => attempt.abort(), STALL_TIMEOUT_MS);
      stall.unref?.();
    };
    try {
      const response = await this.options.open(this.lastEventId, attempt.signal);
      if (!response.ok || !response.body) {
        throw new ServerCallError('http', `event stream: HTTP ${response.status}`, response.status);
      }
      this.options.onConnection(true);
      armStall();
      const parser = new SseParser();
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          armStall();
          for (const raw of parser.push(decoder.decode(value, { stream: true }))) {
            if (raw.id !== null) this.lastEventId = raw.id;
            let data: unknown;
            try {
              data = JSON.parse(raw.data);
            } catch {
              this.options.log.warn('event stream: non-JSON data', { event: raw.event });
              continue;
            }
            const parsed = DeviceEvent.safeParse({ type: raw.event, data });
            if (!parsed.success) {
              this.options.log.warn('event stream: unknown or malformed event', { event: raw.event });
              continue;
            }
            await this.options.onEvent({ ...parsed.data, id: raw.id ?? '' });
          }
        }
      } catch (err) {
        if (!attempt.signal.aborted) throw err;
      } finally {
        reader.cancel().catch(() => {});
      }
      return true;
    } finally {
      clearTimeout(stall);
      this.#abort.signal.removeEventListener('abort', onStop);
    }
  }
}
