/**
 * The CLI benchmark, side by side with Taskwarrior 2.6: the same generated export of 100,000 tasks
 * (bench/taskwarrior-export.ts) imported into Taskwarrior with `task import` and into a fresh SQLite
 * file with `throughline import taskwarrior`, then each tool's everyday commands run as a person runs
 * them (a new process each time), timed wall clock: one warm-up, then `--runs` runs, median and max.
 * Due dates are moved to run from two weeks before today, so `week` and `task next` have overdue
 * and due work to show. Writes the "CLI" section of docs/benchmarks.md.
 *
 *   npm run bench:cli -- [--runs 10] [--tasks 100000] [--bin bin/throughline.js] [--no-write] [--keep]
 *
 * --bin measures another build of the CLI (e.g. an older checkout's bin/throughline.js).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, totalmem, type } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import SQLite from "better-sqlite3";
import { replaceSections } from "./run.js";
import { taskwarriorExport } from "./taskwarrior-export.js";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
const DOCS = join(ROOT, "docs", "benchmarks.md");
/** The start-up budget of issue 8 for `week` and `step list` on 100,000 steps. */
const TARGET_MS = 200;
/** A project whose tasks are all still open (every task of projects 0, 5, 10, ... is completed). */
const PROJECT = "Project 51";

interface Options {
  runs: number;
  tasks: number;
  bin: string;
  write: boolean;
  keep: boolean;
}

/** A failure to report in one line, without a stack trace. */
class BenchError extends Error {}

function readArgs(argv: readonly string[]): Options {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--no-write" || a === "--keep") flags.set(a.slice(2), "1");
    else if (a.startsWith("--")) flags.set(a.slice(2), argv[++i] ?? "");
  }
  const runs = Number(flags.get("runs") ?? 10);
  const tasks = Number(flags.get("tasks") ?? 100_000);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new BenchError("--runs must be 1 to 100.");
  if (!Number.isInteger(tasks) || tasks < 100) throw new BenchError("--tasks must be a whole number ≥ 100.");
  return {
    runs,
    tasks,
    bin: resolve(flags.get("bin") ?? join(ROOT, "bin", "throughline.js")),
    write: !flags.has("no-write"),
    keep: flags.has("keep"),
  };
}

const say = (text: string) => process.stderr.write(`${text}\n`);
const fmt = (n: number) => n.toLocaleString("en-US");

/** Taskwarrior's version, or a BenchError saying how to install it. */
function taskwarriorVersion(): string {
  const r = spawnSync("task", ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new BenchError(
      "Taskwarrior is not installed (no `task` command on PATH). Install it with: apt-get install -y taskwarrior",
    );
  }
  return r.stdout.trim();
}

/**
 * Runs a command to the end; with `total`, shows on stderr how many lines of output (one per task
 * for `task import`) it has written so far. Its own stderr (Throughline's progress) shows through.
 */
function runShowing(
  label: string,
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  total?: number,
): Promise<{ ms: number; firstLine: string }> {
  return new Promise((done, fail) => {
    const t = performance.now();
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "inherit"] });
    let lines = 0;
    let shown = 0;
    let head = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (head.length < 1000) head += chunk;
      if (total === undefined) return;
      for (let i = chunk.indexOf("\n"); i !== -1; i = chunk.indexOf("\n", i + 1)) lines++;
      const quarter = Math.floor((lines / total) * 4);
      if (quarter > shown && quarter < 4) {
        shown = quarter;
        say(`${label}: ${fmt(lines)}/${fmt(total)}`);
      }
    });
    child.on("error", fail);
    child.on("close", (code) => {
      if (code !== 0) fail(new BenchError(`${label} failed: ${cmd} ${args.join(" ")} exited ${code}.`));
      else done({ ms: performance.now() - t, firstLine: head.split("\n")[0] ?? "" });
    });
  });
}

/** A command to time. */
export interface Run {
  cmd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** One command's timings. */
export interface Timing {
  median: number;
  max: number;
  lines: number;
}

/** Runs a command once, in a new process, and returns its wall-clock ms and how many lines it printed. */
function once(r: Run): { ms: number; lines: number } {
  const t = performance.now();
  const out = spawnSync(r.cmd, r.args, { env: r.env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t;
  if (out.error || out.status !== 0) {
    const why = out.error?.message ?? out.stderr.trim().split("\n")[0] ?? "";
    throw new BenchError(`${r.cmd} ${r.args.join(" ")} exited ${out.status ?? "abnormally"}: ${why}`);
  }
  return { ms, lines: out.stdout === "" ? 0 : out.stdout.trimEnd().split("\n").length };
}

/**
 * Times commands side by side: each once to warm up, then `runs` rounds in which each runs once,
 * so a change in the machine's load falls on all of them alike.
 */
export function timeTogether(runs: Run[], rounds: number): Timing[] {
  const lines = runs.map((r) => once(r).lines);
  const samples = runs.map(() => [] as number[]);
  for (let i = 0; i < rounds; i++) {
    for (const [j, r] of runs.entries()) samples[j]?.push(once(r).ms);
  }
  return samples.map((ms, j) => {
    ms.sort((a, b) => a - b);
    const mid = Math.floor(ms.length / 2);
    const median = ms.length % 2 ? (ms[mid] as number) : ((ms[mid - 1] as number) + (ms[mid] as number)) / 2;
    return { median, max: ms[ms.length - 1] as number, lines: lines[j] as number };
  });
}

/** The same question asked of both tools. */
interface Pair {
  what: string;
  throughline: string[];
  taskwarrior: string[];
  /** Whether the 200 ms budget applies to the Throughline command. */
  target: boolean;
}

function machine(): string {
  const cpu = cpus();
  const gib = Math.round(totalmem() / 1024 ** 3);
  const sqlite = new SQLite(":memory:");
  const version = (sqlite.prepare("select sqlite_version() as v").get() as { v: string }).v;
  sqlite.close();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, ${gib} GiB RAM, ${type()} ${release()}, Node ${process.version}, SQLite ${version}`;
}

function commit(): string {
  const git = (...args: string[]) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" }).stdout.trim();
  const head = git("rev-parse", "--short", "HEAD") || "unknown";
  return git("status", "--porcelain") ? `${head} with uncommitted changes` : head;
}

/**
 * Fails when bin/throughline.js would not run the bundle: it falls back to dist/cli when the bundle
 * is missing or older (see the launcher), which is correct but not what this benchmark measures.
 */
function checkBundle(bin: string): void {
  if (bin !== join(ROOT, "bin", "throughline.js")) return;
  const modified = (p: string) => statSync(join(ROOT, p), { throwIfNoEntry: false })?.mtimeMs ?? -1;
  const bundle = modified("dist/cli-bundle/throughline.cjs");
  if (bundle === -1 || bundle < modified("dist/cli/bin.js")) {
    throw new BenchError(
      "The CLI bundle is missing or older than dist/cli (was `tsc` run on its own, perhaps during this run?): run `npm run bench:cli`, which builds both.",
    );
  }
}

const ms = (n: number) => `${Math.round(n)}`;
const load = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(" / ");

async function main(): Promise<void> {
  const o = readArgs(process.argv.slice(2));
  const twVersion = taskwarriorVersion();
  checkBundle(o.bin);
  const dir = mkdtempSync(join(tmpdir(), "throughline-bench-cli-"));
  try {
    const loadBefore = load();
    const today = new Date().toISOString().slice(0, 10);
    const firstDue = new Date(Date.parse(`${today}T00:00:00Z`) - 14 * 86_400_000).toISOString().slice(0, 10);
    const file = join(dir, "export.json");
    say(`Writing a Taskwarrior export of ${fmt(o.tasks)} tasks to ${file}`);
    const bytes = taskwarriorExport(o.tasks, firstDue);
    writeFileSync(file, bytes);

    const twEnv = { ...process.env, TASKRC: join(dir, "taskrc"), TASKDATA: join(dir, "task") };
    writeFileSync(
      twEnv.TASKRC,
      [`data.location=${twEnv.TASKDATA}`, "confirmation=off", "verbose=nothing", "hooks=off", ""].join("\n"),
    );
    say(`Importing into Taskwarrior ${twVersion} (task import)`);
    const twImport = await runShowing("Taskwarrior import", "task", ["import", file], twEnv, o.tasks);
    say(`Taskwarrior import: ${(twImport.ms / 1000).toFixed(1)} s`);

    const db = join(dir, "throughline.db");
    const tlEnv: NodeJS.ProcessEnv = { ...process.env, THROUGHLINE_CONFIG: join(dir, "no-login.json") };
    delete tlEnv.THROUGHLINE_DB;
    delete tlEnv.DATABASE_URL;
    const tl = (...args: string[]) => [o.bin, ...args, "--db", db];
    say("Importing into Throughline (throughline import taskwarrior)");
    const tlImport = await runShowing(
      "Throughline import",
      process.execPath,
      tl("import", "taskwarrior", file),
      tlEnv,
    );
    say(`Throughline import: ${(tlImport.ms / 1000).toFixed(1)} s (${tlImport.firstLine})`);

    const goals = JSON.parse(
      spawnSync(process.execPath, tl("goal", "list", "--json"), { env: tlEnv, encoding: "utf8" }).stdout,
    ) as { id: number; title: string }[];
    const goal = goals.find((g) => g.title === PROJECT);
    if (!goal) throw new BenchError(`The import made no goal "${PROJECT}": is --tasks at least 100?`);

    const pairs: Pair[] = [
      { what: "start-up", throughline: ["--version"], taskwarrior: ["--version"], target: false },
      { what: "this week's work", throughline: ["week"], taskwarrior: ["next"], target: true },
      {
        what: "open steps / tasks, first 500",
        throughline: ["step", "list"],
        taskwarrior: ["limit:500", "list"],
        target: true,
      },
      {
        what: `one goal's / project's open ones, first 500`,
        throughline: ["step", "list", "--goal", String(goal.id)],
        taskwarrior: [`project:${PROJECT}`, "limit:500", "list"],
        target: true,
      },
    ];
    say(`Timing ${pairs.length * 2 + 1} commands side by side, ${o.runs} rounds after one warm-up`);
    const runs: Run[] = [{ cmd: process.execPath, args: ["-e", ""], env: process.env }];
    for (const p of pairs) {
      runs.push({ cmd: process.execPath, args: tl(...p.throughline), env: tlEnv });
      runs.push({ cmd: "task", args: p.taskwarrior, env: twEnv });
    }
    const timings = timeTogether(runs, o.runs);
    const floor = timings[0] as Timing;
    const rows = pairs.map((p, i) => ({
      ...p,
      tl: timings[1 + 2 * i] as Timing,
      tw: timings[2 + 2 * i] as Timing,
    }));
    const loadAfter = load();
    checkBundle(o.bin);

    const quote = (args: string[]) => args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(" ");
    const table = [
      "| what | Throughline | lines | median | max | < 200 ms | Taskwarrior | lines | median | max |",
      "| --- | --- | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: |",
      ...rows.map(
        (r) =>
          `| ${r.what} | \`throughline ${quote(r.throughline)}\` | ${r.tl.lines} | ${ms(r.tl.median)} | ${ms(r.tl.max)} | ${r.target ? (r.tl.median < TARGET_MS ? "met" : "**missed**") : "–"} | \`task ${quote(r.taskwarrior)}\` | ${r.tw.lines} | ${ms(r.tw.median)} | ${ms(r.tw.max)} |`,
      ),
      `| Node's own start-up | \`node -e ""\` | 0 | ${ms(floor.median)} | ${ms(floor.max)} | – | | | | |`,
    ];
    const section = [
      "## CLI",
      "",
      `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC at commit ${commit()} on ${machine()}, Taskwarrior ${twVersion}; load average ${loadBefore} at the start and ${loadAfter} at the end (other work shares the machine).`,
      "",
      `\`npm run bench:cli\` — a generated Taskwarrior export of ${fmt(o.tasks)} tasks in 100 projects (${(bytes.length / 1024 / 1024).toFixed(0)} MB; bench/taskwarrior-export.ts, with due dates moved to run from ${firstDue}, two weeks before the run, so there is overdue and due work), imported into Taskwarrior (\`task import\`, its own data folder and taskrc: \`confirmation=off\`, \`verbose=nothing\`, \`hooks=off\`) and into a new SQLite file (\`throughline import taskwarrior\`). Then every command runs as a new process, as a person runs it: one warm-up, then ${o.runs} runs; wall-clock ms including process start-up. Throughline runs \`node bin/throughline.js … --db FILE\` with no stored login. "lines" is what the command printed: Throughline's \`week\` lists every open step due by Sunday (its query stops at 1,000); \`task next\` shows one screen.`,
      "",
      "| import | time |",
      "| --- | ---: |",
      `| \`task import\` (${fmt(o.tasks)} tasks) | ${(twImport.ms / 1000).toFixed(1)} s |`,
      `| \`throughline import taskwarrior\` (${fmt(o.tasks)} tasks, with the coach's report) | ${(tlImport.ms / 1000).toFixed(1)} s |`,
      "",
      ...table,
      "",
      `The budget: \`week\` and \`step list\` in under ${TARGET_MS} ms on ${fmt(o.tasks)} steps (issue 8). Reproduce with \`apt-get install -y taskwarrior && npm run bench:cli\`.`,
    ].join("\n");

    process.stdout.write(`\n${table.join("\n")}\n`);
    if (o.write) {
      writeFileSync(
        DOCS,
        replaceSections(readFileSync(DOCS, "utf8"), { CLI: section }).replace(/\n+$/, "\n"),
      );
      say(`Wrote the CLI section of ${DOCS}.`);
    }
  } finally {
    if (o.keep) say(`Kept ${dir}.`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
