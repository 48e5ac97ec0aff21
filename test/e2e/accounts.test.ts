/**
 * Accounts in a real Chromium against the built server (issue 16, defect 8): a member changes
 * their password on Settings; forgets it, asks for a link on the sign-in page, opens the emailed
 * link (a real SMTP server on 127.0.0.1), chooses a new password and signs in with it; the owner
 * makes a reset link on the Team page. Screenshots at 1280×800 and 390×844 in /tmp/sec-accounts-shots.
 * Needs `npm run build` and /usr/bin/chromium (skipped without it, unless CI=true).
 */
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
  enterApp,
  joinAs,
  launchChromium,
  type RunningServer,
  startServer,
} from "./web-harness.mjs";

const SHOTS = "/tmp/sec-accounts-shots";
const MIA = { name: "Mia Member", email: "mia@example.com", password: "another horse battery staple" };
const CHANGED = "a lighthouse keeper in winter";
const RESET = "seven quiet otters at noon";

const shots = (page: Page, name: string) =>
  atBothSizes(page, (label) => screenshot(page, SHOTS, `${name}-${label}`, true));

describe.skipIf(skipWithoutChromium("the accounts browser tests"))("accounts in the web app", () => {
  let server: RunningServer;
  let smtp: TestSmtp;
  let browser: Browser;
  let call: Call;
  let teamId: number;
  const { problems, watch } = pageProblems();

  beforeAll(async () => {
    requireChromium();
    mkdirSync(SHOTS, { recursive: true });
    smtp = await startSmtp();
    const saved = { smtp: process.env.SMTP_URL, scheduler: process.env.THROUGHLINE_SCHEDULER };
    process.env.SMTP_URL = smtp.url;
    process.env.THROUGHLINE_SCHEDULER = "off";
    try {
      server = await startServer();
    } finally {
      if (saved.smtp === undefined) delete process.env.SMTP_URL;
      else process.env.SMTP_URL = saved.smtp;
      if (saved.scheduler === undefined) delete process.env.THROUGHLINE_SCHEDULER;
      else process.env.THROUGHLINE_SCHEDULER = saved.scheduler;
    }
    ({ call } = await apiAs(server.url));
    teamId = (await call<{ id: number }>("POST", "/teams", { name: "Growth" })).id;
    const invite = await call<{ token: string }>("POST", "/invitations", { teamId, role: "member" });
    await joinAs(server.url, invite.token, MIA);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
  });

  it("changes a password on Settings with the current one", async () => {
    const context = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
    const page = await context.newPage();
    watch(page);
    await enterApp(page, server.url, MIA);
    await page.goto(`${server.url}/settings`);
    await page.getByRole("heading", { name: "Change password" }).waitFor();
    await settled(page);
    await page.getByLabel("Current password").fill("not my password");
    await page.getByLabel("New password", { exact: true }).fill(CHANGED);
    await page.getByLabel("New password again").fill(CHANGED);
    await page.getByRole("button", { name: "Change password" }).click();
    await textOf(page.getByRole("alert")).toMatch(/current password is wrong/i);
    await page.getByLabel("Current password").fill(MIA.password);
    await page.getByRole("button", { name: "Change password" }).click();
    await textOf(page.getByRole("status").filter({ hasText: "Password changed" })).toMatch(
      /Password changed/,
    );
    await page.getByRole("heading", { name: "Sign out everywhere" }).scrollIntoViewIfNeeded();
    await shots(page, "settings");
    expect(await seriousViolations(page)).toEqual([]);

    const old = await fetch(`${server.url}/api/auth/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: MIA.email, password: MIA.password }),
    });
    expect(old.status).toBe(401);

    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await context.close();
  });

  it("resets a forgotten password from the sign-in page through the emailed link", async () => {
    const context = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
    const page = await context.newPage();
    watch(page);
    await page.goto(`${server.url}/`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByRole("button", { name: "Forgot password?" }).click();
    await page.getByRole("heading", { name: "Reset your password" }).waitFor();
    const before = smtp.messages.length;
    await page.getByLabel("Email").fill(MIA.email);
    await page.getByRole("button", { name: "Reset my password" }).click();
    const answer = page.getByTestId("forgot-answer");
    await textOf(answer).toMatch(/If an account uses that address/);
    const known = (await answer.textContent()) ?? "";
    await shots(page, "forgot");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel("Email").fill("nobody@example.com");
    await page.getByRole("button", { name: "Send again" }).click();
    await textOf(answer).toBe(known);

    const mail = (await smtp.waitFor(before + 1, 10_000))[before];
    const link = /(http:\/\/\S+\/reset-password#\S+)/.exec(mail?.text ?? "")?.[1];
    expect(link).toBeDefined();
    await page.goto(link as string);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await expect.poll(() => page.url()).not.toContain("#");
    await page.getByLabel("New password", { exact: true }).fill(RESET);
    await page.getByLabel("New password again").fill(RESET);
    await shots(page, "reset");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Set the new password" }).click();
    await page.getByRole("button", { name: "Sign in with the new password" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByLabel("Email").fill(MIA.email);
    await page.getByLabel("Password").fill(RESET);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "My week" }).waitFor();
    await context.close();
  });

  it("lets the owner create a reset link on the Team page", async () => {
    const context = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
    const page = await context.newPage();
    watch(page);
    await enterApp(page, server.url);
    await page.goto(`${server.url}/team?team=${teamId}`);
    await settled(page);
    await page.getByRole("button", { name: `Create a reset link for ${MIA.name}` }).click();
    await visible(page.getByTestId("reset-link"));
    await textOf(page.getByTestId("reset-link")).toMatch(/\/reset-password#tlr_/);
    await shots(page, "team-reset-link");
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
    expect(problems).toEqual([]);
  });
});
