/**
 * The `throughline` command line: works directly on the local database, no server needed.
 * User errors print one line to stderr and exit 1; usage errors exit 2; no stack traces.
 *
 * Each command's module is imported only when that command runs (issue 17): registering all of
 * them cost `week` the compilation and set-up of some twenty modules it never uses. A run that
 * names no known command (`--help`, `--version`, `help week`, a typo) registers every one, so the
 * help and the "did you mean" suggestions are what they were; a bare `--version` registers none.
 */
import { Command, CommanderError } from "commander";
import { AppError, BUSY_MESSAGE, isBusyError } from "../app/errors.js";

/** A command module: the top-level commands it registers, and how to load its register functions. */
interface CommandModule {
  names: readonly string[];
  load: () => Promise<(program: Command) => void>;
}

/** Every command module, in the order `--help` lists them. */
export const COMMAND_MODULES: readonly CommandModule[] = [
  { names: ["goal"], load: async () => (await import("./commands/goal.js")).registerGoalCommand },
  { names: ["kr"], load: async () => (await import("./commands/kr.js")).registerKrCommand },
  { names: ["step"], load: async () => (await import("./commands/step.js")).registerStepCommand },
  {
    names: ["resource", "barrier"],
    load: async () => {
      const m = await import("./commands/resource.js");
      return (program) => {
        m.registerResourceCommand(program);
        m.registerBarrierCommand(program);
      };
    },
  },
  { names: ["checkin"], load: async () => (await import("./commands/checkin.js")).registerCheckinCommand },
  {
    names: ["delegate", "delegation"],
    load: async () => (await import("./commands/delegation.js")).registerDelegationCommand,
  },
  {
    names: ["commit", "commitment"],
    load: async () => (await import("./commands/commitment.js")).registerCommitmentCommand,
  },
  { names: ["week"], load: async () => (await import("./commands/week.js")).registerWeekCommand },
  { names: ["lint"], load: async () => (await import("./commands/lint.js")).registerLintCommand },
  { names: ["status"], load: async () => (await import("./commands/status.js")).registerStatusCommand },
  { names: ["report"], load: async () => (await import("./commands/report.js")).registerReportCommand },
  { names: ["review"], load: async () => (await import("./commands/review.js")).registerReviewCommand },
  { names: ["import"], load: async () => (await import("./commands/import.js")).registerImportCommand },
  { names: ["export"], load: async () => (await import("./commands/export.js")).registerExportCommand },
  { names: ["backup"], load: async () => (await import("./commands/backup.js")).registerBackupCommand },
  {
    names: ["login", "logout", "whoami"],
    load: async () => (await import("./commands/login.js")).registerLoginCommand,
  },
  { names: ["remind"], load: async () => (await import("./commands/remind.js")).registerRemindCommand },
  {
    names: ["playbook"],
    load: async () => (await import("./commands/playbook.js")).registerPlaybookCommand,
  },
];

/**
 * The command a run names: its first argument that is not an option (nor --db's value), or
 * undefined when it names none or asks for the program's help first (`--help week`).
 */
export function invokedCommand(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--") return argv[i + 1];
    if (a === "-h" || a === "--help") return undefined;
    if (a === "--db") i++;
    else if (!a.startsWith("-")) return a;
  }
  return undefined;
}

/**
 * Builds the program with the command `argv` names registered, or every command when it names
 * none that is known.
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command("throughline")
    .description("Turn a goal into a plan people carry out, and measure whether they do.")
    .version("0.1.0")
    .option("--json", "print results as JSON")
    .option("--db <path>", "the SQLite file to use (default $THROUGHLINE_DB or ./data/throughline.db)")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  const name = invokedCommand(argv);
  const invoked = COMMAND_MODULES.find((m) => name !== undefined && m.names.includes(name));
  // `--version` alone prints the version and nothing a command module adds (cli20).
  const versionOnly = argv.length > 0 && argv.every((a) => a === "-V" || a === "--version" || a === "--json");
  const modules = versionOnly ? [] : invoked ? [invoked] : COMMAND_MODULES;
  const registers = await Promise.all(modules.map((m) => m.load()));
  for (const register of registers) register(program);
  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
  return program;
}

/** Runs the CLI with the given arguments and returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
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
