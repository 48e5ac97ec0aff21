/**
 * The web app in a real Chromium against the built server on a free port with a temporary
 * database: first run, the plan builder with the coach, a check-in with an obstacle and its Plan B,
 * steps done moving the chart and the wins, keyboard use, error states, and axe-core on every page
 * at 1280×800 and 390×844. Needs `npm run build` and /usr/bin/chromium (skipped without it, unless
 * CI=true, where a missing browser fails the run).
 *
 * A second person joins by an invitation link made on the Team page, in their own browser context:
 * the leader sees them in the team view but not their private goal, and a step is delegated,
 * questioned, answered and accepted across the two browsers.
 */
import { join } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  countOf,
  DESKTOP,
  PHONE,
  pageProblems,
  requireChromium,
  seriousViolations,
  settled,
  skipWithoutChromium,
  textOf,
  visible,
} from "./browser.js";
import {
  apiAs,
  type Call,
  enterApp,
  launchChromium,
  type RunningServer,
  seedPlan,
  startServer,
} from "./web-harness.mjs";

type Seeded = Awaited<ReturnType<typeof seedPlan>>;

describe.skipIf(skipWithoutChromium("the web app's browser tests"))("the web app", () => {
  let server: RunningServer;
  let browser: Browser;
  let owner: BrowserContext;
  let page: Page;
  let call: Call;
  let seeded: Seeded;
  let member: BrowserContext;
  let mia: Page;
  let teamId: number;
  /** A playbook with a task list, a table and hostile HTML, made by the test that renders it. */
  let checklist: number | undefined;
  const MIA = { name: "Mia Member", email: "mia@example.com", password: "another horse battery staple" };
  const { problems: consoleProblems, watch } = pageProblems();

  beforeAll(async () => {
    requireChromium();
    server = await startServer();
    browser = await launchChromium();
    owner = await browser.newContext({ viewport: DESKTOP });
    page = await owner.newPage();
    watch(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("opens on first run, creates the owner and lands on my week", async () => {
    await enterApp(page, server.url);
    await settled(page);
    await visible(page.getByText("What is one small step you can take this week?").first());
    ({ call } = await apiAs(server.url));
    seeded = await seedPlan(call);
  });

  it("builds a plan in the plan builder, with the coach's findings as they are typed", async () => {
    await page.goto(`${server.url}/plan`);
    await page.getByRole("heading", { name: "Build a plan" }).waitFor();
    await page
      .getByLabel("What does success look like?")
      .fill("Every episode has 500 downloads in its first week.");
    await page.getByLabel("Why does this matter?").fill("Guests and sponsors look at downloads first.");
    await page.getByLabel("Goal", { exact: true }).fill("Grow podcast downloads from 300 to 500 per episode");
    await page.getByLabel("Due date").fill("2030-06-30");
    await page.getByLabel("Key result 1", { exact: true }).fill("Downloads per episode");
    await page.getByLabel("From", { exact: true }).fill("300");
    await page.getByLabel("To", { exact: true }).fill("500");
    const step = page.getByLabel("Step 1", { exact: true });
    await step.fill("Work on the podcast");

    const coach = page.locator(".coach-status");
    await expect
      .poll(() => coach.getAttribute("data-coach-state"), { timeout: 10_000 })
      .toMatch(/ready|unavailable/);
    if ((await coach.getAttribute("data-coach-state")) === "ready") {
      const stepField = page.locator(".field", { has: step });
      await visible(stepField.locator(".finding").first());
      await textOf(stepField.locator(".finding-suggestion").first()).toContain("Try:");
      const before = Number(await page.getByTestId("plan-score").textContent());
      await step.fill("Email three podcast hosts to propose a guest swap");
      await countOf(stepField.locator(".finding")).toBe(0);
      await expect
        .poll(async () => Number(await page.getByTestId("plan-score").textContent()))
        .toBeGreaterThan(before);
    } else {
      await visible(page.getByTestId("coach-unavailable"));
      await step.fill("Email three podcast hosts to propose a guest swap");
    }

    await page.getByRole("button", { name: "Add a person or tool" }).click();
    await page.getByLabel("Who or what 1", { exact: true }).fill("Priya");
    await page.getByLabel("What to ask").fill("Introduce me to her producer");
    await page.getByRole("button", { name: "Add an obstacle" }).click();
    await page.getByLabel("Obstacle 1", { exact: true }).fill("A guest cancels");
    await page.getByLabel("Plan B (if … then …)").fill("If a guest cancels, then I publish a solo episode");
    await page.getByRole("button", { name: "Save the plan" }).click();
    await page.getByRole("heading", { name: "Grow podcast downloads from 300 to 500 per episode" }).waitFor();
    await visible(page.getByText("Email three podcast hosts to propose a guest swap"));
    await visible(page.getByText("If a guest cancels, then I publish a solo episode"));
  });

  it("checks in with an obstacle hit and shows its Plan B at once", async () => {
    await page.goto(`${server.url}/goals/${seeded.goal.id}/check-in`);
    await page.getByRole("heading", { name: "Check in" }).waitFor();
    await page.getByLabel("Subscribers").fill("1650");
    await page.getByLabel("At risk").check();
    await page.getByLabel("The sponsor deck approval slips").check();
    await textOf(page.locator(".planb-inline")).toContain("ask Dana to sign as deputy");
    await page.getByRole("button", { name: "Save the check-in" }).click();
    const planB = page.getByTestId("planb");
    await textOf(planB).toContain("If the approval slips past Friday, then I ask Dana to sign as deputy");
    await textOf(planB).toContain("Raj");
  });

  it("marks steps done, and the chart and this week's wins change", async () => {
    await page.goto(`${server.url}/goals/${seeded.goal.id}`);
    await page.locator('.chart-box[data-loaded="true"]').waitFor({ timeout: 15_000 });
    const summary = page.getByTestId("chart-summary");
    await textOf(summary).toContain("2 of 5 steps done");
    await textOf(summary).toContain("Progress 56%");
    await page
      .getByRole("button", { name: /^Mark done: / })
      .first()
      .click();
    await textOf(summary).toContain("3 of 5 steps done");
    await page.goto(`${server.url}/`);
    await settled(page);
    const wins = page.locator("section", { has: page.getByRole("heading", { name: "This week's wins" }) });
    await visible(wins.locator(".wins li").first());
  });

  it("is usable with the keyboard alone", async () => {
    await page.goto(`${server.url}/`);
    await settled(page);
    await page.keyboard.press("Tab");
    await textOf(page.locator(":focus")).toBe("Skip to content");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => location.hash)).toBe("#main");
    await page.keyboard.press("Shift+Tab");
    // From inside the page, move back to the navigation and open the playbooks.
    // What has focus now, without waiting for something to have it (past the last element, nothing does).
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? "");
    for (let i = 0; i < 30; i++) {
      if ((await focused()) === "Playbooks") break;
      await page.keyboard.press("Shift+Tab");
    }
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Playbooks", level: 1 }).waitFor();
    // The list loads after the heading: tab only once the playbook's link is there.
    await page.getByRole("link", { name: "Launching a newsletter issue" }).waitFor();
    for (let i = 0; i < 40; i++) {
      if ((await focused()) === "Launching a newsletter issue") break;
      await page.keyboard.press("Tab");
    }
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Launching a newsletter issue", level: 1 }).waitFor();
    const focusVisible = await page.evaluate(() => {
      const a = document.querySelector<HTMLAnchorElement>('a[href$="/edit"]');
      a?.focus();
      return a ? getComputedStyle(a).outlineStyle !== "none" : false;
    });
    expect(focusVisible).toBe(true);
  });

  it("renders playbook Markdown without running its HTML", async () => {
    await page.goto(`${server.url}/playbooks/${seeded.playbook.id}`);
    await page.getByRole("heading", { name: "Before Tuesday" }).waitFor();
    await textOf(page.locator(".markdown strong").first()).toBe("Sunday evening");
    await countOf(page.locator(".markdown script")).toBe(0);
    // One renderer, the server's (src/app/markdown.ts): it leaves a script out altogether, where the
    // page's own renderer used to show it as text. The words around it stay.
    await textOf(page.locator(".markdown")).toContain("See the ConvertKit docs for scheduling.");
    await textOf(page.locator(".markdown")).not.toContain("alert('not run')");
  });

  it("shows a task list as checkboxes and a table on the page, in the history and in the preview, running none of the HTML", async () => {
    const body = [
      "# Release checklist",
      "",
      "- [x] Tag the release",
      "- [ ] Write the notes",
      "",
      "| Day | Who |",
      "|:----|----:|",
      "| Monday | Dana |",
      "",
      "<script>window.ran = 'script'</script>",
      "",
      '<img src="/nothing.png" onerror="window.ran = \'onerror\'">',
      "",
      "<svg onload=\"window.ran = 'onload'\"></svg> <b onmouseover=\"window.ran = 'hover'\">Careful</b>",
      "",
      "[click](javascript:window.ran='link') and <a href=\"javascript:window.ran='a'\">this</a>",
    ].join("\n");
    const ran = () => page.evaluate(() => (window as unknown as { ran?: string }).ran ?? null);
    const rendersChecklist = async (text: Locator) => {
      await countOf(text.locator('input[type="checkbox"]')).toBe(2);
      const done = text.getByRole("checkbox", { name: "Tag the release" });
      const open = text.getByRole("checkbox", { name: "Write the notes" });
      expect([await done.isChecked(), await open.isChecked()]).toEqual([true, false]);
      expect([await done.isDisabled(), await open.isDisabled()]).toEqual([true, true]);
      await textOf(text.locator("table th").first()).toBe("Day");
      await textOf(text.locator("table td").first()).toBe("Monday");
      await countOf(
        text.locator("script, img, svg, [onerror], [onload], [onmouseover], [href^='javascript']"),
      ).toBe(0);
      await text.getByText("Careful").hover();
      await text.getByText("click", { exact: true }).click();
      expect(await ran()).toBeNull();
    };

    checklist = (await call<{ id: number }>("POST", "/playbooks", { title: "Releasing", body })).id;
    await call("PUT", `/playbooks/${checklist}`, { body: `${body}\n\nSecond version.` });
    await page.goto(`${server.url}/playbooks/${checklist}`);
    await page.getByRole("heading", { name: "Release checklist" }).waitFor();
    await rendersChecklist(page.locator(".markdown"));
    // A box shows state: it cannot be ticked on the page.
    await page.locator('.markdown input[type="checkbox"]').nth(1).click({ force: true });
    expect(await page.locator('.markdown input[type="checkbox"]').nth(1).isChecked()).toBe(false);

    await page.goto(`${server.url}/playbooks/${checklist}/history`);
    await page.getByText("Version 1").click();
    await rendersChecklist(page.locator("details[open] .markdown"));

    await page.goto(`${server.url}/playbooks/new`);
    await page.getByLabel("Title").fill("Releasing, again");
    await page.getByLabel("Text (Markdown)").fill(body);
    await rendersChecklist(page.getByRole("region", { name: "Preview" }).locator(".markdown"));
  });

  it("imports a Taskwarrior export and shows the coach's report, and a second import adds nothing", async () => {
    const file = join(import.meta.dirname, "..", "fixtures", "import", "taskwarrior.json");
    await page.goto(`${server.url}/goals`);
    await page.getByRole("link", { name: "Import from another tool" }).click();
    await page.getByLabel("From").selectOption("taskwarrior");
    await page.getByLabel("The exported file").setInputFiles(file);
    await page.getByRole("button", { name: "Import" }).click();
    await page.getByRole("heading", { name: "Imported" }).waitFor();
    await textOf(page.locator("[aria-live=polite]")).toMatch(/[1-9]\d* new steps/);
    await textOf(page.locator("[aria-live=polite]")).toMatch(/are outcomes rather than actions/);
    await page.getByRole("button", { name: "Import" }).click();
    await textOf(page.locator("[aria-live=polite]")).toMatch(/0 new goals .* 0 new steps/);
  });

  it("shows the API's error message instead of a blank page", async () => {
    await page.goto(`${server.url}/goals/999999`);
    const alert = page.getByRole("alert");
    await textOf(alert).toMatch(/goal/i);
    // A sentence that says what to do, never the code (issue 15).
    await textOf(alert).not.toContain("Code:");
  });

  it("invites a second person from the Team page, who joins by the link in their own browser", async () => {
    await page.goto(`${server.url}/team`);
    // The owner's first team comes with the workspace; a second one is made here.
    await page.getByRole("heading", { name: "Team: My team", level: 1 }).waitFor();
    await page.getByLabel("Team name").fill("Growth");
    await page.getByRole("button", { name: "Create the team" }).click();
    await page.getByRole("heading", { name: "Team: Growth", level: 1 }).waitFor();
    await page.getByLabel("Their email (optional)").fill(MIA.email);
    await page.getByLabel("Role").selectOption("member");
    await page.getByRole("button", { name: "Make an invitation link" }).click();
    const link = page.getByTestId("invite-link");
    await textOf(link).toMatch(/\/join\/tli_/);
    const url = ((await link.textContent()) ?? "").trim();
    teamId = (await call<{ items: { id: number; name: string }[] }>("GET", "/teams")).items.find(
      (t) => t.name === "Growth",
    )?.id as number;

    member = await browser.newContext({ viewport: DESKTOP });
    mia = await member.newPage();
    watch(mia);
    await mia.goto(url);
    await mia.getByRole("heading", { name: "Join your team" }).waitFor();
    await textOf(mia.locator(".lead")).toContain("as member");
    expect(await mia.getByLabel("Email").inputValue()).toBe(MIA.email);
    await mia.getByLabel("Your name").fill(MIA.name);
    await mia.getByLabel("Password").fill(MIA.password);
    await mia.getByRole("button", { name: "Create account" }).click();
    await mia.getByRole("heading", { name: "My week" }).waitFor();
    await textOf(mia.locator(".who")).toContain(MIA.name);
  });

  it("lets the member plan a private goal and a team goal, and keeps the owner's private goal from them", async () => {
    for (const [title, who] of [
      ["Find a flat near the office by March", "Only me (and people I share it with)"],
      ["Run the referral programme for the Tuesday issue", "My team: Growth"],
    ] as const) {
      await mia.goto(`${server.url}/plan`);
      await mia.getByRole("heading", { name: "Build a plan" }).waitFor();
      await mia.getByLabel("Goal", { exact: true }).fill(title);
      await mia.getByLabel("Who can see it").selectOption({ label: who });
      await mia.getByRole("button", { name: "Save the plan" }).click();
      await mia.getByRole("heading", { name: title, level: 1 }).waitFor();
    }
    // The owner's stalled goal is private: for Mia it does not exist.
    await mia.goto(`${server.url}/goals/${seeded.stalled.id}`);
    await textOf(mia.getByRole("alert")).toContain("does not exist, or it is not shared with you");
    await countOf(mia.getByText("Run 5 km in under 30 minutes by the city race")).toBe(0);
  });

  it("shows the leader the member and the team goal in the team view, never the member's private goal", async () => {
    await page.goto(`${server.url}/team`);
    await page.getByLabel("Show the team").selectOption({ label: "Growth" });
    await page.getByRole("heading", { name: "Team: Growth", level: 1 }).waitFor();
    await settled(page);
    const people = page.getByTestId("people");
    await textOf(people).toContain(MIA.name);
    await textOf(people.locator("tr", { hasText: MIA.name })).toContain("member");
    await visible(page.getByRole("link", { name: "Run the referral programme for the Tuesday issue" }));
    await textOf(page.getByTestId("orphans")).toContain("Run the referral programme for the Tuesday issue");
    await countOf(page.getByText("Find a flat near the office by March")).toBe(0);

    const goals = await call<{ items: { id: number; title: string }[] }>("GET", "/goals?limit=200");
    expect(goals.items.map((g) => g.title)).not.toContain("Find a flat near the office by March");
    const miaSession = await mia.evaluate(async () => {
      const r = await fetch("/api/goals?limit=200");
      return (await r.json()) as { items: { id: number; title: string }[] };
    });
    const privateId = miaSession.items.find((g) => g.title === "Find a flat near the office by March")?.id;
    expect(privateId).toBeTypeOf("number");
    await page.goto(`${server.url}/goals/${privateId}`);
    const alert = page.getByRole("alert");
    await textOf(alert).toContain("does not exist, or it is not shared with you");
    await textOf(alert).not.toContain("goal_not_found");
    await countOf(page.getByRole("heading", { name: "Find a flat near the office by March" })).toBe(0);
  });

  it("delegates a step; the assignee asks to clarify, hears the answer on My week and accepts", async () => {
    const stepText = "Ask Mei for two guest-post introductions";
    await page.goto(`${server.url}/goals/${seeded.goal.id}`);
    await page.getByRole("heading", { name: "Steps" }).waitFor();
    await page.getByRole("button", { name: `Delegate: ${stepText}` }).click();
    const form = page.getByRole("form", { name: `Delegate: ${stepText}` });
    await form.getByLabel("Ask").selectOption({ label: MIA.name });
    await form.getByLabel("What done looks like").fill("Two intro emails sent, Mei in copy");
    await form.getByLabel("Why it matters (optional)").fill("Guest posts bring new readers");
    await form.getByRole("button", { name: "Send the request" }).click();
    await visible(page.getByText("Delegated, waiting for an answer"));

    await mia.goto(`${server.url}/`);
    await settled(mia);
    await textOf(mia.locator(".inbox-link")).toMatch(/Inbox\s*1/);
    const incoming = mia.getByTestId("incoming-delegations");
    await textOf(incoming).toContain(stepText);
    await textOf(incoming).toContain("Two intro emails sent, Mei in copy");
    await textOf(incoming).toContain("How you do it is up to you.");
    await incoming.getByRole("button", { name: `Ask to clarify: ${stepText}` }).click();
    await mia.getByLabel("Your question").fill("Is one introduction enough this week?");
    await mia.getByRole("button", { name: "Send the question" }).click();
    await textOf(incoming).toContain("You asked: Is one introduction enough this week?");

    await page.goto(`${server.url}/`);
    await settled(page);
    const questions = page.getByTestId("delegation-questions");
    await textOf(questions).toContain("Is one introduction enough this week?");
    await questions.getByLabel(/Your answer about/).fill("Two, please: one for each issue");
    await questions.getByRole("button", { name: "Answer" }).click();
    await countOf(page.getByTestId("delegation-questions")).toBe(0);

    await mia.goto(`${server.url}/`);
    await settled(mia);
    await textOf(incoming).toContain("answered: Two, please: one for each issue");
    await incoming.getByRole("button", { name: `Accept: ${stepText}` }).click();
    await countOf(mia.getByTestId("incoming-delegations")).toBe(0);

    await mia.goto(`${server.url}/inbox`);
    await mia.getByRole("heading", { name: "Inbox", level: 1 }).waitFor();
    await textOf(mia.getByTestId("notices")).toContain(
      "You were asked to: Ask Mei for two guest-post introductions",
    );
    // Accepting acted on the request: its notice was marked read then, so nothing is left unread.
    await countOf(mia.getByRole("button", { name: "Mark all as read" })).toBe(0);
    await textOf(mia.locator(".inbox-link")).toBe("Inbox");

    await page.goto(`${server.url}/goals/${seeded.goal.id}`);
    await visible(page.getByText("Delegated, accepted"));
  });

  it("saves my values and notification channels in Settings", async () => {
    await page.goto(`${server.url}/settings`);
    await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
    await settled(page);
    await page.getByLabel("Values, separated by commas").fill("growth, craft");
    await page.getByRole("button", { name: "Save values" }).click();
    await visible(page.getByText("Saved."));
    // Only the channels this server delivers on are offered (no SMTP here: the inbox alone).
    await page.getByRole("checkbox", { name: /In-app inbox/ }).uncheck();
    await expect
      .poll(async () => (await call<{ channels: { inbox: boolean } }>("GET", "/settings")).channels.inbox)
      .toBe(false);
    await page.reload();
    await settled(page);
    expect(await page.getByLabel("Values, separated by commas").inputValue()).toBe("growth, craft");
    expect(await page.getByRole("checkbox", { name: /In-app inbox/ }).isChecked()).toBe(false);
    await page.getByRole("checkbox", { name: /In-app inbox/ }).check();
  });

  it("raises no console errors or CSP violations while in use", () => {
    expect(consoleProblems).toEqual([]);
  });

  for (const viewport of [DESKTOP, PHONE]) {
    it(`finds no serious or critical axe violations on any page at ${viewport.width}×${viewport.height}`, async () => {
      const state = await owner.storageState();
      // The axe script is injected inline, which the app's CSP rightly refuses; this context bypasses it.
      const ctx = await browser.newContext({ viewport, storageState: state, bypassCSP: true });
      const anon = await browser.newContext({ viewport, bypassCSP: true });
      try {
        const p = await ctx.newPage();
        const paths = [
          "/",
          "/plan",
          "/goals",
          `/goals/${seeded.goal.id}`,
          `/goals/${seeded.goal.id}/check-in`,
          `/goals/${seeded.stalled.id}`,
          "/team",
          "/playbooks",
          `/playbooks/${seeded.playbook.id}`,
          `/playbooks/${seeded.playbook.id}/edit`,
          `/playbooks/${seeded.playbook.id}/history`,
          ...(checklist === undefined ? [] : [`/playbooks/${checklist}`]),
          "/settings",
          "/inbox",
          "/import",
          "/no-such-page",
          "/goals/999999",
        ];
        const problems: string[] = [];
        for (const path of paths) {
          await p.goto(`${server.url}${path}`);
          await settled(p);
          await p.locator("h1").first().waitFor();
          for (const v of await seriousViolations(p)) problems.push(`${path}: ${v}`);
          const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          if (overflow > 1) problems.push(`${path}: the page is ${overflow}px wider than the window`);
        }
        const signIn = await anon.newPage();
        await signIn.goto(`${server.url}/`);
        await signIn.locator("h1").first().waitFor();
        await settled(signIn);
        for (const v of await seriousViolations(signIn)) problems.push(`sign-in: ${v}`);
        const invitation = await call<{ path: string }>("POST", "/invitations", { teamId, role: "member" });
        await signIn.goto(`${server.url}${invitation.path}`);
        await signIn.getByRole("heading", { name: "Join your team" }).waitFor();
        await settled(signIn);
        for (const v of await seriousViolations(signIn)) problems.push(`join: ${v}`);
        // The member's pages: My week with nothing delegated, the team view as a member.
        const asMember = await browser.newContext({
          viewport,
          storageState: await member.storageState(),
          bypassCSP: true,
        });
        try {
          const m = await asMember.newPage();
          for (const path of ["/", "/team", "/inbox"]) {
            await m.goto(`${server.url}${path}`);
            await settled(m);
            await m.locator("h1").first().waitFor();
            for (const v of await seriousViolations(m)) problems.push(`member ${path}: ${v}`);
            const overflow = await m.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            if (overflow > 1)
              problems.push(`member ${path}: the page is ${overflow}px wider than the window`);
          }
        } finally {
          await asMember.close();
        }
        expect(problems).toEqual([]);
      } finally {
        await ctx.close();
        await anon.close();
      }
    }, 240_000);
  }
});
