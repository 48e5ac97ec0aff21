/**
 * `throughline import csv FILE [--map field=Column,...] [--preview]`: objectives, key results and
 * check-in history from a spreadsheet or an OKR tool's CSV (docs/integrations.md, "CSV and OKR
 * import"). Called by the import command when the source is `csv`.
 */
import type { Command } from "commander";
import type { OkrImportResult } from "../../app/imports/okr.js";
import type { FieldReport } from "../../app/imports/report.js";
import { output, withSession } from "../context.js";
import { readImportFile } from "./import.js";

/** The per-field report as aligned lines: column → field, kept, mapped, left out, and why. */
export function fieldReportText(report: readonly FieldReport[]): string[] {
  const width = Math.max(6, ...report.map((r) => r.source.length));
  const lines = [`${"column".padEnd(width)}  ${"field".padEnd(22)} kept  mapped  left out`];
  for (const r of report) {
    lines.push(
      `${r.source.padEnd(width)}  ${(r.to ?? "(none)").padEnd(22)} ${String(r.kept).padStart(4)}  ${String(r.mapped).padStart(6)}  ${String(r.leftOut).padStart(8)}${r.why ? `  ${r.why}` : ""}`,
    );
  }
  return lines;
}

/** The CSV import's answer as a person reads it. */
export function okrReportText(r: OkrImportResult): string {
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const lines: string[] = [];
  if (r.preview) {
    lines.push(
      `Preview of ${plural(r.rows, "row")}: ${plural(r.objectives.length, "objective")}; nothing was imported. Run it again without --preview to import.`,
    );
  } else {
    lines.push(
      `Imported from CSV: ${plural(r.created.goals, "goal")}, ${plural(r.created.keyResults, "key result")} and ${plural(r.created.checkins, "dated check-in")}` +
        (r.existing.goals
          ? ` (${plural(r.existing.goals, "objective")} imported before and left as they are).`
          : "."),
    );
  }
  if (r.owners.unmatched.length) {
    lines.push(
      `Owners nobody in the workspace matches (by email or name): ${r.owners.unmatched.join(", ")}. Invite them, then share the goals.`,
    );
  }
  const flagged = r.objectives.filter((o) => o.findings.length);
  if (flagged.length) {
    lines.push("Coach:");
    for (const o of flagged.slice(0, 10)) {
      lines.push(`  ${o.title} (row ${o.row}): ${o.findings.map((f) => f.message).join(" ")}`);
    }
  }
  lines.push("", ...fieldReportText(r.report));
  return lines.join("\n");
}

/** Reads, maps, and previews or imports an OKR CSV in the local database or on the server. */
export async function importCsvCommand(
  cmd: Command,
  file: string,
  o: { map?: string; preview?: boolean },
): Promise<void> {
  const bytes = readImportFile(file);
  const [okr, parser] = await Promise.all([
    import("../../app/imports/okr.js"),
    import("../../integrations/import/okr-csv.js"),
  ]);
  const mapping = o.map === undefined ? {} : parser.parseMapping(o.map);
  await withSession(cmd, async (s) => {
    const data = parser.parseOkrCsv(bytes, { mapping, today: s.today });
    const result = await okr.importOkrs(s.ctx, s.actor, data, { preview: o.preview === true });
    output(s, result, () => okrReportText(result));
  });
}
