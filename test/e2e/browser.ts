/**
 * What every browser test does to read a page as a person would: wait until something is visible,
 * poll a text or a count until it holds, wait for the page to settle, and run axe-core.
 */
import { createRequire } from "node:module";
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";

const axeSource = (createRequire(import.meta.url)("axe-core") as { source: string }).source;

/** Runs axe-core on the page and returns its serious and critical violations, readably. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const w = window as unknown as {
      axe: {
        run: (
          ctx: Document,
          opts: object,
        ) => Promise<{
          violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
        }>;
      };
    };
    return w.axe.run(document, { resultTypes: ["violations"] });
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Waits until the locator is visible. */
export function visible(l: Locator, timeout = 10_000): Promise<void> {
  return l.first().waitFor({ state: "visible", timeout });
}

/** Polls a locator's text (first match) until the assertion holds. */
export function textOf(l: Locator) {
  return expect.poll(async () => (await l.first().textContent({ timeout: 10_000 })) ?? "", {
    timeout: 10_000,
  });
}

/** Polls a locator's match count until the assertion holds. */
export function countOf(l: Locator) {
  return expect.poll(() => l.count(), { timeout: 10_000 });
}

/** Waits until the page shows no loading state. */
export async function settled(page: Page): Promise<void> {
  await page
    .locator(".state-loading")
    .first()
    .waitFor({ state: "detached", timeout: 15_000 })
    .catch(() => {});
  await page.waitForLoadState("networkidle");
}
