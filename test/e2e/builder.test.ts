/**
 * The plan builder in a real Chromium against the built server (issue 15): Enter never saves, the
 * draft survives leaving the page, the pause's roadblocks and helpers prefill their sections, steps
 * get an owner, the whole plan is saved with one request (POST /api/plans), the coach sits before
 * "Save the plan" on a phone, and an imported goal is finished in the builder. Needs `npm run build`
 * and /usr/bin/chromium (skipped without it, unless CI=true). Screenshots go to /tmp/builder-shots/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, PHONE, requireChromium, skipWithoutChromium } from "./browser.js";
import {
  apiAs,
  type Call,
  enterApp,
  joinAs,
  launchChromium,
  type RunningServer,
  startServer,
} from "./web-harness.mjs";

const SHOTS = "/tmp/builder-shots";
const MIA = { name: "Mia Member", email: "mia@example.com", password: "another horse battery staple" };

/** The writes (not the coach's reading) the page sends, as "METHOD /api/path". */
function watchWrites(page: Page): string[] {
  const writes: string[] = [];
  page.on("request", (r: Request) => {
    const path = new URL(r.url()).pathname;
    if (r.method() !== "GET" && path.startsWith("/api/") && path !== "/api/coach/lint") {
      writes.push(`${r.method()} ${path}`);
    }
  });
  return writes;
}

async function openBuilder(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/plan`);
  await page.getByRole("heading", { name: "Build a plan" }).waitFor();
}

describe.skipIf(skipWithoutChromium("the browser tests of the plan builder"))("the plan builder", () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let call: Call;
  let miaId: number;
  let teamId: number;

  beforeAll(async () => {
    requireChromium();
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer();
    ({ call } = await apiAs(server.url));
    teamId = (await call<{ id: number }>("POST", "/teams", { name: "Growth" })).id;
    const invitation = await call<{ token: string }>("POST", "/invitations", {
      teamId,
      role: "member",
      email: MIA.email,
    });
    miaId = (await joinAs(server.url, invitation.token, MIA)).userId;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESKTOP });
    page = await context.newPage();
    await enterApp(page, server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("never saves when Enter is pressed in a single-line field", async () => {
    const writes = watchWrites(page);
    await openBuilder(page, server.url);
    const title = page.getByLabel("Goal", { exact: true });
    await title.fill("Grow podcast downloads from 300 to 500 per episode");
    await title.press("Enter");
    await page.getByLabel("Step 1", { exact: true }).fill("Email three podcast hosts");
    await page.getByLabel("Step 1", { exact: true }).press("Enter");
    await page.getByLabel("Key result 1", { exact: true }).press("Enter");
    await page.waitForTimeout(1500);
    expect(new URL(page.url()).pathname).toBe("/plan");
    expect(writes).toEqual([]);
    expect(await title.inputValue()).toBe("Grow podcast downloads from 300 to 500 per episode");
    await page.screenshot({ path: join(SHOTS, "enter-1280.png"), fullPage: true });
  });

  it("keeps the draft when the person leaves, and offers it back", async () => {
    // The draft typed in the test before is still there.
    await page.getByLabel("Why does this matter?").fill("Guests and sponsors look at downloads first.");
    await page.waitForTimeout(800);
    await page.goto(`${server.url}/goals`);
    await page.getByRole("heading", { name: "Goals", level: 1 }).waitFor();
    await openBuilder(page, server.url);
    const offer = page.getByRole("region", { name: "Unsaved draft" });
    await expect
      .poll(async () => (await offer.textContent({ timeout: 10_000 })) ?? "", { timeout: 10_000 })
      .toMatch(/You have an unsaved draft from .+/);
    await page.screenshot({ path: join(SHOTS, "draft-offer-1280.png"), fullPage: true });
    await offer.getByRole("button", { name: "Continue" }).click();
    expect(await page.getByLabel("Goal", { exact: true }).inputValue()).toBe(
      "Grow podcast downloads from 300 to 500 per episode",
    );
    expect(await page.getByLabel("Why does this matter?").inputValue()).toBe(
      "Guests and sponsors look at downloads first.",
    );
    expect(await page.getByLabel("Step 1", { exact: true }).inputValue()).toBe("Email three podcast hosts");

    // Start over: the draft is gone, here and after a reload.
    await page.waitForTimeout(800);
    await page.reload();
    await page
      .getByRole("region", { name: "Unsaved draft" })
      .getByRole("button", { name: "Start over" })
      .click();
    expect(await page.getByLabel("Goal", { exact: true }).inputValue()).toBe("");
    await page.reload();
    await page.getByRole("heading", { name: "Build a plan" }).waitFor();
    await page.getByLabel("Goal", { exact: true }).waitFor();
    expect(await page.getByRole("region", { name: "Unsaved draft" }).count()).toBe(0);
  });

  it("prefills the barriers and resources from the pause's roadblocks and helpers", async () => {
    await openBuilder(page, server.url);
    await page.getByLabel("Likely roadblocks").fill("A guest cancels\nThe editor is on holiday");
    await page.getByLabel("Who can help?").fill("Priya\nAudacity");
    await expect
      .poll(() => page.getByLabel("Obstacle 1", { exact: true }).inputValue())
      .toBe("A guest cancels");
    expect(await page.getByLabel("Obstacle 2", { exact: true }).inputValue()).toBe(
      "The editor is on holiday",
    );
    expect(await page.getByLabel("Who or what 1", { exact: true }).inputValue()).toBe("Priya");
    expect(await page.getByLabel("Who or what 2", { exact: true }).inputValue()).toBe("Audacity");
  });

  it("asks for a Plan B written as if-then, and counts it in the checklist", async () => {
    const planB = page.getByLabel("Plan B (if … then …)").first();
    const row = page.locator(".row-fields", { has: planB });
    const check = (state: "ok" | "todo") =>
      page.locator(`li.${state}`, { hasText: "Every Plan B says if what happens, then what you do" });
    await planB.fill("ask Dana");
    await row.getByText(/says what to do but not when/).waitFor({ timeout: 10_000 });
    await row
      .getByText('Write it as an if-then: "If <the obstacle happens, by when>, then I ask Dana."')
      .waitFor();
    await check("todo").waitFor();
    await planB.fill("If a guest cancels, then I ask Dana to step in");
    await expect
      .poll(() => row.getByText(/says what to do but not when/).count(), { timeout: 10_000 })
      .toBe(0);
    await check("ok").waitFor();
  });

  it("gives each step an owner, me by default, a teammate when the goal has a team", async () => {
    const step = page.locator(".row-fields", { has: page.getByLabel("Step 1", { exact: true }) });
    const owner = step.getByLabel("Owner");
    expect(await owner.locator("option:checked").textContent()).toMatch(/Ada Owner/);
    await page.getByLabel("Who can see it").selectOption({ label: "My team: Growth" });
    await expect.poll(() => owner.locator("option").allTextContents()).toContain(MIA.name);
    await owner.selectOption({ label: MIA.name });
  });

  it("saves the whole plan with one request; a refusal keeps everything typed", async () => {
    const writes = watchWrites(page);
    await page.getByLabel("Goal", { exact: true }).fill("Grow podcast downloads from 300 to 500 per episode");
    await page.getByLabel("Why does this matter?").fill("Guests and sponsors look at downloads first.");
    await page.getByLabel("Key result 1", { exact: true }).fill("Downloads per episode");
    await page.getByLabel("From", { exact: true }).fill("300");
    await page.getByLabel("To", { exact: true }).fill("300");
    await page
      .getByLabel("Step 1", { exact: true })
      .fill("Email three podcast hosts to propose a guest swap");
    await page.getByRole("button", { name: "Add a step" }).click();
    await page.getByLabel("Step 2", { exact: true }).fill("Send the download numbers to Dana");
    // Issue 18 (kr18): a step picks one of the key results typed above.
    await page
      .locator(".row-fields", { has: page.getByLabel("Step 2", { exact: true }) })
      .getByLabel("Key result")
      .selectOption({ label: "Downloads per episode" });
    await page.screenshot({ path: join(SHOTS, "step-kr-1280.png"), fullPage: true });
    await page
      .getByLabel("Plan B (if … then …)")
      .first()
      .fill("If a guest cancels, then I publish a solo episode");
    await page.getByLabel("Plan B (if … then …)").nth(1).fill("If the editor is away, then I edit it myself");
    await page.getByLabel("What to ask").first().fill("Introduce me to her producer");

    // The coach has read the plan before it is saved.
    await expect
      .poll(() => page.locator(".coach-status").getAttribute("data-coach-state"), { timeout: 10_000 })
      .toMatch(/ready|unavailable/);
    await page.getByRole("button", { name: "Save the plan" }).click();
    const alert = page.getByRole("alert");
    await expect
      .poll(async () => (await alert.first().textContent({ timeout: 10_000 })) ?? "", { timeout: 10_000 })
      .toContain("Key result 1: The target equals the start value");
    expect(writes).toEqual(["POST /api/plans"]);
    expect(new URL(page.url()).pathname).toBe("/plan");
    expect(await page.getByLabel("Step 2", { exact: true }).inputValue()).toBe(
      "Send the download numbers to Dana",
    );
    expect((await call<{ items: unknown[] }>("GET", "/goals?limit=200")).items).toEqual([]);
    await page.screenshot({ path: join(SHOTS, "refused-1280.png"), fullPage: true });

    await page.getByLabel("To", { exact: true }).fill("500");
    await page.getByRole("button", { name: "Save the plan" }).click();
    await page
      .getByRole("heading", { name: "Grow podcast downloads from 300 to 500 per episode", level: 1 })
      .waitFor();
    expect(writes).toEqual(["POST /api/plans", "POST /api/plans"]);
    const goalId = Number(new URL(page.url()).pathname.split("/")[2]);
    const plan = await call("GET", `/goals/${goalId}/plan`);
    expect(plan.goal.teamId).toBe(teamId);
    expect(plan.steps.map((s: { text: string; ownerId: number }) => [s.text, s.ownerId])).toEqual([
      ["Email three podcast hosts to propose a guest swap", miaId],
      ["Send the download numbers to Dana", expect.any(Number)],
    ]);
    expect(plan.steps.map((s: { keyResultId: number | null }) => s.keyResultId)).toEqual([
      null,
      plan.keyResults[0].id,
    ]);
    expect(plan.barriers.map((b: { obstacle: string }) => b.obstacle)).toEqual([
      "A guest cancels",
      "The editor is on holiday",
    ]);
    expect(plan.resources.map((r: { name: string }) => r.name)).toEqual(["Priya", "Audacity"]);

    // The draft is gone once saved.
    await openBuilder(page, server.url);
    await page.getByLabel("Goal", { exact: true }).waitFor();
    expect(await page.getByRole("region", { name: "Unsaved draft" }).count()).toBe(0);
  });

  it("shows the coach before 'Save the plan' on a phone", async () => {
    const phone = await context.newPage();
    await phone.setViewportSize(PHONE);
    await openBuilder(phone, server.url);
    await phone.getByLabel("Goal", { exact: true }).fill("Work on the podcast");
    const coach = phone.getByRole("complementary", { name: "Plan quality" });
    const save = phone.getByRole("button", { name: "Save the plan" });
    await expect
      .poll(() => phone.locator(".coach-status").getAttribute("data-coach-state"), { timeout: 10_000 })
      .toMatch(/ready|unavailable/);
    const [c, s] = [await coach.boundingBox(), await save.boundingBox()];
    expect(c && s && c.y < s.y).toBe(true);
    await phone.screenshot({ path: join(SHOTS, "builder-390.png"), fullPage: true });
    await phone.close();
  });

  it("lets a step pick a key result typed above on a phone", async () => {
    const phone = await context.newPage();
    await phone.setViewportSize(PHONE);
    await openBuilder(phone, server.url);
    // The phone test before leaves a draft behind: start over.
    const offer = phone.getByRole("region", { name: "Unsaved draft" });
    if (await offer.count()) await offer.getByRole("button", { name: "Start over" }).click();
    await phone.getByLabel("Goal", { exact: true }).fill("Grow the newsletter to 2,000 subscribers");
    await phone.getByLabel("Key result 1", { exact: true }).fill("Paying subscribers");
    await phone.getByLabel("From", { exact: true }).fill("1200");
    await phone.getByLabel("To", { exact: true }).fill("2000");
    await phone.getByLabel("Step 1", { exact: true }).fill("Email the list a welcome offer");
    const kr = phone
      .locator(".row-fields", { has: phone.getByLabel("Step 1", { exact: true }) })
      .getByLabel("Key result");
    expect(await kr.locator("option").allTextContents()).toEqual(["None", "Paying subscribers"]);
    await kr.selectOption({ label: "Paying subscribers" });
    const box = await kr.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= PHONE.width).toBe(true);
    await kr.scrollIntoViewIfNeeded();
    await phone.screenshot({ path: join(SHOTS, "step-kr-390.png") });
    await phone.getByLabel("Goal", { exact: true }).fill("");
    await phone.close();
  });

  it("finishes an imported plan in the builder, adding only what is new", async () => {
    await page.goto(`${server.url}/import`);
    await page.getByLabel("From").selectOption("taskwarrior");
    await page
      .getByLabel("The exported file")
      .setInputFiles(join(import.meta.dirname, "..", "fixtures", "import", "taskwarrior.json"));
    await page.getByRole("button", { name: "Import" }).click();
    await page.getByRole("heading", { name: "Imported" }).waitFor();
    const goals = (await call<{ items: { id: number; title: string }[] }>("GET", "/goals?limit=200")).items;
    const imported = goals.find((g) => /Newsletter/.test(g.title));
    if (!imported) throw new Error("The import made no Newsletter goal");
    const before = await call("GET", `/goals/${imported.id}/plan`);

    await page.goto(`${server.url}/goals/${imported.id}`);
    await page.getByRole("link", { name: "Finish this plan" }).click();
    await page.getByRole("heading", { name: "Finish the plan" }).waitFor();
    expect(await page.getByLabel("Goal", { exact: true }).inputValue()).toBe(imported.title);
    const existing = page.getByRole("list", { name: "Steps already in the plan" });
    await expect.poll(() => existing.locator("li").count()).toBe(before.steps.length);
    await page.screenshot({ path: join(SHOTS, "finish-1280.png"), fullPage: true });

    await page.getByLabel("Why does this matter?").fill("Readers fund the writing.");
    await page.getByLabel("Key result 1", { exact: true }).fill("Subscribers");
    await page.getByLabel("From", { exact: true }).fill("1200");
    await page.getByLabel("To", { exact: true }).fill("2000");
    // New steps are numbered after the ones the plan already has.
    const open = before.steps.filter((s: { status: string }) => s.status !== "dropped").length;
    await page
      .getByLabel(`Step ${open + 1}`, { exact: true })
      .fill("Ask Mei for two guest-post introductions");
    await page.getByRole("button", { name: "Add an obstacle" }).click();
    await page.getByLabel("Obstacle 1", { exact: true }).fill("Client work eats the writing time");
    await page.getByLabel("Plan B (if … then …)").fill("If I miss Tuesday, then I write on Thursday at 7am");
    await page.getByRole("button", { name: "Save the plan" }).click();
    await page.getByRole("heading", { name: imported.title, level: 1 }).waitFor();

    const after = await call("GET", `/goals/${imported.id}/plan`);
    expect(after.goal.why).toBe("Readers fund the writing.");
    expect(after.keyResults.map((k: { title: string }) => k.title)).toEqual(["Subscribers"]);
    expect(after.steps.length).toBe(before.steps.length + 1);
    expect(after.barriers.map((b: { obstacle: string }) => b.obstacle)).toEqual([
      "Client work eats the writing time",
    ]);
    // A finished plan no longer offers to be finished.
    await page.getByText("Why: Readers fund the writing.").waitFor();
    expect(await page.getByRole("link", { name: "Finish this plan" }).count()).toBe(0);
  });
});
