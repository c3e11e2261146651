import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, type Page } from '@playwright/test';

/**
 * Accessibility checks with axe-core for browser tests. `@axe-core/playwright` needs Node 22, so
 * the engine (`axe.min.js`) is evaluated in the page directly: over the DevTools protocol, since the
 * page's Content-Security-Policy (rightly) refuses an injected script tag.
 */

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}

export interface SeriousViolation {
  id: string;
  help: string;
  targets: unknown[];
}

/** axe-core's serious and critical findings on the page as it is now (WCAG rules and best practice). */
export async function seriousViolations(page: Page): Promise<SeriousViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target) }));
}

/** Fails the test, listing rule, help text and elements, if the page has a serious or critical finding. */
export async function expectNoSeriousA11yViolations(page: Page, where = page.url()): Promise<void> {
  expect(await seriousViolations(page), `axe-core: serious or critical findings on ${where}`).toEqual([]);
}
