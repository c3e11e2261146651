/**
 * The room UI's service worker (built to `room/sw.js`, scope `/room/`): keeps the last good copy
 * of the room page and its assets so the kiosk starts while the server is unreachable. The policy
 * lives in ./offline-cache.ts.
 *
 * Typed with small local interfaces because the DOM and WebWorker libs cannot share one tsconfig.
 */
import { assetUrlsOf, CACHE_NAME, NETWORK_TIMEOUT_MS, routeOf } from './offline-cache';

interface ExtendableEvent extends Event {
  waitUntil(work: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  readonly registration: { readonly scope: string };
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const worker = self as unknown as WorkerScope;
const pageUrl = () => worker.registration.scope;

/**
 * Stores a fresh room page and exactly the assets it names; older builds' assets are dropped
 * (the room entry has no lazily loaded chunks — one would be cached again when next used).
 */
async function remember(page: Response): Promise<void> {
  const html = await page.clone().text();
  const cache = await caches.open(CACHE_NAME);
  const wanted = new Set(assetUrlsOf(html, pageUrl()));
  const missing: string[] = [];
  for (const url of wanted) if (!(await cache.match(url))) missing.push(url);
  await cache.addAll(missing);
  for (const request of await cache.keys()) {
    if (routeOf(request.url, pageUrl()) === 'asset' && !wanted.has(request.url)) await cache.delete(request);
  }
  await cache.put(pageUrl(), page);
}

/** The page from the server when it answers (stored afterwards, without delaying it), else the cached copy. */
async function networkFirstPage(event: FetchEvent): Promise<Response> {
  try {
    const response = await fetch(event.request, { signal: AbortSignal.timeout(NETWORK_TIMEOUT_MS) });
    if (response.ok) event.waitUntil(remember(response.clone()).catch(() => undefined));
    return response;
  } catch (err) {
    const cached = await caches.match(pageUrl(), { cacheName: CACHE_NAME });
    if (cached) return cached;
    throw err;
  }
}

async function cacheFirstAsset(request: Request): Promise<Response> {
  const cached = await caches.match(request, { cacheName: CACHE_NAME });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(CACHE_NAME);
    await cache.put(request, response.clone()).catch(() => undefined);
  }
  return response;
}

worker.addEventListener('install', (event) => {
  // The first load happened before this worker existed: fetch the page once to fill the cache.
  event.waitUntil(
    fetch(pageUrl(), { cache: 'no-cache' })
      .then((page) => (page.ok ? remember(page) : undefined))
      .catch(() => undefined)
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE_NAME) await caches.delete(name);
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('fetch', (event) => {
  if (event.request.method !== 'GET') return;
  const route = routeOf(event.request.url, pageUrl());
  if (route === 'page') event.respondWith(networkFirstPage(event));
  else if (route === 'asset') event.respondWith(cacheFirstAsset(event.request));
});
