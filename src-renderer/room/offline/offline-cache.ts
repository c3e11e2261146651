/**
 * What the room UI's service worker keeps, so a kiosk restarted while the server is unreachable
 * still shows its room and cached agenda (the agent serves the schedule from its disk cache over
 * the loopback bridge; only the page itself has to come from somewhere).
 *
 * Policy — never a stale UI while the server answers:
 * - the room page (`/room/`): network first; the cached copy only when the network fails;
 * - hashed assets (`/assets/…`): cache first (their names change with their content);
 * - everything else (device API, conference node, event streams): not touched.
 */

export const CACHE_NAME = 'vdx-room-offline-v1';

/** How long a navigation waits for the server before the cached page is shown. */
export const NETWORK_TIMEOUT_MS = 4000;

export type CacheRoute = 'page' | 'asset' | 'bypass';

/** Which policy a GET request gets; `scope` is the worker's registration scope (`…/room/`). */
export function routeOf(requestUrl: string, scope: string): CacheRoute {
  const url = new URL(requestUrl);
  const root = new URL(scope);
  if (url.origin !== root.origin) return 'bypass';
  if (url.pathname === root.pathname || url.pathname === `${root.pathname}index.html`) return 'page';
  if (url.pathname.startsWith(new URL('../assets/', root).pathname) && !url.search) return 'asset';
  return 'bypass';
}

/**
 * The assets a page document loads up front (entry script, module preloads, style sheets),
 * resolved against the page URL. Vite writes exactly these three kinds of tags.
 */
export function assetUrlsOf(html: string, pageUrl: string): string[] {
  const urls = new Set<string>();
  for (const tag of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    const text = tag[0];
    const isScript = /^<script/i.test(text);
    const rel = /\brel\s*=\s*["']?([\w-]+)/i.exec(text)?.[1]?.toLowerCase();
    if (!isScript && rel !== 'stylesheet' && rel !== 'modulepreload') continue;
    const ref = new RegExp(`\\b${isScript ? 'src' : 'href'}\\s*=\\s*["']([^"']+)["']`, 'i').exec(text)?.[1];
    if (!ref || ref.startsWith('data:')) continue;
    const resolved = new URL(ref, pageUrl);
    if (resolved.origin === new URL(pageUrl).origin) urls.add(resolved.href);
  }
  return [...urls];
}
