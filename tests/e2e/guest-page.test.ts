/**
 * The guest page in headless Chromium against our own conference node, through the unmodified
 * `@pexip/infinity` SDK: a host at desktop width and a guest at phone width (390 px) join a VMR
 * with PINs (including a wrong one), decode each other's video, chat both ways, and the guest's
 * raised hand reaches the host's participant list. Screenshots go to tests/.tmp/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { launchChromium, waitFor, type E2eBrowser } from './support/chromium';
import { expectChatMessage, expectMovingVideo, framesShown, joinWithPin, sendChat } from './support/guest';
import { startE2eServer, type E2eServer } from './support/e2e-server';
import { ensureRendererBuild } from './support/renderer-build';

const SHOTS = path.resolve('tests/.tmp/screenshots');
const ALIAS = 'e2e-guest-room';
const HOST_PIN = '1234';
const GUEST_PIN = '5678';

/** Screenshots document the run; a slow one on a loaded machine must not fail the test. */
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, name), timeout: 10_000 }).catch(() => undefined);
}

test.describe('guest page joins a VMR on our conference node', () => {
  test.describe.configure({ mode: 'serial', timeout: 180_000 });
  let server: E2eServer;
  let chromium: E2eBrowser;
  let hostContext: BrowserContext;
  let guestContext: BrowserContext;
  let host: Page;
  let guest: Page;
  const problems: string[] = [];

  test.beforeAll(async () => {
    test.setTimeout(150_000);
    mkdirSync(SHOTS, { recursive: true });
    server = await startE2eServer(await ensureRendererBuild());
    const res = await fetch(`${server.baseUrl}/management/v1/vmrs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await server.adminToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ alias: ALIAS, name: 'Akutmodtagelsen, video', hostPin: HOST_PIN, guestPin: GUEST_PIN }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    chromium = await launchChromium();
    hostContext = await chromium.browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'da-DK' });
    guestContext = await chromium.browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'da-DK',
    });
    host = await hostContext.newPage();
    guest = await guestContext.newPage();
    for (const page of [host, guest]) {
      // The SDK's own 5-second step timeout ("Async Timeout") only fires on a starved machine and
      // the SDK retries; the steps above assert what the user sees.
      page.on('pageerror', (e) => e.message !== 'Async Timeout' && problems.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) problems.push(m.text());
      });
    }
  });

  test.afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  test('lets the host in with the host PIN', async () => {
    await host.goto(`${server.baseUrl}/join?alias=${ALIAS}&name=${encodeURIComponent('Lægen')}`);
    await host.getByTestId('join-button').click();
    await host.getByTestId('pin-prompt').waitFor();
    await host.locator('#pin-input').fill(HOST_PIN);
    await host.locator('#pin-input').press('Enter');
    await host.getByTestId('call-view').waitFor({ timeout: 20_000 });
  });

  test('shows the guest a camera preview and a moving microphone level at phone width', async () => {
    await guest.goto(`${server.baseUrl}/join?alias=${ALIAS}`);
    await guest.getByTestId('precall').waitFor();
    await waitFor('camera preview', async () => ((await framesShown(guest, 'preview-video')) > 0 ? true : undefined));
    // Chromium's fake microphone beeps: the meter must move.
    await waitFor('microphone level', async () => {
      const level = Number(await guest.getByTestId('mic-level').getAttribute('aria-valuenow'));
      return level > 0 ? level : undefined;
    });
    const overflow = await guest.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(guest, 'guest-precall-phone.png');
  });

  test('asks the guest for a name, then for the PIN, and rejects a wrong one', async () => {
    await guest.getByTestId('join-button').click();
    expect(await guest.getByRole('alert').textContent()).toContain('Skriv dit navn');
    await guest.getByTestId('display-name').fill('Borger Jensen');
    await guest.getByTestId('join-button').click();
    await guest.getByTestId('pin-prompt').waitFor({ timeout: 20_000 });
    await shot(guest, 'guest-pin-phone.png');
    await guest.locator('#pin-input').fill('0000');
    await guest.locator('#pin-input').press('Enter');
    await waitFor('invalid PIN message', async () => ((await guest.locator('#pin-error').count()) > 0 ? true : undefined));
    expect(await guest.locator('#pin-error').textContent()).toBe('Forkert PIN-kode. Prøv igen.');
    await guest.locator('#pin-input').fill(GUEST_PIN);
    await guest.locator('#pin-input').press('Enter');
    await guest.getByTestId('call-view').waitFor({ timeout: 20_000 });
  });

  test('decodes video both ways', async () => {
    await expectMovingVideo(guest, 'guest');
    await expectMovingVideo(host, 'host');
    const overflow = await guest.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(guest, 'guest-in-call-phone.png');
  });

  test('carries chat messages both ways', async () => {
    await guest.getByTestId('open-chat').click();
    await guest.getByTestId('chat-input').fill('Hej, kan I høre mig?');
    await guest.getByTestId('chat-send').click();
    await host.getByTestId('open-chat').click();
    await expectChatMessage(host, 'host', 'Hej, kan I høre mig?', 'Borger Jensen');
    await sendChat(host, 'Ja, tydeligt.');
    await expectChatMessage(guest, 'guest', 'Ja, tydeligt.', 'Lægen');
    await shot(guest, 'guest-chat-phone.png');
  });

  test("shows the guest's raised hand in the host's participant list", async () => {
    await guest.getByTestId('toggle-hand').click();
    await host.getByTestId('open-participants').click();
    const guestRow = host.locator('[data-testid="participant"][data-name="Borger Jensen"]');
    await waitFor('hand raised at the host', async () => ((await guestRow.getAttribute('data-hand')) === 'true' ? true : undefined));
    expect(await host.getByTestId('host-controls').count()).toBe(1);
    expect(await guest.getByTestId('host-controls').count()).toBe(0);
    await shot(host, 'host-participants-desktop.png');
    await guest.getByTestId('toggle-hand').click();
    await waitFor('hand lowered at the host', async () => ((await guestRow.getAttribute('data-hand')) === 'false' ? true : undefined));
  });

  test('reports call quality figures from getStats', async () => {
    const quality = await waitFor('quality figures', async () => {
      const level = await guest.getByTestId('call-quality').getAttribute('data-level');
      return level && level !== 'unknown' ? level : undefined;
    });
    expect(['good', 'fair', 'poor']).toContain(quality);
  });

  test("shows the guest's shared screen to the host, and stops it", async () => {
    await guest.getByTestId('toggle-share').click();
    await waitFor('presentation at the host', async () => ((await framesShown(host, 'presentation-video')) > 0 ? true : undefined), 30_000);
    const first = await framesShown(host, 'presentation-video');
    await waitFor('presentation frames moving', async () => ((await framesShown(host, 'presentation-video')) > first + 3 ? true : undefined));
    expect(await guest.getByTestId('toggle-share').getAttribute('aria-pressed')).toBe('true');
    await shot(host, 'host-presentation-desktop.png');
    await guest.getByTestId('toggle-share').click();
    await waitFor('presentation gone at the host', async () => ((await host.getByTestId('presentation-video').count()) === 0 ? true : undefined));
  });

  test('mutes all guests from the host controls', async () => {
    const guestRow = host.locator('[data-testid="participant"][data-name="Borger Jensen"]');
    await host.getByTestId('toggle-mute-guests').click();
    await waitFor('guest muted', async () => ((await guestRow.getAttribute('data-muted')) === 'true' ? true : undefined));
    await host.getByTestId('toggle-mute-guests').click();
    await waitFor('guest unmuted', async () => ((await guestRow.getAttribute('data-muted')) === 'false' ? true : undefined));
  });

  test('locks the meeting: a late guest waits until the host admits them', async () => {
    await host.getByTestId('toggle-lock').click();
    await waitFor('lock shown to the guest', async () => ((await guest.getByTestId('locked-indicator').count()) === 1 ? true : undefined));
    const lateContext = await chromium.browser.newContext({ viewport: { width: 800, height: 600 }, locale: 'da-DK' });
    const late = await lateContext.newPage();
    await joinWithPin(late, `${server.baseUrl}/join?alias=${ALIAS}`, 'Pårørende', GUEST_PIN);
    await late.getByTestId('call-waiting-room').waitFor({ timeout: 20_000 });
    const lateRow = host.locator('[data-testid="participant"][data-name="Pårørende"]');
    await waitFor('late guest waiting at the host', async () => ((await lateRow.getAttribute('data-waiting')) === 'true' ? true : undefined));
    await shot(host, 'host-waiting-room-desktop.png');
    await lateRow.getByTestId('admit').click();
    await late.getByTestId('call-view').waitFor({ timeout: 20_000 });
    await expectMovingVideo(late, 'admitted guest');
    // Closing the tab is how most guests leave: the page releases its token on the way out.
    await lateContext.close();
    await host.getByTestId('toggle-lock').click();
    await waitFor('unlock shown to the guest', async () => ((await guest.getByTestId('locked-indicator').count()) === 0 ? true : undefined));
  });

  test('leaves cleanly and raised no page errors or CSP violations', async () => {
    await guest.getByTestId('leave').click();
    await guest.getByTestId('call-ended').waitFor();
    await waitFor('host seeing the guest leave', async () =>
      (await host.locator('[data-testid="participant"][data-name="Borger Jensen"]').count()) === 0 ? true : undefined,
    );
    expect(problems).toEqual([]);
  });
});
