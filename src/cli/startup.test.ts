import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../../test/helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "throughline-startup-"));
const db = { file: join(dir, "t.db") };
/**
 * A bundle chunk's first module: `chunks/recurrence-xf-LSfHj.cjs` is recurrence. Rollup's hash is 8
 * characters of [A-Za-z0-9_-], so it may itself hold a dash and lowercase letters.
 */
const CHUNK = /\/cli-bundle\/chunks\/([a-z-]+)-[\w-]{8}\.c?js$/;
const HOOK = pathToFileURL(join(import.meta.dirname, "..", "..", "test", "helpers", "module-log.mjs")).href;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Packages a command that only reads has no use for; each takes tens of milliseconds to load. */
const HEAVY = [
  "compromise",
  "chrono-node",
  "csv-parse",
  "ical-generator",
  "marked",
  "sanitize-html",
  "nodemailer",
  "hono",
  "@hono",
];

let runs = 0;

/** The packages a CLI run loaded, read from the module log of a preloaded resolve hook. */
function packagesLoaded(args: string[]): Set<string> {
  const log = join(dir, `modules-${++runs}.log`);
  const r = cli(args, db, undefined, {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${HOOK}`.trim(),
    THROUGHLINE_MODULE_LOG: log,
  });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const urls = readFileSync(log, "utf8").split("\n");
  return new Set(urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));
}

describe("the CLI's start-up", () => {
  it("loads the coach when a command needs it, which the log shows", () => {
    const loaded = packagesLoaded(["lint", "Improve morale"]);
    expect(loaded).toContain("compromise");
    expect(loaded).toContain("chrono-node");
  });

  it("runs week, step list, --version and --help without loading the coach, importers or exporters", () => {
    cli(["goal", "add", "Run a 10k"], db);
    cli(["step", "add", "1", "Book the physio", "--due", "today"], db);
    for (const args of [
      ["week"],
      ["step", "list"],
      ["step", "list", "--goal", "1"],
      ["--version"],
      ["--help"],
    ]) {
      const loaded = packagesLoaded(args);
      const heavy = HEAVY.filter((p) => [...loaded].some((l) => l === p || l.startsWith(`${p}/`)));
      expect(heavy, `throughline ${args.join(" ")}`).toEqual([]);
    }
  });

  it("runs week without the input schemas (zod): they are a third of its start-up", () => {
    const log = join(dir, `modules-${++runs}.log`);
    const r = cli(["week"], db, undefined, {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${HOOK}`.trim(),
      THROUGHLINE_MODULE_LOG: log,
    });
    expect(r.code).toBe(0);
    const urls = readFileSync(log, "utf8").split("\n");
    // The bundle's chunks are named after their first module: validation.ts holds zod and the
    // shared schemas, steps.ts and people.ts the step and person inputs.
    const chunks = urls.flatMap((u) => CHUNK.exec(u)?.[1] ?? []);
    expect(chunks).toContain("week");
    expect(chunks.filter((c) => ["validation", "steps", "people", "goals"].includes(c))).toEqual([]);
    expect(urls.filter((u) => u.includes("/node_modules/zod/"))).toEqual([]);
  });

  // One command's module per run
  it("runs week with its own command module only, not the other commands' (issue 17)", () => {
    const log = join(dir, `modules-${++runs}.log`);
    const r = cli(["week"], db, undefined, {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${HOOK}`.trim(),
      THROUGHLINE_MODULE_LOG: log,
    });
    expect(r.code).toBe(0);
    // Every file of ours the run loaded (bundle chunks or dist/cli files), read for the command
    // modules' register functions it defines.
    const ours = readFileSync(log, "utf8")
      .split("\n")
      .filter((u) => u.startsWith("file:") && u.includes("/dist/") && /\.c?js$/.test(u));
    const registers = new Set(
      ours.flatMap((u) =>
        [...readFileSync(new URL(u), "utf8").matchAll(/function (register\w+Command)\(/g)].map((m) => m[1]),
      ),
    );
    expect([...registers]).toEqual(["registerWeekCommand"]);
  });

  it("still lists and suggests every command when a run names none (issue 17)", () => {
    const help = cli(["--help"], db);
    expect(help.code).toBe(0);
    for (const name of [
      "goal",
      "kr",
      "step",
      "barrier",
      "delegation",
      "commitment",
      "week",
      "report",
      "whoami",
      "remind",
    ]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
    }
    // Help asked before the command is the program's, after it the command's.
    expect(cli(["--help", "week"], db).stdout).toBe(help.stdout);
    const week = cli(["week", "--help"], db);
    expect(week.stdout).toMatch(/^Usage: throughline week \[options\]/);
    expect(week.stdout).not.toMatch(/^ {2}goal /m);
    const typo = cli(["stauts"], db);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("(Did you mean status?)");
  });
  // --- end issue 17 ---

  // cli20 (issue 17): what `week` no longer loads on every run.
  it("runs week without node:crypto, worker threads, child processes, the CommonJS lexer or Intl", () => {
    const log = join(dir, `builtins-${++runs}.log`);
    const preload = join(import.meta.dirname, "..", "..", "test", "helpers", "builtins-log.cjs");
    const own = { file: join(dir, "builtins.db") };
    cli(["goal", "add", "Run a 10k"], own);
    cli(["step", "add", "1", "Book the physio", "--due", "today"], own);
    const run = (args: string[]) => {
      const r = cli(args, own, undefined, {
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${preload}`.trim(),
        THROUGHLINE_BUILTINS_LOG: log,
      });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      return { stdout: r.stdout, loaded: readFileSync(log, "utf8").split("\n") };
    };
    const week = run(["week"]);
    expect(week.stdout).toMatch(/^Your week \(\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\):/);
    expect(
      week.loaded.filter((m) =>
        ["crypto", "worker_threads", "child_process", "readline/promises", "Intl"].includes(m),
      ),
    ).toEqual([]);
    expect(week.loaded.filter((m) => m.includes("cjs-module-lexer"))).toEqual([]);
    // A date in words still reads in the local zone, with Intl.
    const dated = run(["step", "add", "1", "Stretch", "--due", "next friday"]);
    expect(dated.loaded).toContain("Intl");
  });

  // cli21 (issue 17): the recurrence rules (core/recurrence.ts with rrule, ~83 KB) load only when
  // a step repeats.
  /** The bundle chunks and dist/cli files a run loaded, by their first module's name. */
  const chunksOf = (urls: string[]) =>
    urls.flatMap((u) => CHUNK.exec(u)?.[1] ?? /\/dist\/(?:.*\/)?([a-z-]+)\.c?js$/.exec(u)?.[1] ?? []);
  const logged = (args: string[], own: { file: string }) => {
    const log = join(dir, `modules-${++runs}.log`);
    const r = cli(args, own, undefined, {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${HOOK}`.trim(),
      THROUGHLINE_MODULE_LOG: log,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    return { stdout: r.stdout, chunks: chunksOf(readFileSync(log, "utf8").split("\n")) };
  };

  it("runs week without the recurrence rules when no step repeats", () => {
    const own = { file: join(dir, "plain.db") };
    cli(["goal", "add", "Run a 10k"], own);
    cli(["step", "add", "1", "Book the physio", "--due", "2026-12-01"], own);
    const week = logged(["week", "--as-of", "2026-12-02"], own);
    expect(week.stdout).toBe(
      "Your week (2026-11-30 to 2026-12-06):\n[ ] #1 Book the physio (by 2026-12-01)\n",
    );
    expect(week.chunks).toContain("week");
    expect(week.chunks).not.toContain("recurrence");
    // The week after: the step overdue, and still no rules.
    const empty = logged(["week", "--as-of", "2026-12-09"], own);
    expect(empty.stdout).toMatch(/^Your week \(2026-12-07 to 2026-12-13\):\n\[ \] #1 Book the physio/);
    expect(empty.chunks).not.toContain("recurrence");
  }, 180_000);

  it("loads the recurrence rules when a step repeats: week shows each of its days this week", () => {
    const own = { file: join(dir, "repeating.db") };
    cli(["goal", "add", "Run a 10k"], own);
    cli(["step", "add", "1", "Stretch", "--due", "2026-12-03", "--every", "every day"], own);
    // A rule our own words do not cover is described by rrule's.
    cli(
      [
        "step",
        "add",
        "1",
        "Service the bike",
        "--due",
        "2026-12-05",
        "--every",
        "FREQ=YEARLY;BYMONTH=1,12;BYDAY=SA",
      ],
      own,
    );
    cli(["step", "add", "1", "Book the physio", "--due", "2026-12-01"], own);
    const week = logged(["week", "--as-of", "2026-12-02"], own);
    expect(week.stdout).toBe(
      [
        "Your week (2026-11-30 to 2026-12-06):",
        "[ ] #3 Book the physio (by 2026-12-01)",
        "[ ] #1 Stretch (by 2026-12-03, repeats every day)",
        "[ ] #1 Stretch (by 2026-12-04, repeats every day)",
        "[ ] #1 Stretch (by 2026-12-05, repeats every day)",
        "[ ] #2 Service the bike (by 2026-12-05, repeats every January and December on Saturday)",
        "[ ] #1 Stretch (by 2026-12-06, repeats every day)",
        "",
      ].join("\n"),
    );
    expect(week.chunks).toContain("recurrence");
    // The next week: the daily step every day, the bike on its next Saturday.
    const next = logged(["week", "--as-of", "2026-12-07"], own);
    expect(next.stdout.split("\n").filter((l) => l.includes("#1 Stretch"))).toHaveLength(7);
    expect(next.stdout).toContain(
      "[ ] #2 Service the bike (by 2026-12-12, repeats every January and December on Saturday)",
    );
  }, 180_000);

  // cli24 (issue 17): a database already up to date opens without loading the migrations, and
  // better-sqlite3's JavaScript is the bundle's (one file fewer to load for each of its 14).
  it("runs the migrations on a new file, then opens it without loading them", () => {
    const own = { file: join(dir, "migrations.db") };
    const first = logged(["week", "--as-of", "2026-12-02"], own);
    expect(first.stdout).toMatch(/^Nothing is planned this week\./);
    expect(first.chunks).toContain("migrator");
    const again = logged(["week", "--as-of", "2026-12-02"], own);
    expect(again.stdout).toBe(first.stdout);
    expect(again.chunks).toContain("week");
    expect(again.chunks).not.toContain("migrator");
  }, 180_000);

  it("runs week with better-sqlite3's addon but none of its JavaScript files from node_modules", () => {
    const log = join(dir, `modules-${++runs}.log`);
    const r = cli(["week"], db, undefined, {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${HOOK}`.trim(),
      THROUGHLINE_MODULE_LOG: log,
    });
    expect(r.code).toBe(0);
    const files = readFileSync(log, "utf8")
      .split("\n")
      .filter((u) => u.includes("/node_modules/better-sqlite3/") || u.includes("/node_modules/bindings/"));
    expect(files.filter((u) => !u.endsWith("/better_sqlite3.node"))).toEqual([]);
    expect(files.length).toBeGreaterThan(0);
  });
});
