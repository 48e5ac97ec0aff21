/** `throughline export --format json|csv|markdown|ics`: a backup, or the plans in another format. */
import { chmodSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { AppError } from "../../app/errors.js";
import type { ExportFormat } from "../../integrations/export/index.js";
import { withSession } from "../context.js";
import { withStore } from "../store.js";

/** Registers the export command. */
export function registerExportCommand(program: Command): void {
  program
    .command("export")
    .description("write a full JSON backup, or the plans as CSV, Markdown or an iCalendar file (to stdout)")
    .option("--format <format>", `json (full backup), csv (steps with their goal), markdown or ics`, "json")
    .option("--output <file>", "write to this file instead of stdout")
    .action(async (o: { format: string; output?: string }, cmd: Command) => {
      // Loaded here, not with the program: the formats bring ical-generator.
      const [{ exportBackup, exportPlans }, { backupToJson }, { EXPORT_FORMATS, formatPlans }] =
        await Promise.all([
          import("../../app/exports/exports.js"),
          import("../../integrations/export/backup.js"),
          import("../../integrations/export/index.js"),
        ]);
      if (!(EXPORT_FORMATS as readonly string[]).includes(o.format)) {
        throw new AppError(
          400,
          "unknown_format",
          `Cannot export as '${o.format}'. Use one of: ${EXPORT_FORMATS.join(", ")}.`,
        );
      }
      const format = o.format as ExportFormat;
      let text = "";
      if (format === "json") {
        await withStore(cmd, async (ctx) => {
          text = backupToJson(await exportBackup(ctx));
        });
      } else {
        await withSession(cmd, async (s) => {
          text = formatPlans(format, await exportPlans(s.ctx, s.actor));
        });
      }
      if (!o.output) {
        process.stdout.write(text);
        return;
      }
      try {
        // Owner-only: a backup holds the whole database, and plans are private too.
        writeFileSync(o.output, text, { mode: 0o600 });
        chmodSync(o.output, 0o600);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        throw new AppError(400, "cannot_write", `Could not write ${o.output}: ${why}.`);
      }
      process.stderr.write(`Wrote ${o.output}.\n`);
    });
}
