/**
 * SMART's A and R in the plan builder's checklist (issue 18), in a real Chromium against the built
 * server: "Relevant" is done once the goal has a why or a parent goal; "Achievable" appears once a
 * due date and an estimated step let it be judged, and says why when the steps cannot fit. Needs
 * `npm run build` and /usr/bin/chromium (skipped without it, unless CI=true). Screenshots go to
 * /tmp/coach-shots/.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { addDays } from "../../src/core/dates.js";
import { atBothSizes, DESKTOP, requireChromium, screenshot, skipWithoutChromium } from "./browser.js";
import { enterApp, launchChromium, type RunningServer, startServer } from "./web-harness.mjs";

const SHOTS = "/tmp/coach-shots";

describe.skipIf(skipWithoutChromium("the SMART checklist browser tests"))(
  "SMART in the plan builder's checklist",
  () => {
    let server: RunningServer;
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      requireChromium();
      server = await startServer();
      browser = await launchChromium();
      page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
      await enterApp(page, server.url);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    const item = (state: "ok" | "todo", text: RegExp) => page.locator(`li.${state}`, { hasText: text });

    it("marks the plan relevant once it has a why, and achievable only when its steps fit", async () => {
      await page.goto(`${server.url}/plan`);
      await page.getByRole("heading", { name: "Build a plan" }).waitFor();
      await page.getByLabel("Goal", { exact: true }).fill("Publish 3 case studies");
      await item("todo", /^. Relevant: it has a why or serves a parent goal/).waitFor();
      await page.getByLabel("Why does this matter?").fill("Prospects ask for proof from firms like theirs.");
      await item("ok", /Relevant: it has a why or serves a parent goal/).waitFor();

      // Due in three days, with 40 hours of estimated work: it cannot fit. (Four days in a row hold
      // two to four working days whatever the weekday, so 90 minutes fit and 40 hours never do.)
      const today = new Date().toISOString().slice(0, 10);
      await page.getByLabel("Due date").fill(addDays(today, 3));
      await page
        .getByLabel("Step 1", { exact: true })
        .fill("Interview the Acme team for the first case study");
      await page.getByLabel("Minutes").first().fill("2400");
      await item("todo", /Achievable: the steps' estimates fit/).waitFor();
      await page
        .getByTestId("smart-due-before-steps-fit")
        .getByText(/The open steps are estimated at 40 hours/)
        .waitFor();
      await atBothSizes(page, (label) => screenshot(page, SHOTS, `builder-smart-${label}`, true));

      await page.getByLabel("Minutes").first().fill("90");
      await item("ok", /Achievable: the steps' estimates fit/).waitFor();
    });
  },
);
