/**
 * Cost as the workspace grows (issue 17): the same endpoints and CLI commands on three SQLite
 * workspaces of the same shape and growing size — 10,000, 100,000 and 1,000,000 steps and
 * check-ins (100, 1,000 and 10,000 people; 1,000, 10,000 and 100,000 goals) — made by
 * bench/data.ts's generator with the same seed, so a person owns about 10 goals of about 10 steps
 * and 10 check-ins each at every size. At each size it picks, deterministically, a person whose own
 * data is the same size (exactly 10 own goals, own steps and check-ins nearest 100) and the leader
 * of the first team (exactly 50 people once the workspace has 50), and measures:
 *
 * - the built server (dist/server/main.js, started as bench/run.ts starts it): a check-in (by a
 *   second person of the same shape, so the reader's data never changes), my week, a goal's status,
 *   the team view, the coach's lint and `GET /api/report` as the member and as the leader —
 *   autocannon, a 1 s warm-up then a short run (5 s, 10 connections by default): p50, p99, req/s;
 * - the CLI's `week`, `status <goal>` and `report` as new processes in local mode on the file
 *   (as bench/cli.ts runs it): one warm-up, then the median of 5.
 *
 * Then it writes the "## Growth" section of docs/benchmarks.md: p99 (median for the CLI) at each
 * size and largest ÷ smallest, against "within 20 %" for a person's own pages and "grows with the
 * team, not the workspace" for a leader's.
 *
 *   npm run bench:growth -- [--largest FILE] [--dir /tmp/throughline-growth] [--sizes 10000,100000,1000000]
 *                           [--duration 5] [--warm-up 1] [--connections 10] [--runs 5]
 *                           [--only report,status] [--no-write]
 *
 * --only measures only the rows whose name holds one of the parts given (to re-run rows a noisy
 * run left undecided) and never writes the section. Every row also reports CPU ms (the server's
 * per request, the CLI's per process, from /proc), which other work on a shared machine moves
 * less than the latencies.
 *   npm run bench -- --growth [the same flags]
 *
 * --largest reuses a database made by `npm run bench:data` (1,000,000 steps takes ~40 min to
 * build) for the largest size; the smaller ones are cached in --dir and built when missing (as is
 * the largest without --largest). The run WRITES to each database and undoes it: API tokens named
 * "growth", the check-ins it adds (with their events), and, while the CLI runs, the chosen person
 * marked as the command line's local owner (`users.is_local`, how local mode picks who it acts
 * as), set back afterwards. The goal roll-ups and report aggregates it computes stay, as after any
 * read.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import SQLite from "better-sqlite3";
import { appContext } from "../src/app/context.js";
import { goalStatus } from "../src/app/evaluation/status.js";
import { hashToken } from "../src/app/people/secrets.js";
import { openStore } from "../src/store/db.js";
import { type DataOptions, generate } from "./data.js";
import {
  commit,
  firstAnswers,
  lastIds,
  load,
  type Measure,
  machine,
  type Req,
  removeRunRows,
  replaceSections,
  startChild,
  untilIdle,
} from "./run.js";
import { startFlags } from "./server-command.js";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
const SERVER = join(ROOT, "dist", "server", "main.js");
const BIN = join(ROOT, "bin", "throughline.js");
const DOCS = join(ROOT, "docs", "benchmarks.md");
const TOKEN_NAME = "growth";
/** The shape kept at every size: people and goals per step. */
const STEPS_PER_PERSON = 100;
const STEPS_PER_GOAL = 10;
const SEED = 1;
/**
 * The size of the member's team, within MEMBER_TEAM_SLACK (growth21): the report counts the team's
 * goals, so a member in a team of 26 at one size and 44 at another is not the same shape. The
 * generator's teams are 5 to 50 people; the smallest workspace's second team is 44.
 */
const MEMBER_TEAM = 40;
const MEMBER_TEAM_SLACK = 5;
/** A person's own pages may grow at most this much from the smallest workspace to the largest. */
const FLAT = 1.2;

/** What to measure. */
export interface GrowthOptions {
  /** Steps (and check-ins) of each workspace, smallest first. */
  sizes: number[];
  /** A database of the largest size to reuse instead of building one. */
  largest: string | null;
  /** Where the built workspaces are cached. */
  dir: string;
  duration: number;
  /** Seconds of load before each measured window, after each reader's first answer (default 1). */
  warmUp: number;
  connections: number;
  /** CLI runs per command after one warm-up (the median is reported). */
  runs: number;
  /** Today for newly built workspaces (YYYY-MM-DD). */
  today: string;
  /**
   * Only the rows whose name contains one of these (case-insensitive), e.g. ["report", "status"]:
   * to re-run the rows a noisy run left undecided. Null: every row.
   */
  only?: string[] | null;
  /** Progress lines (stderr by default). */
  log?: (line: string) => void;
}

/** One row of the table: an endpoint or command, measured at each size. */
export interface GrowthRow {
  name: string;
  /** Whose page it is: a person's own (must stay flat), a leader's (grows with the team) or neither. */
  kind: "own" | "leader" | "other";
  /** "p99" for the server's endpoints (autocannon), "median" for the CLI's commands. */
  stat: "p99" | "median";
  /** The figure (ms) at each size, in the order of `GrowthResult.sizes`. */
  ms: (number | null)[];
  /** The server's full measure at each size (null for the CLI). */
  measures: (Measure | null)[];
  /**
   * CPU ms at each size (growth21): the server process's CPU time over the measured window divided
   * by its requests, or the CLI process's CPU time (median of the runs); null where /proc is
   * missing. What the work costs, less moved by other load on the machine than the latencies.
   */
  cpu: (number | null)[];
  cpuRatio: number | null;
  ratio: number | null;
  verdict: string;
}

/** One workspace measured. */
export interface SizeInfo {
  steps: number;
  file: string;
  counts: Record<string, number>;
  member: Person;
  writer: Person;
  leader: { userId: number; teamId: number; teamSize: number };
  statusGoal: { id: number; steps: number; checkins: number };
}

interface Person {
  userId: number;
  goals: number;
  steps: number;
  checkins: number;
  /** The largest team the person is in (its team-visible goals are in their report). */
  teamSize: number;
}

export interface GrowthResult {
  sizes: SizeInfo[];
  rows: GrowthRow[];
  markdown: string;
}

const fmt = (n: number, d = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
let ticksPerSecond: number | null = null;

/**
 * CPU ms (user + system) from /proc/PID/stat (Linux), of the process itself or, with `children`,
 * of its children it has waited for; null where /proc is missing. Resolution: one clock tick
 * (10 ms), so the server's figure is taken over a whole window and divided by its requests.
 */
export function cpuMsOf(pid: number | "self", children = false): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  if (ticksPerSecond === null) {
    const r = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
    ticksPerSecond = Number(r.stdout?.trim()) || 100;
  }
  return cpuMsOfStat(stat, children, ticksPerSecond);
}

/** The CPU ms a /proc/PID/stat line holds: utime + stime, or cutime + cstime with `children`. */
export function cpuMsOfStat(stat: string, children: boolean, ticks = 100): number {
  // The name (field 2) may hold spaces and parentheses: count the fields after its last ")".
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const at = children ? 13 : 11;
  return ((Number(f[at]) + Number(f[at + 1])) * 1000) / ticks;
}

/** The median of some numbers (the mean of the middle two for an even count). */
function median(xs: number[]): number {
  const ms = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(ms.length / 2);
  return ms.length % 2 ? (ms[mid] as number) : ((ms[mid - 1] as number) + (ms[mid] as number)) / 2;
}

/** The generator's options for a workspace of `steps` steps. */
export function shapeOf(steps: number, today: string): DataOptions {
  const users = Math.max(1, Math.round(steps / STEPS_PER_PERSON));
  return {
    users,
    goals: Math.max(users, Math.round(steps / STEPS_PER_GOAL)),
    steps,
    checkins: steps,
    seed: SEED,
    today,
  };
}

/** The cached workspace of `steps` steps, built when missing (or when its shape differs). */
async function workspace(o: GrowthOptions, steps: number, log: (l: string) => void): Promise<string> {
  mkdirSync(o.dir, { recursive: true });
  const file = join(o.dir, `growth-${steps}.db`);
  const meta = `${file}.json`;
  const shape = shapeOf(steps, o.today);
  if (existsSync(file) && existsSync(meta)) {
    const had = JSON.parse(readFileSync(meta, "utf8")) as DataOptions;
    if (
      had.users === shape.users &&
      had.goals === shape.goals &&
      had.steps === shape.steps &&
      had.checkins === shape.checkins &&
      had.seed === shape.seed
    ) {
      log(`Reusing ${file} (built for ${had.today}).`);
      return file;
    }
  }
  for (const s of ["", "-wal", "-shm", ".json"]) rmSync(file + s, { force: true });
  log(
    `Building ${file}: ${fmt(shape.users)} people, ${fmt(shape.goals)} goals, ${fmt(steps)} steps and check-ins.`,
  );
  const t = await generate({ kind: "sqlite", file }, shape);
  writeFileSync(meta, `${JSON.stringify({ ...shape, seconds: t.total })}\n`);
  return file;
}

/**
 * People whose own data is the target size, best first: own goals nearest `goals` (exactly, at the
 * generated sizes) with an active one; outside the first team where there are such people (so the
 * leader's view does not change while one of them checks in); own steps and check-ins nearest
 * `goals × STEPS_PER_GOAL`; then the lowest id. Never the workspace owner or the leader.
 */
function peopleOfShape(db: SQLite.Database, goals: number, leader: SizeInfo["leader"]): Person[] {
  const want = goals * STEPS_PER_GOAL;
  return db
    .prepare(
      `with own as (
         select g.owner_id as userId, count(*) as goals,
                sum(case when g.status = 'active' then 1 else 0 end) as active,
                sum((select count(*) from steps s where s.goal_id = g.id)) as steps,
                sum((select count(*) from checkins c where c.goal_id = g.id)) as checkins
         from goals g group by g.owner_id)
       select userId, goals, steps, checkins,
              coalesce((select max((select count(*) from memberships x where x.team_id = m.team_id))
                        from memberships m where m.user_id = own.userId), 0) as teamSize
       from own
       where active > 0 and userId not in (1, ?)
       order by abs(goals - ?),
                userId in (select user_id from memberships where team_id = ?),
                abs(teamSize - ?) > ?,
                abs(steps - ?) + abs(checkins - ?), userId
       limit 20`,
    )
    .all(leader.userId, goals, leader.teamId, MEMBER_TEAM, MEMBER_TEAM_SLACK, want, want) as Person[];
}

/**
 * The active goal of `userId` nearest STEPS_PER_GOAL steps and check-ins (then lowest id), one in
 * normal mode where there is one (growth21): a goal in micro-goal mode shows a leader prompt, so
 * its status asks the policy whom the reader leads (+0.37 ms CPU in-process) — a different page,
 * not a bigger workspace. `goals.mode` is what the status read stores.
 */
function goalOfShape(db: SQLite.Database, userId: number): SizeInfo["statusGoal"] {
  const g = db
    .prepare(
      `select id, (select count(*) from steps s where s.goal_id = g.id) as steps,
              (select count(*) from checkins c where c.goal_id = g.id) as checkins
       from goals g where owner_id = ? and status = 'active'
       order by g.mode <> 'normal', abs(steps - ?) + abs(checkins - ?), id limit 1`,
    )
    .get(userId, STEPS_PER_GOAL, STEPS_PER_GOAL) as SizeInfo["statusGoal"] | undefined;
  if (!g) throw new Error(`Person ${userId} has no active goal.`);
  return g;
}

/** How far a goal is from STEPS_PER_GOAL steps and check-ins. */
function offShape(g: SizeInfo["statusGoal"]): number {
  return Math.abs(g.steps - STEPS_PER_GOAL) + Math.abs(g.checkins - STEPS_PER_GOAL);
}

/** The first team (the generator makes it exactly 50 people) and its leader. */
function firstTeam(db: SQLite.Database): SizeInfo["leader"] {
  const r = db
    .prepare(
      `select m.team_id as teamId, m.user_id as userId,
              (select count(*) from memberships x where x.team_id = m.team_id) as teamSize
       from memberships m where m.role = 'leader' order by m.team_id, m.user_id limit 1`,
    )
    .get() as SizeInfo["leader"] | undefined;
  if (!r) throw new Error("The workspace has no team with a leader: was it made by npm run bench:data?");
  return r;
}

function countsOf(db: SQLite.Database): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of ["users", "goals", "steps", "checkins"])
    counts[t] = (db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n;
  return counts;
}

function token(db: SQLite.Database, userId: number): string {
  const t = `tl_${randomBytes(32).toString("base64url")}`;
  db.prepare(
    "insert into api_tokens (user_id, name, prefix, token_hash, created_at) values (?, ?, ?, ?, ?)",
  ).run(userId, TOKEN_NAME, t.slice(0, 10), hashToken(t), new Date().toISOString());
  return t;
}

const LINT_TEXTS = [
  "Email Raj the revised sponsorship deck by Friday",
  "Work on the marketing strategy",
  "Increase revenue",
  "Call Dana to book the podcast slot and draft the welcome email and fix the site",
  "Think about hiring",
];

/** The endpoints, in the order they are measured (the check-in first, as bench/run.ts does). */
function endpoints(
  info: SizeInfo,
  tokens: { member: string; writer: string; leader: string },
  writerGoal: { id: number; krIds: number[] },
  teamRoute: string | null,
): { name: string; kind: GrowthRow["kind"]; reqs: Req[] }[] {
  const h = (t: string) => ({ authorization: `Bearer ${t}`, "content-type": "application/json" });
  const get = (path: string, t: string): Req[] => [{ method: "GET", path, headers: h(t) }];
  return [
    {
      name: "POST /api/goals/{id}/checkins",
      kind: "other",
      reqs: Array.from({ length: 50 }, (_, i) => ({
        method: "POST",
        path: `/api/goals/${writerGoal.id}/checkins`,
        headers: h(tokens.writer),
        body: JSON.stringify({
          krValues: writerGoal.krIds.map((id, k) => ({ keyResultId: id, value: 100 + i + k })),
          confidence: "on-track",
          doneText: "Sent the deck to Raj",
          nextStep: "Draft the welcome email",
        }),
      })),
    },
    { name: "GET /api/week", kind: "own", reqs: get("/api/week", tokens.member) },
    {
      name: "GET /api/goals/{id}/status",
      kind: "own",
      reqs: get(`/api/goals/${info.statusGoal.id}/status`, tokens.member),
    },
    ...(teamRoute
      ? [
          {
            name: `GET ${teamRoute} (leader)`,
            kind: "leader" as const,
            reqs: get(teamRoute.replace("{id}", String(info.leader.teamId)), tokens.leader),
          },
        ]
      : []),
    {
      name: "POST /api/coach/lint (5 steps)",
      kind: "other",
      reqs: [
        {
          method: "POST",
          path: "/api/coach/lint",
          headers: h(tokens.member),
          body: JSON.stringify({ texts: LINT_TEXTS, as: "step" }),
        },
      ],
    },
    { name: "GET /api/report (member)", kind: "own", reqs: get("/api/report", tokens.member) },
    { name: "GET /api/report (leader)", kind: "leader", reqs: get("/api/report", tokens.leader) },
  ];
}

/** The CLI commands, as the chosen person (member) or the leader. */
function commands(info: SizeInfo): { name: string; kind: GrowthRow["kind"]; as: number; args: string[] }[] {
  return [
    { name: "throughline week", kind: "own", as: info.member.userId, args: ["week"] },
    {
      name: "throughline status <goal>",
      kind: "own",
      as: info.member.userId,
      args: ["status", String(info.statusGoal.id)],
    },
    { name: "throughline report (member)", kind: "own", as: info.member.userId, args: ["report"] },
    { name: "throughline report (leader)", kind: "leader", as: info.leader.userId, args: ["report"] },
  ];
}

/**
 * Runs the CLI `runs` times (after one warm-up) as a new process each: the median wall-clock ms,
 * and the median CPU ms of the process (null where /proc is missing).
 */
function timeCli(
  file: string,
  args: string[],
  runs: number,
  dir: string,
): { ms: number; cpu: number | null } {
  const env: NodeJS.ProcessEnv = { ...process.env, THROUGHLINE_CONFIG: join(dir, "no-login.json") };
  delete env.THROUGHLINE_DB;
  delete env.DATABASE_URL;
  const once = () => {
    const c = cpuMsOf("self", true);
    const t = performance.now();
    const r = spawnSync(process.execPath, [BIN, ...args, "--db", file], {
      env,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const ms = performance.now() - t;
    const c2 = cpuMsOf("self", true);
    if (r.error || r.status !== 0)
      throw new Error(
        `throughline ${args.join(" ")} --db ${file} exited ${r.status ?? "abnormally"}: ${r.error?.message ?? r.stderr.trim().split("\n")[0]}`,
      );
    return { ms, cpu: c === null || c2 === null ? null : c2 - c };
  };
  once();
  const all = Array.from({ length: runs }, once);
  const cpus = all.flatMap((r) => (r.cpu === null ? [] : [r.cpu]));
  return { ms: median(all.map((r) => r.ms)), cpu: cpus.length === all.length ? median(cpus) : null };
}

/** Whether a row is to be measured (`GrowthOptions.only`). */
export function wanted(name: string, only: readonly string[] | null | undefined): boolean {
  return !only || only.length === 0 || only.some((o) => name.toLowerCase().includes(o.toLowerCase()));
}

/** Measures one workspace: the server's endpoints, then the CLI's commands. */
async function measureSize(
  o: GrowthOptions,
  steps: number,
  file: string,
  log: (l: string) => void,
): Promise<{
  info: SizeInfo;
  server: Map<string, Measure>;
  cli: Map<string, number>;
  cpu: Map<string, number | null>;
  teamRoute: string | null;
}> {
  const db = new SQLite(file);
  db.pragma("busy_timeout = 10000");
  const store = openStore({ file });
  // Left behind by an interrupted run: nobody in a generated workspace is the local owner.
  db.prepare("update users set is_local = 0 where is_local = 1 and email like '%@bench.test'").run();
  db.prepare("delete from api_tokens where name = ?").run(TOKEN_NAME);
  const before = await lastIds(store.db);
  const server = new Map<string, Measure>();
  const cli = new Map<string, number>();
  const cpu = new Map<string, number | null>();
  let teamRoute: string | null = null;
  try {
    const counts = countsOf(db);
    const leader = firstTeam(db);
    const goalsEach = Math.round(counts.goals / Math.max(1, counts.users));
    // growth21: of the people of the same shape, the member is the one whose own active goal is
    // nearest STEPS_PER_GOAL steps and check-ins (the goal whose status is read): before, the first
    // person's nearest goal was read whatever its shape (7 steps and 8 check-ins at 100,000 steps).
    const shaped = peopleOfShape(db, goalsEach, leader)
      .map((p, rank) => ({ p, rank, goal: goalOfShape(db, p.userId) }))
      .sort(
        (a, b) =>
          Number(Math.abs(a.p.teamSize - MEMBER_TEAM) > MEMBER_TEAM_SLACK) -
            Number(Math.abs(b.p.teamSize - MEMBER_TEAM) > MEMBER_TEAM_SLACK) ||
          offShape(a.goal) - offShape(b.goal) ||
          a.rank - b.rank,
      );
    // growth21: a goal in micro-goal mode is another page (a leader prompt, so the policy is asked
    // whom the reader leads), and a generated goal's mode is stored only by its first status read:
    // read each candidate's status first (as any reader would) and take the first in normal mode.
    const ctx = appContext(store);
    let pick = 0;
    for (const [i, c] of shaped.entries()) {
      const ws = db.prepare("select workspace_id as w from users where id = ?").get(c.p.userId) as {
        w: number;
      };
      const st = await goalStatus(ctx, { userId: c.p.userId, workspaceId: ws.w }, c.goal.id);
      if (st.mode === "normal" && st.leaderPrompt === null) {
        pick = i;
        break;
      }
    }
    const [chosen] = shaped.splice(pick, 1);
    shaped.unshift(chosen as (typeof shaped)[number]);
    const member = shaped[0]?.p;
    const writer = shaped[1]?.p;
    if (!member || !writer)
      throw new Error(
        `${file} has fewer than two people with an active goal besides the owner and the leader.`,
      );
    const info: SizeInfo = {
      steps,
      file,
      counts,
      member,
      writer,
      leader,
      statusGoal: shaped[0]?.goal as SizeInfo["statusGoal"],
    };
    const wg = goalOfShape(db, writer.userId);
    const krIds = (
      db.prepare("select id from key_results where goal_id = ? order by id").all(wg.id) as { id: number }[]
    ).map((k) => k.id);
    log(
      `${fmt(steps)} steps: ${fmt(counts.users)} people, ${fmt(counts.goals)} goals, ${fmt(counts.steps)} steps, ${fmt(counts.checkins)} check-ins; ` +
        `member ${member.userId} (${member.goals} goals, ${member.steps} steps, ${member.checkins} check-ins, team of ${member.teamSize}; status of goal ${info.statusGoal.id}), ` +
        `writer ${writer.userId} (goal ${wg.id}), leader ${leader.userId} of team ${leader.teamId} (${leader.teamSize} people)`,
    );
    const tokens = {
      member: token(db, member.userId),
      writer: token(db, writer.userId),
      leader: token(db, leader.userId),
    };

    const child = await startChild(
      SERVER,
      { THROUGHLINE_DB: file, DATABASE_URL: "", THROUGHLINE_SCHEDULER: "off" },
      startFlags(ROOT),
    );
    try {
      const doc = (await (await fetch(`${child.url}/api/openapi.json`)).json()) as {
        paths: Record<string, unknown>;
      };
      teamRoute = Object.keys(doc.paths).find((p) => /^\/api\/teams\/\{id\}\/overview$/.test(p)) ?? null;
      const pid = child.child.pid;
      for (const e of endpoints(info, tokens, { id: wg.id, krIds }, teamRoute)) {
        if (!wanted(e.name, o.only)) continue;
        // growth21: each reader's first answer awaited before the warm-up (as bench/run.ts does):
        // the day's first report computes every counted goal's rows (seconds at 1,000,000 steps),
        // between queries that let the health check answer, so `untilIdle` alone let that spill
        // into the measured window.
        await firstAnswers(child.url, e.reqs, o.connections);
        await load(e.name, child.url, e.reqs, { duration: o.warmUp, connections: o.connections });
        await untilIdle(child.url);
        const c0 = pid === undefined ? null : cpuMsOf(pid);
        const m = await load(e.name, child.url, e.reqs, { duration: o.duration, connections: o.connections });
        const c1 = pid === undefined ? null : cpuMsOf(pid);
        await untilIdle(child.url);
        server.set(e.name, m);
        const perRequest = c0 === null || c1 === null || m.requests === 0 ? null : (c1 - c0) / m.requests;
        cpu.set(e.name, perRequest);
        log(
          `  ${e.name.padEnd(36)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(1)} ms  p99 ${m.p99.toFixed(1)} ms${perRequest === null ? "" : `  CPU ${perRequest.toFixed(2)} ms/request`}${m.errors ? `  ${m.errors} errors` : ""}  (load ${loadavg()[0]?.toFixed(1)})`,
        );
      }
    } finally {
      await child.stop();
    }

    const tmp = join(tmpdir(), `throughline-growth-${process.pid}`);
    mkdirSync(tmp, { recursive: true });
    try {
      for (const c of commands(info)) {
        if (!wanted(c.name, o.only)) continue;
        // Local mode acts as the first local owner: make the person it should act as that, for now.
        db.prepare("update users set is_local = 1 where id = ?").run(c.as);
        try {
          const t = timeCli(file, c.args, o.runs, tmp);
          cli.set(c.name, t.ms);
          cpu.set(c.name, t.cpu);
          log(
            `  ${c.name.padEnd(36)} median ${t.ms.toFixed(0)} ms${t.cpu === null ? "" : `, CPU ${t.cpu.toFixed(0)} ms`} (as ${c.as}, load ${loadavg()[0]?.toFixed(1)})`,
          );
        } finally {
          db.prepare("update users set is_local = 0 where id = ?").run(c.as);
        }
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    return { info, server, cli, cpu, teamRoute };
  } finally {
    await removeRunRows(store.db, before, TOKEN_NAME);
    await store.close();
    db.close();
  }
}

/** The verdict for a row, from its figures at the smallest and largest sizes. */
export function verdict(
  row: Omit<GrowthRow, "ratio" | "verdict" | "cpu" | "cpuRatio">,
  teamGrowth: number,
): Pick<GrowthRow, "ratio" | "verdict"> {
  const first = row.ms[0];
  const last = row.ms[row.ms.length - 1];
  if (first === null || first === undefined || last === null || last === undefined)
    return { ratio: null, verdict: "not measured" };
  const ratio = first > 0 ? last / first : last > 0 ? Number.POSITIVE_INFINITY : 1;
  // autocannon reports whole milliseconds: a difference of 1 ms is below what it can tell apart.
  const withinResolution = row.stat === "p99" && last - first <= 1;
  const ok = (limit: number) =>
    ratio <= limit ? "met" : withinResolution ? "met (within autocannon's 1 ms)" : "**missed**";
  if (row.kind === "own") return { ratio, verdict: `${ok(FLAT)} (≤ ${fmt(FLAT, 2)})` };
  if (row.kind === "leader")
    return {
      ratio,
      verdict: `${ok(FLAT * teamGrowth)} (≤ ${fmt(FLAT * teamGrowth, 2)}: team ×${fmt(teamGrowth, 2)})`,
    };
  return { ratio, verdict: "–" };
}

/** Measures every size and returns the rows and the "## Growth" section. */
export async function measureGrowth(opts: GrowthOptions): Promise<GrowthResult> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  if (!existsSync(SERVER)) throw new Error(`No build at ${SERVER}: run npm run build first.`);
  const bundle = statSync(join(ROOT, "dist", "cli-bundle", "throughline.cjs"), { throwIfNoEntry: false });
  const cliJs = statSync(join(ROOT, "dist", "cli", "bin.js"), { throwIfNoEntry: false });
  const unbundled = !bundle || (cliJs !== undefined && bundle.mtimeMs < cliJs.mtimeMs);
  if (unbundled)
    log(
      "Note: the CLI bundle is missing or older than dist/cli, so the CLI runs unbundled (slower start): use npm run bench:growth, which builds it.",
    );
  const started = new Date();
  // The machine line carries the load average at the start.
  const machineAtStart = machine();
  const sizes = [...opts.sizes].sort((a, b) => a - b);
  const per: Awaited<ReturnType<typeof measureSize>>[] = [];
  for (const [i, steps] of sizes.entries()) {
    const isLargest = i === sizes.length - 1;
    let file: string;
    if (isLargest && opts.largest) {
      file = resolve(opts.largest);
      if (!existsSync(file))
        throw new Error(`No database at ${file} (--largest): run npm run bench:data first.`);
    } else file = await workspace(opts, steps, log);
    per.push(await measureSize(opts, steps, file, log));
  }
  const infos = per.map((p) => p.info);
  const first = infos[0];
  const last = infos[infos.length - 1];
  const teamGrowth = first && last ? last.leader.teamSize / Math.max(1, first.leader.teamSize) : 1;
  const rows: GrowthRow[] = [];
  const cpuOf = (name: string): Pick<GrowthRow, "cpu" | "cpuRatio"> => {
    const cpu = per.map((p) => p.cpu.get(name) ?? null);
    const a = cpu[0];
    const z = cpu[cpu.length - 1];
    return { cpu, cpuRatio: a && z !== null && z !== undefined ? z / a : null };
  };
  for (const name of per[0]?.server.keys() ?? []) {
    const measures = per.map((p) => p.server.get(name) ?? null);
    const kind: GrowthRow["kind"] = name.includes("(leader)")
      ? "leader"
      : /\/week$|\/status$|report \(member\)/.test(name)
        ? "own"
        : "other";
    const base = { name, kind, stat: "p99" as const, ms: measures.map((m) => (m ? m.p99 : null)), measures };
    rows.push({ ...base, ...verdict(base, teamGrowth), ...cpuOf(name) });
  }
  for (const name of per[0]?.cli.keys() ?? []) {
    const kind: GrowthRow["kind"] = name.includes("(leader)") ? "leader" : "own";
    const base = {
      name,
      kind,
      stat: "median" as const,
      ms: per.map((p) => p.cli.get(name) ?? null),
      measures: per.map(() => null),
    };
    rows.push({ ...base, ...verdict(base, teamGrowth), ...cpuOf(name) });
  }
  const markdown = growthSection(opts, infos, rows, started, machineAtStart).concat(
    unbundled
      ? "\n\nThe CLI ran unbundled (dist/cli: the bundle was missing or older), which starts slower than `npm run bench:growth` measures."
      : "",
  );
  return { sizes: infos, rows, markdown };
}

function growthSection(
  o: GrowthOptions,
  infos: SizeInfo[],
  rows: GrowthRow[],
  started: Date,
  machineAtStart: string,
): string {
  const la = (x: number[]) => x.map((n) => n.toFixed(1)).join(" / ");
  const head = infos.map((s) => `${fmt(s.counts.steps ?? s.steps)} steps`);
  const cell = (n: number | null) => (n === null ? "–" : fmt(n));
  const flags = [
    o.sizes.join(",") === "10000,100000,1000000" ? "" : ` --sizes ${o.sizes.join(",")}`,
    o.largest ? " --largest FILE" : "",
    o.only?.length ? ` --only ${o.only.join(",")}` : "",
    o.warmUp === 1 ? "" : ` --warm-up ${o.warmUp}`,
  ].join("");
  const command = `npm run bench:growth${flags ? ` --${flags}` : ""}`;
  return [
    "## Growth",
    "",
    `Measured ${started.toISOString().slice(0, 16).replace("T", " ")} UTC at commit ${commit()} on ${machineAtStart}; load average ${la(loadavg())} at the end.`,
    "",
    `\`${command}\` (\`bench/growth.ts\`) — the same endpoints and commands on SQLite workspaces of the same shape and growing size, made by \`bench/data.ts\` with seed ${SEED}: one person per ${STEPS_PER_PERSON} steps, one goal per ${STEPS_PER_GOAL} steps, as many check-ins as steps, so a person owns about ${STEPS_PER_PERSON / STEPS_PER_GOAL} goals at every size. At each size the member is the person with own goals nearest ${STEPS_PER_PERSON / STEPS_PER_GOAL} (exactly that at the generated sizes) and own steps and check-ins nearest ${STEPS_PER_PERSON} (outside the first team where the workspace has more people, in a team of ${MEMBER_TEAM - MEMBER_TEAM_SLACK}–${MEMBER_TEAM + MEMBER_TEAM_SLACK} people where there is one, never the workspace owner or the leader; \`peopleOfShape\`) and, of those, the one whose active goal is nearest ${STEPS_PER_GOAL} steps and check-ins, taking the first whose goal's status, read once before, is in normal mode (no leader prompt): its status is read, the check-ins are written by the next such person, and the leader leads the first team. The server runs as \`npm start\` runs it, scheduler off; autocannon, ${o.connections} connections, ${o.duration} s per endpoint after each reader's first answer and a ${o.warmUp} s warm-up, one request repeated (the check-in: 50 bodies in turn); its CPU is the server process's CPU time over the measured window (/proc) divided by the requests answered. The CLI runs as a new process in local mode on the file (\`node bin/throughline.js … --db FILE\`, acting as the person), one warm-up, then the median of ${o.runs} (its CPU: the median of the processes' CPU time).`,
    "",
    "| workspace | people | goals | steps | check-ins | member (own goals / steps / check-ins / team) | status goal (steps / check-ins) | leader (team size) |",
    "| --- | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ...infos.map(
      (s) =>
        `| ${s.file.startsWith(o.dir) ? `growth-${s.steps}.db` : "--largest"} | ${fmt(s.counts.users ?? 0)} | ${fmt(s.counts.goals ?? 0)} | ${fmt(s.counts.steps ?? 0)} | ${fmt(s.counts.checkins ?? 0)} | #${s.member.userId} (${s.member.goals} / ${s.member.steps} / ${s.member.checkins} / ${s.member.teamSize}) | #${s.statusGoal.id} (${s.statusGoal.steps} / ${s.statusGoal.checkins}) | #${s.leader.userId} (${s.leader.teamSize}) |`,
    ),
    "",
    `| endpoint or command | ms at ${head.join(" | ")} | largest ÷ smallest | target |`,
    `| --- | ${head.map(() => "---:").join(" | ")} | ---: | --- |`,
    ...rows.map(
      (r) =>
        `| \`${r.name}\` (${r.stat}) | ${r.ms.map((n) => cell(n)).join(" | ")} | ${r.ratio === null ? "–" : fmt(r.ratio, 2)} | ${r.kind === "own" ? "a person's own: within 20 %" : r.kind === "leader" ? "a leader's: grows with the team, not the workspace" : "none"}: ${r.verdict} |`,
    ),
    "",
    "CPU ms (the server: per request; the CLI: per process), less moved by other work on the machine than the times above:",
    "",
    `| endpoint or command | ${head.join(" | ")} | largest ÷ smallest |`,
    `| --- | ${head.map(() => "---:").join(" | ")} | ---: |`,
    ...rows.map(
      (r) =>
        `| \`${r.name}\` | ${r.cpu.map((n) => (n === null ? "–" : fmt(n, r.stat === "p99" ? 2 : 0))).join(" | ")} | ${r.cpuRatio === null ? "–" : fmt(r.cpuRatio, 2)} |`,
    ),
    "",
    "The server's figures in full (p50 / p99 ms, req/s):",
    "",
    `| endpoint | ${head.join(" | ")} |`,
    `| --- | ${head.map(() => "---").join(" | ")} |`,
    ...rows
      .filter((r) => r.stat === "p99")
      .map(
        (r) =>
          `| \`${r.name}\` | ${r.measures.map((m) => (m ? `${fmt(m.p50, 1)} / ${fmt(m.p99, 1)}, ${fmt(m.rps)}/s${m.errors ? `, ${m.errors} errors` : ""}` : "–")).join(" | ")} |`,
      ),
    "",
    `A person's own pages (my week, a goal's status, the member's report; \`week\`, \`status\`, the member's \`report\`) must stay within ${Math.round((FLAT - 1) * 100)} % from the smallest workspace to the largest; a leader's (the team view, the leader's report) may grow with the team (the same size at every scale here) but not with the workspace: within ${Math.round((FLAT - 1) * 100)} % times the team's growth. autocannon reports whole milliseconds, so a difference of 1 ms counts as flat. The report counts every goal the reader may see, which includes the workspace-visible goals of everyone (about 3 % of the generated goals).`,
  ].join("\n");
}

/** Reads the flags; every problem is listed at once. */
export function readGrowthArgs(argv: readonly string[]): {
  options: GrowthOptions;
  write: boolean;
  problems: string[];
} {
  const flags = new Map<string, string>();
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--no-write") flags.set("no-write", "1");
    else if (a.startsWith("--") && i + 1 < argv.length) flags.set(a.slice(2), argv[++i] as string);
    else
      problems.push(
        `Unknown argument '${a}'. Use [--largest FILE] [--dir DIR] [--sizes 10000,100000,1000000] [--duration 5] [--warm-up 1] [--connections 10] [--runs 5] [--only report,status] [--today YYYY-MM-DD] [--no-write].`,
      );
  }
  const num = (name: string, fallback: number, min: number, max: number) => {
    const text = flags.get(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max)
      problems.push(`--${name} '${text}' must be a whole number from ${min} to ${max}.`);
    return n;
  };
  const sizes = (flags.get("sizes") ?? "10000,100000,1000000")
    .split(",")
    .map((s) => Number(s.trim().replaceAll("_", "")));
  if (sizes.length < 2 || sizes.some((n) => !Number.isInteger(n) || n < 1000))
    problems.push(
      `--sizes '${flags.get("sizes")}' must list at least two whole numbers of steps, each at least 1000, e.g. --sizes 10000,100000,1000000.`,
    );
  const today = flags.get("today") ?? new Date().toISOString().slice(0, 10);
  // growth21: a few rows again (a name's part each); never written over the whole section.
  const only = (flags.get("only") ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  if (flags.has("only") && only.length === 0)
    problems.push("--only '' names no row. Use a part of a row's name, e.g. --only report,status.");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) problems.push(`--today '${today}' must be YYYY-MM-DD.`);
  return {
    options: {
      sizes,
      largest: flags.get("largest") ?? null,
      dir: resolve(flags.get("dir") ?? "/tmp/throughline-growth"),
      duration: num("duration", 5, 1, 60),
      warmUp: num("warm-up", 1, 1, 60),
      connections: num("connections", 10, 1, 100),
      runs: num("runs", 5, 1, 50),
      today,
      only: only.length ? only : null,
    },
    write: !flags.has("no-write") && only.length === 0,
    problems,
  };
}

/** `npm run bench:growth` and `npm run bench -- --growth`: measures, prints, writes the section. */
export async function growthMain(argv: readonly string[]): Promise<void> {
  const { options, write, problems } = readGrowthArgs(argv);
  if (problems.length) throw new Error(`bench:growth cannot start:\n  - ${problems.join("\n  - ")}`);
  const r = await measureGrowth(options);
  process.stdout.write(`\n${r.markdown}\n`);
  if (write) {
    writeFileSync(DOCS, replaceSections(readFileSync(DOCS, "utf8"), { Growth: r.markdown }));
    process.stderr.write(`Wrote the Growth section of ${DOCS}.\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  growthMain(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
