import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, describe, expect, it, vi } from "vitest";
import { cli, cliJson } from "../../../test/helpers/cli.js";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, buildGoal } from "../../../test/helpers/factories.js";
import type { ImportResult } from "../../app/imports/imports.js";
import * as goals from "../../app/plans/goals.js";
import { openAndMigrate } from "../../store/db.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "test", "fixtures", "import");
const fx = (name: string) => join(FIXTURES, name);
const dir = mkdtempSync(join(tmpdir(), "throughline-import-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Each test runs the built CLI a dozen times; on a busy 2-core machine that takes a while.
vi.setConfig({ testTimeout: 120_000 });

function oneOrTwoLines(stderr: string) {
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(stderr.trim().split("\n").length).toBeLessThanOrEqual(2);
}

/** The backup of a database with the export time taken out, to compare two databases. */
function backupOf(db: { file?: string; databaseUrl?: string }) {
  const r = cli(["export", "--format", "json"], db);
  expect(r.code, r.stderr).toBe(0);
  const b = JSON.parse(r.stdout) as { exportedAt?: string; dialect: string; tables: unknown };
  return b.tables;
}

describe.each(DIALECTS)("throughline import and export on %s", (d) => {
  const skip = !dialectAvailable(d);

  it.skipIf(skip)("imports each tool's file, then imports it again without duplicates", async () => {
    const s = await freshStore(d);
    try {
      const db = s.config;
      const files = [
        ["taskwarrior", "taskwarrior.json", 7],
        ["trello", "trello.json", 6],
        ["todoist", "todoist.csv", 5],
        ["asana", "asana.csv", 5],
      ] as const;
      for (const [source, file, steps] of files) {
        const first = cliJson<ImportResult>(["import", source, fx(file)], db);
        expect(first.steps.created, source).toBe(steps);
      }
      const before = backupOf(db);
      for (const [source, file] of files) {
        const again = cli(["import", source, fx(file)], db);
        expect(again.code).toBe(0);
        expect(again.stdout).toMatch(/were imported before and left as they are/);
      }
      expect(backupOf(db)).toEqual(before);
    } finally {
      await s.dispose();
    }
  });

  it.skipIf(skip)(
    "refuses bad files with one or two lines on stderr, exit 1, and changes nothing",
    async () => {
      const s = await freshStore(d);
      try {
        const db = s.config;
        cliJson(["import", "trello", fx("trello.json")], db);
        const before = backupOf(db);
        const huge = join(dir, `huge-${d}.json`);
        writeFileSync(huge, "");
        // A sparse file: 250 MB on paper, nothing on disk.
        truncateSync(huge, 250 * 1024 * 1024);
        for (const [source, file, message] of [
          ["taskwarrior", fx("taskwarrior-truncated.json"), /looks cut off/],
          ["taskwarrior", fx("taskwarrior-bad-status.json"), /Task 2 \(9b1d0a7e\): field 'status'/],
          ["trello", fx("trello-not-a-board.json"), /no 'lists' list/],
          ["todoist", fx("todoist-latin1.csv"), /^Line 2 of the Todoist file is not UTF-8 text/],
          ["todoist", fx("todoist-unclosed-quote.csv"), /quoted field that starts by line 3/],
          ["asana", fx("asana-short-row.csv"), /^Line 4 of the Asana file/],
          ["asana", fx("binary.bin"), /not UTF-8/],
          ["trello", huge, /is 250 MB; an import reads at most 200 MB/],
          ["trello", join(dir, "missing.json"), /^No file .*missing\.json\. Check the path\./],
          ["wunderlist", fx("trello.json"), /Cannot import from 'wunderlist'/],
          ["throughline", fx("trello.json"), /The backup is not valid: format is missing/],
        ].filter((_, i) => d === "sqlite" || i < 2) as [string, string, RegExp][]) {
          const r = cli(["import", source, file], db);
          expect(r.code, `${source} ${file}: ${r.stderr}`).toBe(1);
          expect(r.stderr).toMatch(message);
          oneOrTwoLines(r.stderr);
        }
        expect(backupOf(db)).toEqual(before);
      } finally {
        await s.dispose();
      }
    },
  );

  it.skipIf(skip)("reads Taskwarrior due dates in the zone of TZ", async () => {
    const s = await freshStore(d);
    try {
      const r = cli(["import", "taskwarrior", fx("taskwarrior-tokyo.json"), "--json"], s.config, "", {
        TZ: "Asia/Tokyo",
      });
      expect(r.code, r.stderr).toBe(0);
      const steps = cliJson<{ text: string; dueDate: string }[]>(["step", "list"], s.config);
      // Both were typed as 5 December in Tokyo; the first is still the 4th in UTC.
      expect(steps.map((x) => [x.text, x.dueDate])).toEqual([
        ["Book the Shibuya venue", "2026-12-05"],
        ["Send the Osaka invitations", "2026-12-05"],
      ]);
    } finally {
      await s.dispose();
    }
  });

  it.skipIf(skip)("restores a JSON export into an empty database, identical", async () => {
    const a = await freshStore(d);
    const b = await freshStore(d);
    try {
      const { ctx, actor } = await actorFor(a.store);
      const parent = await goals.createGoal(ctx, actor, buildGoal({ title: "Make the newsletter pay" }));
      await goals.createGoal(ctx, actor, buildGoal({ parentId: parent.id }));
      cliJson(["import", "asana", fx("asana.csv")], a.config);
      const file = join(dir, `backup-${d}.json`);
      const exported = cli(["export", "--format", "json", "--output", file], a.config);
      expect(exported.code, exported.stderr).toBe(0);
      const restored = cli(["import", "throughline", file], b.config);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toMatch(/^Restored \d+ rows in \d+ tables/);
      expect(backupOf(b.config)).toEqual(backupOf(a.config));
      const again = cli(["import", "throughline", file], b.config);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already holds data/);
      oneOrTwoLines(again.stderr);
      const goalsBefore = (
        JSON.parse(cli(["export"], b.config).stdout) as { tables: { goals: { rows: unknown[] } } }
      ).tables.goals.rows.length;
      const next = cliJson<{ id: number }>(["goal", "add", "Run a 10k"], b.config);
      expect(next.id).toBe(goalsBefore + 1);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });

  // The formats do not depend on the database; the app and HTTP tests run them on both.
  if (d === "sqlite")
    it.skipIf(skip)("writes CSV, Markdown and an iCalendar file to stdout", async () => {
      const s = await freshStore(d);
      try {
        cliJson(["import", "trello", fx("trello.json")], s.config);
        const ics = cli(["export", "--format", "ics"], s.config);
        expect(ics.code).toBe(0);
        expect(ics.stdout).toMatch(/^BEGIN:VCALENDAR\r\n/);
        expect(ics.stdout).toContain("DTSTART;VALUE=DATE:20261204");
        expect(cli(["export", "--format", "csv"], s.config).stdout).toMatch(/^goal_id,goal,goal_status/);
        expect(cli(["export", "--format", "markdown"], s.config).stdout).toMatch(/^# Plans\n/);
        const bad = cli(["export", "--format", "pdf"], s.config);
        expect([bad.code, bad.stderr.trim()]).toEqual([
          1,
          "Cannot export as 'pdf'. Use one of: json, csv, markdown, ics.",
        ]);
      } finally {
        await s.dispose();
      }
    });
});

describe("throughline import progress", () => {
  it("shows progress on stderr for more than 300 items, and not for a few", () => {
    const db = { file: join(dir, "progress.db") };
    const tasks = Array.from({ length: 4000 }, (_, i) => ({
      uuid: `p-${i}`,
      description: `Call supplier ${i}`,
      status: "pending",
      project: "Suppliers",
    }));
    const file = join(dir, "4000.json");
    writeFileSync(file, JSON.stringify(tasks));
    const r = cli(["import", "taskwarrior", file], db);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line).toMatch(/^Importing: \d+% [\d,]+\/4,000$/);
    expect(lines[lines.length - 1]).toBe("Importing: 100% 4,000/4,000");
    const quiet = cli(["import", "trello", fx("trello.json")], db);
    expect(quiet.stderr).toBe("");
    writeFileSync(file, JSON.stringify(tasks.map((t) => ({ ...t, uuid: `q-${t.uuid}` }))));
    expect(cli(["import", "taskwarrior", file, "--no-progress"], db).stderr).toBe("");
  });
});

describe("throughline backup", () => {
  it("copies the SQLite file consistently while another process keeps writing", async () => {
    const file = join(dir, "live.db");
    const store = await openAndMigrate({ file });
    const { ctx, actor } = await actorFor(store);
    let writes = 0;
    let stop = false;
    const writer = (async () => {
      while (!stop) {
        await goals.createGoal(ctx, actor, buildGoal({ title: `Goal ${writes}` }));
        writes++;
        // better-sqlite3 answers synchronously: let the event loop see the child process too.
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const target = join(dir, "live-backup.db");
    const bin = join(import.meta.dirname, "..", "..", "..", "bin", "throughline.js");
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [bin, "backup", target, "--db", file], { stdio: "ignore" });
      child.on("exit", (c) => resolve(c ?? -1));
    });
    stop = true;
    await writer;
    await store.close();
    expect(code).toBe(0);
    expect(writes).toBeGreaterThan(0);
    const copy = new SQLite(target, { readonly: true });
    try {
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      const n = (copy.prepare("select count(*) as n from goals").get() as { n: number }).n;
      expect(n).toBeLessThanOrEqual(writes);
      const titles = copy.prepare("select title from goals order by id").all() as { title: string }[];
      expect(titles.map((t) => t.title)).toEqual(Array.from({ length: n }, (_, i) => `Goal ${i}`));
    } finally {
      copy.close();
    }
    const again = cli(["backup", target], { file });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists\. Name a new file/);
  });

  it.skipIf(!dialectAvailable("postgres"))("points to pg_dump on PostgreSQL", async () => {
    const s = await freshStore("postgres");
    try {
      const target = join(dir, "pg-backup.db");
      const r = cli(["backup", target], s.config);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/PostgreSQL: back it up with pg_dump/);
      oneOrTwoLines(r.stderr);
      expect(existsSync(target)).toBe(false);
    } finally {
      await s.dispose();
    }
  });

  it("keeps a backup readable as JSON text with one row per line", () => {
    const db = { file: join(dir, "lines.db") };
    cliJson(["goal", "add", "Run a 10k"], db);
    const text = cli(["export"], db).stdout;
    expect(text.split("\n")[1]).toBe('  "format": "throughline-backup",');
    expect(JSON.parse(text).tables.goals.rows).toHaveLength(1);
  });
});
