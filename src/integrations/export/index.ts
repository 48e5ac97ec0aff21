/**
 * Exporters: plans an actor may see as CSV, Markdown or iCalendar. (The JSON export is the full
 * backup, made by the app's `exportBackup`.)
 */
import type { PlanExport } from "../../app/exports/exports.js";
import { buildCalendar } from "../ical.js";
import { plansToCsv } from "./csv.js";
import { plansToMarkdown } from "./markdown.js";

/** Formats `throughline export` writes. */
export const EXPORT_FORMATS = ["json", "csv", "markdown", "ics"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The formats made from the plans an actor may see. */
export const PLAN_FORMATS = ["csv", "markdown", "ics"] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** The media type of each plan format. */
export const MEDIA_TYPES: Record<PlanFormat, string> = {
  csv: "text/csv; charset=utf-8",
  markdown: "text/markdown; charset=utf-8",
  ics: "text/calendar; charset=utf-8",
};

/** Formats plans as CSV, Markdown or an iCalendar file. */
export function formatPlans(format: PlanFormat, data: PlanExport): string {
  switch (format) {
    case "csv":
      return plansToCsv(data);
    case "markdown":
      return plansToMarkdown(data);
    case "ics":
      return buildCalendar({ name: "Throughline", plans: data.plans, stamp: new Date(data.exportedAt) });
  }
}
