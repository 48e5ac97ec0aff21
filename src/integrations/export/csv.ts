/**
 * CSV export: one row per step with its goal (RFC 4180: CRLF line ends, fields quoted when they
 * hold a comma, quote or line break; formula cells escaped). A goal without steps still has one
 * row, so none is lost.
 */
import { type Options, stringify } from "csv-stringify/sync";
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

/**
 * How every CSV cell is written (csv-stringify): RFC 4180 quoting, CRLF line ends, fields with
 * leading or trailing white space quoted, and formula escaping: a cell that starts with = + - @,
 * a tab or a carriage return (or their full-width forms) gets a leading apostrophe, so a
 * spreadsheet shows someone's `=HYPERLINK(…)` goal as text instead of running it (OWASP "CSV
 * injection"). Numbers stay numbers, negative ones included.
 */
const CSV_OPTIONS: Options = {
  record_delimiter: "windows",
  escape_formulas: true,
  quoted_match: /^\s|\s$/,
  eof: true,
};

/**
 * The steps of every plan as CSV, with a header row.
 * @example
 * plansToCsv({ exportedAt, today, plans: [] }) // "goal_id,goal,...,notes\r\n"
 */
export function plansToCsv(data: PlanExport): string {
  const rows: (string | number | null)[][] = [[...CSV_COLUMNS]];
  for (const p of data.plans) {
    const g = p.goal;
    const goalCells = [g.id, g.title, g.status, g.dueDate, p.ownerName];
    if (p.steps.length === 0) rows.push([...goalCells, ...Array<null>(8).fill(null)]);
    for (const s of p.steps) {
      rows.push([
        ...goalCells,
        s.id,
        s.text,
        s.status,
        s.dueDate,
        s.estimateMinutes,
        s.doneAt,
        s.tags.join(", "),
        s.notes,
      ]);
    }
  }
  return stringify(rows, CSV_OPTIONS);
}
