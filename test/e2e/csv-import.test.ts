/**
 * Issue 19, the web part of "From spreadsheets and OKR tools", in a real Chromium against the built
 * server: on the Import page a person chooses the template CSV (docs/templates/okr-import.csv),
 * sees its columns with a select per field, the first rows as mapped and the coach's findings per
 * objective, changes one field's column and sees the preview follow, imports with that mapping and
 * reads the per-field report with links to the new goals; a bad file is answered with a sentence
 * naming the row and column. axe-core and the page's width are checked at 1280×800 and 390×844.
 * Needs `npm run build` and /usr/bin/chromium (skipped without it, unless CI=true).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
  launchChromium,
  ROOT,
  type RunningServer,
  startServer,
} from "./web-harness.mjs";

const SHOTS = "/tmp/csvweb-shots";
const TEMPLATE = join(ROOT, "docs", "templates", "okr-import.csv");

describe.skipIf(skipWithoutChromium("the CSV import browser test"))(
  "the CSV and OKR import in the web app",
  () => {
    let server: RunningServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let call: Call;
    const { problems, watch } = pageProblems();

    /** The page is no wider than the window (tables scroll inside their own box). */
    const noPageOverflow = () =>
      page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

    /** Looks at the page at both sizes: screenshots, axe-core and no sideways scrolling. */
    const look = (name: string) =>
      atBothSizes(page, async (size) => {
        await screenshot(page, SHOTS, `${name}-${size}`, true);
        expect(await seriousViolations(page), `${name} at ${size}`).toEqual([]);
        expect(await noPageOverflow(), `${name} at ${size} scrolls sideways`).toBe(true);
      });

    beforeAll(async () => {
      requireChromium();
      server = await startServer();
      browser = await launchChromium();
      context = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
      page = await context.newPage();
      watch(page);
      await enterApp(page, server.url);
      ({ call } = await apiAs(server.url));
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    it("previews the template with a select per field, the first rows and the coach's findings", async () => {
      await page.goto(`${server.url}/import`);
      await settled(page);
      const csv = page.getByRole("region", { name: "Spreadsheets and OKR tools (CSV)" });
      await csv.getByLabel("The CSV file").setInputFiles(TEMPLATE);
      await visible(csv.getByRole("heading", { name: "Which column holds each field" }));
      // Every column of the template maps by its name.
      await expect.poll(() => csv.getByLabel("Objective", { exact: true }).inputValue()).toBe("Objective");
      await expect
        .poll(() => csv.getByLabel("Check-in value", { exact: true }).inputValue())
        .toBe("Check-in value");
      await expect.poll(() => csv.getByLabel("Why", { exact: true }).inputValue()).toBe("Why");
      const sample = csv.getByRole("region", { name: "The first rows as mapped, scrollable" });
      await textOf(sample.locator("tbody tr").first()).toContain("Win back churned customers");
      await textOf(sample.locator("tbody tr").first()).toContain("Churn costs us a third of new revenue");
      await textOf(csv.locator(".csv-objectives > li").nth(1)).toContain("Ship the self-serve plan");
      expect(await csv.locator('[data-code="no-why"]').count()).toBe(0);
      await look("preview");
    });

    it("follows a changed column in the preview and the coach's findings", async () => {
      const csv = page.getByRole("region", { name: "Spreadsheets and OKR tools (CSV)" });
      // A column that cannot be a target is refused with a sentence; the mapping stays to be changed back.
      await csv.getByLabel("Target value", { exact: true }).selectOption("Owner");
      const alert = csv.getByRole("alert");
      await textOf(alert).toMatch(/Row 2, column 'Owner'.*not a number/);
      expect(await csv.getByRole("button", { name: "Import", exact: true }).isDisabled()).toBe(true);
      await screenshot(page, SHOTS, "mapping-error-desktop", true);
      await csv.getByLabel("Target value", { exact: true }).selectOption("Target");
      await alert.waitFor({ state: "detached" });
      // The Why field now reads the check-in notes: the second objective has none, so no why.
      await csv.getByLabel("Why", { exact: true }).selectOption("Check-in note");
      const sample = csv.getByRole("region", { name: "The first rows as mapped, scrollable" });
      await textOf(sample.locator("tbody tr").first()).toContain("First call list done");
      await expect.poll(() => csv.getByLabel("Why", { exact: true }).inputValue()).toBe("Check-in note");
      const second = csv.locator(".csv-objectives > li").nth(1);
      await visible(second.locator('[data-code="no-why"]'));
      await textOf(second.locator('[data-code="no-why"]')).toMatch(/why/i);
    });

    it("imports with that mapping and shows the per-field report and links to the new goals", async () => {
      const csv = page.getByRole("region", { name: "Spreadsheets and OKR tools (CSV)" });
      await csv.getByRole("button", { name: "Import", exact: true }).click();
      await visible(csv.getByRole("heading", { name: "Imported" }));
      await textOf(csv.getByText(/new goals/)).toContain("2 new goals");
      const report = csv.getByRole("region", { name: "The per-field report, scrollable" });
      await textOf(report.locator("tr", { hasText: "Check-in note" })).toContain("goal.why");
      await textOf(report.locator("tr", { hasText: "Check-in value" })).toContain("checkin.value");
      const link = csv.getByRole("link", { name: "Win back churned customers" });
      await visible(link);
      const href = (await link.getAttribute("href")) ?? "";
      const goalId = Number(href.split("/").pop());
      const goal = await call<{ title: string; why: string | null; keyResults?: unknown[] }>(
        "GET",
        `/goals/${goalId}`,
      );
      expect(goal.title).toBe("Win back churned customers");
      expect(goal.why).toBe("First call list done");
      const goals = await call<{ items: { title: string }[] }>("GET", "/goals");
      expect(goals.items.map((g) => g.title).sort()).toEqual([
        "Ship the self-serve plan",
        "Win back churned customers",
      ]);
      await look("imported");
      await link.click();
      await visible(page.getByRole("heading", { name: "Win back churned customers" }));
    });

    it("answers a bad file with a sentence naming the row and column", async () => {
      const dir = mkdtempSync(join(tmpdir(), "csvweb-"));
      const bad = join(dir, "bad.csv");
      writeFileSync(bad, "Objective,Key result,Start,Target\nGrow revenue,ARR,100,12k\n");
      await page.goto(`${server.url}/import`);
      await settled(page);
      const csv = page.getByRole("region", { name: "Spreadsheets and OKR tools (CSV)" });
      await csv.getByLabel("The CSV file").setInputFiles(bad);
      const alert = csv.getByRole("alert");
      await visible(alert);
      await textOf(alert).toMatch(/Row 2, column 'Target'.*not a number/);
      await look("bad-file");
      expect(problems).toEqual([]);
    });
  },
);
