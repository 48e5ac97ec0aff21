/**
 * CSV export: one row per step with its goal (RFC 4180: CRLF line ends, fields quoted when they
 * hold a comma, quote or line break). A goal without steps still has one row, so none is lost.
 */
import type { PlanExport } from "../../app/exports/exports.js";

/** The columns, in order. */
export const CSV_COLUMNS = [
  "goal_id",
  "goal",
  "goal_status",
  "goal_due",
  "goal_owner",
  "step_id",
  "step",
  "status",
  "due",
  "estimate_minutes",
  "done_at",
  "tags",
  "notes",
] as const;

/** Quotes one CSV field when it needs it. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const s = String(value);
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The steps of every plan as CSV, with a header row.
 * @example
 * plansToCsv({ exportedAt, today, plans: [] }) // "goal_id,goal,...,notes\r\n"
 */
export function plansToCsv(data: PlanExport): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const p of data.plans) {
    const g = p.goal;
    const goalCells = [g.id, g.title, g.status, g.dueDate, p.ownerName];
    if (p.steps.length === 0) lines.push([...goalCells, ...Array(8).fill(null)].map(csvField).join(","));
    for (const s of p.steps) {
      lines.push(
        [
          ...goalCells,
          s.id,
          s.text,
          s.status,
          s.dueDate,
          s.estimateMinutes,
          s.doneAt,
          s.tags.join(", "),
          s.notes,
        ]
          .map(csvField)
          .join(","),
      );
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}
