import type { Page } from '@playwright/test';
import { waitFor } from './chromium';

/** Helpers for the guest page and the shared in-call view, as people use them. */

/**
 * A guest joining through the guest page: opens the link, gives a name, asks to join and answers
 * the PIN prompt. Returns once the PIN is sent; what follows (call view, waiting room, an error)
 * is the caller's to check.
 */
export async function joinWithPin(page: Page, link: string, name: string, pin: string): Promise<void> {
  await page.goto(link);
  await page.getByTestId('display-name').fill(name);
  await page.getByTestId('join-button').click({ timeout: 60_000 });
  await page.getByTestId('pin-prompt').waitFor({ timeout: 30_000 });
  await page.locator('#pin-input').fill(pin);
  await page.locator('#pin-input').press('Enter');
}

/** Frames decoded so far by a page's video element (0 while nothing plays). */
export async function framesShown(page: Page, testId = 'remote-video'): Promise<number> {
  return page.evaluate((id) => {
    const video = document.querySelector<HTMLVideoElement>(`video[data-testid="${id}"]`);
    if (!video || video.videoWidth === 0) return 0;
    return video.getVideoPlaybackQuality().totalVideoFrames;
  }, testId);
}

/** Waits until a video element decodes new frames: moving video, not one frozen frame. */
export async function expectMovingVideo(page: Page, who: string, testId = 'remote-video'): Promise<void> {
  const first = await waitFor(`${who}: ${testId} showing video`, async () => ((await framesShown(page, testId)) > 0 ? framesShown(page, testId) : undefined), 45_000);
  await waitFor(`${who}: ${testId} decoding further frames`, async () => ((await framesShown(page, testId)) > first + 5 ? true : undefined), 20_000);
}

/** Sends a chat message from an open chat panel (Enter, as most people do). */
export async function sendChat(page: Page, text: string): Promise<void> {
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-input').press('Enter');
}

/** Waits for a chat message with this text, shown as from `sender`, in an open chat panel. */
export async function expectChatMessage(page: Page, who: string, text: string, sender: string): Promise<void> {
  await waitFor(`${who} receiving "${text}"`, async () => {
    const texts = await page.getByTestId('chat-message').allTextContents();
    return texts.some((t) => t.includes(text) && t.includes(sender)) ? true : undefined;
  });
}
