/**
 * Starting a plan from a playbook on its page, in a real Chromium against the built server: the
 * form refuses a due date in the past in words, then starts the plan and opens the goal, which has
 * the playbook's why, key results (each step linked to its own) and steps, and says which "(KR …)"
 * ending stayed words. Needs `npm run build` and /usr/bin/chromium. PLAYBOOK_SHOTS=dir writes
 * screenshots.
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

const BODY = [
  "# Launch a newsletter",
  "",
  "Why: Readers who hear from us monthly renew \\& tell friends",
  "",
  "## Key results",
  "",
  "- Subscribers: from 0 to 500 subscribers",
  "- Issues sent: from 0 to 3",
  "",
  "## Steps",
  "",
  "- [ ] Pick the sign-up tool (KR 1)",
  "- [ ] Write issue one (KR: Issues sent)",
  "- [ ] Ask Dana for the logo (KR 7)",
  "",
  "## Plan B",
  "",
  "- If nobody signs up, then I post the sign-up link in two communities",
  "",
].join("\n");

describe.skipIf(skipWithoutChromium("the browser tests of starting a plan from a playbook"))(
  "start a plan from a playbook",
  () => {
    let server: RunningServer;
    let browser: Browser;
    let page: Page;
    let call: Call;
    let playbookId: number;
    const { problems, watch } = pageProblems();

    beforeAll(async () => {
      requireChromium();
      server = await startServer();
      browser = await launchChromium();
      page = await (await browser.newContext({ viewport: DESKTOP, bypassCSP: true })).newPage();
      watch(page);
      await enterApp(page, server.url);
      ({ call } = await apiAs(server.url));
      playbookId = (
        await call<{ id: number }>("POST", "/playbooks", { title: "Launch a newsletter", body: BODY })
      ).id;
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    it("starts the plan from the playbook page and lands on the goal with its why, key results and steps", async () => {
      await page.goto(`${server.url}/playbooks/${playbookId}`);
      await visible(page.getByRole("heading", { name: "Launch a newsletter", level: 1 }));
      await page.getByRole("button", { name: "Start a plan from this playbook" }).click();
      const form = page.getByRole("form", { name: "Start a plan from this playbook" });
      await visible(form);
      expect(await form.getByLabel("Goal title").inputValue()).toBe("Launch a newsletter");

      // A due date in the past is refused in words, and nothing is started.
      await form.getByLabel("Due date").fill("2020-01-01");
      await form.getByRole("button", { name: "Start the plan" }).click();
      await textOf(form.getByRole("alert")).toContain("due");
      expect(page.url()).toMatch(/\/playbooks\/\d+$/);
      await settled(page);
      await atBothSizes(page, async (size) => {
        await screenshot(page, SHOTS, `playbook-start-form-${size}`, true);
      });
      expect(await seriousViolations(page)).toEqual([]);

      await form.getByLabel("Goal title").fill("Launch the spring newsletter");
      await form.getByLabel("Due date").fill(day(60));
      await form.getByLabel("Who can see it").selectOption("workspace");
      await form.getByRole("button", { name: "Start the plan" }).click();
      await page.waitForURL(/\/goals\/\d+$/);
      await visible(page.getByRole("heading", { name: "Launch the spring newsletter", level: 1 }));
      await textOf(page.locator(".lead").first()).toBe(
        "Why: Readers who hear from us monthly renew & tell friends",
      );

      // The server's warning on the step whose "(KR 7)" stayed words is shown on arrival.
      const notice = page.getByRole("status", { name: "Started from a playbook" });
      await textOf(notice).toContain("Started from the playbook Launch a newsletter");
      await textOf(notice.locator('[data-code="playbook-kr-kept-as-text"]')).toContain('keeps "(KR 7)"');

      const steps = page.locator("section", { has: page.getByRole("heading", { name: "Steps", level: 2 }) });
      await expect
        .poll(() => steps.locator("ol.steps > li .step-text").allTextContents(), { timeout: 10_000 })
        .toEqual(["Pick the sign-up tool", "Write issue one", "Ask Dana for the logo (KR 7)"]);
      expect(await steps.locator("ol.steps > li .step-kr").allTextContents()).toEqual([
        "Key result: Subscribers",
        "Key result: Issues sent",
      ]);

      const goalId = Number(new URL(page.url()).pathname.split("/").pop());
      const plan = await call<{
        goal: { why: string | null; visibility: string; dueDate: string | null };
        keyResults: { title: string; targetValue: number }[];
        barriers: { obstacle: string }[];
      }>("GET", `/goals/${goalId}/plan`);
      expect(plan.goal).toMatchObject({ visibility: "workspace", dueDate: day(60) });
      expect(plan.keyResults.map((k) => [k.title, k.targetValue])).toEqual([
        ["Subscribers", 500],
        ["Issues sent", 3],
      ]);
      expect(plan.barriers.map((b) => b.obstacle)).toEqual(["Nobody signs up"]);

      await settled(page);
      await atBothSizes(page, async (size) => {
        await screenshot(page, SHOTS, `playbook-started-goal-${size}`, true);
      });
      expect(await seriousViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
    });
  },
);
