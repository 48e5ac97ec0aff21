/**
 * Email deep links and a step's time of day in a real Chromium against the built server (issue
 * 19): opening `/goals/<id>#step-<sid>` signed out shows the sign-in page at that address; signing
 * in lands on the goal page with the hash kept and that step scrolled into view and highlighted, at
 * the laptop's and the phone's size. Then a time set in the step editor shows on the step's line
 * ("…, 15:30") and is what the API stores. Needs `npm run build` and /usr/bin/chromium.
 * DEEPLINK_SHOTS=/tmp/deeplink-shots writes screenshots.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DESKTOP,
  PHONE,
  pageProblems,
  requireChromium,
  screenshot,
  seriousViolations,
  skipWithoutChromium,
  textOf,
  visible,
} from "./browser.js";
import {
  apiAs,
  type Call,
  day,
  launchChromium,
  OWNER,
  type RunningServer,
  startServer,
} from "./web-harness.mjs";

const SHOTS = process.env.DEEPLINK_SHOTS;
const GOAL = "Run the spring workshop series";

describe.skipIf(skipWithoutChromium("the deep-link browser tests"))("email deep links and step times", () => {
  let server: RunningServer;
  let browser: Browser;
  let call: Call;
  let goalId: number;
  const steps: { id: number; text: string }[] = [];
  const { problems, watch } = pageProblems();

  beforeAll(async () => {
    requireChromium();
    server = await startServer();
    browser = await launchChromium();
    ({ call } = await apiAs(server.url));
    goalId = (await call<{ id: number }>("POST", "/goals", { title: GOAL, dueDate: day(60) })).id;
    // Enough steps that the linked one is below the fold.
    for (let i = 1; i <= 14; i++) {
      const text = `Workshop ${i}: book the room and send the invitations`;
      const s = await call<{ id: number }>("POST", `/goals/${goalId}/steps`, { text, dueDate: day(i * 3) });
      steps.push({ id: s.id, text });
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signInAt(page: Page, path: string, label: string) {
    await page.goto(`${server.url}${path}`);
    await visible(page.getByRole("heading", { name: "Sign in" }));
    // The sign-in page keeps the linked address while it is shown.
    expect(new URL(page.url()).pathname + new URL(page.url()).hash).toBe(path);
    await screenshot(page, SHOTS, `${label}-sign-in`);
    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password").fill(OWNER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await visible(page.getByRole("heading", { name: GOAL }));
  }

  for (const [label, size] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    it(`lands on the linked step after signing in (${label})`, async () => {
      const target = steps[11];
      if (!target) throw new Error("no step to link to");
      const context = await browser.newContext({ viewport: size, bypassCSP: true });
      const page = await context.newPage();
      watch(page);
      const path = `/goals/${goalId}#step-${target.id}`;
      await signInAt(page, path, label);
      const url = new URL(page.url());
      expect(url.pathname + url.hash).toBe(path);
      const item = page.locator(`#step-${target.id}`);
      await visible(item);
      await textOf(item).toContain(target.text);
      // Scrolled into view and marked, with focus on it for keyboard and screen-reader users.
      await expect
        .poll(() =>
          item.evaluate((el) => {
            const r = el.getBoundingClientRect();
            return r.top >= 0 && r.bottom <= window.innerHeight;
          }),
        )
        .toBe(true);
      expect(await item.getAttribute("class")).toContain("step-target");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(`step-${target.id}`);
      // Every step has its anchor; only the linked one is marked.
      expect(await page.locator("li.step[id^='step-']").count()).toBe(steps.length);
      expect(await page.locator(".step-target").count()).toBe(1);
      await screenshot(page, SHOTS, `${label}-landed`);
      expect(await seriousViolations(page)).toEqual([]);
      await context.close();
    });
  }

  it("never follows a next parameter to another site", async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    watch(page);
    await page.goto(`${server.url}/sign-in?next=${encodeURIComponent("//evil.example/x")}`);
    await visible(page.getByRole("heading", { name: "Sign in" }));
    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password").fill(OWNER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await visible(page.getByRole("heading", { name: "My week" }));
    expect(new URL(page.url()).origin).toBe(server.url);
    expect(new URL(page.url()).pathname).toBe("/");
    await context.close();
  });

  it("sets a step's time of day in the editor, shows it on the line and stores it", async () => {
    const s = steps[1];
    if (!s) throw new Error("no step");
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    watch(page);
    await signInAt(page, `/goals/${goalId}#step-${s.id}`, "time");
    await page.getByRole("button", { name: `Edit step: ${s.text}` }).click();
    const form = page.getByRole("form", { name: `Edit step: ${s.text}` });
    await visible(form);
    await form.getByLabel("At", { exact: true }).fill("15:30");
    await screenshot(page, SHOTS, "time-editing");
    await form.getByRole("button", { name: "Save the step" }).click();
    await textOf(page.locator(`#step-${s.id} .step-meta`)).toMatch(/^By .+, 15:30/);
    const stored = await call<{ dueTime: string | null }>("GET", `/steps/${s.id}`);
    expect(stored.dueTime).toBe("15:30");
    await screenshot(page, SHOTS, "time-shown");
    for (const [label, size] of [
      ["desktop", DESKTOP],
      ["phone", PHONE],
    ] as const) {
      await page.setViewportSize(size);
      await page.locator(`#step-${s.id}`).scrollIntoViewIfNeeded();
      await screenshot(page, SHOTS, `time-line-${label}`);
    }
    // Clearing it clears what is stored.
    await page.setViewportSize(DESKTOP);
    await page.getByRole("button", { name: `Edit step: ${s.text}` }).click();
    await form.getByLabel("At", { exact: true }).fill("");
    await form.getByRole("button", { name: "Save the step" }).click();
    await expect.poll(async () => (await call("GET", `/steps/${s.id}`)).dueTime).toBeNull();
    await context.close();
  });

  it("reports no page errors", () => {
    expect(problems).toEqual([]);
  });
});
