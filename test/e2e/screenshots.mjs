/**
 * `npm run screenshots`: starts the built server on a free port with a temporary database, creates
 * the owner through the first-run page, seeds a plan through the API, brings a second person into
 * the owner's team by invitation (with a team goal, a missed step, a private goal and a delegated
 * step), and saves each page at 1280×800 (and My week and a goal at 390×844) to docs/screenshots/<page>.png
 * with the system Chromium.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  apiAs,
  authState,
  day,
  enterApp,
  joinAs,
  launchChromium,
  ROOT,
  seedPlan,
  startServer,
} from "./web-harness.mjs";

const OUT = join(ROOT, "docs/screenshots");
mkdirSync(OUT, { recursive: true });

const server = await startServer();
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const shot = async (name) => {
    await page
      .locator(".state-loading")
      .first()
      .waitFor({ state: "detached", timeout: 15_000 })
      .catch(() => {});
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: join(OUT, `${name}.png`) });
    console.log(`docs/screenshots/${name}.png`);
  };

  await page.goto(`${server.url}/`);
  if ((await authState(server.url)).accounts) {
    await page.locator("h1").first().waitFor();
    await shot("first-run");
  }
  await enterApp(page, server.url);
  const { call } = await apiAs(server.url);
  const seeded = await seedPlan(call);

  await page.goto(`${server.url}/`);
  await page.getByRole("heading", { name: "My week" }).waitFor();
  await shot("week");

  await page.goto(`${server.url}/goals/${seeded.goal.id}`);
  await page.locator('.chart-box[data-loaded="true"]').waitFor({ timeout: 15_000 });
  await shot("goal");

  await page.goto(`${server.url}/plan`);
  await page
    .getByLabel("What does success look like?")
    .fill("Every episode has 500 downloads in its first week.");
  await page.getByLabel("Why does this matter?").fill("Guests and sponsors look at downloads first.");
  await page.getByLabel("Goal", { exact: true }).fill("Grow podcast downloads from 300 to 500 per episode");
  await page.getByLabel("Key result 1", { exact: true }).fill("Downloads per episode");
  await page.getByLabel("From", { exact: true }).fill("300");
  await page.getByLabel("To", { exact: true }).fill("500");
  await page.getByLabel("Step 1", { exact: true }).fill("Work on the podcast");
  await page
    .locator(".finding")
    .first()
    .waitFor({ timeout: 5000 })
    .catch(() => {});
  await page.getByText("The goal and its key results").scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 180));
  await shot("plan-builder");

  await page.goto(`${server.url}/goals/${seeded.goal.id}/check-in`);
  await page.getByLabel("The sponsor deck approval slips").check();
  await page.getByRole("button", { name: "Save the check-in" }).click();
  await page.getByRole("heading", { name: "Your Plan B" }).waitFor();
  await shot("check-in-plan-b");

  // A team to lead: the owner's goals are shared with the team, and Mia joins it with her own plans.
  const teamId = (await call("GET", "/teams")).items[0].id;
  for (const g of [seeded.objective, seeded.goal, seeded.stalled])
    await call("PATCH", `/goals/${g.id}`, { visibility: "team", teamId });
  const invitation = await call("POST", "/invitations", { teamId, role: "member", email: "mia@example.com" });
  const MIA = { name: "Mia Chen", email: "mia@example.com", password: "another horse battery staple" };
  const mia = await joinAs(server.url, invitation.token, MIA);
  const referral = await mia.call("POST", "/goals", {
    title: "Launch the referral programme with 50 sign-ups",
    why: "Readers trust readers more than ads.",
    visibility: "team",
    teamId,
    parentId: seeded.objective.id,
    startDate: day(-24),
    dueDate: day(40),
  });
  const miaSteps = [
    ["Write the referral email", -12],
    ["Pick the reward with Raj", -5],
    ["Set up the tracking link", 3],
  ];
  const made = [];
  for (const [text, due] of miaSteps)
    made.push(await mia.call("POST", `/goals/${referral.id}/steps`, { text, dueDate: day(due) }));
  await mia.call("POST", `/steps/${made[0].id}/done`, {});
  await mia.call("POST", `/goals/${referral.id}/checkins`, {
    date: day(-12),
    confidence: "on-track",
    doneText: "Referral email drafted",
  });
  await mia.call("POST", "/goals", {
    title: "Write the team's style guide",
    visibility: "workspace",
    startDate: day(-3),
    dueDate: day(60),
  });
  await mia.call("POST", "/goals", { title: "Find a flat near the office", visibility: "private" });
  await call("POST", `/steps/${seeded.steps[4].id}/delegate`, {
    assigneeId: mia.userId,
    why: "You know ConvertKit better than anyone",
    doneLooksLike: "A reward email goes out on the third referral",
  });

  await page.goto(`${server.url}/team`);
  await page.getByRole("heading", { name: /^Team/, level: 1 }).waitFor();
  await page.getByTestId("people").waitFor();
  await shot("team");
  await page.getByRole("heading", { name: "Alignment" }).scrollIntoViewIfNeeded();
  await shot("team-alignment");

  const member = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const miaPage = await member.newPage();
  await enterApp(miaPage, server.url, MIA);
  await miaPage.getByTestId("incoming-delegations").waitFor();
  await miaPage
    .locator(".state-loading")
    .first()
    .waitFor({ state: "detached", timeout: 15_000 })
    .catch(() => {});
  await miaPage.waitForLoadState("networkidle");
  await miaPage.screenshot({ path: join(OUT, "week-delegated.png") });
  console.log("docs/screenshots/week-delegated.png");
  await miaPage.goto(`${server.url}/inbox`);
  await miaPage.getByTestId("notices").waitFor();
  await miaPage.screenshot({ path: join(OUT, "inbox.png") });
  console.log("docs/screenshots/inbox.png");

  await page.goto(`${server.url}/playbooks/${seeded.playbook.id}`);
  await page.getByRole("heading", { name: "Before Tuesday" }).waitFor();
  await shot("playbook");

  await page.goto(`${server.url}/settings`);
  await page.getByRole("heading", { name: "Settings" }).waitFor();
  await shot("settings");

  // Living with the plan: the goals at a glance, editing after saving, the stalled goal's one step.
  await page.goto(`${server.url}/goals`);
  await page.getByRole("heading", { name: "Goals", level: 1 }).waitFor();
  await shot("goals");
  await page.goto(`${server.url}/goals/${seeded.goal.id}`);
  await page.getByRole("button", { name: "Edit the goal" }).click();
  await page.getByRole("form", { name: "Edit the goal" }).getByLabel("Due date").fill(day(90));
  await page.getByRole("form", { name: "Edit the goal" }).scrollIntoViewIfNeeded();
  await shot("goal-edit");
  await page.goto(`${server.url}/goals/${seeded.stalled.id}`);
  await page.locator(".micro-goal").first().waitFor();
  await shot("goal-micro");

  await page.goto(`${server.url}/integrations`);
  await page.getByRole("heading", { name: "Integrations", level: 1 }).waitFor();
  await shot("integrations");

  // The same person on a phone (390 px wide).
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.url}/`);
  await page.getByRole("heading", { name: "My week" }).waitFor();
  await shot("week-phone");
  await page.goto(`${server.url}/goals/${seeded.goal.id}`);
  await page.locator('.chart-box[data-loaded="true"]').waitFor({ timeout: 15_000 });
  await shot("goal-phone");
} finally {
  await browser.close();
  await server.stop();
}
