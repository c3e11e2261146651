/**
 * The desktop sign-in's way back from the system browser (RFC 8252 §7.3): a one-shot HTTP server
 * on `127.0.0.1` (IPv4 only — decision 0015: the sign-in pages' CSP cannot name an IPv6 literal) on
 * a port the OS picks. The provider redirects the browser to `http://127.0.0.1:<port>/callback`;
 * the first request there is the answer. The browser's page is held open until the agent knows
 * how the sign-in ended, so the person reads the outcome there ("go back to VDX Room").
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CALLBACK_PATH = '/callback';

export interface LoopbackRedirect {
  /** `http://127.0.0.1:<port>/callback`, the `redirect_uri` of this one sign-in. */
  readonly redirectUri: string;
  /** The full URL the browser came back to (with `code`/`state` or `error`). */
  readonly answer: Promise<URL>;
  /** Shows the outcome on the browser's page and closes the listener. */
  finish(outcome: 'signed_in' | 'failed'): void;
  /** Stops waiting (abandoned, timed out): the answer rejects, the listener closes. */
  abort(reason: Error): void;
}

export async function listenForRedirect(lang: 'da' | 'en'): Promise<LoopbackRedirect> {
  let held: ServerResponse | null = null;
  let settle!: { resolve(url: URL): void; reject(err: Error): void };
  const answer = new Promise<URL>((resolve, reject) => (settle = { resolve, reject }));
  answer.catch(() => undefined); // the caller awaits it; an abort before that is not unhandled
  let answered = false;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH || answered) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    answered = true;
    held = res;
    settle.resolve(new URL(`${redirectUri}${url.search}`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const redirectUri = `http://127.0.0.1:${port}${CALLBACK_PATH}`;
  const close = () => {
    server.close();
    server.closeAllConnections();
  };
  const redirect: LoopbackRedirect = {
    redirectUri,
    answer,
    finish(outcome) {
      const res = held;
      held = null;
      if (res) {
        res.writeHead(outcome === 'signed_in' ? 200 : 400, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
          connection: 'close',
        });
        res.end(outcomePage(lang, outcome), close);
      } else close();
    },
    abort(reason) {
      settle.reject(reason);
      redirect.finish('failed');
    },
  };
  return redirect;
}

const TEXT = {
  da: {
    signed_in: ['Du er logget ind', 'Gå tilbage til VDX Room. Du kan lukke dette vindue.'],
    failed: ['Log-ind blev ikke gennemført', 'Gå tilbage til VDX Room og prøv igen.'],
  },
  en: {
    signed_in: ['You are signed in', 'Go back to VDX Room. You can close this window.'],
    failed: ['The sign-in did not complete', 'Go back to VDX Room and try again.'],
  },
} as const;

function outcomePage(lang: 'da' | 'en', outcome: 'signed_in' | 'failed'): string {
  const [title, body] = TEXT[lang][outcome];
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · VDX Room</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1a1a1a}h1{font-size:1.5rem}</style></head>
<body><main><h1 data-outcome="${outcome}">${title}</h1><p>${body}</p></main></body></html>`;
}
