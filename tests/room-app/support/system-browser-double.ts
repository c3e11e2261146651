/**
 * Stands in for the person's system browser in agent tests: it is handed the sign-in URL the
 * agent opens, and does over plain HTTP what a person does there — follows the redirects to the
 * server's sign-in page, types e-mail and password into its form, and follows the answer back to
 * the agent's loopback redirect (`http://127.0.0.1:<port>/callback`), whose page it reads. Cookies
 * are kept like a browser keeps them (per run; path and domain scoping do not matter here).
 */
import type { ExternalBrowser } from '../../../src-main/agent/platform/platform';

export interface BrowserVisit {
  /** The page the browser ended on (the loopback's outcome page, or the sign-in page again). */
  finalUrl: string;
  status: number;
  text: string;
}

export class SystemBrowserDouble implements ExternalBrowser {
  readonly opened: string[] = [];
  readonly visits: Promise<BrowserVisit>[] = [];
  readonly #cookies = new Map<string, string>();

  /** `person` null: the person closes the tab without signing in. */
  constructor(public person: { email: string; password: string } | null) {}

  async open(url: string): Promise<void> {
    this.opened.push(url);
    // The browser lives its own life: the agent does not wait for the person.
    if (this.person) this.visits.push(this.#visit(url, this.person));
  }

  /** The last visit's outcome. */
  last(): Promise<BrowserVisit> {
    const v = this.visits.at(-1);
    if (!v) throw new Error('the browser was never opened');
    return v;
  }

  async #visit(start: string, person: { email: string; password: string }): Promise<BrowserVisit> {
    let url = start;
    let init: RequestInit = {};
    let signedIn = false;
    for (let hops = 0; hops < 20; hops++) {
      const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: this.#cookieHeader() } });
      this.#take(res.headers.getSetCookie());
      init = {};
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        url = new URL(location, url).href;
        continue;
      }
      const text = await res.text();
      const action = /<form method="post" action="([^"]+)"/.exec(text)?.[1];
      if (res.status === 200 && action && /name="password"/.test(text) && !signedIn) {
        signedIn = true;
        url = new URL(action.replaceAll('&amp;', '&'), url).href;
        init = {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ email: person.email, password: person.password }).toString(),
        };
        continue;
      }
      return { finalUrl: url, status: res.status, text };
    }
    throw new Error(`too many redirects from ${start}`);
  }

  #cookieHeader(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  #take(lines: string[]): void {
    for (const line of lines) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
}
