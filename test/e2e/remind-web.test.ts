/**
 * Issue 19, the web parts of "Nudges for everyone" and the CSV template, in a real Chromium against
 * the built server (with email on, through a real SMTP sink, and 127.0.0.1 on the outbound
 * allow-list so a real HTTP receiver on this machine may be a person's own channel):
 * - Settings: a person connects their own Slack incoming webhook (a URL the server refuses is
 *   explained next to the field), sees it masked and its Slack tick appear, and disconnects it;
 * - Settings: the weekly review email turned on at a day and hour stays so after a reload, and is
 *   explained rather than offered on a server that sends no email;
 * - the goal page: a step added with a date and a time of day shows the time on its line;
 * - the Import page: the template downloads, header row and all.
 * axe-core and the page's width are checked at 1280×800 and 390×844.
 * Needs `npm run build` and /usr/bin/chromium (skipped without it, unless CI=true).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Receiver, startReceiver } from "../helpers/receiver.js";
import { startSmtp, type TestSmtp } from "../helpers/smtp.js";
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
  ROOT,
  type RunningServer,
  startServer,
} from "./web-harness.mjs";

const SHOTS = "/tmp/web19-shots";
const TEMPLATE = join(ROOT, "docs", "templates", "okr-import.csv");
const ALLOW = "THROUGHLINE_OUTBOUND_ALLOW";

interface SettingsAnswer {
  channels: Record<string, boolean>;
  personalChannel: { kind: string; url: string } | null;
  weeklyReview: { day: string; hour: number } | null;
}

describe.skipIf(skipWithoutChromium("the reminders browser test"))(
  "my own channel, the weekly review, a step's time and the CSV template in the web app",
  () => {
    let server: RunningServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let call: Call;
    let rx: Receiver;
    let smtp: TestSmtp;
    const { problems, watch } = pageProblems();
    const saved = { smtp: process.env.SMTP_URL, allow: process.env[ALLOW] };

    /** The page is no wider than the window. */
    const noPageOverflow = () =>
      page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

    /**
     * Looks at the page at both sizes: screenshots (of the window with `at` in view, or of the whole
     * page), axe-core and no sideways scrolling.
     */
    const look = (name: string, at?: Locator) =>
      atBothSizes(page, async (size) => {
        await at?.scrollIntoViewIfNeeded();
        await screenshot(page, SHOTS, `${name}-${size}`, at === undefined);
        expect(await seriousViolations(page), `${name} at ${size}`).toEqual([]);
        expect(await noPageOverflow(), `${name} at ${size} scrolls sideways`).toBe(true);
      });

    const card = (title: string) =>
      page.locator("section.card", { has: page.getByRole("heading", { name: title, exact: true }) });

    beforeAll(async () => {
      requireChromium();
      rx = await startReceiver();
      smtp = await startSmtp();
      // The server process reads these at start: email on, and this machine reachable.
      process.env.SMTP_URL = smtp.url;
      process.env[ALLOW] = "127.0.0.1";
      try {
        server = await startServer();
      } finally {
        if (saved.smtp === undefined) delete process.env.SMTP_URL;
        else process.env.SMTP_URL = saved.smtp;
        if (saved.allow === undefined) delete process.env[ALLOW];
        else process.env[ALLOW] = saved.allow;
      }
      browser = await launchChromium();
      context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true, bypassCSP: true });
      page = await context.newPage();
      watch(page);
      await enterApp(page, server.url);
      ({ call } = await apiAs(server.url));
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await rx?.close();
      await smtp?.close();
    });

    it("connects my own Slack (then Teams) channel, explaining a refused URL next to the field", async () => {
      await page.goto(`${server.url}/settings`);
      await settled(page);
      const channels = card("Notification channels");
      await visible(channels.getByLabel(/In-app inbox/));
      // Before connecting: inbox and email only.
      expect(await channels.getByRole("checkbox").count()).toBe(2);
      const own = channels.getByRole("region", { name: /My own Slack or Teams channel/ });
      await textOf(own).toContain("Not connected");
      await look("channel-empty", own);

      // A private address is refused; the API's words are under the field, the field marked.
      const field = own.getByLabel("Slack incoming webhook URL");
      await field.fill("https://10.0.0.1/services/T0/B0/x");
      await own.getByRole("button", { name: "Connect Slack" }).click();
      const problem = own.locator(".field-problem");
      await textOf(problem).toContain("This URL points at 10.0.0.1, which is a private network address.");
      expect(await field.getAttribute("aria-invalid")).toBe("true");
      expect(await field.getAttribute("aria-describedby")).toContain(await problem.getAttribute("id"));
      await look("channel-refused", own);
      let s = await call<SettingsAnswer>("GET", "/settings");
      expect(s.personalChannel).toBeNull();

      // A real receiver on this machine (allowed by THROUGHLINE_OUTBOUND_ALLOW) is accepted.
      await field.fill(`${rx.url}/services/T0/B0/secret-part-1234`);
      await own.getByRole("button", { name: "Connect Slack" }).click();
      await textOf(own.getByRole("status")).toContain("Connected. Your nudges now also go to Slack.");
      await textOf(own).toContain(`${rx.url}/…1234`);
      expect(await own.textContent()).not.toContain("secret-part");
      const slack = channels.getByRole("checkbox", { name: /Slack/ });
      await visible(slack);
      expect(await slack.isChecked()).toBe(true);
      s = await call<SettingsAnswer>("GET", "/settings");
      expect(s.personalChannel).toEqual({ kind: "slack", url: `${rx.url}/…1234` });
      expect(s.channels.slack).toBe(true);

      // It stays after a reload, and the Slack tick turns nudges there off and on.
      await page.reload();
      await settled(page);
      await textOf(own).toContain(`${rx.url}/…1234`);
      await look("channel-connected", own);
      await channels.getByRole("checkbox", { name: /Slack/ }).uncheck();
      await expect
        .poll(async () => (await call<SettingsAnswer>("GET", "/settings")).channels.slack)
        .toBe(false);

      // Disconnecting removes it and its tick.
      await own.getByRole("button", { name: "Disconnect Slack" }).click();
      await textOf(own.getByRole("status")).toContain("Disconnected");
      await textOf(own).toContain("Not connected");
      expect(await channels.getByRole("checkbox", { name: /Slack/ }).count()).toBe(0);
      expect((await call<SettingsAnswer>("GET", "/settings")).personalChannel).toBeNull();

      // A Teams workflow the same way: its own field, its own tick.
      await own.getByLabel("Post my nudges to").selectOption("teams");
      await own.getByLabel("Teams workflow URL").fill(`${rx.url}/workflows/abc/triggers/manual-5678`);
      await own.getByRole("button", { name: "Connect Microsoft Teams" }).click();
      await textOf(own).toContain(`${rx.url}/…5678`);
      expect(await channels.getByRole("checkbox", { name: /Microsoft Teams/ }).isChecked()).toBe(true);
      expect((await call<SettingsAnswer>("GET", "/settings")).personalChannel?.kind).toBe("teams");
      await own.getByRole("button", { name: "Disconnect Microsoft Teams" }).click();
      await textOf(own).toContain("Not connected");
      expect((await call<SettingsAnswer>("GET", "/settings")).personalChannel).toBeNull();
    });

    it("turns the weekly review email on at a day and hour, kept after a reload", async () => {
      const review = card("Weekly review email");
      await visible(review);
      await textOf(review).toContain("wins");
      await textOf(review).toContain("follow-through rate");
      const on = review.getByLabel("Send me the weekly review");
      expect(await on.isChecked()).toBe(false);
      expect(await review.getByLabel("Review on").isDisabled()).toBe(true);
      await on.check();
      await review.getByLabel("Review on").selectOption("thursday");
      await review.getByLabel("at", { exact: true }).selectOption("17");
      await review.getByRole("button", { name: "Save weekly review" }).click();
      await textOf(review.getByRole("status")).toContain("Saved.");
      expect((await call<SettingsAnswer>("GET", "/settings")).weeklyReview).toEqual({
        day: "thursday",
        hour: 17,
      });
      await page.reload();
      await settled(page);
      await visible(review.getByLabel("Send me the weekly review"));
      expect(await review.getByLabel("Send me the weekly review").isChecked()).toBe(true);
      expect(await review.getByLabel("Review on").inputValue()).toBe("thursday");
      expect(await review.getByLabel("at", { exact: true }).inputValue()).toBe("17");
      await look("weekly-review-on", review);

      // Off again.
      await review.getByLabel("Send me the weekly review").uncheck();
      await review.getByRole("button", { name: "Save weekly review" }).click();
      await textOf(review.getByRole("status")).toContain("Saved.");
      expect((await call<SettingsAnswer>("GET", "/settings")).weeklyReview).toBeNull();
    });

    it("adds a step with a date and a time of day, and shows the time on its line", async () => {
      const goal = await call<{ id: number }>("POST", "/goals", {
        title: "Send the board update every month",
        why: "The board decides the budget on what it reads.",
        dueDate: day(60),
      });
      await page.goto(`${server.url}/goals/${goal.id}`);
      await settled(page);
      const add = page.getByRole("form", { name: "Add a step" });
      await visible(add);
      const at = add.getByLabel("At", { exact: true });
      // As in the step editor: no time without a date.
      expect(await at.isDisabled()).toBe(true);
      expect(await at.getAttribute("title")).toBe("Give a date first.");
      await look("add-step-empty", add);
      await add.getByLabel("Add a step").fill("Draft the board update");
      await add.getByLabel("By").fill(day(3));
      expect(await at.isDisabled()).toBe(false);
      await at.fill("09:30");
      await look("add-step-filled", add);
      await add.getByRole("button", { name: "Add", exact: true }).click();
      const line = page.locator("li.step", { hasText: "Draft the board update" });
      await visible(line);
      await textOf(line.locator(".step-meta")).toMatch(/^By .+, 09:30/);
      const plan = await call<{ steps: { text: string; dueDate: string; dueTime: string | null }[] }>(
        "GET",
        `/goals/${goal.id}/plan`,
      );
      const step = plan.steps.find((x) => x.text === "Draft the board update");
      expect(step?.dueDate).toBe(day(3));
      expect(step?.dueTime).toBe("09:30");
      // The form is empty again, its time off until a date is given.
      expect(await add.getByLabel("By").inputValue()).toBe("");
      expect(await at.isDisabled()).toBe(true);
      await look("add-step-added", line);
    });

    it("downloads the CSV template from the Import page, header row and all", async () => {
      await page.goto(`${server.url}/import`);
      await settled(page);
      const csv = page.getByRole("region", { name: "Spreadsheets and OKR tools (CSV)" });
      const link = csv.getByRole("link", { name: /Download the template/ });
      await visible(link);
      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      expect(download.suggestedFilename()).toBe("okr-import.csv");
      const got = readFileSync(await download.path(), "utf8");
      expect(got.split(/\r?\n/)[0]).toBe(
        "Objective,Why,Key result,Unit,Start,Target,Current,Owner,Due,Check-in date,Check-in value,Check-in note",
      );
      expect(got).toBe(readFileSync(TEMPLATE, "utf8"));
      await look("import-template", link);
    });

    it("says there is no weekly review email on a server that sends no email", async () => {
      const plain = await startServer();
      try {
        const ctx = await browser.newContext({ viewport: DESKTOP });
        const p = await ctx.newPage();
        watch(p);
        await enterApp(p, plain.url);
        await p.goto(`${plain.url}/settings`);
        const review = p.locator("section.card", {
          has: p.getByRole("heading", { name: "Weekly review email", exact: true }),
        });
        await textOf(review.getByTestId("no-review-email")).toContain(
          "This server does not send email yet, so there is no weekly review email",
        );
        expect(await review.getByRole("checkbox").count()).toBe(0);
        expect(await review.getByRole("combobox").count()).toBe(0);
        await review.scrollIntoViewIfNeeded();
        await screenshot(p, SHOTS, "weekly-review-no-email-desktop");
        await ctx.close();
      } finally {
        await plain.stop();
      }
      expect(problems).toEqual([]);
    });
  },
);
