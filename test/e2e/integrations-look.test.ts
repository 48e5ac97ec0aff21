/**
 * Issue 15 in a real Chromium against the built server: the Integrations page (an owner connects a
 * webhook and a team's Slack channel to a real receiver on 127.0.0.1, sends test messages and sees
 * them delivered; a member sees no actions), Settings offering email only on a server that sends
 * email, the goals list with progress, pace and stalled at a glance from one request, playbook task
 * lists as checkboxes, every nav item reachable at 390 px, errors as sentences, the Team page's
 * numbers in words, and axe-core on each of these pages at 1280×800 and 390×844.
 * Needs `npm run build` and /usr/bin/chromium (skipped without it, unless CI=true).
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Receiver, startReceiver } from "../helpers/receiver.js";
import { startSmtp, type TestSmtp } from "../helpers/smtp.js";
import {
  DESKTOP,
  PHONE,
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
  joinAs,
  launchChromium,
  type RunningServer,
  seedPlan,
  startServer,
} from "./web-harness.mjs";

const SHOTS = "/tmp/look-shots";
const MIA = { name: "Mia Member", email: "mia@example.com", password: "another horse battery staple" };

const shot = (page: Page, name: string) => screenshot(page, SHOTS, name, true);

describe.skipIf(skipWithoutChromium("the integrations browser tests"))(
  "integrations, settings, goals list and copy in the web app",
  () => {
    let server: RunningServer;
    let browser: Browser;
    let owner: BrowserContext;
    let page: Page;
    let call: Call;
    let seeded: Awaited<ReturnType<typeof seedPlan>>;
    let member: BrowserContext;
    let mia: Page;
    let miaCall: Call;
    let teamId: number;
    let rx: Receiver;
    let checklist: number;
    const { problems, watch } = pageProblems();

    beforeAll(async () => {
      requireChromium();
      rx = await startReceiver();
      server = await startServer();
      browser = await launchChromium();
      owner = await browser.newContext({ viewport: DESKTOP });
      page = await owner.newPage();
      watch(page);
      await enterApp(page, server.url);
      ({ call } = await apiAs(server.url));
      seeded = await seedPlan(call);
      teamId = (await call<{ id: number }>("POST", "/teams", { name: "Growth" })).id;
      const invite = await call<{ token: string }>("POST", "/invitations", {
        teamId,
        role: "member",
        email: MIA.email,
      });
      const joined = await joinAs(server.url, invite.token, MIA);
      miaCall = joined.call;
      member = await browser.newContext({ viewport: DESKTOP });
      await member.addCookies([
        {
          name: joined.cookie.split("=")[0] as string,
          value: joined.cookie.split("=").slice(1).join("="),
          url: server.url,
        },
      ]);
      mia = await member.newPage();
      watch(mia);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await rx?.close();
    });

    it("lets an owner connect a webhook to a local receiver, send a test and see the delivery listed", async () => {
      await page.goto(`${server.url}/`);
      await settled(page);
      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: "Integrations" })
        .click();
      await page.getByRole("heading", { name: "Integrations", level: 1 }).waitFor();
      await settled(page);

      await page.getByLabel("Receiver URL").fill(`${rx.url}/hook`);
      await page.getByLabel("A step is done").check();
      await page.getByRole("button", { name: "Add the webhook" }).click();
      await textOf(page.getByRole("status").filter({ hasText: "signing secret" })).toContain(
        "not shown again",
      );
      const card = page.locator("section.card", {
        has: page.getByRole("heading", { name: `${rx.url}/hook` }),
      });
      await visible(card);
      await textOf(card).toContain("Nothing sent yet");

      const before = rx.requests.length;
      await card.getByRole("button", { name: /Send a test message/ }).click();
      await textOf(card.getByRole("status")).toContain("Test message delivered: the receiver answered 200.");
      expect(rx.requests.length).toBe(before + 1);
      const got = rx.requests.at(-1);
      expect(got?.path).toBe("/hook");
      expect(got?.headers["x-throughline-event"]).toBe("hook.test");
      expect(got?.headers["x-throughline-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);

      const log = card.getByRole("list", { name: `Recent deliveries to ${rx.url}/hook` });
      await textOf(log).toContain("Delivered");
      await textOf(log).toContain("Test message");
      await textOf(log).toContain("just now");
      await textOf(log).toContain("answered 200");
      await shot(page, "integrations-webhook");
    });

    it("connects a team's Slack channel and posts a test message to it", async () => {
      const team = page.locator("section.card", { has: page.getByRole("heading", { name: "Growth" }) });
      await team.getByLabel("Slack incoming webhook URL").fill(`${rx.url}/slack/T0/B0/secret`);
      await team.getByRole("button", { name: "Connect Slack for Growth" }).click();
      await textOf(team).toContain("Connected");
      await textOf(team).toContain(`${rx.url}/…cret`);
      await team.getByRole("button", { name: "Send a test message to Growth's Slack channel" }).click();
      await textOf(team.getByRole("status")).toContain("Test message delivered");
      const message = JSON.parse(rx.requests.at(-1)?.body ?? "{}");
      expect(message.blocks[0].text.text).toBe("Throughline is connected");
      await textOf(team.getByRole("list", { name: "Recent deliveries to Growth's Slack channel" })).toContain(
        "Test message",
      );

      // A receiver that fails is said in words, with what to do.
      rx.status = (path) => (path.startsWith("/hook") ? 500 : 200);
      try {
        const card = page.locator("section.card", {
          has: page.getByRole("heading", { name: `${rx.url}/hook` }),
        });
        await card.getByRole("button", { name: /Send a test message/ }).click();
        await textOf(card.getByText(/did not arrive/)).toContain(
          "The test message did not arrive: the receiver answered 500 (an error on its side). Check the URL and the receiver, then send another test.",
        );
        await textOf(card.getByRole("list", { name: /Recent deliveries/ })).toContain("Failed");
      } finally {
        rx.status = () => 200;
      }
      await shot(page, "integrations-slack");
    });

    it("shows a member no integration actions, and the API refuses them", async () => {
      await mia.goto(`${server.url}/`);
      await mia.getByRole("heading", { name: "My week" }).waitFor();
      const nav = mia.getByRole("navigation", { name: "Main" });
      await visible(nav.getByRole("link", { name: "Settings" }));
      expect(await nav.getByRole("link", { name: "Integrations" }).count()).toBe(0);
      await mia.goto(`${server.url}/integrations`);
      await visible(mia.getByText("Nothing here for you to manage"));
      expect(
        await mia
          .getByRole("button")
          .filter({ hasText: /test message|Connect|Add the webhook/ })
          .count(),
      ).toBe(0);
      expect(await mia.getByRole("textbox").count()).toBe(0);
      const hooks = await call<{ items: { id: number }[] }>("GET", "/webhooks");
      await expect(miaCall("POST", `/webhooks/${hooks.items[0]?.id}/test`)).rejects.toThrow(/403/);
      await expect(miaCall("POST", `/teams/${teamId}/integrations/slack/test`)).rejects.toThrow(/404/);
      await shot(mia, "integrations-member");
    });

    it("offers no email nudges on a server without email, and no personal Slack or Teams ticks", async () => {
      await page.goto(`${server.url}/settings`);
      await page.getByRole("heading", { name: "Notification channels" }).waitFor();
      await settled(page);
      const card = page.locator("section.card", {
        has: page.getByRole("heading", { name: "Notification channels" }),
      });
      await visible(card.getByLabel(/In-app inbox/));
      expect(await card.getByRole("checkbox").count()).toBe(1);
      await textOf(card.getByTestId("no-email")).toContain("this server does not send email yet");
      await textOf(card.getByTestId("team-channels")).toContain(
        "Connect your teams' channels on the Integrations page",
      );
      await card.getByRole("link", { name: "Integrations page" }).click();
      await page.getByRole("heading", { name: "Integrations", level: 1 }).waitFor();
      await shot(page, "settings-no-email");
    });

    it("offers email nudges, ticked, on a server that sends email", async () => {
      const smtp: TestSmtp = await startSmtp();
      const saved = process.env.SMTP_URL;
      process.env.SMTP_URL = smtp.url;
      let mailServer: RunningServer | undefined;
      try {
        mailServer = await startServer();
        const ctx = await browser.newContext({ viewport: DESKTOP });
        const p = await ctx.newPage();
        await enterApp(p, mailServer.url);
        await p.goto(`${mailServer.url}/settings`);
        const card = p.locator("section.card", {
          has: p.getByRole("heading", { name: "Notification channels" }),
        });
        await visible(card.getByLabel(/Email/));
        expect(await card.getByLabel(/Email/).isChecked()).toBe(true);
        expect(await card.getByTestId("no-email").count()).toBe(0);
        await ctx.close();
      } finally {
        if (saved === undefined) delete process.env.SMTP_URL;
        else process.env.SMTP_URL = saved;
        await mailServer?.stop();
        await smtp.close();
      }
    });

    it("shows progress, pace and a stalled marker on the goals list, from one request", async () => {
      const goalRequests: string[] = [];
      const onRequest = (r: { url: () => string }) => {
        const u = new URL(r.url());
        if (u.pathname.startsWith("/api/") && !/^\/api\/(auth\/session|inbox)/.test(u.pathname))
          goalRequests.push(`${u.pathname}${u.search}`);
      };
      page.on("request", onRequest);
      await page.goto(`${server.url}/goals`);
      await settled(page);
      page.off("request", onRequest);
      expect(goalRequests).toEqual(["/api/goals?limit=100&include=status"]);

      const row = (title: string) =>
        page.locator("li.goal-row", { has: page.getByRole("link", { name: title }) });
      const growing = row(String(seeded.goal.title));
      await textOf(growing).toMatch(/\d+% done/);
      await expect
        .poll(() => growing.locator(".meter").getAttribute("aria-label"))
        .toMatch(/% done; on pace would be \d+% today/);
      await textOf(growing).toMatch(/last check-in (today|yesterday|on )/);
      const stalled = row(String(seeded.stalled.title));
      await textOf(stalled.locator(".tag-warn")).toContain("Stalled");
      await textOf(stalled).toContain("no check-in yet");
      await shot(page, "goals-list");
    });

    it("renders playbook task lists as readable, disabled checkboxes", async () => {
      checklist = (
        await call<{ id: number }>("POST", "/playbooks", {
          title: "Weekly review",
          body: [
            "# Friday",
            "",
            "- [ ] Close the week's steps",
            "- [x] Write the numbers",
            "",
            "1. [ ] Numbered task",
            "",
            "* [ ] Loose task",
            "",
            "* [ ] Another loose task",
            "  - [ ] Nested task",
          ].join("\n"),
        })
      ).id;
      await page.goto(`${server.url}/playbooks/${checklist}`);
      await page.getByRole("heading", { name: "Friday" }).waitFor();
      const md = page.locator(".markdown");
      await expect.poll(() => md.getByRole("checkbox").count()).toBe(6);
      expect(await md.textContent()).not.toMatch(/\[[ xX]\]/);
      const done = md.getByRole("checkbox", { name: "Write the numbers" });
      expect(await done.isChecked()).toBe(true);
      expect(await done.isDisabled()).toBe(true);
      expect(await md.getByRole("checkbox", { name: "Nested task" }).isChecked()).toBe(false);
      // The box takes the bullet's place, at full strength.
      const look = await md
        .locator("li", { hasText: "Close the week's steps" })
        .first()
        .evaluate((li) => ({
          bullet: getComputedStyle(li).listStyleType,
          opacity: getComputedStyle(li.querySelector("input") as Element).opacity,
        }));
      expect(look).toEqual({ bullet: "none", opacity: "1" });
      await shot(page, "playbook-tasks");
    });

    it("shows an error as a sentence that says what to do, never a code", async () => {
      await page.goto(`${server.url}/goals/999999`);
      const alert = page.getByRole("alert").first();
      await textOf(alert).toContain("This goal does not exist, or it is not shared with you.");
      const text = (await alert.textContent()) ?? "";
      expect(text).not.toMatch(/Code:|goal_not_found|\bid 999999\b/);
    });

    it("says the Team page's numbers in words", async () => {
      // A member's goal shared with the team (the team view counts its members' shared goals).
      const g = await miaCall<{ id: number }>("POST", "/goals", {
        title: "Publish the onboarding guide",
        why: "New people ask the same questions every week.",
        teamId,
        visibility: "team",
        startDate: day(-40),
        dueDate: day(20),
        cadenceDays: 7,
      });
      const kr = await miaCall<{ id: number }>("POST", `/goals/${g.id}/key-results`, {
        title: "Chapters",
        startValue: 0,
        targetValue: 10,
      });
      await miaCall("POST", `/goals/${g.id}/checkins`, {
        date: day(-11),
        krValues: [{ keyResultId: kr.id, value: 1 }],
        confidence: "at-risk",
      });
      await page.goto(`${server.url}/team?team=${teamId}`);
      await settled(page);
      await shot(page, "team-words");
      const missed = page.locator("section.card", {
        has: page.getByRole("heading", { name: "Missed check-ins" }),
      });
      await textOf(missed).toContain("11 days since the last check-in (every 7 days planned)");
      const risk = page.locator("section.card", {
        has: page.getByRole("heading", { name: "Goals at risk" }),
      });
      await textOf(risk).toMatch(/10% done; on pace would be \d+% today \(behind pace\)/);
      const stalled = page.locator("section.card", {
        has: page.getByRole("heading", { name: "Stalled goals" }),
      });
      await textOf(stalled).toMatch(/behind the pace its due date needs|nothing moved/);
      const all = (await page.locator("main").textContent()) ?? "";
      expect(all).not.toMatch(/\d+ of \d+ days|% of \d+% expected|Buffer [+-]\d|\b\d{4}-\d{2}-\d{2}\b/);
      await shot(page, "team-words");
    });

    it("keeps every nav item, Settings included, in view at 390 px", async () => {
      const phone = await browser.newContext({ viewport: PHONE });
      const p = await phone.newPage();
      watch(p);
      await enterApp(p, server.url);
      const nav = p.getByRole("navigation", { name: "Main" });
      for (const name of ["My week", "Plan", "Goals", "Team", "Playbooks", "Settings", "Integrations"]) {
        const link = nav.getByRole("link", { name, exact: true });
        await visible(link);
        const box = await link.boundingBox();
        expect(box, name).not.toBeNull();
        expect(
          (box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= PHONE.width,
          `${name} is on screen`,
        ).toBe(true);
      }
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await shot(p, "nav-390");
      await nav.getByRole("link", { name: "Settings" }).click();
      await p.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
      await phone.close();
    });

    it("has no serious or critical axe findings on these pages at 1280×800 and 390×844", async () => {
      const paths = ["/integrations", "/settings", "/goals", "/team", `/playbooks/${checklist}`];
      const found: string[] = [];
      // axe is injected as an inline script, which the app's CSP refuses: these contexts bypass it.
      const [ownerState, memberState] = [await owner.storageState(), await member.storageState()];
      for (const viewport of [DESKTOP, PHONE]) {
        for (const [who, state, list] of [
          ["owner", ownerState, paths],
          ["member", memberState, ["/integrations", "/settings"]],
        ] as const) {
          const ctx = await browser.newContext({ viewport, storageState: state, bypassCSP: true });
          const p = await ctx.newPage();
          for (const path of list) {
            await p.goto(`${server.url}${path}`);
            await settled(p);
            for (const v of await seriousViolations(p))
              found.push(`${viewport.width}px ${who} ${path}: ${v}`);
            await shot(p, `axe-${viewport.width}-${who}-${path.replace(/\W+/g, "_")}`);
          }
          await ctx.close();
        }
      }
      expect(found).toEqual([]);
      expect(problems).toEqual([]);
    }, 180_000);
  },
);
