import { expect, type Page } from '@playwright/test';
import { enrolBody } from '../../../src-server/devices/device-fleet.test-kit';
import { submitSignIn, type Person } from './booking-page';

/** What the VDX Management browser tests share, beside the booking harness (server, people, contexts). */

/** Signs in to VDX Management (`/manage/`) through the provider's page. */
export async function signInToManage(page: Page, baseUrl: string, person: Person): Promise<void> {
  await page.goto(`${baseUrl}/manage/`);
  await page.locator('input[name="email"]').waitFor({ timeout: 15_000 });
  await submitSignIn(page, person.email, person.password);
  await page.getByTestId('manage-user').waitFor({ timeout: 20_000 });
}

/** A kiosk enrolling with `code` through the device API as the room app does, and its device token. */
export async function enrolKiosk(baseUrl: string, code: string, over: Record<string, unknown> = {}): Promise<{ deviceId: string; token: string }> {
  const res = await fetch(`${baseUrl}/device/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(enrolBody(code, over)),
  });
  expect(res.status).toBe(201);
  const enrolled = (await res.json()) as { deviceId: string; clientId: string; clientSecret: string };
  const token = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: enrolled.clientId, client_secret: enrolled.clientSecret, scope: 'device' }),
  });
  expect(token.status).toBe(200);
  return { deviceId: enrolled.deviceId, token: ((await token.json()) as { access_token: string }).access_token };
}
