/**
 * Registers the room UI's service worker (./room.sw.ts, served at `/room/sw.js`). A kiosk without
 * it still works online; it only loses the offline start, so failures are logged, not shown.
 */
export function registerOfflineCache(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((err: unknown) => {
    console.warn('room UI offline cache unavailable:', err);
  });
}
