/**
 * Exporters: plans an actor may see as CSV, Markdown, iCalendar or JSON. The JSON of plans is a
 * person's own export: their plans and nothing of anyone's account (no password or token hashes,
 * no hook secrets). The CLI's `--format json` is the full backup instead, made by the app's
 * `exportBackup`, which keeps what restore needs.
 */
import type { PlanExport } from "../../app/exports/exports.js";
import { buildCalendar, type CalendarInput } from "../ical.js";
import { plansToCsv } from "./csv.js";
import { plansToMarkdown } from "./markdown.js";

/** Formats `throughline export` writes. */
export const EXPORT_FORMATS = ["json", "csv", "markdown", "ics"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The formats made from the plans an actor may see. */
export const PLAN_FORMATS = ["csv", "markdown", "ics", "json"] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** The media type of each plan format. */
export const MEDIA_TYPES: Record<PlanFormat, string> = {
  csv: "text/csv; charset=utf-8",
  markdown: "text/markdown; charset=utf-8",
  ics: "text/calendar; charset=utf-8",
  json: "application/json; charset=utf-8",
};

/** Formats plans as CSV, Markdown or an iCalendar file. */
export function formatPlans(
  format: PlanFormat,
  data: PlanExport,
  calendar: Partial<Omit<CalendarInput, "name" | "stamp">> = {},
): string {
  switch (format) {
    case "csv":
      return plansToCsv(data);
    case "markdown":
      return plansToMarkdown(data);
    case "ics":
      return buildCalendar({
        name: "Throughline",
        plans: data.plans,
        stamp: new Date(data.exportedAt),
        ...calendar,
      });
    case "json":
      return `${JSON.stringify(data, null, 2)}\n`;
  }
}

/**
 * The calendar options of a person's feed or .ics export (issue 19): alarms at each step's time or
 * their nudge hour, links to the goal and step on PUBLIC_URL, UIDs under its host name, and the
 * moved or dropped days of repeating steps left out.
 */
export function calendarOptions(
  publicUrl: string,
  feed: {
    plans: PlanExport;
    timeZone: string;
    nudgeHour: number;
    skippedDays: Map<number, string[]>;
  },
): Partial<Omit<CalendarInput, "name" | "stamp">> {
  return {
    uidDomain: new URL(publicUrl).hostname || "throughline",
    timeZone: feed.timeZone,
    nudgeHour: feed.nudgeHour,
    goalUrl: (g) => `${publicUrl}/goals/${g}`,
    stepUrl: (g, s) => `${publicUrl}/goals/${g}#step-${s}`,
    plans: feed.plans.plans.map((p) => ({
      ...p,
      steps: p.steps.map((s) => ({ ...s, skippedDays: feed.skippedDays.get(s.id) ?? [] })),
    })),
  };
}
