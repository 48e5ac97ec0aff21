/**
 * Saving a goal's plan as a playbook from the goal page, in a real Chromium against the built
 * server: the button opens the new playbook, whose page shows what a plan from it gets (key
 * results, each step with the key result it serves, Plan Bs) and says which "(KR …)" endings stay
 * words. Needs `npm run build` and /usr/bin/chromium. PLAYBOOK_SHOTS=dir writes screenshots.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  atBothSizes,
  DESKTOP,
  pageProblems,
  requireChromium,
  screenshot,
  seriousViolations,
  settled,
  skipWithoutChromium,
  textOf,
  visible,
} from "./browser.js";
import {
  apiAs,
  type Call,
  day,
  enterApp,
  launchChromium,
  type RunningServer,
  startServer,
} from "./web-harness.mjs";

const SHOTS = process.env.PLAYBOOK_SHOTS;

describe.skipIf(skipWithoutChromium("the browser tests of saving a playbook"))("save as playbook", () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let call: Call;
  let goalId: number;
  const { problems, watch } = pageProblems();

  beforeAll(async () => {
    requireChromium();
    server = await startServer();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: DESKTOP, bypassCSP: true })).newPage();
    watch(page);
    await enterApp(page, server.url);
    ({ call } = await apiAs(server.url));
    const plan = await call<{ goal: { id: number } }>("POST", "/plans", {
      goal: { title: "Launch the podcast", why: "Listeners find us there", dueDate: day(90) },
      keyResults: [
        { title: "Downloads per episode", startValue: 0, targetValue: 500, unit: "downloads" },
        { title: "Guests booked", startValue: 0, targetValue: 6 },
      ],
      steps: [
        { text: "Email three hosts about guest swaps", keyResult: 2 },
        { text: "Read the sponsor FAQ (KR 1)" },
        { text: "Post episode one in two communities", keyResult: 1 },
      ],
      barriers: [
        {
          obstacle: "A guest cancels",
          planB: "If a guest cancels, then I publish a solo episode",
          likelihood: "high",
        },
      ],
    });
    goalId = plan.goal.id;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("saves the plan from the goal page and opens the playbook with each step's key result", async () => {
    await page.goto(`${server.url}/goals/${goalId}`);
    await visible(page.getByRole("heading", { name: "Launch the podcast", level: 1 }));
    await page.getByRole("button", { name: "Save as playbook" }).click();
    await page.waitForURL(/\/playbooks\/\d+$/);
    await visible(page.getByRole("heading", { name: "Launch the podcast", level: 1 }));
    const template = page.getByRole("region", { name: "A plan from this playbook gets" });
    await visible(template);
    await textOf(template.locator(".template-krs li").first()).toBe(
      "Downloads per episode: from 0 to 500 downloads",
    );
    const steps = template.locator(".template-steps li");
    await textOf(steps.nth(0)).toBe("Email three hosts about guest swapsserves KR 2 · Guests booked");
    // The step's own words end in "(KR 1)": saved escaped, they stay words and link nothing.
    await textOf(steps.nth(1)).toBe("Read the sponsor FAQ (KR 1)");
    await textOf(steps.nth(2)).toBe("Post episode one in two communitiesserves KR 1 · Downloads per episode");
    await textOf(template.locator(".template-barriers li")).toBe(
      "If a guest cancels, then I publish a solo episode",
    );
    expect(await template.getByRole("note").count()).toBe(0);
    await settled(page);
    await atBothSizes(page, async (size) => {
      await screenshot(page, SHOTS, `playbook-saved-${size}`, true);
    });
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${server.url}/goals/${goalId}`);
    await visible(page.getByRole("button", { name: "Save as playbook" }));
    await atBothSizes(page, async (size) => {
      await screenshot(page, SHOTS, `goal-save-as-playbook-${size}`);
    });
    expect(problems).toEqual([]);
  });

  it("says on the playbook page which (KR …) endings stay words, and why", async () => {
    const p = await call<{ id: number }>("POST", "/playbooks", {
      title: "Quarterly review",
      body: "## Key results\n- Calls: from 0 to 20 calls\n\n## Steps\n- Call Dana (KR 1)\n- Review the Q3 numbers (KR: Revenue)\n",
    });
    await page.goto(`${server.url}/playbooks/${p.id}`);
    const template = page.getByRole("region", { name: "A plan from this playbook gets" });
    await textOf(template.locator(".template-steps li").nth(0)).toBe("Call Danaserves KR 1 · Calls");
    await textOf(template.locator(".template-steps li").nth(1)).toBe("Review the Q3 numbers (KR: Revenue)");
    await textOf(template.getByRole("note")).toContain(
      'keeps "(KR: Revenue)" as part of its text: no key result is called "Revenue" (they are "Calls")',
    );
    await settled(page);
    await atBothSizes(page, async (size) => {
      await screenshot(page, SHOTS, `playbook-note-${size}`, true);
    });
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
