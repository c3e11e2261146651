import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';

/** What the fake provider answers next: its normal 200, an HTTP error, or nothing at all (a hang). */
export type ProviderAnswer = 'ok' | 'hang' | { status: number; body?: unknown };

export interface ReceivedSms {
  authorization: string | undefined;
  body: { sender?: string; message?: string; recipients?: { msisdn: number }[]; userref?: string; encoding?: string; callback_url?: string };
  /** The id it answered with (only for accepted messages). */
  acceptedId?: number;
}

/**
 * A local HTTP server that speaks GatewayAPI's documented `POST /rest/mtsms` (JSON in, `{ids}`
 * out), answering from a script, so the adapter and the send job meet a real HTTP peer with 5xx,
 * refusals and hangs.
 */
export class FakeGatewayApi {
  readonly received: ReceivedSms[] = [];
  readonly script: ProviderAnswer[] = [];
  /** Answers once the script is used up (default: always 'ok'); the benchmark injects failures here. */
  otherwise: () => ProviderAnswer = () => 'ok';
  #server: Server | undefined;
  #nextId = 1000;
  readonly #hanging = new Set<IncomingMessage>();

  async start(): Promise<string> {
    this.#server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        const entry: ReceivedSms = { authorization: req.headers.authorization, body: raw ? (JSON.parse(raw) as ReceivedSms['body']) : {} };
        this.received.push(entry);
        const answer = this.script.shift() ?? this.otherwise();
        if (answer === 'hang') return void this.#hanging.add(req);
        if (answer === 'ok') {
          entry.acceptedId = this.#nextId++;
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ids: [entry.acceptedId], usage: { total_cost: 0.25, currency: 'DKK' } }));
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body ?? { message: 'error' }));
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}/rest/mtsms`;
  }

  /** Messages it took (answered 200). */
  accepted(): ReceivedSms[] {
    return this.received.filter((r) => r.acceptedId !== undefined);
  }

  async close(): Promise<void> {
    for (const req of this.#hanging) req.socket.destroy();
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

/** A delivery status notification as GatewayAPI signs it: the report as JWT claims, HS256 with the webhook secret. */
export function signedReport(secret: string, report: Record<string, unknown>): Promise<string> {
  return new SignJWT(report).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}
