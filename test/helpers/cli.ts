/** Runs the built `throughline` binary as a person would, and reads what it printed. */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "throughline.js");
/** A config path that never exists, so a login on the machine running the tests is never used. */
const NO_LOGIN = join(tmpdir(), `throughline-tests-no-login-${process.pid}`, "config.json");

/** What one run printed and how it ended. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

type DbConfig = { file?: string; databaseUrl?: string };

function prepare(args: string[], db: DbConfig, extraEnv: Record<string, string> = {}) {
  if (!existsSync(join(ROOT, "dist", "cli", "bin.js"))) {
    throw new Error("The CLI is not built: run `npm run build` (npm test does it first).");
  }
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  delete env.THROUGHLINE_DB;
  delete env.DATABASE_URL;
  delete env.THROUGHLINE_TOKEN;
  env.THROUGHLINE_CONFIG = NO_LOGIN;
  const dbArgs: string[] = [];
  if (db.databaseUrl) env.DATABASE_URL = db.databaseUrl;
  else if (db.file) dbArgs.push("--db", db.file);
  return { argv: [BIN, ...args, ...dbArgs], env: { ...env, ...extraEnv } };
}

/**
 * Runs the CLI with args against a database config; stdin is empty unless given. `env` adds
 * variables (THROUGHLINE_CONFIG to use a login); an empty `db` runs without --db.
 */
export function cli(args: string[], db: DbConfig, input?: string, env?: Record<string, string>): CliResult {
  const { argv, env: fullEnv } = prepare(args, db, env);
  const r = spawnSync(process.execPath, argv, {
    env: fullEnv,
    input: input ?? "",
    encoding: "utf8",
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Like `cli`, without blocking: for tests whose server runs in the test process itself. */
export function cliAsync(
  args: string[],
  db: DbConfig,
  opts: { input?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const { argv, env } = prepare(args, db, opts.env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** Runs the CLI with --json and parses stdout, failing loudly when the command failed. */
export function cliJson<T = unknown>(args: string[], db: DbConfig): T {
  const r = cli([...args, "--json"], db);
  if (r.code !== 0) throw new Error(`throughline ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
