/**
 * The CLI's start-up, sixth pass (issue 17, cli26): what `status` and every command no longer do on
 * each run. Timings live in bench/ and docs/benchmarks.md; these check the causes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../../test/helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "throughline-startup-status-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHUNK = /\/cli-bundle\/chunks\/([a-z-]+)-[\w-]{8}\.c?js$/;
const MODULES = pathToFileURL(
  join(import.meta.dirname, "..", "..", "test", "helpers", "module-log.mjs"),
).href;
const BUILTINS = join(import.meta.dirname, "..", "..", "test", "helpers", "builtins-log.cjs");
let runs = 0;

/** A run's output and the bundle chunks (or dist files) it loaded, by their first module's name. */
function chunksOf(args: string[], db: { file: string }) {
  const log = join(dir, `modules-${++runs}.log`);
  const r = cli(args, db, undefined, {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${MODULES}`.trim(),
    THROUGHLINE_MODULE_LOG: log,
  });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const urls = readFileSync(log, "utf8").split("\n");
  return {
    stdout: r.stdout,
    urls,
    chunks: urls.flatMap((u) => CHUNK.exec(u)?.[1] ?? /\/dist\/(?:.*\/)?([a-z-]+)\.c?js$/.exec(u)?.[1] ?? []),
  };
}

describe("the CLI's start-up, sixth pass", () => {
  it("starts as a CommonJS program: Node's ES module loader does not run for week or --version", () => {
    const db = { file: join(dir, "entry.db") };
    cli(["goal", "add", "Run a 10k"], db);
    for (const args of [["week"], ["--version"]]) {
      const log = join(dir, `builtins-${++runs}.log`);
      const r = cli(args, db, undefined, {
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${BUILTINS}`.trim(),
        THROUGHLINE_BUILTINS_LOG: log,
      });
      expect(r.code).toBe(0);
      const loaded = readFileSync(log, "utf8").split("\n");
      // An ES module entry (bin/throughline.js before bin/package.json) loads all of these.
      expect(
        loaded.filter((m) =>
          ["esm/module_job", "esm/translators", "esm/resolve", "esm/load"].some((e) => m.endsWith(e)),
        ),
        `throughline ${args.join(" ")}`,
      ).toEqual([]);
    }
    expect(cli(["--version"], db).stdout).toBe("0.1.0\n");
  });

  it("prints a goal's status without the input schemas (zod) or the recurrence rules", () => {
    const db = { file: join(dir, "plain.db") };
    cli(["goal", "add", "Run a 10k"], db);
    cli(["step", "add", "1", "Book the physio", "--due", "2026-12-01"], db);
    const r = chunksOf(["status", "1", "--as-of", "2026-12-02"], db);
    expect(r.stdout).toContain("#1 Run a 10k, as of 2026-12-02\n");
    // A dated run checks its date with the query's schema; today's status has nothing to check.
    const today = chunksOf(["status", "1"], db);
    expect(today.stdout).toContain("  Next steps:\n    [ ] #1 Book the physio (by 2026-12-01)\n");
    expect(today.chunks).toContain("status");
    expect(today.chunks.filter((c) => ["validation", "goals", "recurrence"].includes(c))).toEqual([]);
    expect(today.urls.filter((u) => /\/node_modules\/(zod|rrule)\//.test(u))).toEqual([]);
  });

  it("describes a repeating next step in words, loading the recurrence rules for it", () => {
    const db = { file: join(dir, "repeating.db") };
    cli(["goal", "add", "Run a 10k"], db);
    cli(["step", "add", "1", "Run 5k", "--due", "2026-12-07", "--every", "every Monday"], db);
    const r = chunksOf(["status", "1"], db);
    expect(r.stdout).toContain("    [ ] #1 Run 5k (by 2026-12-07, repeats every Monday)\n");
    expect(r.chunks).toContain("recurrence");
  });

  it("still refuses a status date that is not a date, with how to fix it", () => {
    const db = { file: join(dir, "dated.db") };
    cli(["goal", "add", "Run a 10k"], db);
    const r = cli(["status", "1", "--as-of", "31/02"], db);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^--as-of '31\/02' is not a date\..*\n$/);
  });

  it("looks up the local person with a query that stops at the first, not one over every person", () => {
    // Logs each statement the process prepares, from better-sqlite3's addon as it is loaded.
    const preload = join(dir, "sql-log.cjs");
    writeFileSync(
      preload,
      `const { appendFileSync } = require("node:fs");
const dlopen = process.dlopen;
process.dlopen = function (module, ...rest) {
  const out = dlopen.call(this, module, ...rest);
  const db = module.exports?.Database?.prototype;
  if (db?.prepare) {
    const prepare = db.prepare;
    db.prepare = function (sql, ...more) {
      appendFileSync(process.env.THROUGHLINE_SQL_LOG, sql.replace(/\\s+/g, " ") + "\\n");
      return prepare.call(this, sql, ...more);
    };
  }
  return out;
};
`,
    );
    const db = { file: join(dir, "local.db") };
    cli(["goal", "add", "Run a 10k"], db);
    const log = join(dir, "sql.log");
    const r = cli(["week"], db, undefined, {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${preload}`.trim(),
      THROUGHLINE_SQL_LOG: log,
    });
    expect(r.code).toBe(0);
    const local = readFileSync(log, "utf8")
      .split("\n")
      .filter((s) => s.includes('"is_local" = ?') && s.startsWith("select * from"));
    expect(local).toEqual(['select * from "users" where "is_local" = ? order by "id" limit ?']);
  });
});
