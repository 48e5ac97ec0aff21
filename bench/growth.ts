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
 *   second person of the same shape who shares no team with the reader, so the reader's data never
 *   changes), my week, a goal's status, the team view, the coach's lint and `GET /api/report` as
 *   the member and as the leader — autocannon, 10 connections: p50, p99 (from each response's own
 *   time), req/s and the server's CPU per request;
 * - the CLI's `week`, `status <goal>` and `report` as new processes in local mode on the file
 *   (as bench/cli.ts runs it).
 *
 * growth26: in ROUNDS. Every size's server is started first and stays up for the whole run (an
 * idle server, scheduler off, costs memory, not CPU; restarting per round would cost each size a
 * start and a cold first answer per round — seconds for the day's first report at 1,000,000 steps —
 * and would measure a colder server than the one people use). Each round runs every endpoint at
 * every size, one endpoint at a time with its windows at the sizes back to back (seconds apart),
 * the sizes' order rotated by one each round (`roundOrder`); then `--runs` CLI passes, each every
 * command at every size in that order. A row's verdict (`verdict`, bench/paired.ts) is on the
 * median over rounds of largest ÷ smallest with its 90 % bootstrap interval: met when the whole
 * interval is within the limit, missed when the whole interval is above it, else not decided. The
 * single-window run of 07:54 UTC (one 5 s window per size, sizes in order) called rows missed on
 * a 100,000-step workspace that was slowest on every row — the machine, not the code.
 *
 * Then it writes the "## Growth" section of docs/benchmarks.md: each size's median over rounds,
 * the ratio's median and interval, the CPU beside, against "within 20 %" for a person's own pages
 * and "grows with the team, not the workspace" for a leader's.
 *
 *   npm run bench:growth -- [--largest FILE] [--dir /tmp/throughline-growth] [--sizes 10000,100000,1000000]
 *                           [--rounds 8] [--duration 2] [--warm-up 1] [--connections 10] [--runs 2]
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
import { bootstrapMedian, MIN_PAIRS, pairedVerdict } from "./paired.js";
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
/**
 * growth26's defaults: 8 rounds of 2 s windows and 2 CLI passes a round. Eight rounds is the
 * fewest above bench/paired.ts's MIN_PAIRS (6) that still leaves a bootstrap interval narrower than
 * the 20 % judged when the rounds agree within ~10 %; 2 s windows at 10 connections answer 1,000+
 * requests (enough for a p99) and keep 8 × 7 endpoints × 3 sizes of them, the CLI's 16 passes and
 * the set-up within ~10 minutes on this machine (the single-window run took ~7).
 */
const DEFAULT_ROUNDS = 8;
const DEFAULT_DURATION = 2;
const DEFAULT_RUNS = 2;

/** What to measure. */
export interface GrowthOptions {
  /** Steps (and check-ins) of each workspace, smallest first. */
  sizes: number[];
  /** A database of the largest size to reuse instead of building one. */
  largest: string | null;
  /** Where the built workspaces are cached. */
  dir: string;
  /** Seconds of each measured window (default 2: growth26, several short windows per size). */
  duration: number;
  /**
   * Seconds of load before each endpoint's first-round window, after each reader's first answer
   * (default 1); later rounds only await each reader's first answer (the server is warm).
   */
  warmUp: number;
  connections: number;
  /**
   * Rounds (growth26): each runs every endpoint at every size, the sizes' order rotated by one per
   * round; a row's verdict is on the median over rounds of largest ÷ smallest (default 8).
   */
  rounds: number;
  /** CLI passes per round (each runs every command at every size once; one warm-up first). */
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
  /** The figure (ms) at each size, in the order of `GrowthResult.sizes`: the median over rounds. */
  ms: (number | null)[];
  /** The figure per round (or CLI pass) per size: `rounds[round][size]`. */
  rounds: (number | null)[][];
  /** The server's measure at each size, medians over rounds (requests and errors: sums); null for the CLI. */
  measures: (Measure | null)[];
  /**
   * CPU ms at each size (growth21): the server process's CPU time over the measured window divided
   * by its requests, or the CLI process's CPU time (median of the runs); null where /proc is
   * missing. What the work costs, less moved by other load on the machine than the latencies.
   */
  cpu: (number | null)[];
  /** The median over rounds of the CPU's largest ÷ smallest, and its bootstrap interval. */
  cpuRatio: number | null;
  cpuLow: number | null;
  cpuHigh: number | null;
  /** The median over rounds of largest ÷ smallest (p99, or the CLI's time) and its 90 % bootstrap interval. */
  ratio: number | null;
  low: number | null;
  high: number | null;
  /** bench/paired.ts's decision against the row's limit; null for a row with no target. */
  decision: "met" | "missed" | "not decided" | null;
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
 * Runs the CLI `runs` times (after one warm-up, unless `warmUp` is false) as a new process each: the median wall-clock ms,
 * and the median CPU ms of the process (null where /proc is missing).
 */
function timeCli(
  file: string,
  args: string[],
  runs: number,
  dir: string,
  warmUp = true,
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
  if (warmUp) once();
  const all = Array.from({ length: runs }, once);
  const cpus = all.flatMap((r) => (r.cpu === null ? [] : [r.cpu]));
  return { ms: median(all.map((r) => r.ms)), cpu: cpus.length === all.length ? median(cpus) : null };
}

/** Whether a row is to be measured (`GrowthOptions.only`). */
export function wanted(name: string, only: readonly string[] | null | undefined): boolean {
  return !only || only.length === 0 || only.some((o) => name.toLowerCase().includes(o.toLowerCase()));
}

/** One workspace set up for the rounds: its reader, tokens and server, kept up for the whole run. */
interface Prepared {
  info: SizeInfo;
  db: SQLite.Database;
  store: ReturnType<typeof openStore>;
  before: Awaited<ReturnType<typeof lastIds>>;
  child: Awaited<ReturnType<typeof startChild>> | null;
  endpoints: ReturnType<typeof endpoints>;
  teamRoute: string | null;
}

/**
 * Sets up one workspace: picks its member, writer and leader, adds their tokens and starts its
 * server (left running: growth26 runs every size's windows in each round, so all servers are up at
 * once; an idle server, scheduler off, costs memory and no CPU).
 */
async function prepareSize(
  o: GrowthOptions,
  steps: number,
  file: string,
  log: (l: string) => void,
): Promise<Prepared> {
  const db = new SQLite(file);
  db.pragma("busy_timeout = 10000");
  const store = openStore({ file });
  // Left behind by an interrupted run: nobody in a generated workspace is the local owner.
  db.prepare("update users set is_local = 0 where is_local = 1 and email like '%@bench.test'").run();
  db.prepare("delete from api_tokens where name = ?").run(TOKEN_NAME);
  const before = await lastIds(store.db);
  const p: Prepared = {
    info: undefined as unknown as SizeInfo,
    db,
    store,
    before,
    child: null,
    endpoints: [],
    teamRoute: null,
  };
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
    // growth26: the writer shares no team with the member, so the check-ins go to a goal the
    // member's report never counts at any size. Before, at 10,000 steps the writer (#87) was in the
    // member's team and wrote to a team goal the member's report counts (each check-in window made
    // the member's next report compute it again), and at 1,000,000 steps not: not the same shape.
    const teamsOf = (userId: number) =>
      new Set(
        (
          db.prepare("select team_id as t from memberships where user_id = ?").all(userId) as { t: number }[]
        ).map((r) => r.t),
      );
    const memberTeams = member ? teamsOf(member.userId) : new Set<number>();
    const writer =
      shaped.slice(1).find((c) => ![...teamsOf(c.p.userId)].some((t) => memberTeams.has(t)))?.p ??
      shaped[1]?.p;
    if (!member || !writer)
      throw new Error(
        `${file} has fewer than two people with an active goal besides the owner and the leader.`,
      );
    p.info = {
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
        `member ${member.userId} (${member.goals} goals, ${member.steps} steps, ${member.checkins} check-ins, team of ${member.teamSize}; status of goal ${p.info.statusGoal.id}), ` +
        `writer ${writer.userId} (goal ${wg.id}), leader ${leader.userId} of team ${leader.teamId} (${leader.teamSize} people)`,
    );
    const tokens = {
      member: token(db, member.userId),
      writer: token(db, writer.userId),
      leader: token(db, leader.userId),
    };
    p.child = await startChild(
      SERVER,
      { THROUGHLINE_DB: file, DATABASE_URL: "", THROUGHLINE_SCHEDULER: "off" },
      startFlags(ROOT),
    );
    const doc = (await (await fetch(`${p.child.url}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    p.teamRoute = Object.keys(doc.paths).find((x) => /^\/api\/teams\/\{id\}\/overview$/.test(x)) ?? null;
    p.endpoints = endpoints(p.info, tokens, { id: wg.id, krIds }, p.teamRoute).filter((e) =>
      wanted(e.name, o.only),
    );
    return p;
  } catch (e) {
    await closeSize(p);
    throw e;
  }
}

/** Stops a workspace's server and undoes the run's writes (tokens, check-ins, the local owner). */
async function closeSize(p: Prepared): Promise<void> {
  try {
    await p.child?.stop();
  } finally {
    p.db.prepare("update users set is_local = 0 where is_local = 1 and email like '%@bench.test'").run();
    await removeRunRows(p.store.db, p.before, TOKEN_NAME);
    await p.store.close();
    p.db.close();
  }
}

/** The nearest-rank q-quantile of some latencies (ms, fractional: autocannon's per-response times). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
}

/** One measured window of an endpoint on one workspace's server. */
interface Window {
  measure: Measure;
  /** p99 ms from every response's own time (fractional, not autocannon's whole milliseconds). */
  p99: number;
  /** Server CPU ms per request over the window (null without /proc). */
  cpu: number | null;
}

/**
 * One window of endpoint `e` on `p`'s server: each reader's first answer awaited, a warm-up of
 * `warmUp` s when given (the first round), then `duration` s of load.
 */
async function window(
  o: GrowthOptions,
  p: Prepared,
  e: Prepared["endpoints"][number],
  warmUp: number,
): Promise<Window> {
  const child = p.child as NonNullable<Prepared["child"]>;
  const pid = child.child.pid;
  // growth21: each reader's first answer awaited before the warm-up (as bench/run.ts does): the
  // day's first report computes every counted goal's rows (seconds at 1,000,000 steps), between
  // queries that let the health check answer, so `untilIdle` alone let that spill into the window.
  await firstAnswers(child.url, e.reqs, o.connections);
  if (warmUp > 0) await load(e.name, child.url, e.reqs, { duration: warmUp, connections: o.connections });
  await untilIdle(child.url);
  const latencies: number[] = [];
  const c0 = pid === undefined ? null : cpuMsOf(pid);
  const measure = await load(
    e.name,
    child.url,
    e.reqs,
    { duration: o.duration, connections: o.connections },
    false,
    latencies,
  );
  const c1 = pid === undefined ? null : cpuMsOf(pid);
  const cpu = c0 === null || c1 === null || measure.requests === 0 ? null : (c1 - c0) / measure.requests;
  return { measure, p99: latencies.length ? quantile(latencies, 0.99) : measure.p99, cpu };
}

/**
 * The order of the sizes (their indices, smallest first = 0) in round `round`: rotated by one each
 * round, so over `n` rounds each size runs first, in the middle and last equally often and a
 * drift over the run (another process starting, the page cache filling) falls on every size alike.
 *
 * @example
 * roundOrder(3, 1); // [1, 2, 0]
 */
export function roundOrder(n: number, round: number): number[] {
  const r = ((round % n) + n) % n;
  return Array.from({ length: n }, (_, i) => (i + r) % n);
}

/** The verdict for a row from its figures per round (`ms[round][size]`, sizes smallest first). */
export function verdict(
  row: { kind: GrowthRow["kind"]; ms: (number | null)[][] },
  teamGrowth: number,
): Pick<GrowthRow, "ratio" | "low" | "high" | "decision" | "verdict"> {
  const small = row.ms.map((r) => r[0] ?? 0);
  const large = row.ms.map((r) => r[r.length - 1] ?? 0);
  const limit = row.kind === "leader" ? FLAT * teamGrowth : FLAT;
  const v = pairedVerdict(small, large, { limit });
  if (v.ratios.length === 0)
    return { ratio: null, low: null, high: null, decision: null, verdict: "not measured" };
  const decision = row.kind === "other" ? null : v.decision;
  const range = `${fmt(v.median, 2)} [${fmt(v.low, 2)}–${fmt(v.high, 2)}]`;
  const text =
    row.kind === "other"
      ? "–"
      : `${v.decision === "missed" ? "**missed**" : v.decision} (≤ ${fmt(limit, 2)}${row.kind === "leader" ? `: team ×${fmt(teamGrowth, 2)}` : ""}${v.ratios.length < MIN_PAIRS ? `; ${v.ratios.length} rounds, fewer than ${MIN_PAIRS} decide nothing` : ""})`;
  return { ratio: v.median, low: v.low, high: v.high, decision, verdict: `${range}: ${text}` };
}

/** The median over rounds of each size's figure (`ms[round][size]`); null where none was measured. */
function perSize(xs: (number | null)[][], sizes: number): (number | null)[] {
  return Array.from({ length: sizes }, (_, s) => {
    const v = xs.flatMap((r) => (r[s] === null || r[s] === undefined ? [] : [r[s] as number]));
    return v.length ? median(v) : null;
  });
}

/** Measures every size in rounds and returns the rows and the "## Growth" section. */
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
  const files: string[] = [];
  for (const [i, steps] of sizes.entries()) {
    if (i === sizes.length - 1 && opts.largest) {
      const file = resolve(opts.largest);
      if (!existsSync(file))
        throw new Error(`No database at ${file} (--largest): run npm run bench:data first.`);
      files.push(file);
    } else files.push(await workspace(opts, steps, log));
  }
  const prepared: Prepared[] = [];
  const tmp = join(tmpdir(), `throughline-growth-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  // Per row: its kind and stat, and per round per size the figure, the CPU and (server) the measure.
  const table = new Map<
    string,
    {
      kind: GrowthRow["kind"];
      stat: GrowthRow["stat"];
      ms: (number | null)[][];
      cpu: (number | null)[][];
      measures: (Measure | null)[][];
    }
  >();
  const slot = (name: string, kind: GrowthRow["kind"], stat: GrowthRow["stat"], round: number) => {
    let t = table.get(name);
    if (!t) {
      t = { kind, stat, ms: [], cpu: [], measures: [] };
      table.set(name, t);
    }
    while (t.ms.length <= round) {
      t.ms.push(sizes.map(() => null));
      t.cpu.push(sizes.map(() => null));
      t.measures.push(sizes.map(() => null));
    }
    return t;
  };
  try {
    for (const [i, steps] of sizes.entries())
      prepared.push(await prepareSize(opts, steps, files[i] as string, log));
    const first = prepared[0] as Prepared;
    const cmds = commands(first.info).filter((c) => wanted(c.name, opts.only));
    let cliRound = 0;
    for (let round = 0; round < opts.rounds; round++) {
      const order = roundOrder(sizes.length, round);
      log(
        `Round ${round + 1} of ${opts.rounds} (sizes in order ${order.map((s) => fmt(sizes[s] as number)).join(", ")}; load ${loadavg()[0]?.toFixed(1)})`,
      );
      // Endpoint by endpoint, every size's window of it one after the other: the windows a round's
      // ratio compares are seconds apart, not a whole size's pass.
      for (const [k, e] of first.endpoints.entries()) {
        const t = slot(e.name, e.kind, "p99", round);
        const line: string[] = [];
        for (const s of order) {
          const p = prepared[s] as Prepared;
          const pe = p.endpoints[k];
          if (!pe || pe.name !== e.name) continue;
          const w = await window(opts, p, pe, round === 0 ? opts.warmUp : 0);
          (t.ms[round] as (number | null)[])[s] = w.p99;
          (t.cpu[round] as (number | null)[])[s] = w.cpu;
          (t.measures[round] as (Measure | null)[])[s] = w.measure;
          line.push(
            `${fmt(sizes[s] as number)}: p99 ${w.p99.toFixed(1)} ms${w.cpu === null ? "" : ` CPU ${w.cpu.toFixed(2)}`}${w.measure.errors ? ` ${w.measure.errors} errors` : ""}`,
          );
        }
        log(`  ${e.name.padEnd(36)} ${line.join("; ")}`);
      }
      // The CLI: `runs` passes a round, each running every command at every size in the round's order.
      for (let pass = 0; pass < opts.runs; pass++, cliRound++) {
        for (const c of cmds) {
          const t = slot(c.name, c.kind, "median", cliRound);
          const line: string[] = [];
          for (const s of order) {
            const p = prepared[s] as Prepared;
            const as = commands(p.info).find((x) => x.name === c.name) as (typeof cmds)[number];
            // Local mode acts as the first local owner: make the person it should act as that, for now.
            p.db.prepare("update users set is_local = 1 where id = ?").run(as.as);
            try {
              const r = timeCli(p.info.file, as.args, 1, tmp, round === 0 && pass === 0);
              (t.ms[cliRound] as (number | null)[])[s] = r.ms;
              (t.cpu[cliRound] as (number | null)[])[s] = r.cpu;
              line.push(
                `${fmt(sizes[s] as number)}: ${r.ms.toFixed(0)} ms${r.cpu === null ? "" : ` CPU ${r.cpu.toFixed(0)}`}`,
              );
            } finally {
              p.db.prepare("update users set is_local = 0 where id = ?").run(as.as);
            }
          }
          log(`  ${c.name.padEnd(36)} ${line.join("; ")}`);
        }
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    for (const p of prepared) await closeSize(p);
  }
  const infos = prepared.map((p) => p.info);
  const a = infos[0];
  const z = infos[infos.length - 1];
  const teamGrowth = a && z ? z.leader.teamSize / Math.max(1, a.leader.teamSize) : 1;
  const rows: GrowthRow[] = [];
  for (const [name, t] of table) {
    const cpuRatios = t.cpu.flatMap((r) => {
      const x = r[0];
      const y = r[r.length - 1];
      return x && y !== null && y !== undefined ? [y / x] : [];
    });
    const cpuBoot = cpuRatios.length ? bootstrapMedian(cpuRatios) : null;
    rows.push({
      name,
      kind: t.kind,
      stat: t.stat,
      rounds: t.ms,
      ms: perSize(t.ms, sizes.length),
      measures: sizes.map((_, s) => {
        const ms = t.measures.flatMap((r) => (r[s] ? [r[s] as Measure] : []));
        if (!ms.length) return null;
        return {
          name,
          rps: median(ms.map((m) => m.rps)),
          p50: median(ms.map((m) => m.p50)),
          p99: median(ms.map((m) => m.p99)),
          requests: ms.reduce((n, m) => n + m.requests, 0),
          errors: ms.reduce((n, m) => n + m.errors, 0),
        };
      }),
      cpu: perSize(t.cpu, sizes.length),
      cpuRatio: cpuRatios.length ? Math.exp(median(cpuRatios.map(Math.log))) : null,
      cpuLow: cpuBoot?.low ?? null,
      cpuHigh: cpuBoot?.high ?? null,
      ...verdict({ kind: t.kind, ms: t.ms }, teamGrowth),
    });
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
  const cell = (n: number | null, d: number) => (n === null ? "–" : fmt(n, d));
  const flags = [
    o.sizes.join(",") === "10000,100000,1000000" ? "" : ` --sizes ${o.sizes.join(",")}`,
    o.largest ? " --largest FILE" : "",
    o.only?.length ? ` --only ${o.only.join(",")}` : "",
    o.warmUp === 1 ? "" : ` --warm-up ${o.warmUp}`,
    o.rounds === DEFAULT_ROUNDS ? "" : ` --rounds ${o.rounds}`,
    o.duration === DEFAULT_DURATION ? "" : ` --duration ${o.duration}`,
    o.runs === DEFAULT_RUNS ? "" : ` --runs ${o.runs}`,
  ].join("");
  const command = `npm run bench:growth${flags ? ` --${flags}` : ""}`;
  const interval = (m: number | null, lo: number | null, hi: number | null) =>
    m === null ? "–" : `${fmt(m, 2)} [${fmt(lo ?? Number.NaN, 2)}–${fmt(hi ?? Number.NaN, 2)}]`;
  const target = (r: GrowthRow) =>
    r.kind === "own"
      ? "a person's own: within 20 %"
      : r.kind === "leader"
        ? "a leader's: grows with the team, not the workspace"
        : "none";
  return [
    "## Growth",
    "",
    `Measured ${started.toISOString().slice(0, 16).replace("T", " ")} UTC at commit ${commit()} on ${machineAtStart}; load average ${la(loadavg())} at the end.`,
    "",
    `\`${command}\` (\`bench/growth.ts\`) — the same endpoints and commands on SQLite workspaces of the same shape and growing size, made by \`bench/data.ts\` with seed ${SEED}: one person per ${STEPS_PER_PERSON} steps, one goal per ${STEPS_PER_GOAL} steps, as many check-ins as steps, so a person owns about ${STEPS_PER_PERSON / STEPS_PER_GOAL} goals at every size. At each size the member is the person with own goals nearest ${STEPS_PER_PERSON / STEPS_PER_GOAL} (exactly that at the generated sizes) and own steps and check-ins nearest ${STEPS_PER_PERSON} (outside the first team where the workspace has more people, in a team of ${MEMBER_TEAM - MEMBER_TEAM_SLACK}–${MEMBER_TEAM + MEMBER_TEAM_SLACK} people where there is one, never the workspace owner or the leader; \`peopleOfShape\`) and, of those, the one whose active goal is nearest ${STEPS_PER_GOAL} steps and check-ins, taking the first whose goal's status, read once before, is in normal mode (no leader prompt): its status is read, the check-ins are written by the next such person who shares no team with the member, and the leader leads the first team. Every size's server runs at once for the whole run, as \`npm start\` runs it, scheduler off. **${o.rounds} rounds**: each runs every endpoint at every size, one endpoint at a time with its windows at the sizes one after the other, the sizes' order rotated by one each round (so each size runs first, in the middle and last alike); autocannon, ${o.connections} connections, ${o.duration} s a window after each reader's first answer (a ${o.warmUp} s warm-up before the first round's windows), one request repeated (the check-in: 50 bodies in turn); p99 from every response's own time (fractional ms); CPU is the server process's CPU time over the window (/proc) divided by the requests answered. The CLI runs as a new process in local mode on the file (\`node bin/throughline.js … --db FILE\`, acting as the person), ${o.runs} pass${o.runs === 1 ? "" : "es"} a round, each every command at every size in the round's order (one warm-up of each first): ${o.rounds * o.runs} times each. **A row's verdict** (\`bench/paired.ts\`): each round (CLI pass) gives one ratio largest ÷ smallest; the median of those ratios with its 90 % bootstrap interval; met when the whole interval is ≤ the limit, missed when the whole interval is above it, otherwise not decided (fewer than ${MIN_PAIRS} rounds decide nothing).`,
    "",
    "| workspace | people | goals | steps | check-ins | member (own goals / steps / check-ins / team) | status goal (steps / check-ins) | leader (team size) |",
    "| --- | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ...infos.map(
      (s) =>
        `| ${s.file.startsWith(o.dir) ? `growth-${s.steps}.db` : "--largest"} | ${fmt(s.counts.users ?? 0)} | ${fmt(s.counts.goals ?? 0)} | ${fmt(s.counts.steps ?? 0)} | ${fmt(s.counts.checkins ?? 0)} | #${s.member.userId} (${s.member.goals} / ${s.member.steps} / ${s.member.checkins} / ${s.member.teamSize}) | #${s.statusGoal.id} (${s.statusGoal.steps} / ${s.statusGoal.checkins}) | #${s.leader.userId} (${s.leader.teamSize}) |`,
    ),
    "",
    `| endpoint or command | ms at ${head.join(" | ")} (medians over rounds) | largest ÷ smallest, median [90 %] | CPU ms at ${head.join(" / ")} | CPU largest ÷ smallest | target: verdict |`,
    `| --- | ${head.map(() => "---:").join(" | ")} | ---: | ---: | ---: | --- |`,
    ...rows.map(
      (r) =>
        `| \`${r.name}\` (${r.stat}) | ${r.ms.map((n) => cell(n, r.stat === "p99" ? 1 : 0)).join(" | ")} | ${interval(r.ratio, r.low, r.high)} | ${r.cpu.map((n) => cell(n, r.stat === "p99" ? 2 : 0)).join(" / ")} | ${interval(r.cpuRatio, r.cpuLow, r.cpuHigh)} | ${target(r)}: ${r.decision === null ? "–" : r.decision === "missed" ? "**missed**" : r.decision} |`,
    ),
    "",
    "Each row's ratio per round, in the order run (the server's p99, the CLI's time), with the limit and its verdict:",
    "",
    "| endpoint or command | largest ÷ smallest per round | verdict |",
    "| --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| \`${r.name}\` | ${r.rounds.map((x) => (x[0] && x[x.length - 1] ? fmt((x[x.length - 1] as number) / (x[0] as number), 2) : "–")).join(", ")} | ${r.verdict} |`,
    ),
    "",
    "The server's figures (p50 / p99 ms as autocannon gives them, req/s: medians over rounds):",
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
    `A person's own pages (my week, a goal's status, the member's report; \`week\`, \`status\`, the member's \`report\`) must stay within ${Math.round((FLAT - 1) * 100)} % from the smallest workspace to the largest; a leader's (the team view, the leader's report) may grow with the team (the same size at every scale here) but not with the workspace: within ${Math.round((FLAT - 1) * 100)} % times the team's growth. The report counts every goal the reader may see, which includes the workspace-visible goals of everyone (about 3 % of the generated goals).`,
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
        `Unknown argument '${a}'. Use [--largest FILE] [--dir DIR] [--sizes 10000,100000,1000000] [--rounds 8] [--duration 2] [--warm-up 1] [--connections 10] [--runs 2] [--only report,status] [--today YYYY-MM-DD] [--no-write].`,
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
      duration: num("duration", DEFAULT_DURATION, 1, 60),
      warmUp: num("warm-up", 1, 1, 60),
      connections: num("connections", 10, 1, 100),
      rounds: num("rounds", DEFAULT_ROUNDS, 1, 100),
      runs: num("runs", DEFAULT_RUNS, 1, 50),
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
