/**
 * Issue 19, "each message's format with a screenshot": the three emails a person gets — a step
 * nudge, the `throughline remind --email` block and the weekly review — rendered by the real
 * renderers and opened in a real Chromium at 1280×800 and 390×844. Each reads on a phone without
 * sideways scrolling, passes axe-core, and links every line to its page under PUBLIC_URL.
 * `DOC_SHOTS=1` writes the phone screenshots to docs/screenshots/email-*.png (the ones
 * docs/integrations.md shows). Needs /usr/bin/chromium (skipped without it, unless CI=true).
 */
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stepDue } from "../../src/app/delivery/messages.js";
import { renderNudgeEmail } from "../../src/integrations/email.js";
import { renderRemindersEmail, renderWeeklyReviewEmail } from "../../src/integrations/reminders-email.js";
import {
  atBothSizes,
  requireChromium,
  screenshot,
  seriousViolations,
  skipWithoutChromium,
} from "./browser.js";
import { launchChromium, ROOT } from "./web-harness.mjs";

const PUBLIC_URL = "https://throughline.example.com";
const UNSUBSCRIBE = `${PUBLIC_URL}/api/unsubscribe/un_3f9c2a`;
const SHOTS = process.env.DOC_SHOTS ? join(ROOT, "docs/screenshots") : "/tmp/email-shots";

/** The words of a real step-due-today nudge (the same function the scheduler calls). */
const due = stepDue("step-due-today", {
  text: "Call the venue about the deposit",
  goalTitle: "Launch the community podcast",
  dueDate: "2026-12-03",
  dueTime: "15:30",
});
const nudgeWords = { title: due.title, message: due.text };

const EMAILS = {
  nudge: renderNudgeEmail(
    {
      workspaceId: 1,
      userId: 2,
      kind: "step-due-today",
      subject: { type: "step", id: 41 },
      ...nudgeWords,
      lines: [],
      link: "/goals/12#step-41",
      data: {},
    },
    { publicUrl: PUBLIC_URL, unsubscribeUrl: UNSUBSCRIBE, name: "Olu" },
  ),
  reminders: renderRemindersEmail(
    {
      asOf: "2026-12-03",
      items: [
        {
          key: "step:40",
          kind: "overdue",
          text: "Email Raj the sponsorship deck",
          goalId: 12,
          goalTitle: "Launch the community podcast",
          stepId: 40,
          dueDate: "2026-11-30",
          why: null,
          link: "/goals/12#step-40",
        },
        {
          key: "step:41",
          kind: "due-today",
          text: "Call the venue about the deposit",
          goalId: 12,
          goalTitle: "Launch the community podcast",
          stepId: 41,
          dueDate: "2026-12-03",
          why: null,
          link: "/goals/12#step-41",
        },
        {
          key: "stalled:15",
          kind: "stalled",
          text: "Run a half marathon under 2 hours",
          goalId: 15,
          goalTitle: "Run a half marathon under 2 hours",
          stepId: null,
          dueDate: null,
          why: "nothing moved for longer than the check-in cadence allows",
          link: "/goals/15",
        },
      ],
    },
    { name: "Olu", publicUrl: PUBLIC_URL },
  ),
  review: renderWeeklyReviewEmail(
    {
      from: "2026-11-27",
      to: "2026-12-03",
      followThroughRate: 0.75,
      kept: 3,
      missed: 1,
      wins: [
        { text: "Done: Record the pilot episode", goalId: 12 },
        { text: "Signed sponsors up from 1 to 3", goalId: 12 },
      ],
      misses: [{ text: "Email Raj the sponsorship deck", dueDate: "2026-11-30", goalId: 12 }],
      stalled: [
        {
          title: "Run a half marathon under 2 hours",
          goalId: 15,
          why: "nothing moved for longer than the check-in cadence allows",
        },
      ],
      nextStep: {
        goalId: 12,
        goalTitle: "Launch the community podcast",
        text: "Email Raj the sponsorship deck",
        question: "What is one small step you will take next week?",
      },
    },
    { name: "Olu", publicUrl: PUBLIC_URL, unsubscribeUrl: UNSUBSCRIBE },
  ),
};

describe.skipIf(skipWithoutChromium("the email look tests"))("the emails, as a person opens them", () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    requireChromium();
    browser = await launchChromium();
    page = await browser.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it.each(Object.entries(EMAILS))(
    "the %s email reads on a phone and a laptop, and every link opens its page",
    async (name, email) => {
      await page.setContent(email.html);
      await atBothSizes(page, async (size) => {
        const sideways = await page.evaluate(
          () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
        );
        expect(sideways, `${name} scrolls sideways at ${size}`).toBe(false);
        expect(await seriousViolations(page)).toEqual([]);
        if (size === "phone" || !process.env.DOC_SHOTS) await screenshot(page, SHOTS, `email-${name}`, true);
      });
      // The subject is the page title, and the text part carries the same links as the HTML one.
      expect(await page.title()).toBe(email.subject);
      const links = await page.locator("a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      expect(links.length).toBeGreaterThan(1);
      for (const href of links) expect(href.startsWith(`${PUBLIC_URL}/`)).toBe(true);
      for (const href of links.filter((h) => h.includes("/goals/"))) expect(email.text).toContain(href);
    },
    60_000,
  );
});
