/**
 * A month with Throughline, in a real Chromium against a real server on a real SQLite file, with a
 * clock the test moves (the server's through its context, the browser's through Playwright's
 * clock). The owner and an invited member live with one plan for a month, as people would: plan it
 * in the builder (Enter pressed in the title), leave and come back to the draft, save, edit the goal
 * and move a step with a reason, delegate a step, which the member accepts and does (the owner is
 * told), let the goal stall, see micro-goal mode with the one existing step, do it and leave the
 * mode, check in late, and connect a webhook and see its test delivery. It asserts what a person
 * sees on the page.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appContext } from "../../src/app/context.js";
import { freshStore } from "../helpers/dialects.js";
import { serveApp } from "../helpers/http.js";
import { type Receiver, startReceiver } from "../helpers/receiver.js";
import {
  countOf,
  pageProblems,
  requireChromium,
  settled,
  skipWithoutChromium,
  textOf,
  visible,
} from "./browser.js";
import { apiAs, type Call, enterApp, joinAs, launchChromium } from "./web-harness.mjs";

const DAY_MS = 86_400_000;
const MIA = { name: "Mia Member", email: "mia@example.com", password: "another horse battery staple" };
const TITLE = "Grow podcast downloads from 300 to 500 per episode";
const FIRST_STEP = "Email three podcast hosts about a guest swap";
const SECOND_STEP = "Send Dana the download numbers for March";

describe.skipIf(skipWithoutChromium(`"a month with Throughline"`))("a month with Throughline", () => {
  // Day 0 is today at noon UTC; the test moves the clock forward day by day.
  const start = Math.floor(Date.now() / DAY_MS) * DAY_MS + 12 * 3_600_000;
  let now = start;
  /** A day as YYYY-MM-DD, `offset` days from day 0. */
  const dayAt = (offset: number) => new Date(start + offset * DAY_MS).toISOString().slice(0, 10);
  let store: Awaited<ReturnType<typeof freshStore>>;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let rx: Receiver;
  let browser: Browser;
  let owner: BrowserContext;
  let member: BrowserContext;
  let page: Page;
  let mia: Page;
  let call: Call;
  let goalId = 0;

  /** Moves the server's and both browsers' clocks to `offset` days after day 0. */
  const on = async (offset: number) => {
    now = start + offset * DAY_MS;
    for (const ctx of [owner, member]) await ctx?.clock.setFixedTime(now);
  };
  const { problems, watch } = pageProblems();

  beforeAll(async () => {
    requireChromium();
    store = await freshStore("sqlite");
    server = await serveApp(appContext(store.store, () => new Date(now)));
    rx = await startReceiver();
    browser = await launchChromium();
    owner = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: "UTC" });
    await owner.clock.setFixedTime(now);
    page = await owner.newPage();
    watch(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rx?.close();
    await store?.dispose();
  });

  it("day 0: plans in the builder; Enter in the title saves nothing", async () => {
    await enterApp(page, server.url);
    ({ call } = await apiAs(server.url));
    await page.goto(`${server.url}/plan`);
    await page.getByRole("heading", { name: "Build a plan" }).waitFor();
    const title = page.getByLabel("Goal", { exact: true });
    await title.fill(TITLE);
    await title.press("Enter");
    await page.getByLabel("Why does this matter?").fill("Guests and sponsors look at downloads first.");
    await page
      .getByLabel("What does success look like?")
      .fill("Every episode has 500 downloads in its first week.");
    await page.getByLabel("Due date").fill(dayAt(365));
    await page.getByLabel("Key result 1", { exact: true }).fill("Downloads per episode");
    await page.getByLabel("From", { exact: true }).fill("300");
    await page.getByLabel("To", { exact: true }).fill("500");
    await page.getByLabel("Step 1", { exact: true }).fill(FIRST_STEP);
    await page.getByLabel("Step 1", { exact: true }).press("Enter");
    expect(new URL(page.url()).pathname).toBe("/plan");
    const goals = await call<{ items: unknown[] }>("GET", "/goals");
    expect(goals.items).toHaveLength(0);
  });

  it("day 0: leaves, comes back to the draft, and saves the whole plan", async () => {
    // The draft is in this browser before the person leaves.
    await expect
      .poll(() => page.evaluate((t) => Object.values(localStorage).some((v) => v.includes(t)), TITLE))
      .toBe(true);
    await page.getByRole("link", { name: "Goals" }).first().click();
    await page.getByRole("heading", { name: "Goals", level: 1 }).waitFor();
    await page.goto(`${server.url}/plan`);
    const offer = page.getByRole("region", { name: "Unsaved draft" });
    await visible(offer);
    await offer.getByRole("button", { name: "Continue" }).click();
    expect(await page.getByLabel("Goal", { exact: true }).inputValue()).toBe(TITLE);
    expect(await page.getByLabel("Step 1", { exact: true }).inputValue()).toBe(FIRST_STEP);
    await page.getByRole("button", { name: "Add a step" }).click();
    await page.getByLabel("Step 2", { exact: true }).fill(SECOND_STEP);
    await page.getByRole("button", { name: "Save the plan" }).click();
    await visible(page.getByRole("heading", { name: TITLE, level: 1 }), 15_000);
    goalId = Number(new URL(page.url()).pathname.split("/")[2]);
    expect(goalId).toBeGreaterThan(0);
    await visible(page.getByRole("button", { name: `Mark done: ${FIRST_STEP}` }));
    await visible(page.getByRole("button", { name: `Mark done: ${SECOND_STEP}` }));
  });

  it("day 2: edits the goal and moves a step with a reason, kept in the history", async () => {
    await on(2);
    await page.goto(`${server.url}/goals/${goalId}`);
    await settled(page);
    await page.getByRole("button", { name: "Edit the goal" }).click();
    const form = page.getByRole("form", { name: "Edit the goal" });
    await form.getByLabel("Why it matters").fill("Guests, sponsors and the network look at downloads first.");
    await form.getByRole("button", { name: "Save the changes" }).click();
    await visible(page.getByText("Guests, sponsors and the network look at downloads first."));

    // A first due date is a promise, not a move: no reason asked.
    await page.getByRole("button", { name: `Edit step: ${SECOND_STEP}` }).click();
    let step = page.getByRole("form", { name: `Edit step: ${SECOND_STEP}` });
    await step.getByLabel("By").fill(dayAt(4));
    await countOf(step.getByLabel("Why move the date?")).toBe(0);
    await step.getByRole("button", { name: "Save the step" }).click();
    await countOf(step).toBe(0);
    // Moving it asks why, in the form.
    await page.getByRole("button", { name: `Edit step: ${SECOND_STEP}` }).click();
    step = page.getByRole("form", { name: `Edit step: ${SECOND_STEP}` });
    await step.getByLabel("By").fill(dayAt(9));
    await step.getByLabel("Why move the date?").fill("Dana is away until next week");
    await step.getByRole("button", { name: "Save the step" }).click();
    const history = page.locator("section", {
      has: page.getByRole("heading", { name: "Changes and reasons" }),
    });
    await visible(history.getByText("Because: Dana is away until next week"));
  });

  it("day 2: delegates a step; the member accepts it, does it, and the owner is told", async () => {
    const teamId = (await call<{ id: number }>("POST", "/teams", { name: "Podcast" })).id;
    await call("PATCH", `/goals/${goalId}`, { visibility: "team", teamId });
    const invite = await call<{ token: string }>("POST", "/invitations", { teamId, role: "member" });
    const joined = await joinAs(server.url, invite.token, MIA);
    member = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: "UTC" });
    await member.clock.setFixedTime(now);
    const [name, ...value] = joined.cookie.split("=");
    await member.addCookies([{ name: name as string, value: value.join("="), url: server.url }]);
    mia = await member.newPage();
    watch(mia);

    await page.goto(`${server.url}/goals/${goalId}`);
    await settled(page);
    await page.getByRole("button", { name: `Delegate: ${FIRST_STEP}` }).click();
    const form = page.getByRole("form", { name: `Delegate: ${FIRST_STEP}` });
    await form.getByLabel("Ask").selectOption({ label: MIA.name });
    await form.getByLabel("What done looks like").fill("Three hosts emailed, replies in the shared sheet");
    await form.getByRole("button", { name: "Send the request" }).click();
    await visible(page.getByText("Delegated, waiting for an answer"));

    await mia.goto(`${server.url}/`);
    await settled(mia);
    const incoming = mia.getByTestId("incoming-delegations");
    await textOf(incoming).toContain(FIRST_STEP);
    await incoming.getByRole("button", { name: `Accept: ${FIRST_STEP}` }).click();
    // Accepted work stays on the member's week until it is done.
    await textOf(mia.getByTestId("accepted-delegations")).toContain(FIRST_STEP);
    await mia.reload();
    await settled(mia);
    await textOf(mia.getByTestId("accepted-delegations")).toContain(FIRST_STEP);
    await mia.getByRole("button", { name: `Mark done: ${FIRST_STEP}` }).click();
    await countOf(mia.getByTestId("accepted-delegations")).toBe(0);

    await page.goto(`${server.url}/inbox`);
    await page.getByRole("heading", { name: "Inbox", level: 1 }).waitFor();
    const notices = page.getByTestId("notices");
    await textOf(notices).toContain(`${MIA.name} accepted`);
    await textOf(notices).toContain("finished");
    await page.goto(`${server.url}/goals/${goalId}`);
    await settled(page);
    await countOf(page.getByText("Delegated, accepted")).toBe(0);
    await countOf(page.getByRole("button", { name: `Mark done: ${FIRST_STEP}` })).toBe(0);
  });

  it("day 15: the goal has stalled; micro-goal mode shows its one open step; doing it leaves the mode", async () => {
    await on(15);
    await page.goto(`${server.url}/`);
    await settled(page);
    const card = page.locator(".micro-goal", { hasText: TITLE });
    await visible(card.getByText(SECOND_STEP));
    await visible(card.getByRole("button", { name: `Done: ${SECOND_STEP}` }));

    await page.goto(`${server.url}/goals/${goalId}`);
    await settled(page);
    await countOf(page.getByText("No steps yet")).toBe(0);
    const micro = page.locator(".micro-goal");
    await visible(micro.getByText(SECOND_STEP));
    await micro.getByRole("button", { name: `Done: ${SECOND_STEP}` }).click();
    await visible(page.getByText("Back on track"));
    await countOf(page.locator(".micro-goal")).toBe(0);
  });

  it("day 16: checks in late, for day 14; a day before the goal began is refused in words", async () => {
    await on(16);
    await page.goto(`${server.url}/goals/${goalId}/check-in`);
    await page.getByRole("heading", { name: "Check in" }).waitFor();
    await settled(page);
    await page.getByLabel("Checking in for").fill(dayAt(-3));
    await page.getByLabel("Downloads per episode").fill("340");
    await page.getByRole("button", { name: "Save the check-in" }).click();
    const alert = page.getByRole("alert");
    await visible(alert);
    await textOf(alert).not.toMatch(/date_too_early|Code:/);

    await page.getByLabel("Checking in for").fill(dayAt(14));
    await page.getByLabel("The next step").fill("Ask two guests to share the episode");
    await page.getByLabel("Do it by").fill(dayAt(16));
    await page.getByRole("button", { name: "Save the check-in" }).click();
    await textOf(page.getByTestId("next-step-saved")).toContain("Ask two guests to share the episode");

    const checkins = await call<{ items: { date: string }[] }>("GET", `/goals/${goalId}/checkins`);
    expect(checkins.items.map((c) => c.date)).toEqual([dayAt(14)]);
    await page.goto(`${server.url}/`);
    await settled(page);
    await visible(page.getByRole("button", { name: "Mark done: Ask two guests to share the episode" }));
  });

  it("day 16: connects a webhook and sees its test delivery", async () => {
    await page.goto(`${server.url}/`);
    await settled(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Integrations" }).click();
    await page.getByRole("heading", { name: "Integrations", level: 1 }).waitFor();
    await settled(page);
    await page.getByLabel("Receiver URL").fill(`${rx.url}/hook`);
    await page.getByLabel("A step is done").check();
    await page.getByRole("button", { name: "Add the webhook" }).click();
    const card = page.locator("section.card", { has: page.getByRole("heading", { name: `${rx.url}/hook` }) });
    await visible(card);
    await card.getByRole("button", { name: /Send a test message/ }).click();
    await textOf(card.getByRole("status")).toContain("Test message delivered");
    expect(rx.requests.at(-1)?.headers["x-throughline-event"]).toBe("hook.test");
    await textOf(card.getByRole("list", { name: `Recent deliveries to ${rx.url}/hook` })).toContain(
      "Delivered",
    );
  });

  it("raised no console errors along the way", () => {
    expect(problems).toEqual([]);
  });
});
