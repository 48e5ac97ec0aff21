/**
 * Issue 15 in a real Chromium against the built server: My week loads in one request whatever the
 * number of goals (started with the route, beside the page's code); the delegation loop between
 * an owner and a member (accepted work stays on My week until done, the delegator is told, the
 * step reads "Done", the team page lists open delegations); the inbox marks what is opened read and
 * writes dates in words; an email's link lands on its page after sign-in (and only on this site);
 * and the check-in page's late date and next step with a due date. Needs `npm run build`.
 */
import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  atBothSizes,
  countOf,
  DESKTOP,
  requireChromium,
  screenshot,
  settled,
  skipWithoutChromium,
  textOf,
} from "./browser.js";
import {
  apiAs,
  type Call,
  day,
  enterApp,
  joinAs,
  launchChromium,
  OWNER,
  type RunningServer,
  startServer,
} from "./web-harness.mjs";

const SHOTS = process.env.LOOP_SHOTS;

const axeSource = (createRequire(import.meta.url)("axe-core") as { source: string }).source;

/** axe-core's serious and critical findings on the page, and any horizontal overflow. */
async function problemsOf(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const w = window as unknown as {
      axe: {
        run: (d: Document) => Promise<{ violations: { id: string; impact: string | null; help: string }[] }>;
      };
    };
    return w.axe.run(document);
  });
  const found = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 1) found.push(`${overflow}px wider than the window`);
  return found;
}

/**
 * Checks the page at 1280×800 and 390×844 (axe-core, no overflow), and saves screenshots when
 * LOOP_SHOTS names a folder (for looking at the pages by eye).
 */
async function shot(page: Page, name: string): Promise<void> {
  const problems: string[] = [];
  await atBothSizes(page, async (label) => {
    await page.waitForTimeout(150);
    for (const p of await problemsOf(page)) problems.push(`${name} ${label}: ${p}`);
    await screenshot(page, SHOTS, `${name}-${label}`, true);
  });
  expect(problems).toEqual([]);
}

/** The Sunday ending this week (UTC, the server's day), plus `days`. */
function afterThisWeek(days: number): string {
  const now = new Date(`${day(0)}T12:00:00Z`);
  const toSunday = (7 - now.getUTCDay()) % 7;
  return day(toSunday + days);
}

describe.skipIf(
  skipWithoutChromium("the browser tests of My week, delegations, the inbox and check-ins (issue 15)"),
)("My week, delegations, the inbox and check-ins (issue 15)", () => {
  let server: RunningServer;
  let browser: Browser;
  let owner: BrowserContext;
  let page: Page;
  let call: Call;
  let member: BrowserContext;
  let mia: Page;
  let miaCall: Call;
  let miaId: number;
  let teamId: number;
  const MIA = { name: "Mia Member", email: "mia@example.com", password: "another horse battery staple" };

  beforeAll(async () => {
    requireChromium();
    server = await startServer();
    browser = await launchChromium();
    owner = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
    page = await owner.newPage();
    await enterApp(page, server.url);
    ({ call } = await apiAs(server.url));
    teamId = (await call<{ id: number }>("POST", "/teams", { name: "Launch crew" })).id;
    const invitation = await call<{ path: string }>("POST", "/invitations", { teamId, role: "member" });
    const joined = await joinAs(server.url, invitation.path.split("/").pop() as string, MIA);
    miaCall = joined.call;
    miaId = joined.userId;
    member = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
    const [name, value] = joined.cookie.split("=") as [string, string];
    await member.addCookies([{ name, value, url: server.url }]);
    mia = await member.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("loads My week with 20 goals in one request, started beside the page's code", async () => {
    for (let i = 1; i <= 20; i++) {
      const goal = await call<{ id: number }>("POST", "/goals", {
        title: `Goal ${i}: publish issue ${i} of the newsletter`,
        why: "Readers asked for a weekly issue.",
        startDate: day(-3),
        dueDate: day(100),
        // The odd ones are due a check-in today.
        cadenceDays: i % 2 === 0 ? 7 : 3,
      });
      await call("POST", `/goals/${goal.id}/steps`, { text: `Draft issue ${i}`, dueDate: day(0) });
      if (i % 2 === 0)
        await call("POST", `/goals/${goal.id}/checkins`, { date: day(-3), confidence: "on-track" });
    }
    const fresh = await owner.newPage();
    const api: string[] = [];
    const started: { url: string; at: number }[] = [];
    const finished: { url: string; at: number }[] = [];
    fresh.on("request", (r) => {
      started.push({ url: r.url(), at: Date.now() });
      const path = new URL(r.url()).pathname;
      // The session and the inbox count are the frame's, not the page's.
      if (path.startsWith("/api/") && path !== "/api/auth/session" && path !== "/api/inbox") api.push(path);
    });
    fresh.on("requestfinished", (r) => finished.push({ url: r.url(), at: Date.now() }));
    await fresh.goto(`${server.url}/`);
    await fresh.getByRole("heading", { name: "My week", level: 1 }).waitFor();
    await settled(fresh);
    const due = fresh.locator("section.card", { has: fresh.getByRole("heading", { name: "Check-ins due" }) });
    await textOf(due).toContain("Goal 1: publish issue 1");
    await textOf(due).toContain("no check-in yet");
    await countOf(due.getByRole("link", { name: /^Check in on Goal/ })).toBe(10);
    await countOf(fresh.getByRole("button", { name: /^Mark done: Draft issue / })).toBe(20);
    expect(api.length).toBeLessThanOrEqual(2);
    expect(api).toContain("/api/week");
    // The week's request goes out before the page's code has finished arriving.
    const weekAsked =
      started.find((r) => new URL(r.url).pathname === "/api/week")?.at ?? Number.POSITIVE_INFINITY;
    const chunkDone = finished.find((r) => /\/assets\/Week-[^/]+\.js$/.test(new URL(r.url).pathname))?.at;
    if (chunkDone !== undefined) expect(weekAsked).toBeLessThanOrEqual(chunkDone);
    await shot(fresh, "week-20-goals");
    await fresh.close();
  });

  it("keeps an accepted step on the member's week until done, and tells the owner", async () => {
    const due = afterThisWeek(3);
    const goal = await call<{ id: number }>("POST", "/goals", {
      title: "Open the second studio",
      why: "The waiting list is three months long.",
      startDate: day(-7),
      dueDate: day(90),
      visibility: "team",
      teamId,
    });
    const step = await call<{ id: number }>("POST", `/goals/${goal.id}/steps`, {
      text: "Book the electrician for the studio",
      dueDate: due,
    });
    await call("POST", `/steps/${step.id}/delegate`, {
      assigneeId: miaId,
      doneLooksLike: "A date in the calendar and a quote",
    });

    await page.goto(`${server.url}/team?team=${teamId}`);
    await settled(page);
    const open = page.getByTestId("team-delegations");
    await textOf(open).toContain("Mia Member");
    await textOf(open).toContain("Book the electrician for the studio");
    await textOf(open).toContain("Waiting for an answer");
    await shot(page, "team-open");

    await mia.goto(`${server.url}/`);
    await settled(mia);
    const incoming = mia.getByTestId("incoming-delegations");
    await textOf(incoming).toContain("Book the electrician for the studio");
    await incoming.getByRole("button", { name: "Accept: Book the electrician for the studio" }).click();
    // Due next week, it stays on My week once accepted, with its own Done.
    const accepted = mia.getByTestId("accepted-delegations");
    await textOf(accepted).toContain("Book the electrician for the studio");
    await mia.reload();
    await settled(mia);
    await textOf(mia.getByTestId("accepted-delegations")).toContain("Book the electrician for the studio");
    await shot(mia, "week-accepted");

    await page.goto(`${server.url}/inbox`);
    await settled(page);
    await textOf(page.getByTestId("notices")).toContain(
      'Mia Member accepted "Book the electrician for the studio"',
    );

    await mia.getByRole("button", { name: "Mark done: Book the electrician for the studio" }).click();
    await countOf(mia.getByTestId("accepted-delegations")).toBe(0);

    await page.goto(`${server.url}/inbox`);
    await settled(page);
    const notices = page.getByTestId("notices");
    await textOf(notices).toContain('Mia Member finished "Book the electrician for the studio"');
    // Dates in words, not ISO strings.
    await textOf(notices.locator("time").first()).toMatch(/^today at \d\d:\d\d$/);
    await textOf(notices).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    await textOf(page.locator(".inbox-link")).toMatch(/Inbox\s*\d/);
    await shot(page, "inbox");
    // Opening what a notice names reads it.
    const done = notices.locator("li", { hasText: "finished" }).first();
    await done.getByRole("link", { name: "Open the goal" }).click();
    await page.getByRole("heading", { name: "Open the second studio" }).waitFor();
    const step1 = page.locator("li.step", { hasText: "Book the electrician for the studio" });
    await textOf(step1).toContain("Done");
    await textOf(step1).not.toContain("Delegated, accepted");
    const list = await call<{ items: { type: string; readAt: string | null }[] }>("GET", "/inbox");
    expect(list.items.find((n) => n.type === "delegation.done")?.readAt).not.toBeNull();

    await page.goto(`${server.url}/team?team=${teamId}`);
    await settled(page);
    await textOf(page.getByTestId("team-delegations")).not.toContain("Book the electrician for the studio");
    await shot(page, "team");
  });

  it("lands on the page an email names after sign-in, and never on another site", async () => {
    const goal = await miaCall<{ id: number }>("POST", "/goals", {
      title: "Learn to edit audio",
      why: "Editing is the bottleneck.",
      startDate: day(-10),
      dueDate: day(60),
    });
    const anon = await browser.newContext({ viewport: DESKTOP });
    const p = await anon.newPage();
    await p.goto(`${server.url}/goals/${goal.id}`);
    await p.getByRole("heading", { name: "Sign in" }).waitFor();
    await p.getByLabel("Email").fill(MIA.email);
    await p.getByLabel("Password").fill(MIA.password);
    await p.getByRole("button", { name: "Sign in" }).click();
    await p.getByRole("heading", { name: "Learn to edit audio" }).waitFor();
    expect(new URL(p.url()).pathname).toBe(`/goals/${goal.id}`);
    await anon.close();

    for (const next of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
      const other = await browser.newContext({ viewport: DESKTOP });
      const q = await other.newPage();
      await q.goto(`${server.url}/sign-in?next=${encodeURIComponent(next)}`);
      await q.getByRole("heading", { name: "Sign in" }).waitFor();
      await q.getByLabel("Email").fill(OWNER.email);
      await q.getByLabel("Password").fill(OWNER.password);
      await q.getByRole("button", { name: "Sign in" }).click();
      await q.getByRole("heading", { name: "My week", level: 1 }).waitFor();
      expect(new URL(q.url()).origin).toBe(server.url);
      expect(new URL(q.url()).pathname).toBe("/");
      await other.close();
    }
  });

  it("checks in late with a next step that becomes a dated step on My week", async () => {
    const start = day(-5);
    const goal = await miaCall<{ id: number }>("POST", "/goals", {
      title: "Record the first season",
      why: "Sponsors want six episodes.",
      startDate: start,
      dueDate: day(80),
    });
    await mia.goto(`${server.url}/goals/${goal.id}/check-in`);
    await mia.getByRole("heading", { name: "Check in" }).waitFor();
    const date = mia.getByLabel("Checking in for");
    expect(await date.getAttribute("min")).toBe(start);
    expect(await date.getAttribute("max")).toBe(day(0));
    expect(await mia.getByLabel("Do it by").inputValue()).toBe(day(7));
    await shot(mia, "check-in");

    // Refused by the API: its message, as a sentence, not a code.
    await date.fill(day(-20));
    await mia.getByRole("button", { name: "Save the check-in" }).click();
    const alert = mia.getByRole("alert");
    await textOf(alert).toContain(`before goal ${goal.id} started on ${start}`);
    await textOf(alert).not.toContain("date_too_early");

    await date.fill(day(-4));
    await mia.getByLabel("The next step").fill("Book the studio for episode one");
    await mia.getByLabel("Do it by").fill(day(2));
    await mia.getByRole("button", { name: "Save the check-in" }).click();
    await textOf(mia.getByTestId("next-step-saved")).toContain("Book the studio for episode one");
    const checkins = await miaCall<{ items: { date: string }[] }>("GET", `/goals/${goal.id}/checkins`);
    expect(checkins.items.map((c) => c.date)).toEqual([day(-4)]);

    await mia.goto(`${server.url}/`);
    await settled(mia);
    const weekEnd = afterThisWeek(0);
    if (day(2) <= weekEnd) {
      await mia.getByRole("button", { name: "Mark done: Book the studio for episode one" }).waitFor();
    }
    const steps = await miaCall<{ items: { text: string; dueDate: string; ownerId: number }[] }>(
      "GET",
      `/steps?goal=${goal.id}`,
    );
    expect(steps.items).toEqual([
      expect.objectContaining({ text: "Book the studio for episode one", dueDate: day(2), ownerId: miaId }),
    ]);
  });
});
