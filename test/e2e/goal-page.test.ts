/**
 * The goal page in a real Chromium against the built server (issue 15): it loads with one request
 * whatever the number of check-ins, offers a teammate who may only read no buttons they cannot
 * use, edits everything after saving (asking for reasons in the form), shows the history with who,
 * when, from → to and why, restores an old value, and runs micro-goal mode on the goal page and My
 * week with one component. Needs `npm run build` and /usr/bin/chromium.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  countOf,
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
  enterApp,
  joinAs,
  launchChromium,
  type RunningServer,
  startServer,
} from "./web-harness.mjs";

const SHOTS = process.env.GOALPAGE_SHOTS; // a folder to write screenshots to, when set

const shot = (page: Page, name: string) => screenshot(page, SHOTS, name);

describe.skipIf(skipWithoutChromium("the browser tests of the goal page"))("the goal page", () => {
  let server: RunningServer;
  let browser: Browser;
  let owner: BrowserContext;
  let page: Page;
  let call: Call;
  let teamId: number;
  let goalId: number;
  const MIA = { name: "Mia Member", email: "mia@example.com", password: "another horse battery staple" };
  const { problems, watch } = pageProblems();

  beforeAll(async () => {
    requireChromium();
    server = await startServer();
    browser = await launchChromium();
    owner = await browser.newContext({ viewport: DESKTOP });
    page = await owner.newPage();
    watch(page);
    await enterApp(page, server.url);
    ({ call } = await apiAs(server.url));
    teamId = (await call<{ id: number }>("POST", "/teams", { name: "Growth" })).id;
    const goal = await call<{ id: number }>("POST", "/goals", {
      title: "Grow the newsletter from 1,200 to 2,000 subscribers",
      why: "Sponsors need reach.",
      teamId,
      visibility: "team",
      startDate: day(-120),
      dueDate: day(60),
    });
    goalId = goal.id;
    await call("POST", `/goals/${goalId}/key-results`, {
      title: "Subscribers",
      unit: "subscribers",
      startValue: 1200,
      targetValue: 2000,
    });
    await call("POST", `/goals/${goalId}/key-results`, {
      title: "Sponsors",
      startValue: 0,
      targetValue: 3,
      currentValue: 2,
    });
    for (const [text, due] of [
      ["Email Raj the sponsorship deck", 3],
      ["Draft the welcome email", 5],
      ["Post the March issue on LinkedIn", 9],
    ] as const) {
      await call("POST", `/goals/${goalId}/steps`, { text, dueDate: day(due), estimateMinutes: 30 });
    }
    await call("POST", `/goals/${goalId}/barriers`, {
      obstacle: "The sponsor deck approval slips",
      planB: "If the approval slips past Friday, then I ask Dana to sign",
      likelihood: "medium",
    });
    await call("POST", `/goals/${goalId}/resources`, { kind: "person", name: "Raj", ask: "Two intros" });
    const kr = (await call<{ items: { id: number }[] }>("GET", `/goals/${goalId}/key-results`)).items[0];
    // 100 check-ins, one a day up to yesterday, on pace: the page must not ask for each one's
    // comments and kudos.
    for (let i = 0; i < 100; i++) {
      await call("POST", `/goals/${goalId}/checkins`, {
        date: day(-100 + i),
        doneText: `Wrote issue ${i + 1}`,
        confidence: "on-track",
        krValues: [{ keyResultId: kr?.id, value: Math.round(1200 + (800 * (21 + i)) / 180) }],
      });
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("loads with at most two API requests with 100 check-ins (the session and inbox count aside)", async () => {
    const seen: string[] = [];
    const onRequest = (r: { url(): string }) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith("/api/") && !/^\/api\/(auth\/session|inbox)/.test(u.pathname))
        seen.push(u.pathname);
    };
    page.on("request", onRequest);
    await page.goto(`${server.url}/goals/${goalId}`);
    await visible(page.getByRole("heading", { name: /Grow the newsletter/, level: 1 }));
    await page.getByRole("button", { name: "Show all 100 check-ins" }).click();
    await countOf(page.locator(".timeline > li").filter({ hasText: "Wrote issue" })).toBe(100);
    await page.waitForLoadState("networkidle");
    page.off("request", onRequest);
    expect(seen.length, seen.join("\n")).toBeLessThanOrEqual(2);
    expect(seen).toEqual([`/api/goals/${goalId}/page`]);
  });

  it("starts the session check and the page's data from the HTML, each asked once (issue 17)", async () => {
    await page.goto(`${server.url}/goals/${goalId}`);
    await visible(page.getByRole("heading", { name: /Grow the newsletter/, level: 1 }));
    const asked = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .map((e) => [new URL(e.name).pathname, (e as PerformanceResourceTiming).initiatorType])
        .filter(([path]) => path.startsWith("/api/")),
    );
    expect(asked.filter(([path]) => path === "/api/auth/session")).toEqual([["/api/auth/session", "link"]]);
    const data = `/api/goals/${goalId}/page`;
    expect(asked.filter(([path]) => path === data)).toEqual([[data, "link"]]);
  });

  it("says the status in words: progress against pace, slack before the due date", async () => {
    await textOf(page.getByTestId("status-progress")).toMatch(/^\d+% done; on pace would be \d+% today$/);
    await textOf(page.getByTestId("status-slack")).toMatch(
      /(days? of slack before the due date|behind what the due date needs|No slack)/,
    );
    await shot(page, "goal-desktop");
  });

  it("shows a teammate who may only read no Check in, Done, Edit or Delegate", async () => {
    const token = (
      await call<{ token: string }>("POST", "/invitations", { teamId, role: "member", email: MIA.email })
    ).token;
    await joinAs(server.url, token, MIA);
    const member = await browser.newContext({ viewport: PHONE });
    const mia = await member.newPage();
    watch(mia);
    await enterApp(mia, server.url, MIA);
    await mia.goto(`${server.url}/goals/${goalId}`);
    await visible(mia.getByRole("heading", { name: /Grow the newsletter/, level: 1 }));
    await visible(mia.getByTestId("read-only"));
    await countOf(mia.getByRole("link", { name: "Check in" })).toBe(0);
    await countOf(mia.getByRole("button", { name: /^Mark done/ })).toBe(0);
    await countOf(mia.getByRole("button", { name: /^Edit/ })).toBe(0);
    await countOf(mia.getByRole("button", { name: /^Delegate/ })).toBe(0);
    await countOf(mia.getByRole("button", { name: /^Drop/ })).toBe(0);
    // What a teammate may do is there: kudos on a check-in.
    await visible(mia.getByRole("button", { name: /Give kudos/ }));
    await shot(mia, "goal-member-phone");
    await member.close();
    // The owner sees the actions.
    await visible(page.getByRole("link", { name: "Check in" }));
    await visible(page.getByRole("button", { name: "Mark done: Email Raj the sponsorship deck" }));
    await visible(page.getByRole("button", { name: "Edit the goal" }));
  });

  it("edits the goal; moving its due date asks for the reason in the form", async () => {
    await page.getByRole("button", { name: "Edit the goal" }).click();
    const form = page.getByRole("form", { name: "Edit the goal" });
    await form.getByLabel("Title").fill("Grow the newsletter to 2,000 subscribers");
    await form.getByLabel("Why it matters").fill("Sponsors need reach, and readers asked for more.");
    await countOf(form.getByLabel("Why move the date or change the priority?")).toBe(0);
    await form.getByLabel("Due date").fill(day(90));
    await form
      .getByLabel("Why move the date or change the priority?")
      .fill("The sponsor asked for a later launch");
    await shot(page, "goal-edit-desktop");
    await form.getByRole("button", { name: "Save the changes" }).click();
    await visible(page.getByRole("heading", { name: "Grow the newsletter to 2,000 subscribers", level: 1 }));
    const history = page.locator("section", {
      has: page.getByRole("heading", { name: "Changes and reasons" }),
    });
    await visible(history.getByText("Because: The sponsor asked for a later launch"));
    await visible(history.getByText(/You changed the due date of the goal/));
  });

  it("moves a step with a reason and shows the move in the history", async () => {
    await page.getByRole("button", { name: "Edit step: Draft the welcome email" }).click();
    const form = page.getByRole("form", { name: "Edit step: Draft the welcome email" });
    await form.getByLabel("By").fill(day(12));
    await form.getByLabel("Why move the date?").fill("Waiting for the new logo");
    await form.getByRole("button", { name: "Save the step" }).click();
    const history = page.locator("section", {
      has: page.getByRole("heading", { name: "Changes and reasons" }),
    });
    const entry = history.locator("li", { hasText: 'step "Draft the welcome email"' }).first();
    await visible(entry);
    await textOf(entry).toContain("Because: Waiting for the new logo");
    await textOf(entry).toMatch(/You changed the due date of step "Draft the welcome email"/);
  });

  it("drops a step with a reason and re-opens it", async () => {
    await page.getByRole("button", { name: "Drop step: Post the March issue on LinkedIn" }).click();
    await page.getByLabel("Why drop it?").fill("LinkedIn brings no readers");
    await page.getByRole("button", { name: "Drop the step" }).click();
    await countOf(page.getByRole("button", { name: "Mark done: Post the March issue on LinkedIn" })).toBe(0);
    await page.getByText(/Done and dropped/).click();
    await page.getByRole("button", { name: "Re-open step: Post the March issue on LinkedIn" }).click();
    await page.getByLabel("Why re-open it?").fill("A reader asked for it");
    await page.getByRole("button", { name: "Re-open the step" }).click();
    await visible(page.getByRole("button", { name: "Mark done: Post the March issue on LinkedIn" }));
  });

  it("reorders steps and makes one repeat", async () => {
    const steps = page.locator("section", { has: page.getByRole("heading", { name: "Steps" }) });
    const texts = () => steps.locator("ol.steps > li .step-text").allTextContents();
    expect((await texts())[0]).toBe("Email Raj the sponsorship deck");
    await page.getByRole("button", { name: "Move down: Email Raj the sponsorship deck" }).click();
    await expect
      .poll(async () => (await texts())[1], { timeout: 10_000 })
      .toBe("Email Raj the sponsorship deck");
    await page.getByRole("button", { name: "Edit step: Email Raj the sponsorship deck" }).click();
    const form = page.getByRole("form", { name: "Edit step: Email Raj the sponsorship deck" });
    await form.getByLabel("Repeats").fill("every Monday");
    await form.getByRole("button", { name: "Save the step" }).click();
    await visible(steps.getByText("Repeats every Monday"));
  });

  // A step can belong to a key result
  it("links a step to a key result in the add and edit forms, and shows it on the step's line", async () => {
    const steps = page.locator("section", { has: page.getByRole("heading", { name: "Steps" }) });
    const add = page.getByRole("form", { name: "Add a step" });
    await add.getByLabel("Add a step").fill("Ask Raj for two sponsor intros");
    await add.getByLabel("Key result").selectOption({ label: "Sponsors" });
    await add.getByRole("button", { name: "Add" }).click();
    const line = steps.locator("ol.steps > li", { hasText: "Ask Raj for two sponsor intros" });
    await visible(line.getByText("Key result: Sponsors"));
    await page.getByRole("button", { name: "Edit step: Draft the welcome email" }).click();
    const form = page.getByRole("form", { name: "Edit step: Draft the welcome email" });
    await form.getByLabel("Key result").selectOption({ label: "Subscribers" });
    await form.getByRole("button", { name: "Save the step" }).click();
    const edited = steps.locator("ol.steps > li", { hasText: "Draft the welcome email" });
    await visible(edited.getByText("Key result: Subscribers"));
    const history = page.locator("section", {
      has: page.getByRole("heading", { name: "Changes and reasons" }),
    });
    await textOf(history.locator("li", { hasText: "key result" }).first()).toMatch(
      /key result of step "Draft the welcome email"|step "Draft the welcome email"/,
    );
    await edited.scrollIntoViewIfNeeded();
    await shot(page, "goal-step-kr-desktop");
    await page.setViewportSize(PHONE);
    await visible(edited.getByText("Key result: Subscribers"));
    await edited.scrollIntoViewIfNeeded();
    await shot(page, "goal-step-kr-phone");
    await page.setViewportSize(DESKTOP);
    await page.getByRole("button", { name: "Edit step: Draft the welcome email" }).click();
    await form.getByLabel("Key result").selectOption({ label: "None" });
    await form.getByRole("button", { name: "Save the step" }).click();
    await countOf(edited.getByText("Key result: Subscribers")).toBe(0);
  });

  it("edits a Plan B", async () => {
    await page.getByRole("button", { name: "Edit barrier: The sponsor deck approval slips" }).click();
    const form = page.getByRole("form", { name: "Edit barrier: The sponsor deck approval slips" });
    await form
      .getByLabel("Plan B (if …, then I …)")
      .fill("If the approval slips past Friday, then I send the deck as a draft");
    await form.getByRole("button", { name: "Save" }).click();
    await visible(
      page.getByText("Plan B: If the approval slips past Friday, then I send the deck as a draft"),
    );
  });

  it("restores an earlier title from the history, through the normal change (itself recorded)", async () => {
    const history = page.locator("section", {
      has: page.getByRole("heading", { name: "Changes and reasons" }),
    });
    const before = await history.locator("ol > li").count();
    await history
      .getByRole("button", {
        name: "Restore the title to Grow the newsletter from 1,200 to 2,000 subscribers",
      })
      .click();
    await history.getByLabel("Why restore it?").fill("The old title said the start");
    await history.getByRole("button", { name: /^Restore Grow the newsletter from/ }).click();
    await visible(
      page.getByRole("heading", { name: "Grow the newsletter from 1,200 to 2,000 subscribers", level: 1 }),
    );
    await countOf(history.locator("ol > li")).toBe(before + 1);
    await visible(history.getByText("Because: The old title said the start"));
  });

  it("retires a key result with a reason", async () => {
    await page.getByRole("button", { name: "Edit key result: Sponsors" }).click();
    const form = page.getByRole("form", { name: "Edit key result: Sponsors" });
    await form.getByRole("button", { name: "Retire…" }).click();
    await form.getByLabel("Why retire it?").fill("Sponsors moved to the podcast goal");
    await form.getByRole("button", { name: "Retire the key result" }).click();
    await visible(page.locator(".krs li", { hasText: "Sponsors" }).getByText("Retired"));
    await countOf(page.getByRole("button", { name: "Edit key result: Sponsors" })).toBe(0);
    const history = page.locator("section", {
      has: page.getByRole("heading", { name: "Changes and reasons" }),
    });
    await visible(history.getByText("Because: Sponsors moved to the podcast goal"));
  });

  it("marks the goal done", async () => {
    await page.getByRole("button", { name: "Mark the goal done" }).click();
    await visible(page.getByRole("heading", { name: "This goal is closed" }));
    await textOf(page.locator(".eyebrow").first()).toContain("done");
    await countOf(page.getByRole("link", { name: "Check in" })).toBe(0);
  });

  it("archives the finished goal out of the goals list, and takes it back out", async () => {
    const goalUrl = page.url();
    const title = "Grow the newsletter from 1,200 to 2,000 subscribers";
    await page.getByRole("button", { name: "Archive the goal" }).click();
    await visible(page.getByText(/archived just now: it is out of your goals list/));
    await shot(page, "goal-archived");
    await page.goto(`${server.url}/goals`);
    await visible(page.getByRole("heading", { name: "Goals", level: 1 }));
    await countOf(page.getByRole("link", { name: title })).toBe(0);
    await page.getByRole("link", { name: "Archived goals" }).click();
    await visible(page.getByRole("heading", { name: "Archived goals", level: 1 }));
    await shot(page, "goals-archived");
    await page.getByRole("link", { name: title }).click();
    await page.getByRole("button", { name: "Take it out of the archive" }).click();
    await visible(page.getByRole("button", { name: "Archive the goal" }));
    const history = page.locator("section", {
      has: page.getByRole("heading", { name: "Changes and reasons" }),
    });
    await visible(history.getByText("the archive").first());
    await page.goto(`${server.url}/goals`);
    await visible(page.getByRole("link", { name: title }));
    await page.goto(goalUrl);
  });

  it("shows a stalled goal's one existing step in micro-goal mode on My week and the goal page; Done leaves the mode with a celebration", async () => {
    const stalled = await call<{ id: number }>("POST", "/goals", {
      title: "Renew the gym membership",
      startDate: day(-20),
      dueDate: day(2000),
    });
    await call("POST", `/goals/${stalled.id}/steps`, { text: "Call the gym about the yearly rate" });
    // Reading the status stores the mode (the daily stall scan would too).
    const status = await call<{ mode: string }>("GET", `/goals/${stalled.id}/status`);
    expect(status.mode).toBe("micro-goal");

    await page.goto(`${server.url}/`);
    const card = page.locator(".micro-goal", { hasText: "Renew the gym membership" });
    await visible(card);
    await visible(card.getByText("Call the gym about the yearly rate"));
    await visible(card.getByRole("button", { name: "Done: Call the gym about the yearly rate" }));
    await card.scrollIntoViewIfNeeded();
    await shot(page, "week-micro-desktop");

    await page.goto(`${server.url}/goals/${stalled.id}`);
    await visible(page.getByRole("heading", { name: "Renew the gym membership", level: 1 }));
    await countOf(page.getByText("No open steps")).toBe(0);
    await textOf(page.getByTestId("status-stalled")).toMatch(
      /20 days since it started \(every 7 days planned\)/,
    );
    const micro = page.locator(".micro-goal");
    await visible(micro.getByText("Call the gym about the yearly rate"));
    await shot(page, "goal-micro-desktop");
    await micro.getByRole("button", { name: "Done: Call the gym about the yearly rate" }).click();
    await visible(page.getByText("Back on track"));
    await shot(page, "goal-back-on-track-desktop");
    await countOf(page.locator(".micro-goal")).toBe(0);
  });

  it("writes the one step when there is none, and shows it", async () => {
    const stalled = await call<{ id: number }>("POST", "/goals", {
      title: "Learn to bake sourdough",
      startDate: day(-20),
      dueDate: day(2000),
    });
    await page.goto(`${server.url}/goals/${stalled.id}`);
    const micro = page.locator(".micro-goal");
    await micro.getByLabel("Your one small step").fill("Buy rye flour at the market");
    await micro.getByRole("button", { name: "Add the step" }).click();
    await visible(micro.getByRole("button", { name: "Done: Buy rye flour at the market" }));
    await page.setViewportSize(PHONE);
    await shot(page, "goal-micro-phone");
    await page.setViewportSize(DESKTOP);
  });

  for (const viewport of [DESKTOP, PHONE]) {
    it(`finds no serious or critical axe violations with the edit forms open at ${viewport.width}×${viewport.height}`, async () => {
      const g = await call<{ id: number }>("POST", "/goals", {
        title: "Hire a part-time editor",
        startDate: day(-3),
        dueDate: day(60),
      });
      await call("POST", `/goals/${g.id}/steps`, {
        text: "Write the job ad",
        dueDate: day(5),
        estimateMinutes: 45,
      });
      await call("POST", `/goals/${g.id}/key-results`, {
        title: "Candidates",
        startValue: 0,
        targetValue: 5,
      });
      await call("POST", `/goals/${g.id}/barriers`, {
        obstacle: "No budget",
        planB: "If no budget, then I ask Dana",
      });
      await call("PATCH", `/goals/${g.id}`, { dueDate: day(70), reason: "Holidays" });
      // axe is injected as an inline script, which the app's CSP rightly refuses: bypass it here only.
      const axeContext = await browser.newContext({
        viewport,
        storageState: await owner.storageState(),
        bypassCSP: true,
      });
      const page = await axeContext.newPage();
      watch(page);
      await page.goto(`${server.url}/goals/${g.id}`);
      await visible(page.getByRole("heading", { name: "Hire a part-time editor", level: 1 }));
      await page.getByRole("button", { name: "Edit the goal" }).click();
      await page.getByRole("button", { name: "Edit step: Write the job ad" }).click();
      await page.getByRole("button", { name: "Edit key result: Candidates" }).click();
      await page.getByRole("button", { name: "Edit barrier: No budget" }).click();
      await page.getByRole("button", { name: /^Restore the due date/ }).click();
      await page.waitForLoadState("networkidle");
      expect(await seriousViolations(page)).toEqual([]);
      const tag = `${viewport.width}`;
      await page.locator("section", { has: page.getByRole("heading", { name: "Steps" }) }).screenshot({
        path: `${SHOTS ?? "/tmp"}/goal-steps-${tag}.png`,
      });
      await page
        .locator("section", { has: page.getByRole("heading", { name: "Changes and reasons" }) })
        .screenshot({ path: `${SHOTS ?? "/tmp"}/goal-history-${tag}.png` });
      await axeContext.close();
    });
  }

  it("raises no console errors while in use", () => {
    expect(problems).toEqual([]);
  });
});
