/**
 * The `throughline` command line: works directly on the local database, no server needed.
 * User errors print one line to stderr and exit 1; usage errors exit 2; no stack traces.
 */
import { Command, CommanderError } from "commander";
import { AppError, BUSY_MESSAGE, isBusyError } from "../app/errors.js";
import { registerBackupCommand } from "./commands/backup.js";
import { registerCheckinCommand } from "./commands/checkin.js";
import { registerCommitmentCommand } from "./commands/commitment.js";
import { registerDelegationCommand } from "./commands/delegation.js";
import { registerExportCommand } from "./commands/export.js";
import { registerGoalCommand } from "./commands/goal.js";
import { registerImportCommand } from "./commands/import.js";
import { registerKrCommand } from "./commands/kr.js";
import { registerLintCommand } from "./commands/lint.js";
import { registerLoginCommand } from "./commands/login.js";
import { registerRemindCommand } from "./commands/remind.js";
import { registerReportCommand } from "./commands/report.js";
// --- end issue 19, remind ---
import { registerBarrierCommand, registerResourceCommand } from "./commands/resource.js";
import { registerReviewCommand } from "./commands/review.js";
import { registerStatusCommand } from "./commands/status.js";
import { registerStepCommand } from "./commands/step.js";
import { registerWeekCommand } from "./commands/week.js";

/** Builds the program with every command registered. */
export function buildProgram(): Command {
  const program = new Command("throughline")
    .description("Turn a goal into a plan people carry out, and measure whether they do.")
    .version("0.1.0")
    .option("--json", "print results as JSON")
    .option("--db <path>", "the SQLite file to use (default $THROUGHLINE_DB or ./data/throughline.db)")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerGoalCommand(program);
  registerKrCommand(program);
  registerStepCommand(program);
  registerResourceCommand(program);
  registerBarrierCommand(program);
  registerCheckinCommand(program);
  registerDelegationCommand(program);
  registerCommitmentCommand(program);
  registerWeekCommand(program);
  registerLintCommand(program);
  registerStatusCommand(program);
  registerReportCommand(program);
  registerReviewCommand(program);
  registerImportCommand(program);
  registerExportCommand(program);
  registerBackupCommand(program);
  registerLoginCommand(program);
  registerRemindCommand(program);
  // --- end issue 19, remind ---
  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
  return program;
}

/** Runs the CLI with the given arguments and returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version end with exit code 0; every other commander error is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof AppError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    if (isBusyError(e)) {
      process.stderr.write(`${BUSY_MESSAGE}\n`);
      return 1;
    }
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`throughline: ${message}\n`);
    return 1;
  }
}
