/**
 * The server benchmark: the built server in a child process on a free port of 127.0.0.1, against
 * a database made by `npm run bench:data`, measured with autocannon — create a check-in, my week, a
 * goal's status, the team view of a 50-person team, the coach — next to the limits: a bare Hono
 * JSON route, the same check-in written by hand on a bare route (bench/bare-checkin.ts, SQLite;
 * bench/bare-checkin-pg.ts, PostgreSQL),
 * and raw single-row inserts and point reads with better-sqlite3 and pg. Records the
 * server's RSS throughout (and over a soak), prints a table and writes the "Server", "Store" and
 * "Memory" sections of docs/benchmarks.md.
 *
 *   npm run bench -- [--sqlite ./data/bench.db] [--postgres URL | DATABASE_URL] [--duration 10] [--warm-up 1]
 *                    [--connections 10] [--soak 300] [--soak-on sqlite,postgres] [--no-write]
 *                    [--only "overview"]   (only the endpoints whose name contains it; writes nothing)
 *                    [--scheduler]         (kept for old commands: both runs below always happen)
 *                    [--quick]             (2 s loads, no soak, fewer runs: for trying it)
 *                    [--interval S]        (the scheduler's interval in the "on" run; default duration ÷ 4)
 *                    [--rounds N]          (with --duration, the load budget of each setting in the scheduler
 *                                           off / on comparison: N × duration seconds; default 4)
 *                    [--window S]          (sched22: each paired window's length, default 2 s, --quick 1 s)
 *                    [--pairs N]           (pairs of off / on windows; default rounds × duration ÷ window,
 *                                           at least 6: fewer decide nothing; also the pairs of product /
 *                                           floor check-in windows, floor24)
 *                    [--aa NAME]           (the endpoint of the A/A control, off vs off; default the
 *                                           check-in; "none" leaves it out)
 *                    [--read-duration S]   (each report / review / wins load; default 5, --quick 2)
 *                    [--no-cli] [--no-web] (leave out the CLI processes or the web navigation)
 *                    [--reads NAME]        (only the reads whose name contains it, e.g. "review")
 *                    [--burn-in N]         (sched26: pairs measured first and not judged; default SCHEDULER_BURN_IN)
 *                    [--dump FILE]         (sched26: append each paired window's latencies to FILE, one
 *                                           JSON line per row, for bench/paired-study.ts)
 *                    [--reads-only]        (only the report, review and wins over HTTP,
 *                                           scheduler on, with the server's RSS; then a soak of those
 *                                           reads if --soak; writes nothing)
 *
 * Issue 17, one run per database: the endpoints with the scheduler off, then the same off and on
 * in many short paired windows of two servers kept running together (a short interval, harsher than the
 * default 60 s; measureInterleaved, sched20), judged by the median paired ratio and its bootstrap
 * interval (bench/paired.ts, sched22), with an A/A control (two servers with the scheduler off); the report, the weekly review and the wins
 * feed over HTTP as a leader and a member; the scheduler's idle tick in-process (bench/tick.ts);
 * the floors (floor24: the check-in's floor in paired windows with the product's own check-in, on the
 * same file after its log is emptied, bench/paired.ts's share verdict), the store and memory (the soak
 * with the scheduler on); on SQLite the CLI's week,
 * status and report as processes (bench/cli.ts's way of timing); once per run the web navigation
 * (bench/web-nav.mjs in a child process). Then a "## Targets" section lists every target of issue
 * 17 with this run's figure, met or missed. Progress and each part's elapsed time go to stderr.
 *
 * The server runs with the node flags of `npm start` (package.json's start script). BENCH_SERVER_ARGS
 * adds flags after them (a later value wins, e.g. "--heap-growing-percent=400" for V8's default):
 * "--cpu-prof --cpu-prof-dir=DIR" profiles the server while it is measured; BENCH_SERVER_LOG=FILE
 * keeps its standard output (BENCH_SERVER_ARGS="--trace-gc" for the heap).
 *
 * Steady state (bench25): the check-in's warm-up before its first window is `--warm-up` seconds and
 * at least CHECKIN_WARM_UP check-ins (4,200: the server's log grown to its backstop, so the window
 * does not measure a just-started server appending to a new log); on PostgreSQL the tables the run
 * writes are vacuumed and analyzed after the set-up, and those the bench data leaves empty get, for
 * the run, the autovacuum thresholds of a running server's full tables (settleTables), so no
 * autovacuum of theirs falls in a window. docs/benchmarks.md, "the bench's steady state (bench25)".
 *
 * Every load loop is bounded in time and count, and only ever talks to 127.0.0.1.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { cpus, endianness, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import SQLite from "better-sqlite3";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { appContext } from "../src/app/context.js";
import { hashToken } from "../src/app/people/secrets.js";
import { BACKSTOP_PAGES } from "../src/store/checkpointer.js";
import { openStore, type Store } from "../src/store/db.js";
import type { Database } from "../src/store/schema.js";
import { freePort } from "../test/helpers/postgres.js";
import { type Run, type Timing, timeTogether } from "./cli.js";
import { explainUseCases, type LoggedQuery, timings as useCaseTimings } from "./explain.js";
import {
  type Decision,
  MIN_PAIRS,
  matchedWarmUps,
  overall,
  type PairedVerdict,
  type PooledVerdict,
  pairedVerdict,
  pairSplits,
  pooledVerdict,
  SCHEDULER_BURN_IN,
  SCHEDULER_NORMALISE,
  type ShareVerdict,
  shareVerdict,
} from "./paired.js";
import { readers } from "./report.js";
import { startFlags } from "./server-command.js";
import { type IdleTicks, idleTicks } from "./tick.js";

export const ROOT = resolve(import.meta.dirname, "..", "..", "..");
// BENCH_SERVER_ROOT: another build's root (its dist/server/main.js), for a before/after with this harness.
export const SERVER = join(process.env.BENCH_SERVER_ROOT ?? ROOT, "dist", "server", "main.js");
const BARE = join(import.meta.dirname, "bare.js");
export const BARE_CHECKIN = join(import.meta.dirname, "bare-checkin.js");
export const BARE_CHECKIN_PG = join(import.meta.dirname, "bare-checkin-pg.js");
const BARE_WEEK = join(import.meta.dirname, "bare-week.js");

/** One measured load. */
export interface Measure {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

interface Options {
  sqlite: string | null;
  postgres: string | null;
  duration: number;
  /** Seconds of load before each measured run, the same for every endpoint and floor (default 1). */
  warmUp: number;
  connections: number;
  soak: number;
  /** Which databases get the soak (default both). */
  soakOn: string[];
  write: boolean;
  /** Only the in-process query plans, no load (for looking at a slow path). */
  explainOnly: boolean;
  /** Only the endpoints whose name contains this (for looking at one path; writes nothing). */
  only: string | null;
  /** Issue 17: run the server with its scheduler on (every 60 s, or THROUGHLINE_SCHEDULER_INTERVAL). */
  scheduler: boolean;
  // Everything in one run
  quick: boolean;
  /** The scheduler's interval (seconds) in the run with it on. */
  interval: number;
  /** With `duration`, the load budget of each setting in the scheduler off / on comparison (sched20). */
  rounds: number;
  /** Seconds of each paired window in the scheduler off / on comparison (sched22). */
  window: number;
  /** Pairs of off / on windows per endpoint (sched22; default rounds × duration ÷ window). */
  pairs: number;
  /** The endpoint (part of its name) of the A/A control, two servers with the scheduler off; null: none. */
  aa: string | null;
  /** Seconds per report / review / wins load. */
  readDuration: number;
  /** Runs of each CLI command and of each web navigation. */
  runs: number;
  cli: boolean;
  web: boolean;
  /** Only the report, review and wins over HTTP (and a soak of them); writes nothing. */
  readsOnly: boolean;
  /** Only the reads over HTTP whose name contains this (review21: `--reads review`). */
  reads: string | null;
  /** sched26: a file to which every paired window's latencies are appended (one JSON line per row). */
  dump: string | null;
  /** sched26: pairs measured first and not judged, in the scheduler rows and the A/A. */
  burnIn: number;
}

function readArgs(argv: readonly string[], env: Record<string, string | undefined>): Options {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (
      [
        "--no-write",
        "--explain-only",
        "--scheduler",
        "--quick",
        "--no-cli",
        "--no-web",
        "--reads-only",
      ].includes(a)
    )
      flags.set(a.slice(2), "1");
    else if (a.startsWith("--")) flags.set(a.slice(2), argv[++i] ?? "");
  }
  const sqlitePath = flags.get("sqlite") ?? "./data/bench.db";
  const quick = flags.has("quick");
  const duration = Math.max(1, Math.min(60, Number(flags.get("duration") ?? (quick ? 2 : 10))));
  const rounds = Math.max(1, Math.min(20, Math.round(Number(flags.get("rounds") ?? (quick ? 2 : 4)))));
  // sched22: many short paired windows in the budget the rounds of `duration` s had (sched20).
  const window = Math.max(1, Math.min(60, Number(flags.get("window") ?? (quick ? 1 : 2))));
  const pairs = Math.max(
    MIN_PAIRS,
    Math.min(60, Math.round(Number(flags.get("pairs") ?? (rounds * duration) / window))),
  );
  const aa = flags.get("aa") ?? "POST /api/goals/{id}/checkins";
  return {
    sqlite: sqlitePath === "none" ? null : resolve(sqlitePath),
    postgres: flags.get("postgres") ?? env.DATABASE_URL ?? null,
    duration,
    warmUp: Math.max(1, Math.min(60, Number(flags.get("warm-up") ?? 1))),
    connections: Math.min(100, Number(flags.get("connections") ?? 10)),
    soak: quick ? 0 : Math.min(600, Number(flags.get("soak") ?? 0)),
    quick,
    // A tick or two inside each short "on" window (sched22), as before at most duration ÷ 4.
    interval: Math.max(
      1,
      Math.min(3600, Math.round(Number(flags.get("interval") ?? Math.min(duration / 4, window / 2)))),
    ),
    rounds,
    window,
    pairs,
    aa: aa === "none" ? null : aa,
    readDuration: Math.max(1, Math.min(60, Number(flags.get("read-duration") ?? (quick ? 2 : 5)))),
    runs: quick ? 3 : 10,
    cli: !flags.has("no-cli"),
    web: !flags.has("no-web"),
    soakOn: (flags.get("soak-on") ?? "sqlite,postgres").split(","),
    write:
      !flags.has("no-write") && !flags.has("explain-only") && !flags.has("only") && !flags.has("reads-only"),
    explainOnly: flags.has("explain-only"),
    only: flags.get("only") ?? null,
    scheduler: flags.has("scheduler"),
    readsOnly: flags.has("reads-only"),
    reads: flags.get("reads") ?? null,
    dump: flags.get("dump") ? resolve(flags.get("dump") as string) : null,
    burnIn: Math.max(
      0,
      Math.min(pairs - MIN_PAIRS, Math.round(Number(flags.get("burn-in") ?? SCHEDULER_BURN_IN))),
    ),
  };
}

/** Samples a process's resident set size from /proc every `ms`. */
function rssSampler(pid: number, ms = 500) {
  const samples: { t: number; mb: number }[] = [];
  const read = () => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) samples.push({ t: Date.now(), mb: Number(m[1]) / 1024 });
    } catch {
      // The process ended.
    }
  };
  read();
  const timer = setInterval(read, ms);
  return {
    samples,
    max: () => Math.max(0, ...samples.map((s) => s.mb)),
    last: () => samples.at(-1)?.mb ?? 0,
    stop: () => clearInterval(timer),
  };
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null)
      throw new Error(`The server exited with ${child.exitCode} before answering.`);
    try {
      // Any answer means it listens (the bare route has no /api/health).
      await fetch(`${url}/api/health`);
      return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The server at ${url} did not answer /api/health within ${timeoutMs / 1000} s.`);
}

/** Starts `script` with node `flags` (for the server, those of `npm start`) and BENCH_SERVER_ARGS. */
async function startChild(
  script: string,
  env: Record<string, string>,
  flags: string[] = [],
  healthTimeoutMs = 60_000,
): Promise<{ child: ChildProcess; url: string; readyMs: number; stop(): Promise<void> }> {
  const port = await freePort();
  // BENCH_SERVER_ARGS passes Node flags to the server only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p";
  // BENCH_SERVER_LOG names a file for the server's standard output (e.g. with "--trace-gc").
  const nodeArgs = (process.env.BENCH_SERVER_ARGS ?? "").split(" ").filter(Boolean);
  const log = process.env.BENCH_SERVER_LOG;
  const child = spawn(process.execPath, [...flags, ...nodeArgs, script], {
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production" },
    stdio: ["ignore", log ? openSync(log, "a") : "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  try {
    await waitForHealth(url, child, healthTimeoutMs);
  } catch (e) {
    child.kill("SIGKILL");
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n${stderr}`);
  }
  return {
    child,
    url,
    readyMs: performance.now() - started,
    stop: () =>
      new Promise((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolveStop();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** Waits (at most 120 s) until the server answers its health check within 20 ms again. */
async function untilIdle(url: string): Promise<void> {
  const end = Date.now() + 120_000;
  while (Date.now() < end) {
    const t = performance.now();
    await fetch(`${url}/api/health`).catch(() => undefined);
    if (performance.now() - t < 20) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

type Req = { method: string; path: string; headers: Record<string, string>; body?: string };

/**
 * Each distinct GET of `reqs` once, its whole answer awaited (at most 180 s): a reader's first
 * answer of the day (the report's stored rows filled) is its own figure (bench/report-first.ts),
 * and on PostgreSQL the health check answers while that work still runs, so `untilIdle` alone
 * would let it spill into the measured window.
 */
async function firstAnswers(url: string, reqs: Req[], connections: number): Promise<void> {
  const seen = new Set<string>();
  const gets = reqs.filter((r) => {
    const key = `${r.path} ${r.headers.authorization ?? ""}`;
    if (r.method !== "GET" || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const end = Date.now() + 180_000;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < gets.length && Date.now() < end) {
      const r = gets[next++] as Req;
      const res = await fetch(`${url}${r.path}`, { headers: r.headers }).catch(() => undefined);
      await res?.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, connections) }, worker));
}

/** Runs autocannon against `url` rotating through `reqs`; bounded by duration and request count. */
async function load(
  name: string,
  url: string,
  reqs: Req[],
  o: { duration: number; connections: number; requests?: number },
  notModifiedIsOk = false,
  /** When given, every response's latency (ms) is pushed here (for pooling windows). */
  latencies?: number[],
): Promise<Measure> {
  let i = 0;
  const run = autocannon({
    url,
    connections: o.connections,
    duration: o.duration,
    maxOverallRequests: o.requests ?? 2_000_000,
    timeout: 10,
    requests: [
      {
        setupRequest: (req) => {
          const r = reqs[i++ % reqs.length] as Req;
          return { ...req, method: r.method as "GET", path: r.path, headers: r.headers, body: r.body ?? "" };
        },
      },
    ],
  });
  // autocannon's promise is also its run's event emitter ("response": client, status, bytes, ms).
  if (latencies)
    (run as unknown as import("node:events").EventEmitter).on(
      "response",
      (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms),
    );
  const result = await run;
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx - (notModifiedIsOk ? result["3xx"] : 0),
  };
}

/** What the load needs from the generated workspace: tokens of people, their goals, a leader. */
export interface Fixture {
  /** People whose goals are read (status, my week). */
  members: { userId: number; token: string; goalId: number; krIds: number[] }[];
  /** Other people, who check in on their goals: the check-ins they add never slow the reads. */
  writers: { userId: number; token: string; goalId: number; krIds: number[] }[];
  /** The largest ids before the run; rows above them are the benchmark's own and are removed. */
  before: { checkins: number; events: number };
  leader: { userId: number; token: string; teamId: number; teamSize: number };
  counts: Record<string, number>;
}

export async function prepare(store: Store, n = 200): Promise<Fixture> {
  const db = store.db;
  const counts: Record<string, number> = {};
  for (const t of [
    "users",
    "teams",
    "goals",
    "keyResults",
    "steps",
    "checkins",
    "checkinKrValues",
  ] as const) {
    const r = await db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    counts[t] = Number(r.n);
  }
  if (!counts.goals) throw new Error(`No goals in ${store.location}: run npm run bench:data first.`);
  const { team, leaderRow } = await teamOfFifty(db);
  const every = Math.max(2, Math.floor(counts.users / n));
  const goals = await db
    .selectFrom("goals")
    .select(["ownerId", (eb) => eb.fn.min("id").as("goalId")])
    .where("status", "=", "active")
    .where("ownerId", ">", 1)
    .where(({ eb, ref }) =>
      eb(eb("ownerId", "%", every), "=", 0).or(eb(ref("ownerId"), "=", leaderRow.userId)),
    )
    .groupBy("ownerId")
    .orderBy("ownerId")
    .limit(n)
    .execute();
  const now = new Date().toISOString();
  const token = async (userId: number) => {
    const t = `tl_${randomBytes(32).toString("base64url")}`;
    await db
      .insertInto("apiTokens")
      .values({ userId, name: "bench", prefix: t.slice(0, 10), tokenHash: hashToken(t), createdAt: now })
      .execute();
    return t;
  };
  const members: Fixture["members"] = [];
  for (const g of goals) {
    const goalId = Number(g.goalId);
    const krs = await db
      .selectFrom("keyResults")
      .select("id")
      .where("goalId", "=", goalId)
      .orderBy("id")
      .execute();
    members.push({ userId: g.ownerId, token: await token(g.ownerId), goalId, krIds: krs.map((k) => k.id) });
  }
  const half = Math.ceil(members.length / 2);
  return {
    members: members.slice(0, half),
    writers: members.slice(half),
    before: await lastIds(db),
    leader: {
      userId: leaderRow.userId,
      token: await token(leaderRow.userId),
      teamId: team.teamId,
      teamSize: Number(team.n),
    },
    counts,
  };
}

const json = (token: string) => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });

const LINT_TEXTS = [
  "Email Raj the revised sponsorship deck by Friday",
  "Work on the marketing strategy",
  "Increase revenue",
  "Call Dana to book the podcast slot and draft the welcome email and fix the site",
  "Think about hiring",
];

/** An endpoint measured, as a rotating request list. */
export interface Endpoint {
  name: string;
  reqs: Req[];
  connections?: number;
  revalidate?: boolean;
  /** bench25: the least number of requests of its warm-up, whatever `--warm-up` gives in seconds. */
  warmUpRequests?: number;
}

/**
 * bench25: the check-ins of the warm-up before the first check-in window. A server starts on a new
 * write-ahead log (SQLite deletes it when the last connection closes), and appending to a log file
 * that is still growing costs each commit more than writing over a grown one, until the server's
 * backstop first restarts the log (floor24: ~6 % more CPU a commit, ~15 % on its median time). A
 * check-in writes ~12 pages of log, so with the backstop at 50,000 pages the first ~4,200
 * check-ins are that start-up phase: a 1 s warm-up and a 6 s window (~9,000 check-ins on a quiet
 * machine) measured half of the window in it. At least this many check-ins are now written before
 * the window, whatever the machine's speed (by count, not time), so the window measures a server
 * whose log has grown, as one that has run a while. PostgreSQL gets the same warm-up.
 */
export const CHECKIN_WARM_UP = Math.ceil(BACKSTOP_PAGES / 12 / 100) * 100;

/** The endpoints measured, as rotating request lists. */
export function endpoints(f: Fixture, teamRoute: string | null): Endpoint[] {
  const m = f.members;
  const team = {
    name: teamRoute ? `GET ${teamRoute} (50 people)` : "GET /api/report (leader of 50)",
    reqs: [
      {
        method: "GET",
        path: teamRoute ? teamRoute.replace("{id}", String(f.leader.teamId)) : "/api/report",
        headers: json(f.leader.token),
      },
    ],
  };
  return [
    {
      name: "POST /api/goals/{id}/checkins",
      warmUpRequests: CHECKIN_WARM_UP,
      reqs: f.writers.map((x, i) => ({
        method: "POST",
        path: `/api/goals/${x.goalId}/checkins`,
        headers: json(x.token),
        body: JSON.stringify({
          krValues: x.krIds.map((id, k) => ({ keyResultId: id, value: 100 + i + k })),
          confidence: "on-track",
          doneText: "Sent the deck to Raj",
          nextStep: "Draft the welcome email",
        }),
      })),
    },
    {
      name: "GET /api/week",
      reqs: m.map((x) => ({ method: "GET", path: "/api/week", headers: json(x.token) })),
    },
    {
      name: "GET /api/goals/{id}/status",
      reqs: m.map((x) => ({ method: "GET", path: `/api/goals/${x.goalId}/status`, headers: json(x.token) })),
    },
    team,
    // A leader opening the page while the server is otherwise idle: its latency, not a queue's.
    { ...team, name: `${team.name}, 1 connection`, connections: 1 },
    // The same leaders asking again with the answer they hold (If-None-Match), as a browser does:
    // 304 while nothing changed. Only where the route sends an ETag.
    { ...team, name: `${team.name}, again (If-None-Match)`, revalidate: true },
    {
      name: "POST /api/coach/lint (5 steps)",
      reqs: m.map((x) => ({
        method: "POST",
        path: "/api/coach/lint",
        headers: json(x.token),
        body: JSON.stringify({ texts: LINT_TEXTS, as: "step" }),
      })),
    },
  ];
}

/** Raw single-row inserts and point reads: the database's own ceiling through its Node driver. */
async function rawSqlite(seconds: number, max = 200_000): Promise<Measure[]> {
  const dir = mkdtempSync(join(tmpdir(), "throughline-raw-"));
  const db = new SQLite(join(dir, "raw.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(
    "create table raw (id integer primary key autoincrement, goal_id integer not null, text text not null, created_at text not null)",
  );
  const insert = db.prepare("insert into raw (goal_id, text, created_at) values (?, ?, ?)");
  const read = db.prepare("select * from raw where id = ?");
  const loop = (name: string, op: (i: number) => void): Measure => {
    const lat: number[] = [];
    const start = performance.now();
    let i = 0;
    while (i < max && performance.now() - start < seconds * 1000) {
      const t = performance.now();
      op(i++);
      lat.push(performance.now() - t);
    }
    const s = (performance.now() - start) / 1000;
    lat.sort((a, b) => a - b);
    return {
      name,
      rps: i / s,
      p50: lat[Math.floor(lat.length / 2)] ?? 0,
      p99: lat[Math.floor(lat.length * 0.99)] ?? 0,
      requests: i,
      errors: 0,
    };
  };
  const now = new Date().toISOString();
  const ins = loop("better-sqlite3 insert (autocommit)", (i) => insert.run(i, "Email Raj the deck", now));
  const n = Math.max(1, ins.requests);
  const rd = loop("better-sqlite3 point read", (i) => read.get(((i * 7919) % n) + 1));
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return [ins, rd];
}

async function rawPostgres(
  url: string,
  seconds: number,
  connections: number,
  max = 200_000,
): Promise<Measure[]> {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  await pool.query("drop table if exists bench_raw");
  await pool.query(
    "create table bench_raw (id serial primary key, goal_id integer not null, text text not null, created_at text not null)",
  );
  const loop = async (name: string, op: (i: number) => Promise<unknown>): Promise<Measure> => {
    const lat: number[] = [];
    const start = performance.now();
    let i = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (i < max && performance.now() - start < seconds * 1000) {
          const t = performance.now();
          await op(i++);
          lat.push(performance.now() - t);
        }
      }),
    );
    const s = (performance.now() - start) / 1000;
    lat.sort((a, b) => a - b);
    return {
      name,
      rps: lat.length / s,
      p50: lat[Math.floor(lat.length / 2)] ?? 0,
      p99: lat[Math.floor(lat.length * 0.99)] ?? 0,
      requests: lat.length,
      errors: 0,
    };
  };
  const now = new Date().toISOString();
  try {
    const ins = await loop(`pg insert (autocommit, ${connections} connections)`, (i) =>
      pool.query("insert into bench_raw (goal_id, text, created_at) values ($1, $2, $3)", [
        i,
        "Email Raj the deck",
        now,
      ]),
    );
    const n = Math.max(1, ins.requests);
    const rd = await loop(`pg point read (${connections} connections)`, (i) =>
      pool.query("select * from bench_raw where id = $1", [((i * 7919) % n) + 1]),
    );
    return [ins, rd];
  } finally {
    await pool.query("drop table if exists bench_raw");
    await pool.end();
  }
}

/** Removes what the run added: its API tokens and its check-ins (with their rows and events). */
async function cleanUp(store: Store, f: Fixture): Promise<void> {
  await removeRunRows(store.db, f.before, "bench");
}

/**
 * pgteam24: the API tokens `prepare` and `readerTokens` just added (about 400, to a table the bench
 * data leaves with 7 rows) are vacuumed and analyzed now, as a running server's long-standing tokens
 * would be, instead of by autovacuum up to a minute later, in the middle of a measured window (seen
 * at 02:47:07 on 2026-12-06, during the team view's loads: a worker process on the 2 cores, and
 * every pooled connection planning its token lookup again, the first statement of every request).
 *
 * bench25: the same for every table the run writes, and the autovacuum thresholds of the tables
 * the bench data leaves (nearly) empty set to what a running server's would be. Autovacuum analyzes
 * a table after 50 + 10 % of its rows changed (vacuums after 50 + 20 % dead, 1,000 + 20 % inserted),
 * so a table of no rows is analyzed after its first 50 writes, again at ~100, ~160, … as the run
 * fills it: `events` (empty in the bench data, a row per check-in) within the minute after the first
 * check-in window, in My week's or goal status's window (05:50:27 on 2026-12-06, bench25), and so
 * `goal_rollups`, `report_goal_rows`, `report_goal_wins` after the first team view and report,
 * `api_tokens` after its tokens' last use was written (pgteam24's vacuum did not keep it out). A
 * server that has run at this workspace's scale holds those tables full: the event log and the wins a
 * row per check-in, the others up to a row per goal, and autovacuum comes to them after a tenth of
 * that changed. So each table the bench data leaves under 1,000 rows gets, for the run, the
 * thresholds the default formula gives a table of the data's check-ins (`events`,
 * `report_goal_wins`) or goals (the rest); the tables the data fills keep the defaults (`goals` and
 * `key_results`, updated by every check-in, may still be vacuumed in a full run: that is a running
 * server's too). Reset at the end of the run ({@link unsettleTables}).
 */
export async function settleTables(store: Store, counts: Record<string, number>): Promise<string[]> {
  const plain = store.db.withoutPlugins();
  const rows = await sql<{ name: string; tuples: number }>`select relname as name, reltuples::float8 as tuples
    from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace and relname not like 'kysely%'
    order by relname`.execute(plain);
  const small = rows.rows.filter((r) => Number(r.tuples) < 1000).map((r) => r.name);
  for (const t of small) {
    const n = ["events", "report_goal_wins"].includes(t) ? (counts.checkins ?? 0) : (counts.goals ?? 0);
    await sql
      .raw(
        `alter table ${t} set (autovacuum_analyze_threshold = ${Math.round(50 + 0.1 * n)}, autovacuum_vacuum_threshold = ${Math.round(50 + 0.2 * n)}, autovacuum_vacuum_insert_threshold = ${Math.round(1000 + 0.2 * n)})`,
      )
      .execute(plain);
  }
  // The tables the run writes, after the set-up's own writes (its API tokens).
  const written = [
    ...new Set([
      ...small,
      "api_tokens",
      "checkins",
      "checkin_kr_values",
      "checkin_steps",
      "checkin_barriers",
      "goals",
      "key_results",
    ]),
  ];
  await sql.raw(`vacuum (analyze) ${written.join(", ")}`).execute(plain);
  return small;
}

/** bench25: the tables {@link settleTables} gave other autovacuum thresholds get the defaults back. */
export async function unsettleTables(store: Store, tables: string[]): Promise<void> {
  for (const t of tables)
    await sql
      .raw(
        `alter table ${t} reset (autovacuum_analyze_threshold, autovacuum_vacuum_threshold, autovacuum_vacuum_insert_threshold)`,
      )
      .execute(store.db.withoutPlugins());
}

/** The first 50-person team of the generated workspace and its leader. */
export async function teamOfFifty(db: Kysely<Database>) {
  const team = await db
    .selectFrom("memberships")
    .select(["teamId", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("teamId")
    .having((eb) => eb.fn.countAll(), "=", 50)
    .orderBy("teamId")
    .executeTakeFirstOrThrow();
  const leaderRow = await db
    .selectFrom("memberships")
    .select("userId")
    .where("teamId", "=", team.teamId)
    .where("role", "=", "leader")
    .executeTakeFirstOrThrow();
  return { team, leaderRow };
}

/** The largest check-in and event ids: rows above them are a run's own. */
export async function lastIds(db: Kysely<Database>): Promise<{ checkins: number; events: number }> {
  const max = async (t: "checkins" | "events") =>
    Number(
      (
        await db
          .selectFrom(t)
          .select((eb) => eb.fn.max("id").as("m"))
          .executeTakeFirst()
      )?.m ?? 0,
    );
  return { checkins: await max("checkins"), events: await max("events") };
}

/** Removes what a run added: its API tokens (by name) and its check-ins with their rows and events. */
export async function removeRunRows(
  db: Kysely<Database>,
  before: { checkins: number; events: number },
  tokenName: string,
): Promise<void> {
  await db.deleteFrom("apiTokens").where("name", "=", tokenName).execute();
  const mine = db.selectFrom("checkins").select("id").where("id", ">", before.checkins);
  await db.deleteFrom("checkinKrValues").where("checkinId", "in", mine).execute();
  await db.deleteFrom("checkinSteps").where("checkinId", "in", mine).execute();
  await db.deleteFrom("checkinBarriers").where("checkinId", "in", mine).execute();
  await db.deleteFrom("checkins").where("id", ">", before.checkins).execute();
  await db.deleteFrom("events").where("id", ">", before.events).execute();
}

/** What one database's run found. */
interface DialectRun {
  dialect: "sqlite" | "postgres";
  location: string;
  sizeMb: number | null;
  counts: Record<string, number>;
  measures: Measure[];
  raw: Measure[];
  rss: { startMb: number; maxMb: number; endMb: number };
  soak: {
    seconds: number;
    startMb: number;
    endMb: number;
    maxMb: number;
    requests: number;
    errors: number;
  } | null;
  queries: LoggedQuery[];
  teamRoute: string | null;
  /** PostgreSQL's durability settings, which change write throughput. */
  settings: string | null;
  /**
   * The check-in on its hand-written route, pooled over its paired windows: bench/bare-checkin.ts on
   * SQLite, bench/bare-checkin-pg.ts on PostgreSQL (pgfloor26).
   */
  floor: Measure | null;
  /** floor24: the product's check-in and the floor's in alternating paired windows on the same file. */
  floorPaired: FloorPaired | null;
  /** My week on the hand-written route of bench/bare-week.ts (SQLite only). */
  weekFloor: Measure | null;
  /** The endpoints above again, the scheduler on (pooled over the interleaved "on" windows). */
  measuresOn: Measure[];
  /** The endpoints with the scheduler off and on, in alternating windows (issue 17, sched20). */
  interleaved: Interleaved[];
  /** sched22: the A/A control, one endpoint on two servers with the scheduler off, paired as above. */
  aa: Interleaved | null;
  /** The report, review and wins over HTTP (scheduler on). */
  reads: Measure[];
  readers: Reader[];
  /** Seconds from the start of the server with the scheduler on to its first full pass stored / no due job left. */
  firstTick: { planS: number | null; doneS: number | null; dueLeft: number; healthS: number } | null;
  ticks: IdleTicks | null;
  cli: CliTiming[];
}

/** The same requests on a hand-written route (a floor): a warm-up, then the measured run. */
async function measureFloor(
  script: string,
  name: string,
  env: Record<string, string>,
  reqs: Req[],
  o: Options,
  bareRps: number,
): Promise<Measure> {
  const child = await startChild(script, env);
  try {
    await load("floor", child.url, reqs, { duration: o.warmUp, connections: o.connections });
    await untilIdle(child.url);
    const m = await load(name, child.url, reqs, o);
    console.error(
      `sqlite   ${m.name.padEnd(40)} ${m.rps.toFixed(0).padStart(7)} req/s  p50 ${m.p50.toFixed(1)} ms  p99 ${m.p99.toFixed(1)} ms  (${(m.rps / bareRps).toFixed(3)} of bare)${m.errors ? `  ${m.errors} errors` : ""}`,
    );
    return m;
  } finally {
    await child.stop();
  }
}

/** floor24: the product's check-in against its floor, paired windows in the same state. */
export interface FloorPaired {
  /** The product's check-in (a fresh server, scheduler off) over its windows. */
  product: Windows;
  /** The floor's over its windows. */
  floor: Windows;
  /** Each pair's share product ÷ floor (req/s), its median and 90 % bootstrap interval, the verdict on ≥ 60 %. */
  share: ShareVerdict;
  /** Pages in the write-ahead log at the start of each window (both kinds), median and largest. */
  logPages: { median: number; max: number };
}

/** The wal-index descriptors {@link walFrames} reads, by database file: never closed. */
const shmFds = new Map<string, number>();

/**
 * Frames in the write-ahead log of `file` now, and how many of them are not yet copied into the
 * file, read from the wal-index (the `-shm` file, shared memory every connection maps) without
 * taking a lock or touching the database: its header's mxFrame (offset 16) and the checkpoint
 * record's nBackfill (offset 96), in the machine's byte order. A torn read is possible and harmless
 * here (a figure for the record, never a decision). Null when there is no wal-index.
 */
export function walFrames(file: string): { frames: number; uncopied: number } | null {
  try {
    // Opened once and never closed: closing any descriptor of a file drops every POSIX lock this
    // process holds on it, SQLite's on the wal-index among them. With `readFileSync` (open, read,
    // close) the bench's own connection lost its lock; the next CLI process then took the wal-index
    // for its own and truncated it under that connection's mapping: SIGBUS (2026-12-06 04:08).
    let fd = shmFds.get(file);
    if (fd === undefined) {
      fd = openSync(`${file}-shm`, "r");
      shmFds.set(file, fd);
    }
    const b = Buffer.alloc(104);
    if (readSync(fd, b, 0, 104, 0) < 104) return null;
    const frames = endianness() === "LE" ? b.readUInt32LE(16) : b.readUInt32BE(16);
    const copied = endianness() === "LE" ? b.readUInt32LE(96) : b.readUInt32BE(96);
    return { frames, uncopied: Math.max(0, frames - copied) };
  } catch {
    return null;
  }
}

/**
 * floor24: the check-in on the product (a fresh server, scheduler off) and on its hand-written floor
 * (bench/bare-checkin.ts), both running on the same SQLite file throughout, in `o.pairs` pairs of
 * `o.window` s windows, the order alternating (product, floor, floor, product, …): the one measured
 * gets the load, the other is idle (its checkpoint worker still runs, in both settings alike). The
 * log is copied into the file first and the next write made to start it from its beginning
 * (RESTART, both idle), so neither starts on what the soak left; RESTART, not TRUNCATE, keeps the
 * log's file at the size it grew to (a new log's first ~50,000 pages are appended to a growing file,
 * which costs each commit more than writing over a grown one: docs/benchmarks.md, floor24), as in a
 * server that has run a while. From there it carries over from window to window: the backstop's restarts fall on both
 * kinds of window as they come, as in a running server. Each pair gives one share of req/s,
 * product ÷ floor; the verdict on "≥ 60 % of the floor" comes from their median and its bootstrap
 * interval (bench/paired.ts). Before, the floor ran alone after the soak on the log the servers
 * had left (a 50,000-page backstop restart could fall inside its one window: 948 req/s against
 * 1,797 the run before), against the product's figure from the start of the run.
 */
async function measureFloorPaired(
  kind: "sqlite" | "postgres",
  store: Store,
  where: string,
  env: Record<string, string>,
  reqs: Req[],
  o: { window: number; warmUp: number; connections: number; pairs: number },
): Promise<FloorPaired> {
  const product = await startChild(SERVER, { ...env, THROUGHLINE_SCHEDULER: "off" }, startFlags(ROOT));
  let floor: Awaited<ReturnType<typeof startChild>> | null = null;
  try {
    // pgfloor26: on PostgreSQL the floor is bench/bare-checkin-pg.ts, on the same database; the
    // write-ahead log's restart below is SQLite's only.
    floor = await startChild(kind === "sqlite" ? BARE_CHECKIN : BARE_CHECKIN_PG, env);
    const sides = { product, floor };
    const warmUp = Math.max(o.warmUp, 2 * o.window);
    for (const s of [product, floor]) {
      await load("warm-up", s.url, reqs, { duration: warmUp, connections: o.connections });
      await untilIdle(s.url);
    }
    if (kind === "sqlite") await sql`pragma wal_checkpoint(RESTART)`.execute(store.db.withoutPlugins());
    const lat = { product: [] as number[][], floor: [] as number[][] };
    const ms = { product: [] as Measure[], floor: [] as Measure[] };
    const pages: number[] = [];
    const window = async (who: "product" | "floor") => {
      const a: number[] = [];
      const f = kind === "sqlite" ? walFrames(where) : null;
      if (f) pages.push(f.frames);
      ms[who].push(
        await load(who, sides[who].url, reqs, { duration: o.window, connections: o.connections }, false, a),
      );
      lat[who].push(a);
      await untilIdle(sides[who].url);
    };
    for (let pair = 0; pair < o.pairs; pair++) {
      if (pair % 2 === 0) {
        await window("product");
        await window("floor");
      } else {
        await window("floor");
        await window("product");
      }
    }
    const known = pages;
    const r: FloorPaired = {
      product: windowsOf(lat.product, ms.product, o.window),
      floor: windowsOf(lat.floor, ms.floor, o.window),
      share: shareVerdict(
        ms.product.map((m) => m.rps),
        ms.floor.map((m) => m.rps),
      ),
      logPages: { median: quantile(known, 0.5), max: Math.max(0, ...known) },
    };
    const w = (x: Windows) =>
      `${x.rps.toFixed(0)} req/s, p99 ${x.p99.toFixed(1)} ms (windows' req/s ${(x === r.product ? ms.product : ms.floor).map((m) => m.rps.toFixed(0)).join(", ")})`;
    console.error(
      `${kind.padEnd(8)} check-in vs its floor, ${o.pairs} pairs of ${o.window} s: product ${w(r.product)}; floor ${w(r.floor)}; share ${kind === "sqlite" ? shareLine(r.share) : shareFigure(r.share)}${kind === "sqlite" ? `; log at a window's start median ${r.logPages.median} pages, max ${r.logPages.max}` : ""}`,
    );
    return r;
  } finally {
    await floor?.stop();
    await product.stop();
  }
}

/** The check-in's target against its floor: the paired share's verdict, and missed whatever it says when p99 ≥ 20 ms. */
function floorVerdict(v: ShareVerdict, p99: number): string {
  if (p99 >= 20 || v.decision === "missed") return "**missed**";
  return v.decision === "met" ? "met" : "not decided";
}

/** A pooled set of windows as one measure. */
function pick(w: Windows): Omit<Measure, "name"> {
  return { rps: w.rps, p50: w.p50, p99: w.p99, requests: w.requests, errors: w.errors };
}

/** A share's median and its interval, without a verdict (pgfloor26: PostgreSQL's floor has no target). */
export function shareFigure(v: ShareVerdict): string {
  const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
  return `median of ${v.shares.length} pairs ${pct(v.median)} [${pct(v.low)}–${pct(v.high)}]`;
}

/** A share verdict in a few words: the median, its interval and what it decides (floor24). */
export function shareLine(v: ShareVerdict): string {
  const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
  return `median of ${v.shares.length} pairs ${pct(v.median)} [${pct(v.low)}–${pct(v.high)}]: ${v.decision}`;
}

async function dbSizeMb(store: Store, file: string | null): Promise<number | null> {
  if (file) {
    // The servers have stopped: copy the write-ahead log into the file and empty it first, so the
    // figure is the database's size, not how far the log grew under load (up to the server's
    // checkpoint backstop, ~200 MB: src/store/checkpointer.ts).
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db.withoutPlugins());
    let size = 0;
    for (const s of ["", "-wal"]) if (existsSync(file + s)) size += statSync(file + s).size;
    return size / 1048576;
  }
  const r = await store.db
    .selectNoFrom((eb) => eb.fn<number>("pg_database_size", [eb.fn("current_database", [])]).as("b"))
    .executeTakeFirst();
  return r ? Number(r.b) / 1048576 : null;
}

/** Measures each endpoint of `list` (a warm-up, the run; the revalidating ones with the tag first seen). */
async function measureList(
  label: string,
  url: string,
  list: Endpoint[],
  o: { duration: number; warmUp: number; connections: number },
  bareRps: number,
): Promise<Measure[]> {
  const measures: Measure[] = [];
  for (const e of list) {
    let reqs = e.reqs;
    if (e.revalidate) {
      // The tag each request holds: the one its first answer came with.
      const tags = await Promise.all(
        reqs.map(async (r) => {
          const res = await fetch(`${url}${r.path}`, { headers: r.headers });
          await res.arrayBuffer();
          return res.headers.get("etag");
        }),
      );
      if (tags.some((t) => t === null)) continue;
      reqs = reqs.map((r, i) => ({ ...r, headers: { ...r.headers, "if-none-match": tags[i] as string } }));
    }
    // A warm-up, then the measured run.
    const connections = e.connections ?? o.connections;
    await firstAnswers(url, reqs, connections);
    const warm = await load(e.name, url, reqs, { duration: o.warmUp, connections }, e.revalidate);
    if (e.warmUpRequests && warm.requests < e.warmUpRequests) {
      // bench25: the rest of the warm-up by count (bounded: at most 120 s).
      const more = e.warmUpRequests - warm.requests;
      const rest = await load(
        e.name,
        url,
        reqs,
        { duration: 120, connections, requests: more },
        e.revalidate,
      );
      console.error(
        `${label.padEnd(8)} ${e.name}: warm-up of ${o.warmUp} s (${warm.requests} requests) and ${rest.requests} more (asked: at least ${e.warmUpRequests} in all, within 120 s)`,
      );
    }
    await untilIdle(url);
    const m = await load(e.name, url, reqs, { ...o, connections }, e.revalidate);
    measures.push(m);
    addServed(url, e.name, o.warmUp + o.duration);
    // Requests still queued when the load stopped must not spill into the next measurement.
    await untilIdle(url);
    console.error(
      `${label.padEnd(8)} ${m.name.padEnd(40)} ${m.rps.toFixed(0).padStart(7)} req/s  p50 ${m.p50.toFixed(1)} ms  p99 ${m.p99.toFixed(1)} ms  (${(m.rps / bareRps).toFixed(3)} of bare)${m.errors ? `  ${m.errors} errors` : ""}`,
    );
  }
  return measures;
}

// Scheduler on vs off, interleaved (issue 17, sched20)

/** One setting's windows of an endpoint in the interleaved measurement. */
export interface Windows {
  /** p50 and p99 of every answer of every window together (ms). */
  p50: number;
  p99: number;
  /** Each window's own p99 (ms), in the order run: their spread is the noise between windows. */
  windows: number[];
  rps: number;
  requests: number;
  errors: number;
}

/**
 * Seconds of load each server (by its URL) has served of each endpoint so far, warm-ups included
 * (sched25): the paired windows start with both servers of a pair equally practised on the endpoint
 * ({@link matchedWarmUps}).
 */
const served = new Map<string, number>();
const servedKey = (url: string, endpoint: string) => `${url} ${endpoint}`;
function servedOf(url: string, endpoint: string): number {
  return served.get(servedKey(url, endpoint)) ?? 0;
}
function addServed(url: string, endpoint: string, seconds: number): void {
  served.set(servedKey(url, endpoint), servedOf(url, endpoint) + seconds);
}

/** An endpoint measured with the scheduler off and on in alternating windows (issue 17, sched20). */
export interface Interleaved {
  name: string;
  off: Windows;
  on: Windows;
  /** "On" windows in which the planner stored its state (a tick planned something), of all of them. */
  planned: number;
  /** sched22: the pairs' p99 ratios (on ÷ off), their median, its bootstrap interval (shown, not judged since sched26). */
  paired: PairedVerdict;
  /** sched26: the verdict — the ratio of the pooled p99s of the pairs judged and its pair-bootstrap interval. */
  pooled: PooledVerdict;
}

/**
 * Holds the server with the scheduler on still between its windows (SIGSTOP), so its ticks run in
 * its own windows only, never in the other server's. It is stopped only outside a transaction: on
 * SQLite when the write lock is free, on PostgreSQL when no session of the database is busy; else it
 * runs on a moment and is stopped again (bounded).
 */
async function pauseOn(child: ChildProcess, busy: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    child.kill("SIGSTOP");
    if (!(await busy())) return;
    child.kill("SIGCONT");
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("A server held still between its windows stayed inside a transaction for 5 s; not paused.");
}

/** Whether a session other than the bench's holds a transaction open (see {@link pauseOn}). */
function busyProbe(kind: "sqlite" | "postgres", where: string, store: Store) {
  if (kind === "sqlite") {
    const probe = new SQLite(where, { timeout: 0 });
    return {
      busy: async () => {
        try {
          probe.exec("BEGIN IMMEDIATE");
          probe.exec("ROLLBACK");
          return false;
        } catch {
          return true;
        }
      },
      close: () => probe.close(),
    };
  }
  return {
    busy: async () => {
      const r = await sql<{ n: number | string }>`select count(*) as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()
          and backend_type = 'client backend' and state <> 'idle'`.execute(store.db.withoutPlugins());
      return Number(r.rows[0]?.n ?? 0) > 0;
    },
    close: () => undefined,
  };
}

/** The pairs' medians by order in the pair and by half of the run, in a few words (sched25). */
function splitLine(ratios: readonly number[]): string {
  const s = pairSplits(ratios);
  return `median with off first ${fmt(s.aFirst, 2)}, second first ${fmt(s.bFirst, 2)}; first half ${fmt(s.firstHalf, 2)}, second half ${fmt(s.secondHalf, 2)}`;
}

/** The verdict in a few words: the pooled p99 ratio, its interval and what it decides (sched26). */
export function verdict(x: Interleaved): string {
  const p = x.pooled;
  return `pooled p99 ratio of ${p.pairs} pairs${p.burnIn ? ` (after ${p.burnIn} not judged)` : ""} ${fmt(p.ratio, 2)} [${fmt(p.low, 2)}–${Number.isFinite(p.high) ? fmt(p.high, 2) : "∞"}]: ${p.decision}`;
}

/** sched22's median of the pairs' ratios, shown beside the verdict for comparison. */
function medianLine(x: Interleaved): string {
  const p = x.paired;
  return `sched22's median of ${p.ratios.length} pairs' ratios ${fmt(p.median, 2)} [${fmt(p.low, 2)}–${fmt(p.high, 2)}]`;
}

function windowsOf(lat: number[][], ms: Measure[], duration: number): Windows {
  const all = lat.flat();
  const requests = ms.reduce((a, m) => a + m.requests, 0);
  return {
    p50: quantile(all, 0.5),
    p99: quantile(all, 0.99),
    windows: lat.map((l) => quantile(l, 0.99)),
    rps: requests / (duration * Math.max(1, ms.length)),
    requests,
    errors: ms.reduce((a, m) => a + m.errors, 0),
  };
}

/**
 * Each endpoint of `list` on two servers of the same database kept running together, one with the
 * scheduler off and one with it on (ticking every `o.interval` s, shorter than a window), in
 * `o.pairs` pairs of two windows of `o.window` s (off, on, on, off, …): the one measured gets the
 * load, the other is idle (the "on" one held still, {@link pauseOn}). Drift of the machine falls on
 * both windows of a pair. Each pair gives one p99 ratio, and the verdict comes from their median
 * and its bootstrap interval (bench/paired.ts, sched22); the p99 of each setting pooled over its
 * windows and each window's own p99 are kept. With `ticks: false` the "on" server is a second
 * server with the scheduler off (the A/A control): nothing to catch up, nothing planned.
 */
async function measureInterleaved(
  kind: "sqlite" | "postgres",
  where: string,
  store: Store,
  off: { url: string; child: ChildProcess },
  on: { url: string; child: ChildProcess },
  list: Endpoint[],
  o: {
    window: number;
    warmUp: number;
    connections: number;
    pairs: number;
    interval: number;
    dump: string | null;
    burnIn: number;
  },
  ticks = true,
): Promise<Interleaved[]> {
  const probe = busyProbe(kind, where, store);
  const planned = async () =>
    String(
      (
        await store.db
          .selectFrom("plannerState")
          .select((eb) => eb.fn.max("updatedAt").as("at"))
          .executeTakeFirst()
      )?.at ?? "",
    );
  const caughtUp = async () => {
    const last = await store.db
      .selectFrom("events")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirst();
    const end = performance.now() + (2 * o.interval + 10) * 1000;
    while (performance.now() < end) {
      const st = await store.db
        .selectFrom("plannerState")
        .select("eventId")
        .where("name", "=", "nudges")
        .executeTakeFirst();
      if (Number(st?.eventId ?? 0) >= Number(last?.id ?? 0)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const out: Interleaved[] = [];
  try {
    await pauseOn(on.child, probe.busy);
    for (const e of list) {
      off.child.kill("SIGCONT");
      const connections = e.connections ?? o.connections;
      const reqsFor = async (url: string): Promise<Req[] | null> => {
        if (!e.revalidate) return e.reqs;
        const tags = await Promise.all(
          e.reqs.map(async (r) => {
            const res = await fetch(`${url}${r.path}`, { headers: r.headers });
            await res.arrayBuffer();
            return res.headers.get("etag");
          }),
        );
        if (tags.some((t) => t === null)) return null;
        return e.reqs.map((r, i) => ({
          ...r,
          headers: { ...r.headers, "if-none-match": tags[i] as string },
        }));
      };
      const offReqs = await reqsFor(off.url);
      on.child.kill("SIGCONT");
      const onReqs = await reqsFor(on.url);
      if (!offReqs || !onReqs) {
        await pauseOn(on.child, probe.busy);
        continue;
      }
      // A warm-up of each, then the windows. sched22: at least two windows long, the same for both:
      // the server with the scheduler off served this endpoint before ("Server"), the other not.
      // With a one-second warm-up and only the second server stopped between its windows, the A/A
      // control found that server 1.6–2.7× slower (load 15–18); with both changes 0.94.
      // sched25: and the one that served the endpoint less so far gets as much more as it lacks
      // (the server kept from "Server" had 7 s of each endpoint there, and the A/A's windows of the
      // check-in; the server with the scheduler on and the A/A's second server none).
      const warm = matchedWarmUps(
        servedOf(off.url, e.name),
        servedOf(on.url, e.name),
        Math.max(o.warmUp, 2 * o.window),
      );
      await load(e.name, on.url, onReqs, { duration: warm.b, connections }, e.revalidate);
      await untilIdle(on.url);
      await pauseOn(on.child, probe.busy);
      await load(e.name, off.url, offReqs, { duration: warm.a, connections }, e.revalidate);
      await untilIdle(off.url);
      addServed(off.url, e.name, warm.a + o.pairs * o.window);
      addServed(on.url, e.name, warm.b + o.pairs * o.window);
      // sched22: both servers are held still outside their own windows and let run again just
      // before them, so whatever a stop and a resume cost falls on both settings alike.
      await pauseOn(off.child, probe.busy);
      const lat = { off: [] as number[][], on: [] as number[][] };
      const ms = { off: [] as Measure[], on: [] as Measure[] };
      let ticked = 0;
      const offWindow = async () => {
        const a: number[] = [];
        off.child.kill("SIGCONT");
        await untilIdle(off.url);
        ms.off.push(
          await load(e.name, off.url, offReqs, { duration: o.window, connections }, e.revalidate, a),
        );
        lat.off.push(a);
        await untilIdle(off.url);
        await pauseOn(off.child, probe.busy);
      };
      const onWindow = async () => {
        const b: number[] = [];
        // Held still since its last window, its timer is late: it ticks as soon as it runs again,
        // and first plans what the "off" window wrote — not measured: a running scheduler would
        // have planned it tick by tick. The window starts once its cursor caught up (bounded).
        on.child.kill("SIGCONT");
        if (ticks) await caughtUp();
        await untilIdle(on.url);
        const before = ticks ? await planned() : "";
        ms.on.push(await load(e.name, on.url, onReqs, { duration: o.window, connections }, e.revalidate, b));
        lat.on.push(b);
        await untilIdle(on.url);
        if (ticks && (await planned()) !== before) ticked++;
        await pauseOn(on.child, probe.busy);
      };
      // Off, on, on, off, off, on, …: each setting goes first in half the pairs, so a drift within
      // a pair (a cache the first window warms) falls on both alike.
      for (let pair = 0; pair < o.pairs; pair++) {
        if (pair % 2 === 0) {
          await offWindow();
          await onWindow();
        } else {
          await onWindow();
          await offWindow();
        }
      }
      const offW = windowsOf(lat.off, ms.off, o.window);
      const onW = windowsOf(lat.on, ms.on, o.window);
      const r: Interleaved = {
        name: e.name,
        off: offW,
        on: onW,
        planned: ticked,
        // A window with no answer at all has no p99 (0): its pair is left out.
        paired: pairedVerdict(
          offW.windows.map((x, i) => (lat.off[i]?.length ? x : 0)),
          onW.windows.map((x, i) => (lat.on[i]?.length ? x : 0)),
        ),
        // sched26: the verdict, from every answer of the pairs judged (bench/paired.ts).
        pooled: pooledVerdict(lat.off, lat.on, { burnIn: o.burnIn, normalise: SCHEDULER_NORMALISE }),
      };
      out.push(r);
      // sched26: every window's latencies, for studying the estimator on recorded samples
      // (bench/paired-study.ts); the windows in the order run, each pair's "off" window first.
      if (o.dump)
        appendFileSync(
          o.dump,
          `${JSON.stringify({
            kind,
            name: e.name,
            aa: !ticks,
            window: o.window,
            interval: o.interval,
            at: new Date().toISOString(),
            load: loadavg()[0],
            off: lat.off.map((l) => l.map((x) => Math.round(x * 1000) / 1000)),
            on: lat.on.map((l) => l.map((x) => Math.round(x * 1000) / 1000)),
          })}\n`,
        );
      const w = (x: Windows) =>
        `p99 ${x.p99.toFixed(1)} ms (windows ${x.windows.map((v) => v.toFixed(1)).join(", ")})`;
      console.error(
        `${kind.padEnd(8)} ${(ticks ? e.name : `A/A ${e.name}`).padEnd(40)} off ${w(r.off)}; ${ticks ? "on" : "off (2nd server)"} ${w(r.on)}; ${verdict(r)}; ${medianLine(r)}${ticks ? `; planned in ${ticked} of ${o.pairs} on windows` : ""}; warm-ups ${warm.a} / ${warm.b} s; ${splitLine(r.paired.ratios)}`,
      );
    }
  } finally {
    on.child.kill("SIGCONT");
    off.child.kill("SIGCONT");
    probe.close();
  }
  return out;
}

/** A reader of the report over HTTP: who, how many goals they see, a token. */
interface Reader {
  who: "leader" | "member";
  userId: number;
  token: string;
}

/** The report, the weekly review and the wins feed over HTTP, as a leader and a plain member. */
function readEndpoints(readers: Reader[]): Endpoint[] {
  const out: Endpoint[] = [];
  const paths = [
    ["GET /api/report?weeks=4", "/api/report?weeks=4"],
    ["GET /api/report?weeks=12", "/api/report?weeks=12"],
    ["GET /api/review", "/api/review"],
    ["GET /api/wins", "/api/wins"],
  ] as const;
  for (const [name, path] of paths)
    for (const r of readers)
      for (const connections of [1, 10])
        for (const revalidate of [false, true])
          out.push({
            name: `${name} (${r.who}), ${connections} conn.${revalidate ? ", If-None-Match" : ""}`,
            reqs: [{ method: "GET", path, headers: json(r.token) }],
            connections,
            revalidate,
          });
  return out;
}

/** Waits (bounded) for the scheduler's first tick: its planner state stored, then no due job left. */
async function firstTick(
  store: Store,
  url: string,
  startedAt: string,
  t0: number,
  maxSeconds: number,
): Promise<{ planS: number | null; doneS: number | null; dueLeft: number }> {
  const end = performance.now() + maxSeconds * 1000;
  // The plan is stored a moment after start-up (on SQLite the first pass holds the event loop, so
  // usually before the health check answered); a minute more at most.
  const planEnd = Math.min(end, performance.now() + 60_000);
  let planS: number | null = null;
  while (performance.now() < planEnd) {
    const r = await store.db
      .selectFrom("plannerState")
      .select((eb) => eb.fn.max("updatedAt").as("at"))
      .executeTakeFirst();
    if (r?.at && String(r.at) >= startedAt) {
      planS = (performance.now() - t0) / 1000;
      break;
    }
    await new Promise((res) => setTimeout(res, 250));
  }
  // The planner's state is stored only by a full pass (a new quarter hour, or no state yet): when
  // it was already current, the first tick was an incremental one.
  let doneS: number | null = null;
  let dueLeft = 0;
  while (performance.now() < end) {
    const due = await store.db
      .selectFrom("jobs")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("state", "in", ["queued", "running"])
      .where("runAt", "<=", new Date().toISOString())
      .executeTakeFirst();
    dueLeft = Number(due?.n ?? 0);
    if (dueLeft === 0) {
      doneS = (performance.now() - t0) / 1000;
      break;
    }
    await new Promise((res) => setTimeout(res, 500));
  }
  await untilIdle(url);
  return { planS, doneS, dueLeft };
}

/** Tokens for the report's readers: the leader who sees the most goals and a plain member. */
async function readerTokens(store: Store): Promise<Reader[]> {
  const { leader, member } = await readers(store);
  const now = new Date().toISOString();
  const out: Reader[] = [];
  for (const [who, a] of [
    ["leader", leader],
    ["member", member],
  ] as const) {
    const t = `tl_${randomBytes(32).toString("base64url")}`;
    await store.db
      .insertInto("apiTokens")
      .values({
        userId: a.userId,
        name: "bench",
        prefix: t.slice(0, 10),
        tokenHash: hashToken(t),
        createdAt: now,
      })
      .execute();
    out.push({ who, userId: a.userId, token: t });
  }
  return out;
}

async function runDialect(
  kind: "sqlite" | "postgres",
  where: string,
  o: Options,
  bareRps: number,
  elapsed: [string, number][],
): Promise<DialectRun> {
  const part = (name: string, t: number) => {
    const s = (performance.now() - t) / 1000;
    elapsed.push([`${kind}: ${name}`, s]);
    console.error(`${kind.padEnd(8)} -- ${name}: ${s.toFixed(1)} s`);
  };
  let t = performance.now();
  // Each database's servers are new (a port may come again): what they served starts from nothing.
  served.clear();
  const store = openStore(kind === "sqlite" ? { file: where } : { databaseUrl: where });
  let fixture: Fixture;
  let readersOf: Reader[];
  let settled: string[] = [];
  try {
    fixture = await prepare(store);
    readersOf = o.explainOnly ? [] : await readerTokens(store);
    if (kind === "postgres") settled = await settleTables(store, fixture.counts);
  } catch (e) {
    await store.close();
    throw e;
  }
  const env: Record<string, string> =
    kind === "sqlite" ? { THROUGHLINE_DB: where, DATABASE_URL: "" } : { DATABASE_URL: where };
  const measures: Measure[] = [];
  const measuresOn: Measure[] = [];
  let interleaved: Interleaved[] = [];
  let aa: Interleaved | null = null;
  const reads: Measure[] = [];
  let soak: DialectRun["soak"] = null;
  let teamRoute: string | null = null;
  let raw: Measure[] = [];
  let queries: LoggedQuery[] = [];
  let checkinReqs: Req[] | null = null;
  let weekReqs: Req[] | null = null;
  let floor: Measure | null = null;
  let floorPaired: FloorPaired | null = null;
  let weekFloor: Measure | null = null;
  let firstTickS: DialectRun["firstTick"] = null;
  let ticks: IdleTicks | null = null;
  let cli: CliTiming[] = [];
  let startMb = 0;
  let maxMb = 0;
  let endMb = 0;
  part("prepare", t);
  // Stops the server with the scheduler off when it was kept for the interleaved windows.
  let stopOff: (() => Promise<void>) | null = null;
  try {
    // 1. The endpoints with the scheduler off.
    t = performance.now();
    let list: ReturnType<typeof endpoints> = [];
    // Kept running for the interleaved windows with the scheduler on (step 2), then stopped.
    let keptOff: { url: string; child: ChildProcess; stop(): Promise<void> } | null = null;
    const interleave = !o.explainOnly && !o.readsOnly && (o.only === null || o.scheduler);
    if (!o.readsOnly) {
      const off = o.explainOnly
        ? await startChild(BARE, { ...env, THROUGHLINE_SCHEDULER: "off" })
        : await startChild(SERVER, { ...env, THROUGHLINE_SCHEDULER: "off" }, startFlags(ROOT));
      const rssOff = rssSampler(off.child.pid as number);
      startMb = rssOff.last();
      try {
        const doc = o.explainOnly
          ? { paths: {} }
          : ((await (await fetch(`${off.url}/api/openapi.json`)).json()) as {
              paths: Record<string, unknown>;
            });
        teamRoute = Object.keys(doc.paths).find((p) => /^\/api\/teams\/\{id\}\/overview$/.test(p)) ?? null;
        list = o.explainOnly ? [] : endpoints(fixture, teamRoute).filter((e) => onlyMatches(o, e.name));
        checkinReqs = list.find((e) => e.name.startsWith("POST /api/goals/{id}/checkins"))?.reqs ?? null;
        weekReqs = list.find((e) => e.name === "GET /api/week")?.reqs ?? null;
        measures.push(...(await measureList(kind, off.url, list, o, bareRps)));
      } finally {
        if (interleave) keptOff = off;
        else {
          rssOff.stop();
          maxMb = rssOff.max();
          await off.stop();
        }
      }
      if (interleave)
        stopOff = async () => {
          rssOff.stop();
          maxMb = Math.max(maxMb, rssOff.max());
          await off.stop();
        };
      part("endpoints, scheduler off", t);
    }

    if (!o.explainOnly && (o.only === null || o.scheduler)) {
      // 2. The same endpoints with the scheduler on, as `npm start` runs it, ticking every
      // o.interval seconds; then the report, review and wins over HTTP; then the soak.
      t = performance.now();
      const startedAt = new Date().toISOString();
      const t0 = performance.now();
      const on = await startChild(
        SERVER,
        { ...env, THROUGHLINE_SCHEDULER: "on", THROUGHLINE_SCHEDULER_INTERVAL: String(o.interval) },
        startFlags(ROOT),
        // The first tick runs at start-up and may hold the event loop for its full pass.
        o.quick ? 300_000 : 900_000,
      );
      const rss = rssSampler(on.child.pid as number);
      try {
        const ft = {
          ...(await firstTick(store, on.url, startedAt, t0, o.quick ? 60 : 180)),
          healthS: on.readyMs / 1000,
        };
        firstTickS = ft;
        console.error(
          `${kind.padEnd(8)} scheduler on (every ${o.interval} s): first answer to /api/health ${ft.healthS.toFixed(1)} s after start, first full pass stored ${ft.planS === null ? "– (the planner's state was current)" : `${ft.planS.toFixed(1)} s`} after start, no due job left ${ft.doneS === null ? `– (gave up waiting, ${ft.dueLeft} due jobs left)` : `${ft.doneS.toFixed(1)} s after start`}`,
        );
        if (!o.readsOnly && keptOff) {
          // sched22: the A/A control first — the same pairing on two servers with the scheduler off
          // (the one with it on held still meanwhile; its first window below catches up).
          const aaEndpoint = o.aa === null ? undefined : list.find((e) => e.name.includes(o.aa as string));
          if (aaEndpoint) {
            const second = await startChild(
              SERVER,
              { ...env, THROUGHLINE_SCHEDULER: "off" },
              startFlags(ROOT),
            );
            const probe = busyProbe(kind, where, store);
            try {
              await pauseOn(on.child, probe.busy);
              aa =
                (await measureInterleaved(kind, where, store, keptOff, second, [aaEndpoint], o, false))[0] ??
                null;
            } finally {
              on.child.kill("SIGCONT");
              probe.close();
              await second.stop();
            }
            part("A/A control (scheduler off on two servers)", t);
            t = performance.now();
          }
          // Issue 17, sched20: off and on in alternating windows, both servers running throughout.
          interleaved = await measureInterleaved(kind, where, store, keptOff, on, list, o);
          await stopOff?.();
          stopOff = null;
          for (const x of interleaved)
            measuresOn.push({
              name: x.name,
              rps: x.on.rps,
              p50: x.on.p50,
              p99: x.on.p99,
              requests: x.on.requests,
              errors: x.on.errors,
            });
          part("endpoints, scheduler off and on interleaved", t);
        }
        t = performance.now();
        const readsFrom = Date.now();
        if (o.only === null)
          reads.push(
            ...(await measureList(
              `${kind}+s`,
              on.url,
              readEndpoints(readersOf).filter((e) => o.reads === null || e.name.includes(o.reads)),
              { duration: o.readDuration, warmUp: o.warmUp, connections: o.connections },
              bareRps,
            )),
          );
        part("report, review, wins over HTTP", t);
        // The server's RSS while the reads were measured.
        const readMb = rss.samples.filter((x) => x.t >= readsFrom).map((x) => x.mb);
        console.error(
          `${kind.padEnd(8)} RSS during the reads: max ${Math.max(0, ...readMb).toFixed(0)} MB, at their end ${rss.last().toFixed(0)} MB`,
        );
        if (o.only === null && o.soak > 0 && o.soakOn.includes(kind)) {
          t = performance.now();
          // Mixed traffic for the soak; RSS at its start and end tells whether memory grows.
          // The same mix as before the revalidating reads were measured, so soaks compare.
          // With --reads-only the soak rotates over the reads (the report included).
          const mixed = o.readsOnly
            ? readEndpoints(readersOf).flatMap((e) => (e.revalidate ? [] : e.reqs))
            : list
                .filter((e) => !e.name.startsWith("GET /api/report") && !e.revalidate)
                .flatMap((e) => e.reqs.slice(0, 20));
          const before = rss.last();
          const started = Date.now();
          const m = await load("soak", on.url, mixed, { duration: o.soak, connections: o.connections });
          const during = rss.samples.filter((x) => x.t >= started);
          soak = {
            seconds: o.soak,
            startMb: before,
            endMb: rss.last(),
            maxMb: Math.max(0, ...during.map((x) => x.mb)),
            requests: m.requests,
            errors: m.errors,
          };
          console.error(
            `${kind.padEnd(8)} soak ${o.soak} s (scheduler on): ${m.requests} requests, RSS ${before.toFixed(0)} → ${rss.last().toFixed(0)} MB (max ${soak.maxMb.toFixed(0)})`,
          );
          part("soak", t);
        }
      } finally {
        rss.stop();
        maxMb = Math.max(maxMb, rss.max());
        endMb = rss.last();
        await on.stop();
      }
    }
  } catch (e) {
    await stopOff?.().catch(() => undefined);
    await cleanUp(store, fixture).catch(() => undefined);
    await unsettleTables(store, settled).catch(() => undefined);
    await store.close();
    throw e;
  }
  // The read floor first: the server has just read these weeks, so every roll-up is fresh; the
  // check-in floor's writes would make some stale.
  t = performance.now();
  if (kind === "sqlite" && weekReqs)
    weekFloor = await measureFloor(BARE_WEEK, "my week, hand-written floor", env, weekReqs, o, bareRps);
  // The same check-ins, on the hand-written route: what the machine allows a check-in at all. floor24:
  // in paired windows with the product's own check-in, on the same file in the same state.
  if (checkinReqs) {
    floorPaired = await measureFloorPaired(kind, store, where, env, checkinReqs, o);
    floor = { name: "check-in, hand-written floor", ...pick(floorPaired.floor) };
  }
  if (weekFloor || floor) part("floors", t);
  try {
    t = performance.now();
    if (!o.explainOnly && !o.readsOnly && o.only === null)
      raw = kind === "sqlite" ? await rawSqlite(3) : await rawPostgres(where, 3, o.connections);
    for (const m of raw)
      console.error(
        `${kind.padEnd(8)} ${m.name.padEnd(40)} ${m.rps.toFixed(0).padStart(7)} ops/s  p50 ${m.p50.toFixed(3)} ms  p99 ${m.p99.toFixed(3)} ms`,
      );
    const first = o.readsOnly ? undefined : fixture.members[0];
    if (first) {
      queries = await explainUseCases(kind === "sqlite" ? { kind, file: where } : { kind, url: where }, {
        member: { userId: first.userId, workspaceId: 1 },
        goalId: first.goalId,
        krIds: first.krIds,
        leader: { userId: fixture.leader.userId, workspaceId: 1 },
        teamId: fixture.leader.teamId,
      });
      for (const u of useCaseTimings.splice(0))
        console.error(
          `${kind.padEnd(8)} in-process ${u.useCase.padEnd(28)} ${u.ms.toFixed(1)} ms${u.error ? `  FAILED: ${u.error}` : ""}`,
        );
    }
    part("store and query plans", t);
    if (!o.explainOnly && o.only === null && !o.readsOnly) {
      // 3. The scheduler's idle tick, in-process on the same database (bench/tick.ts).
      t = performance.now();
      ticks = await idleTicks(appContext(store), { times: 20, drainSeconds: o.quick ? 30 : 120 });
      const st = (xs: number[]) =>
        `median ${quantile(xs, 0.5).toFixed(1)} ms, p99 ${quantile(xs, 0.99).toFixed(1)} ms`;
      console.error(
        `${kind.padEnd(8)} tick: first planTick ${ticks.first.ms.toFixed(0)} ms${ticks.first.full ? " (full pass)" : ""}; idle planTick ${st(ticks.plan)}; delivery before ${ticks.drain.ms.toFixed(0)} ms (${ticks.drain.claimed} jobs, ${ticks.drain.finished ? "all" : "NOT all"}); idle whole tick ${st(ticks.whole)}${ticks.busy ? `; ${ticks.busy} ticks were not idle` : ""}`,
      );
      part("idle tick in-process", t);
    }
    if (kind === "sqlite" && o.cli && !o.explainOnly && o.only === null && !o.readsOnly) {
      // 4. The CLI as processes on the same database.
      t = performance.now();
      cli = await cliTimings(store, where, o.runs);
      part("CLI", t);
    }
  } finally {
    await cleanUp(store, fixture);
    await unsettleTables(store, settled);
  }
  const sizeMb = await dbSizeMb(store, kind === "sqlite" ? where : null);
  let settings: string | null = null;
  if (kind === "postgres") {
    const plain = store.db.withoutPlugins();
    const show = async (name: string) =>
      (await sql.raw<Record<string, string>>(`show ${name}`).execute(plain)).rows[0]?.[name] ?? "?";
    settings = `fsync=${await show("fsync")}, synchronous_commit=${await show("synchronous_commit")}, shared_buffers=${await show("shared_buffers")}`;
  }
  await store.close();
  return {
    dialect: kind,
    location: kind === "sqlite" ? where : where.replace(/\/\/[^@/]*@/, "//***@"),
    sizeMb,
    counts: fixture.counts,
    measures,
    measuresOn,
    interleaved,
    aa,
    reads,
    readers: readersOf,
    raw,
    rss: { startMb, maxMb, endMb },
    soak,
    queries,
    teamRoute,
    settings,
    floor,
    floorPaired,
    weekFloor,
    firstTick: firstTickS,
    ticks,
    cli,
  };
}

// `--only checkins,week [--scheduler]` measures only those paths, each
// next to its hand-written floor (and with the scheduler on), and prints one line each.
/** Whether the endpoint `name` is one `--only` asks for (a comma-separated list of parts of names). */
function onlyMatches(o: Options, name: string): boolean {
  return o.only === null || o.only.split(",").some((part) => part !== "" && name.includes(part));
}

/** The check-in and My week of one run next to their floors (and to themselves with the scheduler on). */
function hotSummary(r: DialectRun): string {
  const line = (name: string, floor: Measure | null) => {
    const off = r.measures.find((m) => m.name.startsWith(name));
    if (!off) return null;
    const on = r.measuresOn.find((m) => m.name.startsWith(name));
    const w = r.interleaved.find((m) => m.name.startsWith(name));
    const f = (x: number, d = 0) => x.toFixed(d);
    return [
      `${r.dialect} ${name}: ${f(off.rps)} req/s, p99 ${f(off.p99, 1)} ms${off.errors ? ` (${off.errors} errors)` : ""}`,
      floor
        ? name.startsWith("POST") && r.floorPaired
          ? `paired with its floor: product ${f(r.floorPaired.product.rps)} req/s, floor ${f(floor.rps)} req/s, p99 ${f(floor.p99, 1)} ms → ${r.dialect === "sqlite" ? shareLine(r.floorPaired.share) : shareFigure(r.floorPaired.share)} of the floor`
          : `floor ${f(floor.rps)} req/s, p99 ${f(floor.p99, 1)} ms → ${f((off.rps / floor.rps) * 100, 1)} % of the floor`
        : "no floor",
      on
        ? w
          ? `scheduler on ÷ off, ${w.on.windows.length} windows each interleaved: p99 ${f(w.on.p99, 1)} ÷ ${f(w.off.p99, 1)} ms = ${f(w.on.p99 / Math.max(w.off.p99, 0.001), 2)} (windows off ${w.off.windows.map((x) => f(x, 1)).join("/")}, on ${w.on.windows.map((x) => f(x, 1)).join("/")}: ${verdict(w)})`
          : `scheduler on: ${f(on.rps)} req/s, p99 ${f(on.p99, 1)} ms (p99 ×${f(on.p99 / Math.max(off.p99, 1), 2)})`
        : "scheduler on: not measured (add --scheduler)",
    ].join("; ");
  };
  return [line("POST /api/goals/{id}/checkins", r.floor), line("GET /api/week", r.weekFloor)]
    .filter((x) => x !== null)
    .join("\n");
}

/** The q-quantile of `xs` (nearest rank). */
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
}

/** One CLI command's timing (bench/cli.ts's way: each a new process, one warm-up, then rounds). */
interface CliTiming {
  what: string;
  args: string[];
  median: number;
  max: number;
  lines: number;
}

/** The CLI's week, a goal's status and the report, as the local person of the database (local mode). */
async function cliTimings(store: Store, file: string, runs: number): Promise<CliTiming[]> {
  // Local mode acts as the first person marked local (src/app/people/people.ts, localActor). The
  // generated data has none, and local mode would make one in a new, empty workspace: a week of
  // nothing. As bench/growth.ts does, the person with the most open steps due by this Sunday
  // (overdue ones included, as `week` lists them) on active goals is marked local for these runs
  // and unmarked after.
  let local = await store.db
    .selectFrom("users")
    .select("id")
    .where("isLocal", "=", 1)
    .orderBy("id")
    .executeTakeFirst();
  const marked = local ? undefined : await busiestThisWeek(store);
  if (marked !== undefined) {
    await store.db.updateTable("users").set({ isLocal: 1 }).where("id", "=", marked).execute();
    local = { id: marked };
  }
  // Their first active goal, else the first active goal shown to the workspace (the generated
  // local person is the workspace's owner and may own none).
  const activeGoal = (mine: boolean) =>
    store.db
      .selectFrom("goals")
      .select("id")
      .where("status", "=", "active")
      .where(mine ? "ownerId" : "visibility", "=", mine ? (local?.id ?? 0) : "workspace")
      .orderBy("id")
      .executeTakeFirst();
  const goal = local ? ((await activeGoal(true)) ?? (await activeGoal(false))) : undefined;
  const dir = mkdtempSync(join(tmpdir(), "throughline-bench-cli-"));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, THROUGHLINE_CONFIG: join(dir, "no-login.json") };
    delete env.THROUGHLINE_DB;
    delete env.DATABASE_URL;
    const bin = join(ROOT, "bin", "throughline.js");
    const cmds: [string, string[]][] = [
      ["week", ["week"]],
      ...(goal ? ([["goal status", ["status", String(goal.id)]]] as [string, string[]][]) : []),
      ["report", ["report"]],
    ];
    const runsOf: Run[] = cmds.map(([, args]) => ({
      cmd: process.execPath,
      args: [bin, ...args, "--db", file],
      env,
    }));
    const timings = timeTogether(runsOf, runs);
    return cmds.map(([what, args], i) => {
      const x = timings[i] as Timing;
      console.error(
        `sqlite   CLI ${what.padEnd(12)} median ${x.median.toFixed(0)} ms  max ${x.max.toFixed(0)} ms`,
      );
      return { what, args, median: x.median, max: x.max, lines: x.lines };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (marked !== undefined)
      await store.db.updateTable("users").set({ isLocal: 0 }).where("id", "=", marked).execute();
  }
}

/** The person with the most open steps of active goals due by this Sunday (UTC), overdue included. */
async function busiestThisWeek(store: Store): Promise<number | undefined> {
  const today = new Date();
  const sunday = new Date(today.getTime() + ((7 - today.getUTCDay()) % 7) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const row = await store.db
    .selectFrom("steps as s")
    .innerJoin("goals as g", "g.id", "s.goalId")
    .select([sql<number>`coalesce(s.owner_id, g.owner_id)`.as("person"), sql<number>`count(*)`.as("n")])
    .where("s.status", "in", ["todo", "doing"])
    .where("s.dueDate", "<=", sunday)
    .where("g.status", "=", "active")
    .groupBy(sql`coalesce(s.owner_id, g.owner_id)`)
    .orderBy(sql`count(*)`, "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.person) : undefined;
}

/** The web navigation (bench/web-nav.mjs in a child process, bounded): its figures, or why not. */
async function webNavigation(runs: number): Promise<WebNav> {
  const dir = mkdtempSync(join(tmpdir(), "throughline-bench-nav-"));
  const out = join(dir, "nav.json");
  try {
    if (!existsSync(join(ROOT, "web", "dist", "index.html")))
      return { error: "no web build (run npm run build first)" };
    const code = await new Promise<number | null>((done) => {
      const child = spawn(
        process.execPath,
        [join(ROOT, "bench", "web-nav.mjs"), "--runs", String(runs), "--no-write", "--json", out],
        { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] },
      );
      const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
      child.on("exit", (c) => {
        clearTimeout(timer);
        done(c);
      });
      child.on("error", () => done(-1));
    });
    if (code !== 0 || !existsSync(out)) return { error: `bench/web-nav.mjs exited ${code}` };
    return JSON.parse(readFileSync(out, "utf8")) as WebNav;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What bench/web-nav.mjs measured (ms), or why it was not. */
interface WebNav {
  runs?: number;
  rows?: { name: string; cold: { median: number; max: number }; warm: { median: number; max: number } }[];
  worstWarm?: number;
  error?: string;
}

const ms = (n: number) => (n < 1 ? "< 1" : fmt(n, 0));
const fmt = (n: number, d = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });

function machine(): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const pgVersion = (() => {
    try {
      return execFileSync("sh", ["-c", "ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1"], {
        encoding: "utf8",
      }).trim();
    } catch {
      return "";
    }
  })();
  return `${cpus().length} × ${cpu}, ${fmt(totalmem() / 1073741824, 0)} GB RAM, Node ${process.version}${pgVersion ? `, PostgreSQL ${pgVersion}` : ""}; load average at the start ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" / ")} (other work shares the machine)`;
}

function commit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

/** The generated sections of docs/benchmarks.md. */
function sections(runs: DialectRun[], bare: Measure, o: Options, header: string): Record<string, string> {
  const sq = runs.find((r) => r.dialect === "sqlite");
  const pgr = runs.find((r) => r.dialect === "postgres");
  const names = (sq ?? pgr)?.measures.map((m) => m.name) ?? [];
  const cell = (r: DialectRun | undefined, name: string) => {
    const m = r?.measures.find((x) => x.name === name);
    return m ? [fmt(m.rps), fmt(m.p50, 1), fmt(m.p99, 1), fmt(m.rps / bare.rps, 2)] : ["–", "–", "–", "–"];
  };
  const rows = names.map((n) => {
    const a = sq?.measures.find((x) => x.name === n);
    const b = pgr?.measures.find((x) => x.name === n);
    const ratio = a && b ? fmt(a.rps / b.rps, 2) : "–";
    return `| \`${n}\` | ${cell(sq, n).join(" | ")} | ${cell(pgr, n).join(" | ")} | ${ratio} |`;
  });
  const counts = (sq ?? pgr)?.counts ?? {};
  const team = (sq ?? pgr)?.teamRoute;
  const server = [
    "## Server",
    "",
    header,
    "",
    `\`npm run bench\` — the built server as \`npm start\` runs it (\`${["node", ...startFlags(ROOT), "dist/server/main.js"].join(" ")}\`, scheduler off; the same with it on in "Scheduler") in a child process on 127.0.0.1, autocannon with ${o.connections} connections for ${o.duration} s per endpoint after each distinct GET answered once and a ${o.warmUp} s warm-up (the check-in's: at least ${fmt(CHECKIN_WARM_UP)} check-ins, so that its window starts on a grown write-ahead log, bench25), rotating over 100 people's API tokens and one active goal each; the database made by \`npm run bench:data\` (${fmt(counts.users ?? 0)} people, ${fmt(counts.teams ?? 0)} teams, ${fmt(counts.goals ?? 0)} goals, ${fmt(counts.keyResults ?? 0)} key results, ${fmt(counts.steps ?? 0)} steps, ${fmt(counts.checkins ?? 0)} check-ins). Latencies in ms; "× bare" is the endpoint's req/s over the bare route's; the last column is SQLite's req/s over PostgreSQL's.`,
    "",
    `Bare Hono JSON route (\`bench/bare.ts\`, no database, no middleware): **${fmt(bare.rps)} req/s**, p50 ${ms(bare.p50)} ms, p99 ${ms(bare.p99)} ms (autocannon measures whole milliseconds). autocannon runs in the same process as the orchestration, on the same 2 cores as the server, so the bare figure is as much the load generator's ceiling as the route's.${pgr?.settings ? ` PostgreSQL ran with ${pgr.settings}.` : ""}`,
    "",
    ...(sq?.floor
      ? [
          `The floor under the check-in (\`bench/bare-checkin.ts\`): the same requests on a bare Hono route written by hand against better-sqlite3 — statements prepared once, the token, goal and key results checked, the check-in, its values, the key results and the event written in one transaction with the database's triggers; no query builder, middleware, validation library or permission rules; the server's durability and checkpoint regime (WAL, \`synchronous = NORMAL\`, checkpoints from a worker thread): **${fmt(sq.floor.rps)} req/s** (${fmt((sq.floor.rps / bare.rps) * 100, 1)} % of the bare route), p50 ${ms(sq.floor.p50)} ms, p99 ${ms(sq.floor.p99)} ms.${sq.floorPaired ? ` Measured after the other endpoints (and the soak, when there is one) in ${o.pairs} pairs of ${o.window} s windows against the product's own check-in (a fresh server, scheduler off) on the same file, both running throughout, the order alternating, after the log was copied into the file and restarted from its beginning, its file kept at its size (\`wal_checkpoint(RESTART)\`), and then carried over from window to window (floor24; while both are idle between windows the worker may copy the whole log, and the next write then restarts it at no cost; the log at a window's start: median ${fmt(sq.floorPaired.logPages.median)} pages, at most ${fmt(sq.floorPaired.logPages.max)}): the product ${fmt(sq.floorPaired.product.rps)} req/s, p99 ${ms(sq.floorPaired.product.p99)} ms in its windows; each pair's share product ÷ floor, ${shareLine(sq.floorPaired.share)} (90 % bootstrap interval of the median; met when the whole interval is ≥ 60 %).` : ""}`,
          "",
        ]
      : []),
    ...(pgr?.floorPaired && pgr.floor
      ? [
          `The floor under the PostgreSQL check-in (\`bench/bare-checkin-pg.ts\`, pgfloor26): the same requests on a bare Hono route written by hand against \`pg\` on the same database and cluster (its durability settings below), a pool of 10 connections, named prepared statements, two round trips a check-in — the token's user with the goal and its key results' ids in one read, then every write in one statement of data-modifying CTEs (its own transaction: no BEGIN or COMMIT sent) with the database's triggers; it writes what the product writes (bench/bare-checkin-pg.test.ts). In ${o.pairs} pairs of ${o.window} s windows against the product's own check-in (a fresh server, scheduler off), both running throughout, the order alternating: floor **${fmt(pgr.floorPaired.floor.rps)} req/s**, p99 ${ms(pgr.floorPaired.floor.p99)} ms; the product ${fmt(pgr.floorPaired.product.rps)} req/s, p99 ${ms(pgr.floorPaired.product.p99)} ms; each pair's share product ÷ floor, ${shareFigure(pgr.floorPaired.share)} (90 % bootstrap interval; no target).${sq?.floorPaired ? ` Against SQLite's pairs of the same run: the PostgreSQL floor is ${fmt(pgr.floorPaired.floor.rps / sq.floorPaired.product.rps, 2)} × SQLite's product and ${fmt(pgr.floorPaired.floor.rps / sq.floorPaired.floor.rps, 2)} × SQLite's floor (the 2× target asks the PostgreSQL product for ≥ 0.50 × SQLite's product).` : ""}`,
          "",
        ]
      : []),
    ...(sq?.weekFloor
      ? [
          `The floor under My week (\`bench/bare-week.ts\`): the same requests on a bare route written by hand — the token, my teams, my open steps due by Sunday in goals I may see, my active goals, open delegations, names and each goal's stored roll-up checked fresh by the product's own stamp, in one read transaction with statements prepared once: **${fmt(sq.weekFloor.rps)} req/s**, p50 ${ms(sq.weekFloor.p50)} ms, p99 ${ms(sq.weekFloor.p99)} ms.`,
          "",
        ]
      : []),
    "| endpoint | SQLite req/s | p50 | p99 | × bare | PostgreSQL req/s | p50 | p99 | × bare | SQLite ÷ PG |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    team
      ? `The team view is \`GET ${team}\` of a 50-person team as its leader.`
      : "The team view is `GET /api/report` as the leader of a 50-person team (there is no team overview route yet): it evaluates every goal the leader may read — the team's, their own and every workspace-visible goal — over a 4-week window.",
    "",
    targetsTable(sq, pgr),
  ].join("\n");
  const store = [
    "## Store",
    "",
    header,
    "",
    "The limits under the server: single-row autocommit inserts and primary-key reads through the same drivers the server uses, in-process, 3 s each (`bench/run.ts`). better-sqlite3 is synchronous (one at a time, WAL, `synchronous=NORMAL` as the server opens it); pg runs " +
      `${o.connections} concurrent queries on a pool of ${o.connections}.`,
    "",
    "| operation | ops/s | p50 (ms) | p99 (ms) |",
    "| --- | ---: | ---: | ---: |",
    ...runs.flatMap((r) =>
      r.raw.map((m) => `| ${m.name} | ${fmt(m.rps)} | ${fmt(m.p50, 3)} | ${fmt(m.p99, 3)} |`),
    ),
    "",
    ...dataTimings(),
    `Database size: ${runs.map((r) => `${r.dialect === "sqlite" ? "SQLite" : "PostgreSQL"} ${r.sizeMb === null ? "?" : fmt(r.sizeMb)} MB`).join(", ")}.`,
    "",
    STORE_NOTES,
    "",
    "The slowest queries of each use case at this scale (one in-process run each, `bench/explain.ts`):",
    "",
    ...runs.flatMap((r) => [
      `| ${r.dialect} use case | query (start) | ms | plan (start) |`,
      "| --- | --- | ---: | --- |",
      ...slowest(r.queries).map(
        (q) =>
          `| ${q.useCase} | \`${q.sql.replace(/\s+/g, " ").slice(0, 90).replaceAll("|", "\\|")}…\` | ${fmt(q.ms, 1)} | ${q.plan.split("\n").slice(0, 2).join("; ").replace(/\s+/g, " ").slice(0, 120).replaceAll("|", "\\|")} |`,
      ),
      "",
    ]),
  ].join("\n");
  const memory = [
    "## Memory",
    "",
    header,
    "",
    "Resident set size of the server process (`/proc/<pid>/status`, sampled every 0.5 s) during the runs above (the servers with the scheduler off and on; the soak with it on); the soak rotates over the endpoints above (20 requests of each, the team view's single request among them; `GET /api/report` never) for the time shown. The target is under 300 MB and no growth over a 5-minute soak.",
    "",
    "| database | RSS at start (MB) | max under load (MB) | soak | RSS at soak start → end (MB) | max in soak (MB) |",
    "| --- | ---: | ---: | --- | --- | ---: |",
    ...runs.map(
      (r) =>
        `| ${r.dialect} | ${fmt(r.rss.startMb)} | ${fmt(r.rss.maxMb)} | ${r.soak ? `${r.soak.seconds} s, ${fmt(r.soak.requests)} requests, ${r.soak.errors} errors` : "not run"} | ${r.soak ? `${fmt(r.soak.startMb)} → ${fmt(r.soak.endMb)}` : "–"} | ${r.soak ? fmt(r.soak.maxMb) : "–"} |`,
    ),
  ].join("\n");
  return { Server: server, Store: store, Memory: memory };
}

/** How long \`npm run bench:data\` took, from the record it leaves in dist/bench-build. */
function dataTimings(): string[] {
  const lines: string[] = [];
  for (const kind of ["sqlite", "postgres"]) {
    const file = join(ROOT, "dist", "bench-build", `data-${kind}.json`);
    if (!existsSync(file)) continue;
    const d = JSON.parse(readFileSync(file, "utf8")) as {
      options: Record<string, number>;
      timings: Record<string, number>;
    };
    const parts = Object.entries(d.timings)
      .filter(([k]) => k !== "total")
      .map(([k, v]) => `${k} ${fmt(v, 1)} s`)
      .join(", ");
    lines.push(
      `- \`npm run bench:data\` on ${kind === "sqlite" ? "SQLite" : "PostgreSQL"} (${fmt(d.options.users ?? 0)} people, ${fmt(d.options.goals ?? 0)} goals, ${fmt(d.options.steps ?? 0)} steps, ${fmt(d.options.checkins ?? 0)} check-ins): **${fmt(d.timings.total ?? 0, 1)} s** (${parts}).`,
    );
  }
  return lines.length
    ? ["Generating the data (batched inserts in transactions, `bench/data.ts`):", "", ...lines, ""]
    : [];
}

function slowest(qs: LoggedQuery[]): LoggedQuery[] {
  const byCase = new Map<string, LoggedQuery[]>();
  for (const q of qs) byCase.set(q.useCase, [...(byCase.get(q.useCase) ?? []), q]);
  return [...byCase.values()].flatMap((list) => [...list].sort((a, b) => b.ms - a.ms).slice(0, 2));
}

function targetsTable(sq: DialectRun | undefined, pgr: DialectRun | undefined): string {
  const m = (r: DialectRun | undefined, prefix: string) => r?.measures.find((x) => x.name.startsWith(prefix));
  const ok = (b: boolean | undefined) => (b === undefined ? "not measured" : b ? "met" : "**missed**");
  const checkin = m(sq, "POST /api/goals/{id}/checkins");
  const share = (a: Measure | undefined, floor: Measure | null | undefined) =>
    a && floor ? a.rps / floor.rps : undefined;
  const pct = (x: number | undefined) => (x === undefined ? "–" : `${fmt(x * 100, 0)} %`);
  const week = m(sq, "GET /api/week");
  const status = m(sq, "GET /api/goals/{id}/status");
  const team = sq?.measures.find((x) => x.name.endsWith("(50 people)"));
  const alone = sq?.measures.find((x) => x.name.endsWith("(50 people), 1 connection"));
  const within2 =
    sq && pgr
      ? sq.measures.every((a) => {
          const b = pgr.measures.find((x) => x.name === a.name);
          return b !== undefined && b.rps * 2 >= a.rps;
        })
      : undefined;
  return [
    "| target (SQLite, this machine) | measured | |",
    "| --- | --- | --- |",
    sq?.floorPaired && checkin
      ? `| check-in ≥ 60 % of its hand-written floor's req/s (paired windows), p99 < 20 ms | ${shareLine(sq.floorPaired.share)}, p99 ${fmt(checkin.p99, 1)} ms | ${floorVerdict(sq.floorPaired.share, checkin.p99)} |`
      : `| check-in ≥ 60 % of its hand-written floor's req/s, p99 < 20 ms | ${pct(share(checkin, sq?.floor))}, p99 ${checkin ? fmt(checkin.p99, 1) : "–"} ms | ${ok(share(checkin, sq?.floor) === undefined ? undefined : (share(checkin, sq?.floor) as number) >= 0.6 && (checkin?.p99 ?? 99) < 20)} |`,
    `| my week ≥ 50 % of the read floor (My week by hand) | ${pct(share(week, sq?.weekFloor))} | ${ok(share(week, sq?.weekFloor) === undefined ? undefined : (share(week, sq?.weekFloor) as number) >= 0.5)} |`,
    `| goal status ≥ 50 % of the read floor | ${pct(share(status, sq?.weekFloor))} | ${ok(share(status, sq?.weekFloor) === undefined ? undefined : (share(status, sq?.weekFloor) as number) >= 0.5)} |`,
    `| team view p99 < 50 ms, one leader at a time (1 connection) | ${alone ? `${fmt(alone.p99, 1)} ms` : "–"} | ${ok(alone && alone.p99 < 50)} |`,
    `| team view p99 < 50 ms, ten leaders at once (${team ? "10 connections" : "–"}) | ${team ? `${fmt(team.p99, 1)} ms` : "–"} | ${ok(team && team.p99 < 50)} |`,
    `| PostgreSQL within 2× of SQLite (req/s, every endpoint) | ${
      sq && pgr
        ? sq.measures
            .map((a) => {
              const b = pgr.measures.find((x) => x.name === a.name);
              return b ? fmt(a.rps / b.rps, 2) : "–";
            })
            .join(" / ")
        : "–"
    } | ${ok(within2)} |`,
  ].join("\n");
}

// The scheduler, the reads over HTTP and every target in one section

/** The "Scheduler", "Reads over HTTP" and "Targets" sections of docs/benchmarks.md. */
function issue17Sections(
  runs: DialectRun[],
  o: Options,
  header: string,
  web: WebNav | null,
  doc: string,
  elapsed: [string, number][],
): Record<string, string> {
  const sq = runs.find((r) => r.dialect === "sqlite");
  const pgr = runs.find((r) => r.dialect === "postgres");
  const name = (r: DialectRun) => (r.dialect === "sqlite" ? "SQLite" : "PostgreSQL");
  const ratioOf = (r: DialectRun | undefined, n: string) => {
    // The interleaved windows (sched20) when measured: both settings in the same minutes.
    const w = r?.interleaved.find((x) => x.name === n);
    if (w) {
      if (w.off.requests === 0) return undefined;
      return w.on.requests === 0 || w.on.requests === w.on.errors
        ? Number.POSITIVE_INFINITY
        : w.on.p99 / Math.max(w.off.p99, 0.001);
    }
    const a = r?.measures.find((x) => x.name === n);
    const b = r?.measuresOn.find((x) => x.name === n);
    if (!a || !b || a.requests === 0) return undefined;
    // No answer at all in the window (every request timed out or failed) is no figure to compare.
    return b.requests === 0 || b.requests === b.errors
      ? Number.POSITIVE_INFINITY
      : b.p99 / Math.max(a.p99, 1);
  };
  const names = (sq ?? pgr)?.measuresOn.map((m) => m.name) ?? [];
  const p99 = (m: Measure | undefined) =>
    m
      ? m.requests === 0
        ? "no answer"
        : `${fmt(m.p99, 1)}${m.errors ? ` (${fmt(m.errors)} errors)` : ""}`
      : "–";
  // Pooled p99 and, in brackets, the lowest and highest window's own p99 (sched20).
  const spread = (w: Windows) =>
    `${fmt(w.p99, 1)} (${fmt(Math.min(...w.windows), 1)}–${fmt(Math.max(...w.windows), 1)})`;
  // sched26: the pooled p99 ratio, its pair-bootstrap interval, and what it decides.
  const pairedCell = (p: PooledVerdict) =>
    `${Number.isFinite(p.ratio) ? fmt(p.ratio, 2) : "∞"} [${fmt(p.low, 2)}–${Number.isFinite(p.high) ? fmt(p.high, 2) : "∞"}] ${p.decision === "missed" ? "**missed**" : p.decision}`;
  const schedRow = (label: string, pick: (r: DialectRun | undefined) => Interleaved | null | undefined) => {
    const cells = [sq, pgr].flatMap((r) => {
      const w = pick(r);
      const ratio = ratioOf(r, label);
      if (w)
        return [spread(w.off), `${spread(w.on)}${w.planned ? ` ${w.planned}×` : ""}`, pairedCell(w.pooled)];
      return [
        p99(r?.measures.find((x) => x.name === label)),
        p99(r?.measuresOn.find((x) => x.name === label)),
        ratio === undefined ? "–" : Number.isFinite(ratio) ? `${fmt(ratio, 2)} (pooled)` : "∞",
      ];
    });
    return `| ${label.startsWith("A/A") ? label : `\`${label}\``} | ${cells.join(" | ")} |`;
  };
  const schedRows = names.map((n) => schedRow(n, (r) => r?.interleaved.find((x) => x.name === n)));
  const aaName = sq?.aa?.name ?? pgr?.aa?.name;
  if (aaName)
    schedRows.push(schedRow(`A/A control: \`${aaName}\`, scheduler off on both servers`, (r) => r?.aa));
  const st = (xs: number[] | undefined) =>
    xs?.length ? `${fmt(quantile(xs, 0.5), 1)} / ${fmt(quantile(xs, 0.99), 1)}` : "–";
  const tickRows = runs
    .filter((r) => r.ticks)
    .map((r) => {
      const t = r.ticks as IdleTicks;
      return `| ${name(r)} | ${fmt(t.first.ms, 0)}${t.first.full ? " (full pass)" : ""} | ${st(t.plan)} | ${fmt(t.drain.ms, 0)} ms, ${fmt(t.drain.claimed)} jobs in ${t.drain.ticks} ticks${t.drain.finished ? "" : ", **stopped at its bound**"} | ${st(t.whole)} | ${t.busy} |`;
    });
  const firstTicks = runs
    .filter((r) => r.firstTick)
    .map((r) => {
      const f = r.firstTick as {
        planS: number | null;
        doneS: number | null;
        dueLeft: number;
        healthS: number;
      };
      return `${name(r)}: the server first answered /api/health ${fmt(f.healthS, 1)} s after it started (the first tick runs at start-up), the first full pass stored ${f.planS === null ? "– (the planner's state was already current, so the first tick was incremental)" : `${fmt(f.planS, 1)} s`} after the server started, no due job left ${f.doneS === null ? `– (gave up waiting at the bound, ${fmt(f.dueLeft)} due jobs still queued: measured while the scheduler delivered them)` : `${fmt(f.doneS, 1)} s after it`}`;
    });
  const scheduler = [
    "## Scheduler",
    "",
    header,
    "",
    `The endpoints of "Server" measured with the scheduler off and on in the same minutes (issue 17, sched20; paired verdict sched22): two servers on the same database, kept running together — one with the scheduler off, one as \`npm start\` runs it with the scheduler on and \`THROUGHLINE_SCHEDULER_INTERVAL=${o.interval}\` (a tick every ${o.interval} s, harsher than the default of 60 s) — and for each endpoint ${o.pairs} pairs of ${o.window} s windows, one of each setting next to each other in time, the order alternating (off, on, on, off, off, on, …), after a warm-up of each of at least ${Math.max(o.warmUp, 2 * o.window)} s (two windows), the server that had served the endpoint less so far getting as much more as it lacked, so both come to the first pair equally practised on it (sched25: the server with the scheduler off served each endpoint in "Server" and, the check-in, in the A/A control's windows; the server with it on and the A/A's second server had served nothing). The server measured gets the load; the other is idle and held still (SIGSTOP, only outside a transaction; sched22: both servers, so a stop and a resume cost both settings alike), so the ticks fall in the "on" server's own windows only; let run again, its late timer ticks at once and plans what the other server's window wrote (its window starts once that tick's cursor caught up: not measured, as a scheduler running all along would have planned it tick by tick), then every ${o.interval} s within the window. The estimate (sched26) is the p99 of every "on" answer of the pairs ÷ the p99 of every "off" answer${o.burnIn ? ` (the first ${o.burnIn} pairs measured but not judged: a fresh server's first minute, sched25)` : ""}${SCHEDULER_NORMALISE ? ", each pair's answers first divided by the median of that pair's answers (the machine's drift between pairs taken out of both windows alike)" : ""}; its 90 % interval a percentile bootstrap that draws whole pairs (4,000 resamples, seeded; \`bench/paired.ts\`'s \`pooledVerdict\`; sched22's median of the pairs' ratios is in the log line): **met** when the interval's upper bound is ≤ 1.10, **missed** when its lower bound is > 1.10, else **not decided**. The A/A control row runs the same pairing for one endpoint on two servers that both have the scheduler off (the one with it on held still meanwhile): its interval is the method's own noise, what a row's interval can be without any effect. In the first two columns of each database the p99 pooled over every answer of the setting's windows and, in brackets, the lowest and highest window's own p99; "N×" counts the "on" windows in which the planner stored its state (a tick that planned what the load wrote; a read-only load leaves the ticks idle, one query each). The server with the scheduler on is measured once its first tick ended — its planner state stored, then no due job left in the queue, waited for at most ${o.quick ? 60 : 180} s (${firstTicks.length ? firstTicks.join("; ") : "not run"}). p99 in ms; the target is p99 with the scheduler within 10 % of it off.`,
    "",
    "| endpoint | SQLite p99 off | on | on ÷ off: pooled p99 ratio [90 % interval], verdict | PostgreSQL p99 off | on | on ÷ off: pooled p99 ratio [90 % interval], verdict |",
    "| --- | ---: | ---: | --- | ---: | ---: | --- |",
    ...schedRows,
    "",
    `The scheduler's tick in-process on the same database after the HTTP runs (\`idleTicks\` of \`bench/tick.ts\`): a first \`planTick\` not counted as idle, 20 idle \`planTick\`s, then whole scheduler ticks (\`tick\` of \`src/jobs/scheduler.ts\`: plan, due jobs, webhooks) delivering what was queued — not measured, bounded (at most 50 ticks of at most 2,000 jobs each, and ${o.quick ? 30 : 120} s) — then 20 whole idle ticks. Median / p99 in ms; target < 50 ms.`,
    "",
    "| database | first planTick (ms) | idle planTick | delivery before (not measured) | idle whole tick | ticks not idle |",
    "| --- | ---: | ---: | --- | ---: | ---: |",
    ...tickRows,
  ].join("\n");

  const readNames = (sq ?? pgr)?.reads.map((m) => m.name) ?? [];
  const readCell = (r: DialectRun | undefined, n: string) => {
    const m = r?.reads.find((x) => x.name === n);
    if (!m) return "– | – | –";
    if (m.requests === 0) return "0 | no answer in the window | –";
    return `${fmt(m.rps)} | ${fmt(m.p50, 1)} | ${fmt(m.p99, 1)}${m.errors ? ` (${m.errors} errors)` : ""}`;
  };
  const readerGoals = (sq ?? pgr)?.readers.map((r) => `${r.who} user ${r.userId}`).join(", ") ?? "";
  const reads = [
    "## Reads over HTTP",
    "",
    header,
    "",
    `The report (\`GET /api/report\`, 4 and 12 weeks), the weekly review (\`GET /api/review\`) and the wins feed (\`GET /api/wins\`) over HTTP with the scheduler on, as the leader who sees the most goals and as a plain member (chosen as \`bench/report.ts\` chooses them: ${readerGoals}), with 1 connection (one person waiting) and 10, ${o.readDuration} s each after each reader's first answer (awaited whole, not measured: the day's first report is bench/report-first.ts's figure) and a ${o.warmUp} s warm-up. Where the answer carries an ETag, the same again with If-None-Match holding it (304 while nothing changed); rows without one are left out. Latencies in ms.`,
    "",
    "| request | SQLite req/s | p50 | p99 | PostgreSQL req/s | p50 | p99 |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...readNames.map((n) => `| \`${n}\` | ${readCell(sq, n)} | ${readCell(pgr, n)} |`),
  ].join("\n");

  // The targets.
  const ok = (b: boolean | undefined) =>
    b === undefined ? "not measured in this run" : b ? "met" : "**missed**";
  const find = (r: DialectRun | undefined, prefix: string) =>
    r?.measures.find((x) => x.name.startsWith(prefix));
  const rows: string[] = [];
  const row = (target: string, figure: string, met: boolean | undefined) =>
    rows.push(`| ${target} | ${figure} | ${ok(met)} |`);
  const checkin = find(sq, "POST /api/goals/{id}/checkins");
  const share = (a: Measure | undefined, f: Measure | null | undefined) =>
    a && f ? a.rps / f.rps : undefined;
  const pct = (x: number | undefined) => (x === undefined ? "–" : `${fmt(x * 100, 0)} %`);
  const cs = share(checkin, sq?.floor);
  if (sq?.floorPaired && checkin)
    // floor24: the share from paired windows of the product and the floor in the same state.
    rows.push(
      `| check-in ≥ 60 % of the floor's req/s (paired windows, same file and state) and p99 < 20 ms (SQLite, 10 connections) | ${shareLine(sq.floorPaired.share)} (product ${fmt(sq.floorPaired.product.rps)} / floor ${fmt(sq.floorPaired.floor.rps)} req/s), p99 ${fmt(checkin.p99, 1)} ms | ${floorVerdict(sq.floorPaired.share, checkin.p99)} |`,
    );
  else
    row(
      "check-in ≥ 60 % of the floor's req/s and p99 < 20 ms (SQLite, 10 connections)",
      checkin
        ? `${pct(cs)} of ${sq?.floor ? fmt(sq.floor.rps) : "–"} req/s, p99 ${fmt(checkin.p99, 1)} ms`
        : "–",
      cs === undefined || !checkin ? undefined : cs >= 0.6 && checkin.p99 < 20,
    );
  const pgCheckin = find(pgr, "POST /api/goals/{id}/checkins");
  row(
    "PostgreSQL check-in within 2× of SQLite (req/s)",
    checkin && pgCheckin
      ? `SQLite ÷ PostgreSQL ${fmt(checkin.rps / pgCheckin.rps, 2)} (${fmt(checkin.rps)} / ${fmt(pgCheckin.rps)} req/s)`
      : "–",
    checkin && pgCheckin ? pgCheckin.rps * 2 >= checkin.rps : undefined,
  );
  if (pgr?.floorPaired) {
    // pgfloor26: no target of its own; it says whether the 2× one is within the machine's reach.
    const pf = pgr.floorPaired;
    const vsSqlite = sq?.floorPaired ? pf.floor.rps / sq.floorPaired.product.rps : undefined;
    rows.push(
      `| PostgreSQL check-in ÷ its hand-written floor (paired windows, same database; no target: the floor argues the 2× one) | ${shareFigure(pf.share)} (product ${fmt(pf.product.rps)} / floor ${fmt(pf.floor.rps)} req/s)${vsSqlite === undefined ? "" : `; the floor ÷ SQLite's product ${fmt(vsSqlite, 2)}`} | ${vsSqlite === undefined ? "–" : vsSqlite < 0.5 ? "2× out of reach: even the floor is under half of SQLite" : "2× within the floor's reach"} |`,
    );
  }
  for (const [label, prefix] of [
    ["my week", "GET /api/week"],
    ["goal status", "GET /api/goals/{id}/status"],
  ] as const) {
    const x = share(find(sq, prefix), sq?.weekFloor);
    row(`${label} ≥ 50 % of the read floor (SQLite)`, pct(x), x === undefined ? undefined : x >= 0.5);
  }
  for (const r of runs) {
    const rep = r.reads.filter(
      (m) => m.name.startsWith("GET /api/report?") && !m.name.includes("If-None-Match"),
    );
    const one = rep.filter((m) => m.name.includes(", 1 conn."));
    const ten = rep.filter((m) => m.name.includes(", 10 conn."));
    // A load with no answer in its window counts as the worst.
    const p = (m: Measure) => (m.requests === 0 ? Number.POSITIVE_INFINITY : m.p99);
    const worst = (ms: Measure[]) =>
      ms.reduce<Measure | undefined>((w, m) => (!w || p(m) > p(w) ? m : w), undefined);
    const show = (m: Measure | undefined) =>
      m ? (m.requests === 0 ? "no answer in the window" : `${fmt(m.p99, 1)} ms`) : "–";
    const w1 = worst(one);
    const w10 = worst(ten);
    row(
      `${name(r)}: report p99 < 100 ms per person (leader / member × 4 / 12 weeks, 1 connection)`,
      w1 ? `worst p99 ${show(w1)} (\`${w1.name}\`); with 10 connections worst ${show(w10)}` : "–",
      w1 ? one.every((m) => m.requests > 0 && m.p99 < 100 && m.errors === 0) : undefined,
    );
  }
  for (const r of runs) {
    const t = r.ticks;
    row(
      `${name(r)}: a tick where nothing changed < 50 ms (in-process, p99 of 20)`,
      t
        ? `whole tick ${st(t.whole)} ms, planTick ${st(t.plan)} ms (median / p99)${t.busy ? `, ${t.busy} not idle` : ""}`
        : "–",
      t ? quantile(t.whole, 0.99) < 50 : undefined,
    );
  }
  for (const r of runs) {
    // sched22: the paired verdict of every endpoint; any missed is missed, all met is met (sched26: pooled).
    const rowsOf = r.interleaved.filter((x) => x.pooled.pairs > 0);
    const worst = rowsOf.reduce<Interleaved | undefined>(
      (w, x) => (!w || x.pooled.high > w.pooled.high ? x : w),
      undefined,
    );
    const decision: Decision | undefined = overall(rowsOf.map((x) => x.pooled.decision));
    const counts = (["met", "missed", "not decided"] as const)
      .map((d) => [d, rowsOf.filter((x) => x.pooled.decision === d).length] as const)
      .filter(([, n]) => n > 0)
      .map(([d, n]) => `${n} ${d}`)
      .join(", ");
    const aaNote = r.aa
      ? `; A/A control (\`${r.aa.name}\`, off ÷ off) ${fmt(r.aa.pooled.ratio, 2)} [${fmt(r.aa.pooled.low, 2)}–${fmt(r.aa.pooled.high, 2)}]`
      : "";
    rows.push(
      `| ${name(r)}: every endpoint's p99 with the scheduler on within 10 % of it off (ratio of the p99s pooled over the paired windows, 90 % pair-bootstrap interval) | ${
        worst
          ? `${counts}; highest upper bound: \`${worst.name}\` ${fmt(worst.pooled.ratio, 2)} [${fmt(worst.pooled.low, 2)}–${Number.isFinite(worst.pooled.high) ? fmt(worst.pooled.high, 2) : "∞"}]${aaNote}`
          : "–"
      } | ${decision === undefined ? "not measured in this run" : decision === "met" ? "met" : decision === "missed" ? "**missed**" : "not decided"} |`,
    );
  }
  for (const r of runs) {
    const team = r.measures.find((x) => x.name.endsWith("(50 people), 1 connection"));
    const team10 = r.measures.find((x) => x.name.endsWith("(50 people)"));
    row(
      `${name(r)}: team view p99 < 50 ms`,
      team
        ? `${fmt(team.p99, 1)} ms one leader at a time; ${team10 ? fmt(team10.p99, 1) : "–"} ms with 10 connections`
        : "–",
      // Both: one leader at a time and ten at once (the "Server" section's two rows).
      team ? team.p99 < 50 && (team10 === undefined || team10.p99 < 50) : undefined,
    );
  }
  for (const r of runs) {
    const s = r.soak;
    const flat = s ? s.endMb <= s.startMb * 1.1 : undefined;
    row(
      `${name(r)}: RSS < 300 MB and flat over the soak (scheduler on; flat: the end within 10 % of the start)`,
      s
        ? `max ${fmt(r.rss.maxMb)} MB; soak ${s.seconds} s ${fmt(s.startMb)} → ${fmt(s.endMb)} MB (max ${fmt(s.maxMb)})`
        : `max ${fmt(r.rss.maxMb)} MB; no soak in this run`,
      s ? r.rss.maxMb < 300 && s.maxMb < 300 && (flat as boolean) : undefined,
    );
  }
  const week = sq?.cli.find((c) => c.what === "week");
  row(
    "CLI `week` < 200 ms (SQLite, a new process each time, median)",
    week ? `median ${fmt(week.median, 0)} ms, max ${fmt(week.max, 0)} ms` : "–",
    week ? week.median < 200 : undefined,
  );
  row(
    "web app: navigation to the page's data shown, warm < 200 ms",
    web?.rows ? `slowest warm run ${fmt(web.worstWarm ?? 0, 0)} ms` : web?.error ? `– (${web.error})` : "–",
    web?.rows ? (web.worstWarm ?? 0) < 200 : undefined,
  );
  const bundle = /\*\*First-load JS: ([\d.]+) KB gzipped\*\*/.exec(doc);
  row(
    "first-load JS ≤ 200 KB gzipped",
    bundle ? `${bundle[1]} KB (from the "Web bundle" section, \`npm run bench:web\`)` : "–",
    bundle ? Number(bundle[1]) <= 200 : undefined,
  );
  const growth = /^## Growth\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(doc)?.[1];
  // Every row of the growth table held to "a person's own", each with its ratio and verdict.
  const ownRows = (growth ?? "")
    .split("\n")
    .map((l) => l.split("|").map((c) => c.trim()))
    .filter((c) => c.length > 6 && /a person's own/i.test(c[6] ?? ""))
    .map((c) => ({
      name: c[1]?.replaceAll("`", "").replace(/ \((p99|median)\)$/, "") ?? "",
      ratio: c[5] ?? "",
      met: !/missed/i.test(c[6] ?? ""),
    }));
  row(
    "a person's own pages flat as the workspace grows (within 20 %, the growth table)",
    growth
      ? ownRows.length
        ? `see "Growth": ${ownRows.map((r) => `${r.name} ${r.ratio} ${r.met ? "met" : "missed"}`).join("; ")}`
        : 'see "Growth"'
      : "–",
    ownRows.length ? ownRows.every((r) => r.met) : undefined,
  );
  const cliRows = (sq?.cli ?? []).map(
    (c) =>
      `| \`throughline ${c.args.join(" ")} --db FILE\` | ${fmt(c.median, 0)} | ${fmt(c.max, 0)} | ${c.lines} |`,
  );
  const webRows = (web?.rows ?? []).map(
    (r) =>
      `| ${r.name} | ${fmt(r.cold.median, 0)} | ${fmt(r.cold.max, 0)} | ${fmt(r.warm.median, 0)} | ${fmt(r.warm.max, 0)} |`,
  );
  const total = elapsed.reduce((a, [, s]) => a + (s as number), 0);
  const targets = [
    "## Targets",
    "",
    header,
    "",
    `Every target of issue 17, with this run's figure (\`npm run bench${o.quick ? " -- --quick" : ""}\`${o.soak ? `, soak ${o.soak} s` : ""}). The figures come from "Server", "Scheduler", "Reads over HTTP", "Memory" and the tables below; a target this run did not measure says "not measured in this run".`,
    "",
    "| target | measured | |",
    "| --- | --- | --- |",
    ...rows,
    "",
    "### CLI on the benchmark database",
    "",
    cliRows.length
      ? `The CLI in local mode on the SQLite benchmark database, as its local person (the first person marked local, as \`localActor\` chooses; the generated data has none, so the person with the most open steps due by this Sunday, overdue included, is marked local for these runs and unmarked after; \`status\` of their first active goal, else of the first active goal shown to the workspace): each a new process through \`bin/throughline.js\`, one warm-up then ${o.runs} rounds (\`timeTogether\` of \`bench/cli.ts\`), wall-clock ms.`
      : "Not measured in this run.",
    "",
    ...(cliRows.length
      ? ["| command | median | max | lines |", "| --- | ---: | ---: | ---: |", ...cliRows, ""]
      : []),
    "### Web navigation in this run",
    "",
    webRows.length
      ? `\`bench/web-nav.mjs\` in a child process (${web?.runs ?? "?"} runs each, Chromium on 127.0.0.1, its own seeded SQLite file; ms from the navigation's start to the data on screen).`
      : `Not measured in this run${web?.error ? ` (${web.error})` : ""}.`,
    "",
    ...(webRows.length
      ? [
          "| page | cold median | cold max | warm median | warm max |",
          "| --- | ---: | ---: | ---: | ---: |",
          ...webRows,
          "",
        ]
      : []),
    "### Time taken",
    "",
    `${elapsed.map(([n, s]) => `${n} ${fmt(s as number, 0)} s`).join("; ")}. **Total ${fmt(total / 60, 1)} min.**`,
  ].join("\n");
  return { Scheduler: scheduler, "Reads over HTTP": reads, Targets: targets };
}

/** Hand-written notes on indexes and plans, kept with the generated numbers. */
const STORE_NOTES = `### Indexes and plans

\`bench/explain.ts\` runs each use case once in-process on a Kysely that logs every query and asks
each database for the plan of every SELECT (\`EXPLAIN QUERY PLAN\` / \`EXPLAIN\`); \`npm run bench\`
writes all of them to \`dist/bench-build/explain.json\`. At 100,000 goals and 1,000,000 steps and
check-ins:

- **My week** uses \`steps_owner_due (owner_id, due_date)\` twice (SQLite's MULTI-INDEX OR for
  "my steps, or unowned steps of my goals"; a bitmap OR on PostgreSQL), then each goal by primary
  key with the visibility check.
- **A goal's status** reads the goal by primary key (with the visibility rule), its stored
  roll-up by primary key and its owner's name; when the stamp is stale it also reads the goal's rows
  through \`key_results_goal\`, \`steps_goal_position\`, \`checkins_goal_date\` and the primary keys
  of \`checkin_kr_values\`, \`checkin_steps\` and \`checkin_barriers\`.
- **A check-in** reads the goal, its key results through \`key_results_goal\` and its latest
  check-in date through \`checkins_goal_date\` (one index step: \`LIMIT 1\`; it used to read every
  check-in of the goal and keep the first), then writes.
- **The team view** computes its tag: the team, its members (\`memberships_team_user\`), the
  id and revision of the team's goals in one query — the visibility rule and "filed under the
  team, or a member's goal shown to the workspace" — through a MULTI-INDEX OR on \`goals_team\` and
  \`goals_owner_status\` (a bitmap OR on PostgreSQL). When the request's If-None-Match holds that
  tag it answers 304 there; otherwise it sends this process's copy of the answer while the copy's
  tag is current. Without one it reads the goals again in full, their roll-ups by primary key, the hit obstacles through
  \`barriers_goal\`, the commitments due in the window through \`commitments_goal_due (goal_id,
  due_date)\` and the steps due in the window through \`steps_goal_position\`.
- **The report** still reads every goal the reader may see (the visibility rule is an OR with a
  correlated EXISTS on \`goal_shares\`, so both databases scan the workspace's goals through
  \`goals_workspace_id\`) and evaluates each one: it is not one of the measured paths and takes
  seconds for a leader at this scale.

Stored evaluations (migrations 0008 and 0009, \`src/app/evaluation/rollup.ts\`, \`src/app/evaluation/rollups.ts\`,
\`src/app/reports/teamview.ts\`). The team view used to evaluate every goal of the team on every read
(pace, forecast, stall, micro-goal mode and wins from each goal's whole history: about 9 s under
load for 527 goals). \`goal_rollups\` keeps one evaluation per goal for today (the roll-up and the
goal's status view) with a stamp hashed from the goal's row, its \`revision\`, its mode state and
its owner's name; each process keeps copies of the team view answers it served (per team, reader
and window) under their entity tag: a hash of the team, its members, every counted goal's id and
revision, the window and the names shown (the stored whole answers, \`team_view_answers\`, are no
longer used). Every stamp and tag also carries the code's version
(\`ROLLUP_VERSION\`, with the engine's \`RULES_VERSION\` and thresholds; \`TEAM_VIEW_VERSION\`), so
an upgrade or an instance on another version never serves what other code stored. Database
triggers bump \`goals.revision\` on any update of the goal's row and any write to its
\`key_results\`, \`steps\`, \`checkins\`, \`barriers\`, \`change_records\` and \`commitments\` (row
triggers on SQLite; statement triggers with transition tables and a BEFORE row trigger on
PostgreSQL, so an import bumps each goal once per statement), so no write path can leave a stored
answer stale; everything a stamp is made of is read before what it covers is computed, so an
answer computed during a concurrent write carries the older stamp and is computed again on the next
read. Stored answers are used only on the day they were computed for; past days (\`asOf\`) are
computed and never stored. \`src/app/evaluation/rollups.test.ts\`, \`src/app/reports/teamview.test.ts\` and
\`src/app/evaluation/followthrough.test.ts\` check after every kind of write (through the app and straight
into the database) that the stored path answers exactly what computing afresh answers.

Earlier fixes on these paths: \`checkinsOf\` (\`src/store/repos/checkins.ts\`) bound one parameter
per check-in, which overflowed SQLite's limit ("too many SQL variables") at this scale; it joins on
the goal ids, 500 goals per query, and groups child rows in one pass. An index on
\`goals (visibility, team_id)\` was tried for the workspace-wide visibility rule and left out: it
took that query from 46 to 35 ms only, since the workspace-visible goals must be read anyway.

Other changes measured here: Kysely prepares every SQLite statement it runs, and preparing cost more
than running on the hot paths, so the SQLite connection keeps its last 200 short prepared statements
(\`src/store/db.ts\`); on PostgreSQL short queries run as named prepared statements, planned once
per connection (a 50-row join: 0.69 ms a run unnamed, 0.17 ms prepared); the server checkpoints
SQLite's write-ahead log from a worker thread instead of inside a commit
(\`src/store/checkpointer.ts\`); reading one goal looks up the reader's teams in a subquery instead
of a query of its own; a check-in reads only the rows its body names; a goal's status opens a
write transaction only when its micro-goal mode changes; UTC timestamps from the database are cut
to their day instead of parsed.`;

/** Replaces (or appends) `## <name>` sections of a Markdown file, keeping every other section. */
export function replaceSections(text: string, replacements: Record<string, string>): string {
  const parts = text.split(/^(?=## )/m);
  const done = new Set<string>();
  const out = parts.map((p) => {
    const m = /^## (.+)\n/.exec(p);
    const name = m?.[1]?.trim();
    if (name && replacements[name] !== undefined) {
      done.add(name);
      return `${(replacements[name] as string).trimEnd()}\n\n`;
    }
    return p;
  });
  let result = out.join("");
  for (const [name, body] of Object.entries(replacements)) {
    if (!done.has(name)) result = `${result.trimEnd()}\n\n${body.trimEnd()}\n`;
  }
  return result.endsWith("\n") ? result : `${result}\n`;
}

async function main(): Promise<void> {
  // `npm run bench -- --growth [flags]` measures cost as the workspace
  // grows (bench/growth.ts) instead.
  if (process.argv.includes("--growth")) {
    const { growthMain } = await import("./growth.js");
    return growthMain(process.argv.slice(2).filter((a) => a !== "--growth"));
  }
  const o = readArgs(process.argv.slice(2), process.env);
  if (!existsSync(SERVER)) throw new Error(`No build at ${SERVER}: run npm run build first.`);
  const targets: ["sqlite" | "postgres", string][] = [];
  if (o.sqlite) {
    if (!existsSync(o.sqlite))
      throw new Error(`No database at ${o.sqlite}: run npm run bench:data first (or pass --sqlite none).`);
    targets.push(["sqlite", o.sqlite]);
  }
  if (o.postgres) targets.push(["postgres", o.postgres]);
  if (targets.length === 0)
    throw new Error("Nothing to measure: give --sqlite FILE and/or --postgres URL (or DATABASE_URL).");
  const header = `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC at commit ${commit()} on ${machine()}.`;
  console.error(header);
  const started = performance.now();
  const elapsed: [string, number][] = [];
  let t = performance.now();

  const bareServer = await startChild(BARE, {});
  let bare: Measure = { name: "bare", rps: 1, p50: 0, p99: 0, requests: 0, errors: 0 };
  try {
    if (!o.explainOnly) {
      await load("bare", bareServer.url, [{ method: "GET", path: "/", headers: {} }], {
        duration: 1,
        connections: o.connections,
      });
      bare = await load(
        "GET / (bare Hono JSON)",
        bareServer.url,
        [{ method: "GET", path: "/", headers: {} }],
        o,
      );
    }
  } finally {
    await bareServer.stop();
  }
  console.error(
    `bare     ${bare.name.padEnd(40)} ${bare.rps.toFixed(0).padStart(7)} req/s  p50 ${bare.p50.toFixed(1)} ms  p99 ${bare.p99.toFixed(1)} ms`,
  );

  elapsed.push(["bare route", (performance.now() - t) / 1000]);

  const runs: DialectRun[] = [];
  for (const [kind, where] of targets) runs.push(await runDialect(kind, where, o, bare.rps, elapsed));

  // 5. Once per run: the web navigation, in Chromium (bench/web-nav.mjs as a child process).
  let web: WebNav | null = null;
  if (o.web && !o.explainOnly && o.only === null && !o.readsOnly) {
    t = performance.now();
    web = await webNavigation(o.runs);
    elapsed.push(["web navigation", (performance.now() - t) / 1000]);
    console.error(`web      -- web navigation: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }

  const docFile = join(ROOT, "docs", "benchmarks.md");
  const out: Record<string, string> = {
    ...(o.readsOnly ? {} : sections(runs, bare, o, header)),
    ...(o.explainOnly || o.only !== null || o.readsOnly
      ? {}
      : issue17Sections(runs, o, header, web, readFileSync(docFile, "utf8"), elapsed)),
  };
  if (out.Server) console.log(out.Server);
  // --reads-only prints its reads.
  if (o.readsOnly)
    for (const r of runs)
      for (const m of r.reads)
        console.log(
          `${r.dialect} | ${m.name} | ${m.rps.toFixed(0)} req/s | p50 ${m.p50.toFixed(1)} | p99 ${m.p99.toFixed(1)} | ${m.requests} req${m.errors ? ` | ${m.errors} errors` : ""}`,
        );
  if (out.Targets) console.log(out.Targets);
  if (o.only !== null) for (const r of runs) console.log(hotSummary(r));
  // sched22: `--only … --scheduler` prints the "Scheduler" section and its Targets rows (writes nothing).
  if (o.only !== null && o.scheduler && !o.explainOnly && !o.readsOnly) {
    const s17 = issue17Sections(runs, o, header, web, readFileSync(docFile, "utf8"), elapsed);
    console.log(s17.Scheduler?.split("\n\nThe scheduler's tick in-process")[0] ?? "");
    console.log(
      (s17.Targets ?? "")
        .split("\n")
        .filter((l) => l.includes("scheduler on within 10 %"))
        .join("\n"),
    );
  }
  const detail = join(ROOT, "dist", "bench-build", "explain.json");
  writeFileSync(
    detail,
    JSON.stringify(
      runs.map((r) => ({ dialect: r.dialect, queries: r.queries })),
      null,
      1,
    ),
  );
  console.error(`Every query with its plan: ${detail}`);
  if (o.write) {
    writeFileSync(docFile, replaceSections(readFileSync(docFile, "utf8"), out));
    console.error(`Wrote the ${Object.keys(out).join(", ")} sections of ${docFile}.`);
  }
  console.error(
    `Elapsed: ${elapsed.map(([n, s]) => `${n} ${s.toFixed(0)} s`).join("; ")}; total ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}

// The helpers bench/growth.ts reuses.
export { commit, firstAnswers, load, machine, type Req, startChild, untilIdle };
