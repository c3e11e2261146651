/**
 * How every cross-process test starts Debian's Chromium (TOOLCHAIN.md): no sandbox (root in CI),
 * fake camera, microphone and screen for real WebRTC media, no background networking (the network
 * is closed here), audio that plays without a gesture (energy is measured from <audio>), and no
 * throttling of pages in the background (several participants share one browser).
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
  '--auto-select-desktop-capture-source=Entire',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];
