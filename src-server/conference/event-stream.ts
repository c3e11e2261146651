import type { ServerResponse } from 'node:http';

/**
 * One participant's Server-Sent Events stream, in the shape the SDK's `EventSource` listeners
 * expect: `event: <name>` + `data: <json>`. An event without a data line is dropped by the
 * browser, so payload-less events carry `data: null`.
 */
export class EventStream {
  #open = true;
  readonly #heartbeat: NodeJS.Timeout;

  constructor(
    private readonly res: ServerResponse,
    heartbeatMs = 15_000,
    private readonly onClose: () => void = () => undefined,
  ) {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // The SDK's EventSource resolves `onopen` on the first bytes; send them now.
    res.write(':ok\n\n');
    // A comment line now and then keeps idle proxies from cutting the stream.
    this.#heartbeat = setInterval(() => this.#write(':\n\n'), heartbeatMs);
    this.#heartbeat.unref();
    res.on('close', () => this.#closed());
  }

  get open(): boolean {
    return this.#open;
  }

  send(event: string, data: unknown = null): void {
    this.#write(`event: ${event}\ndata: ${JSON.stringify(data ?? null)}\n\n`);
  }

  /** Ends the stream from our side (participant removed, conference over). */
  end(): void {
    if (!this.#open) return;
    this.#open = false;
    clearInterval(this.#heartbeat);
    this.res.end();
  }

  #write(chunk: string): void {
    if (!this.#open) return;
    try {
      this.res.write(chunk);
    } catch {
      this.#closed();
    }
  }

  #closed(): void {
    if (!this.#open) return;
    this.#open = false;
    clearInterval(this.#heartbeat);
    this.onClose();
  }
}
