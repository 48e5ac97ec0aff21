/** `throughline backup FILE`: a consistent copy of the SQLite database, safe while the server runs. */
import { statSync } from "node:fs";
import type { Command } from "commander";
import { withStore } from "../store.js";

/** Registers the backup command. */
export function registerBackupCommand(program: Command): void {
  program
    .command("backup")
    .description("copy the SQLite database to FILE, consistently, even while the server runs")
    .argument("<file>", "the new backup file (must not exist yet)")
    .action(async (file: string, _o, cmd: Command) =>
      withStore(cmd, async (ctx, json) => {
        const { backupDatabase } = await import("../../app/exports/exports.js");
        const r = await backupDatabase(ctx, file);
        const bytes = statSync(r.file).size;
        process.stdout.write(
          json
            ? `${JSON.stringify({ ...r, bytes }, null, 2)}\n`
            : `Backed up ${ctx.store.location} to ${r.file} (${Math.max(1, Math.round(bytes / 1024))} KB).\n`,
        );
      }),
    );
}
