/**
 * What every browser test does to read a page as a person would: wait until something is visible,
 * poll a text or a count until it holds, wait for the page to settle, and run axe-core; and what
 * every browser suite sets up: whether it runs at all, the two screen sizes, the page errors it
 * watches for, and screenshots for looking at the pages by eye.
 */
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { CHROMIUM } from "./web-harness.mjs";

/** The two sizes every page is looked at: a laptop and a phone. */
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/**
 * Whether to skip a browser suite: only when Chromium is missing outside CI. With CI=true a missing
 * browser is a failure (see `requireChromium`), never a skip.
 */
export function skipWithoutChromium(what: string): boolean {
  const skip = !existsSync(CHROMIUM) && process.env.CI !== "true";
  if (skip) console.warn(`Skipping ${what}: ${CHROMIUM} is missing (apt-get install -y chromium).`);
  return skip;
}

/** Fails with the way to install Chromium when it is missing (the suite's first step). */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install it with apt-get install -y chromium.`);
}

/**
 * The errors the watched pages report: console errors and uncaught exceptions. The browser logs
 * every non-2xx fetch ("Failed to load resource"); the app answers those with its own states (a 401
 * on the first session check means "sign in", a 404 a missing goal), so they are not problems.
 */
export function pageProblems(): { problems: string[]; watch: (page: Page) => void } {
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on("console", (m) => {
      if (m.type() === "error" && !/^Failed to load resource/.test(m.text())) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
  };
  return { problems, watch };
}

/** Saves `dir/name.png` when `dir` is set (a folder for looking at the pages by eye). */
export async function screenshot(
  page: Page,
  dir: string | undefined,
  name: string,
  fullPage = false,
): Promise<void> {
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage }).catch(() => {});
}

/** Runs `look` at the laptop's size and then the phone's, and leaves the page at the laptop's. */
export async function atBothSizes(
  page: Page,
  look: (label: "desktop" | "phone") => Promise<void>,
): Promise<void> {
  for (const [label, size] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    await page.setViewportSize(size);
    await look(label);
  }
  await page.setViewportSize(DESKTOP);
}

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
