/** `throughline import SOURCE FILE`: plans from Taskwarrior, Trello, Todoist or Asana, or a backup. */
import { readFileSync, statSync } from "node:fs";
import type { Command } from "commander";
import { AppError } from "../../app/errors.js";
import type { ImportResult } from "../../app/imports/imports.js";
import { IMPORT_FORMATS, type ImportFormat, MAX_IMPORT_BYTES } from "../../integrations/import/formats.js";
import { output, withSession } from "../context.js";
import { progressBar } from "../progress.js";
import { withStore } from "../store.js";

/** Reads an import file, refusing a missing or oversized one before reading it. */
export function readImportFile(file: string): Uint8Array {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new AppError(400, "not_a_file", `${file} is not a file. Name the exported file.`);
    size = st.size;
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError(400, "file_not_found", `No file ${file}. Check the path.`);
  }
  if (size > MAX_IMPORT_BYTES) {
    const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;
    throw new AppError(
      413,
      "import_too_large",
      `${file} is ${mb(size)}; an import reads at most ${mb(MAX_IMPORT_BYTES)}. Split it into smaller files.`,
    );
  }
  return readFileSync(file);
}

const LABELS: Record<string, string> = {
  taskwarrior: "Taskwarrior",
  trello: "Trello",
  todoist: "Todoist",
  asana: "Asana",
};

/** The per-field report as a compact table: field → where it went, kept, mapped, left out, why. */
export function fieldTable(fields: ImportResult["fields"]): string[] {
  const head = ["Field", "To", "Kept", "Mapped", "Left out", "Why"];
  const rows = fields.map((f) => [
    f.source,
    f.to ?? "-",
    String(f.kept),
    String(f.mapped),
    String(f.leftOut),
    f.why ?? "",
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const numeric = [false, false, true, true, true, false];
  const line = (cells: string[]) =>
    cells
      .map((c, i) =>
        i === cells.length - 1
          ? c
          : numeric[i]
            ? c.padStart(width[i] as number)
            : c.padEnd(width[i] as number),
      )
      .join("  ")
      .trimEnd();
  return ["What became of each field:", line(head), ...rows.map(line)];
}

/** The import report as a person reads it. */
export function reportText(r: ImportResult): string {
  const n = (count: number) => count.toLocaleString("en-US");
  const plural = (count: number, one: string, many = `${one}s`) => `${n(count)} ${count === 1 ? one : many}`;
  const lines = [
    `Imported from ${LABELS[r.source] ?? r.source}: ${plural(r.goals.created, "goal")} and ${plural(r.steps.created, "step")}` +
      (r.goals.existing || r.steps.existing
        ? ` (${plural(r.goals.existing, "goal")} and ${plural(r.steps.existing, "step")} were imported before and left as they are).`
        : "."),
  ];
  if (r.skipped.length) {
    lines.push(
      `Left out: ${r.skipped.slice(0, 5).join("; ")}${r.skipped.length > 5 ? ` and ${n(r.skipped.length - 5)} more` : ""}.`,
    );
  }
  if (r.fields.length) lines.push(...fieldTable(r.fields));
  const c = r.coach;
  if (c.checked > 0) {
    lines.push(
      `Coach, on ${plural(c.checked, "new step")}: ${n(c.outcomes)} outcome${c.outcomes === 1 ? "" : "s"} rather than actions, ${n(c.vague)} vague, ${n(c.tooBig)} too big for one sitting.`,
    );
    if (c.worst.length) {
      lines.push("Rewrite these first, naming the first concrete action:");
      for (const w of c.worst)
        lines.push(`  #${w.stepId} ${w.text} (${w.findings.map((f) => f.code).join(", ")})`);
    }
  }
  return lines.join("\n");
}

/** The import command's options (`map` and `preview` are the CSV import's). */
type CsvImportOptions = { name?: string; progress: boolean; map?: string; preview?: boolean };

/** Registers the import command. */
export function registerImportCommand(program: Command): void {
  program
    .command("import")
    .description("import plans from taskwarrior, trello, todoist or asana, or restore a backup (throughline)")
    .argument("<source>", `where the file comes from: ${IMPORT_FORMATS.join(", ")}, or csv (objectives)`)
    .argument("<file>", "the exported file")
    .option(
      "--name <title>",
      "the goal's title when the file does not name it (Todoist, Asana); default the file name",
    )
    .option("--no-progress", "do not show a progress bar")
    // CSV and OKR import (src/cli/commands/import-csv.ts).
    .option("--map <pairs>", "csv: which column holds each field, e.g. title=Objective,kr=Key result")
    .option("--preview", "csv: show the mapped rows, owners and the coach's findings; import nothing")
    .action(async (source: string, file: string, o: CsvImportOptions, cmd: Command) => {
      if (source === "csv") return (await import("./import-csv.js")).importCsvCommand(cmd, file, o);
      if (!(IMPORT_FORMATS as readonly string[]).includes(source)) {
        throw new AppError(
          400,
          "unknown_source",
          `Cannot import from '${source}'. Use one of: ${IMPORT_FORMATS.join(", ")}.`,
        );
      }
      const format = source as ImportFormat;
      const bytes = readImportFile(file);
      // The parsers and the importer (with the coach) load only once the file is known to be there.
      const [imports, parsers] = await Promise.all([
        import("../../app/imports/imports.js"),
        import("../../integrations/import/index.js"),
      ]);
      const bar = progressBar(format === "throughline" ? "Restoring" : "Importing", { enabled: o.progress });
      try {
        if (format === "throughline") {
          await withStore(cmd, async (ctx, json) => {
            const restored = await imports.restoreBackup(ctx, parsers.readBackupFile(bytes), bar.update);
            bar.finish();
            process.stdout.write(
              json
                ? `${JSON.stringify(restored, null, 2)}\n`
                : `Restored ${restored.rows.toLocaleString("en-US")} rows in ${restored.tables} tables from ${file}.\n`,
            );
          });
          return;
        }
        await withSession(cmd, async (s) => {
          const data = parsers.parseImportFile(format, bytes, {
            today: s.today,
            timeZone: s.timeZone,
            name: o.name ?? parsers.nameFromFile(file),
          });
          const result = await imports.importPlans(s.ctx, s.actor, format, data, bar.update);
          bar.finish();
          output(s, result, () => reportText(result));
        });
      } finally {
        bar.finish();
      }
    });
}
