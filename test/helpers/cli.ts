/** Runs the built `throughline` binary as a person would, and reads what it printed. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "throughline.js");

/** What one run printed and how it ended. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with args against a database config; stdin is empty unless given. */
export function cli(args: string[], db: { file?: string; databaseUrl?: string }, input?: string): CliResult {
  if (!existsSync(join(ROOT, "dist", "cli", "bin.js"))) {
    throw new Error("The CLI is not built: run `npm run build` (npm test does it first).");
  }
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  delete env.THROUGHLINE_DB;
  delete env.DATABASE_URL;
  const dbArgs: string[] = [];
  if (db.databaseUrl) env.DATABASE_URL = db.databaseUrl;
  else if (db.file) dbArgs.push("--db", db.file);
  const r = spawnSync(process.execPath, [BIN, ...args, ...dbArgs], {
    env,
    input: input ?? "",
    encoding: "utf8",
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI with --json and parses stdout, failing loudly when the command failed. */
export function cliJson<T = unknown>(args: string[], db: { file?: string; databaseUrl?: string }): T {
  const r = cli([...args, "--json"], db);
  if (r.code !== 0) throw new Error(`throughline ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
