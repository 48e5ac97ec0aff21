/**
 * SQLite's connection settings, measured (issue 17): the page cache (`cache_size`) and memory-mapped
 * reads (`mmap_size`) on the floors' own work — the hand-written check-in transaction
 * (bare-checkin.ts) and the hand-written My week read (bare-week.ts) — on a database made by
 * `npm run bench:data`, with the server's durability and checkpoint regime (bare-db.ts). Each
 * setting runs in its own process (so its resident memory is its own), the settings interleaved
 * round by round so the machine's drift falls on all of them alike. Prints a table and writes the
 * "## SQLite settings" section of docs/benchmarks.md. It WRITES check-ins: give it a copy.
 *
 *   npm run bench:sqlite -- --db COPY.db [--rounds 5] [--ops 400] [--no-doc]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import SQLite from "better-sqlite3";
import { appContext } from "../src/app/context.js";
import { myWeekView } from "../src/app/plans/weekview.js";
import { openAndMigrate } from "../src/store/db.js";
import { checkinFloor } from "./bare-checkin.js";
import { openLikeServer } from "./bare-db.js";
import { Stale, weekFloor } from "./bare-week.js";
import { arg } from "./script.js";

/** The settings compared: each a list of pragmas on top of the server's own. */
export const VARIANTS: { name: string; pragmas: string[]; cost: string }[] = [
  // better-sqlite3 builds SQLite with SQLITE_DEFAULT_CACHE_SIZE=-16000 (`pragma compile_options`).
  {
    name: "SQLite's defaults as better-sqlite3 builds it (16 MB page cache, no mmap)",
    pragmas: [],
    cost: "—",
  },
  {
    name: "page cache 2 MB (the server's, mem20)",
    pragmas: ["cache_size = -2048"],
    cost: "14 MB less of the process's own memory held per connection; missed pages are read from the OS's file cache",
  },
  {
    name: "page cache 64 MB",
    pragmas: ["cache_size = -65536"],
    cost: "up to 64 MB of the process's own memory per connection, held while open",
  },
  {
    name: "mmap 1 GB",
    pragmas: ["mmap_size = 1073741824"],
    cost: "file pages mapped (the OS's page cache, shared and reclaimable; counted in RSS as touched); a disk I/O error becomes a SIGBUS instead of an error code",
  },
  {
    name: "page cache 64 MB + mmap 1 GB",
    pragmas: ["cache_size = -65536", "mmap_size = 1073741824"],
    cost: "both",
  },
];

interface Work {
  checkins: { userId: number; goalId: number; keyResultId: number }[];
  readers: { userId: number; workspaceId: number; name: string }[];
}

/** People who own an active goal with a key result: the check-ins' authors and the week's readers. */
function pickWork(file: string, count: number): Work {
  const db = new SQLite(file, { readonly: true });
  try {
    const rows = db
      .prepare<
        [number],
        { userId: number; goalId: number; keyResultId: number; workspaceId: number; name: string }
      >(
        `select g.owner_id as userId, g.id as goalId, min(k.id) as keyResultId, g.workspace_id as workspaceId,
                u.name as name
           from goals g join key_results k on k.goal_id = g.id join users u on u.id = g.owner_id
          where g.status = 'active' group by g.id order by (g.id * 7919) % 100003 limit ?`,
      )
      .all(count);
    // A check-in makes its goal's stored roll-up stale, which the week floor refuses: the readers
    // and the check-ins' authors are different people.
    const people = [...new Map(rows.map((r) => [r.userId, r])).values()];
    const readers = people.slice(0, Math.floor(people.length / 2)).map((r) => ({
      userId: r.userId,
      workspaceId: r.workspaceId,
      name: r.name,
    }));
    const reading = new Set(readers.map((r) => r.userId));
    return { checkins: rows.filter((r) => !reading.has(r.userId)), readers };
  } finally {
    db.close();
  }
}

/** One setting's run, in this process: warm up, then time `ops` check-ins and `ops / 4` week reads. */
function child(file: string, pragmas: string[], ops: number, work: Work): void {
  const db = openLikeServer(file);
  for (const p of pragmas) db.pragma(p);
  const { write } = checkinFloor(db);
  const { read } = weekFloor(db);
  const checkin = (i: number) => {
    const c = work.checkins[i % work.checkins.length] as Work["checkins"][number];
    write(c.userId, c.goalId, { krValues: [{ keyResultId: c.keyResultId, value: i }], confidence: "7" });
  };
  const week = (i: number) => {
    const r = work.readers[i % work.readers.length] as Work["readers"][number];
    read(r.userId, r.workspaceId, r.name);
  };
  for (let i = 0; i < 50; i++) {
    checkin(i);
    week(i);
  }
  const time = (n: number, run: (i: number) => void) => {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) run(i);
    return Number(process.hrtime.bigint() - t) / 1000 / n;
  };
  const weekReads = Math.max(10, Math.floor(ops / 4));
  const result = {
    checkinUs: time(ops, checkin),
    weekUs: time(weekReads, week),
    rssMb: process.memoryUsage().rss / 2 ** 20,
  };
  process.stdout.write(JSON.stringify(result));
  db.close();
  process.exit(0);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : (s[Math.floor((s.length - 1) / 2)] as number);
};

async function main(): Promise<void> {
  const file = resolve(arg("db", ""));
  if (process.argv.includes("--child")) {
    child(
      file,
      JSON.parse(arg("pragmas", "[]")) as string[],
      Number(arg("ops", "400")),
      JSON.parse(readFileSync(arg("work", ""), "utf8")) as Work,
    );
    return;
  }
  if (!arg("db", "")) throw new Error("Give --db COPY.db (a copy of a database made by npm run bench:data).");
  const rounds = Math.max(1, Number(arg("rounds", "5")));
  const ops = Math.max(50, Number(arg("ops", "400")));
  const work = pickWork(file, 400);
  if (work.checkins.length === 0) throw new Error(`No active goal with a key result in ${file}.`);
  // The week floor reads stored roll-ups: let the product compute this week's for the readers first.
  const store = await openAndMigrate({ file });
  const ctx = appContext(store);
  for (const r of work.readers) await myWeekView(ctx, { userId: r.userId, workspaceId: r.workspaceId });
  await store.close();

  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");
  const results = VARIANTS.map(() => ({
    checkin: [] as number[],
    week: [] as number[],
    rss: [] as number[],
  }));
  const self = join(import.meta.dirname, "sqlite-settings.js");
  const workFile = join(mkdtempSync(join(tmpdir(), "sqlite-settings-")), "work.json");
  writeFileSync(workFile, JSON.stringify(work));
  for (let round = 1; round <= rounds; round++) {
    const order = VARIANTS.map((_, i) => i);
    if (round % 2 === 0) order.reverse();
    for (const i of order) {
      const v = VARIANTS[i] as (typeof VARIANTS)[number];
      const out = execFileSync(
        process.execPath,
        [
          self,
          "--child",
          "--db",
          file,
          "--pragmas",
          JSON.stringify(v.pragmas),
          "--ops",
          String(ops),
          "--work",
          workFile,
        ],
        { encoding: "utf8", maxBuffer: 1 << 20, stdio: ["ignore", "pipe", "inherit"] },
      );
      const r = JSON.parse(out) as { checkinUs: number; weekUs: number; rssMb: number };
      const into = results[i] as (typeof results)[number];
      into.checkin.push(r.checkinUs);
      into.week.push(r.weekUs);
      into.rss.push(r.rssMb);
      process.stderr.write(
        `round ${round}/${rounds}  ${v.name.padEnd(46)} check-in ${r.checkinUs.toFixed(0)} µs  week ${r.weekUs.toFixed(0)} µs  RSS ${r.rssMb.toFixed(0)} MB\n`,
      );
    }
  }
  const base = results[0] as (typeof results)[number];
  const rows = VARIANTS.map((v, i) => {
    const r = results[i] as (typeof results)[number];
    const c = median(r.checkin);
    const w = median(r.week);
    return `| ${v.name} | \`${v.pragmas.join("; ") || "—"}\` | ${c.toFixed(0)} | ${(median(base.checkin) / c).toFixed(2)}× | ${w.toFixed(0)} | ${(median(base.week) / w).toFixed(2)}× | ${median(r.rss).toFixed(0)} | ${v.cost} |`;
  });
  const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  const section = `## SQLite settings

Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC at commit ${commit} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}; load average at the start ${load}.

\`npm run bench:sqlite -- --db COPY\` — the floors' own work (bench/bare-checkin.ts's check-in transaction with one key-result value; bench/bare-week.ts's My week read of a person's open steps, goals and stored roll-ups) in-process on ${file.includes("bench") ? "the `bench:data` database" : "the database given"}, with the server's durability and checkpoint regime (WAL, \`synchronous = NORMAL\`, checkpoints from a worker thread); each setting in its own process, ${rounds} rounds interleaved, ${ops} check-ins and ${Math.max(10, Math.floor(ops / 4))} week reads a round after 50 of each to warm up. Median µs per operation over the rounds; "× defaults" is how many times faster than SQLite's defaults (above 1 is faster). RSS is the process's after its round.

| setting | pragmas | check-in µs | × defaults | My week µs | × defaults | RSS MB | what it costs |
| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |
${rows.join("\n")}
`;
  console.log(section);
  if (!process.argv.includes("--no-doc")) {
    const root = join(import.meta.dirname, "..", "..", "..");
    // The section writer the plain-JavaScript benchmarks share (it is not compiled with these).
    const { writeSection } = (await import(pathToFileURL(join(root, "bench", "doc-section.mjs")).href)) as {
      writeSection(file: string, section: string): void;
    };
    writeSection(join(root, "docs", "benchmarks.md"), section);
    console.error("Wrote the SQLite settings section of docs/benchmarks.md.");
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(
      e instanceof Stale
        ? "A roll-up the week floor reads was not fresh."
        : e instanceof Error
          ? e.message
          : String(e),
    );
    process.exit(1);
  });
}
