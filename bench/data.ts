/**
 * The benchmark data generator: a realistic workspace written straight into the database in
 * batched inserts inside transactions (not through the HTTP API), with a progress bar on stderr.
 *
 *   npm run bench:data -- --users 10000 --goals 100000 --steps 1000000 --checkins 1000000 [--db FILE]
 *
 * PostgreSQL when DATABASE_URL is set (or --db is a postgres:// URL), else the SQLite file given by
 * --db (default ./data/bench.db). The database must be empty of goals; `--replace` deletes an
 * existing SQLite file first. The shape: one workspace; teams of 5–50 people (the first team has
 * exactly 50, for the team view); goals owned by people with 1–3 key results, a why, a Plan B on
 * most; steps with owners (mostly the goal's owner, some a teammate) and due dates across the past
 * year and the months ahead, most past ones done; check-ins about weekly from each goal's start to
 * today, key-result values trending towards the target at a per-goal pace with noise.
 */
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import SQLite from "better-sqlite3";
import pg from "pg";
import { progressBar } from "../src/cli/progress.js";
import { openAndMigrate } from "../src/store/db.js";

/** What to generate. */
export interface DataOptions {
  users: number;
  goals: number;
  steps: number;
  checkins: number;
  seed: number;
  /** Today, as YYYY-MM-DD: the year of history ends here. */
  today: string;
}

/** Where to write: a SQLite file or a PostgreSQL URL. */
export type Target = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };

/** A deterministic pseudo-random generator (mulberry32), so a seed gives the same workspace. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
    chance: (p: number) => next() < p,
  };
}

const DAY = 86_400_000;
const dayNum = (d: string) => Math.floor(Date.parse(`${d}T00:00:00Z`) / DAY);
const dayStr = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);
const stamp = (n: number, hour = 9) => new Date(n * DAY + hour * 3_600_000).toISOString();

const FIRST = [
  "Ada",
  "Ben",
  "Chloé",
  "Dana",
  "Emeka",
  "Farah",
  "Gustav",
  "Hana",
  "Ivan",
  "Jun",
  "Kofi",
  "Lena",
  "Mateo",
  "Nia",
  "Olu",
  "Priya",
  "Quinn",
  "Raj",
  "Sofia",
  "Tomás",
  "Uma",
  "Vik",
  "Wen",
  "Yara",
  "Zoe",
];
const LAST = [
  "Okafor",
  "Schmidt",
  "Tanaka",
  "Silva",
  "Nguyen",
  "Kowalski",
  "Haddad",
  "Larsen",
  "Moreau",
  "Patel",
  "Rossi",
  "Kim",
  "Novak",
  "Costa",
  "Ibrahim",
  "Walsh",
];
const METRICS = [
  ["Grow the newsletter", "subscribers", 1200, 2000],
  ["Cut support response time", "hours", 20, 4],
  ["Raise the NPS", "points", 31, 45],
  ["Ship the onboarding revamp", "% done", 0, 100],
  ["Reduce churn", "%", 6, 3],
  ["Close enterprise deals", "deals", 2, 10],
  ["Lift test coverage", "%", 55, 80],
  ["Grow weekly active teams", "teams", 300, 450],
] as const;
const VERBS = ["Email", "Call", "Draft", "Book", "Review", "Send", "Write", "Schedule", "Outline", "Ask"];
const THINGS = [
  "the sponsorship deck",
  "the welcome email",
  "the pricing page copy",
  "the Q3 survey",
  "a 20-minute demo",
  "the release notes",
  "the onboarding checklist",
  "the interview questions",
  "the budget sheet",
  "the customer list",
];
const WHY = [
  "Customers told us this is what keeps them",
  "Sponsors need reach before renewing",
  "The team burns out without it",
  "It unblocks the next funding round",
];
const OBSTACLES = [
  ["Approval slips past Friday", "If the approval slips past Friday, then I ask Dana to sign as deputy"],
  ["The vendor goes quiet", "If the vendor has not answered by Wednesday, then I call their support line"],
  ["A launch eats the week", "If a launch eats the week, then I do the smallest step on Monday morning"],
] as const;

/** A table's rows in insertion order, flushed in batches by the writer. */
interface Writer {
  insert(table: string, columns: readonly string[], rows: unknown[][]): Promise<void>;
  exec(statement: string): Promise<void>;
  finish(tablesWithIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

async function sqliteWriter(file: string): Promise<Writer> {
  const db = new SQLite(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("foreign_keys = OFF");
  db.pragma("cache_size = -200000");
  const statements = new Map<string, SQLite.Statement>();
  return {
    async insert(table, columns, rows) {
      const key = `${table}(${columns.join(",")})`;
      let st = statements.get(key);
      if (!st) {
        st = db.prepare(
          `insert into ${table} (${columns.join(", ")}) values (${columns.map(() => "?").join(", ")})`,
        );
        statements.set(key, st);
      }
      const s = st;
      db.transaction(() => {
        for (const r of rows) s.run(r);
      })();
    },
    async exec(statement) {
      db.exec(statement);
    },
    async finish() {
      db.exec("analyze");
      db.pragma("wal_checkpoint(TRUNCATE)");
    },
    async close() {
      db.close();
    },
  };
}

async function postgresWriter(url: string): Promise<Writer> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    async insert(table, columns, rows) {
      // Multi-row inserts under PostgreSQL's 65,535-parameter cap, one transaction per batch.
      const per = Math.floor(60_000 / columns.length);
      await client.query("begin");
      for (let i = 0; i < rows.length; i += per) {
        const chunk = rows.slice(i, i + per);
        const params: unknown[] = [];
        const tuples = chunk.map((r) => {
          const start = params.length;
          params.push(...r);
          return `(${r.map((_, j) => `$${start + j + 1}`).join(",")})`;
        });
        await client.query(`insert into ${table} (${columns.join(", ")}) values ${tuples.join(",")}`, params);
      }
      await client.query("commit");
    },
    async exec(statement) {
      await client.query(statement);
    },
    async finish(tablesWithIds) {
      for (const t of tablesWithIds) {
        await client.query(
          `select setval(pg_get_serial_sequence('${t}', 'id'), coalesce((select max(id) from ${t}), 0) + 1, false)`,
        );
      }
      await client.query("analyze");
    },
    async close() {
      await client.end();
    },
  };
}

/** Splits `total` into one count per weight, in proportion, summing exactly to `total`. */
function spread(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  const counts = weights.map((w) => Math.floor((total * w) / sum));
  let left = total - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % counts.length, left--) counts[i] = (counts[i] as number) + 1;
  return counts;
}

interface Goal {
  id: number;
  ownerId: number;
  teamId: number;
  start: number;
  due: number;
  status: string;
  pace: number;
  krs: { id: number; start: number; target: number }[];
}

/** Generates the workspace into an empty, migrated database; returns the seconds each part took. */
export async function generate(target: Target, o: DataOptions): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  const store = await openAndMigrate(
    target.kind === "sqlite" ? { file: target.file } : { databaseUrl: target.url },
  );
  const existing = await store.db.selectFrom("goals").select("id").limit(1).executeTakeFirst();
  await store.close();
  if (existing) {
    throw new Error(
      `The database at ${target.kind === "sqlite" ? target.file : "DATABASE_URL"} already has goals. Give an empty one (--replace removes a SQLite file first).`,
    );
  }
  timings.migrate = (Date.now() - t0) / 1000;
  const w = target.kind === "sqlite" ? await sqliteWriter(target.file) : await postgresWriter(target.url);
  const r = rng(o.seed);
  const today = dayNum(o.today);
  const created = stamp(today - 400);
  const BATCH = 20_000;

  const timed = async (name: string, f: () => Promise<void>) => {
    const t = Date.now();
    await f();
    timings[name] = (Date.now() - t) / 1000;
  };

  try {
    // People and teams: team 1 has exactly 50 people, the rest 5–50.
    const teamOf: number[] = [];
    const teams: { id: number; members: number[] }[] = [];
    await timed("people", async () => {
      await w.insert("workspaces", ["id", "name", "created_at"], [[1, "Bench workspace", created]]);
      const users: unknown[][] = [];
      for (let id = 1; id <= o.users; id++) {
        const name = `${r.pick(FIRST)} ${r.pick(LAST)} ${id}`;
        users.push([
          id,
          1,
          name,
          `user${id}@bench.test`,
          0,
          created,
          null,
          id === 1 ? "owner" : "member",
          "[]",
        ]);
      }
      const cols = [
        "id",
        "workspace_id",
        "name",
        "email",
        "is_local",
        "created_at",
        "password_hash",
        "workspace_role",
        "values_json",
      ];
      for (let i = 0; i < users.length; i += BATCH) await w.insert("users", cols, users.slice(i, i + BATCH));
      let next = 1;
      while (next <= o.users) {
        const size = teams.length === 0 ? 50 : r.int(5, 50);
        const members: number[] = [];
        for (let k = 0; k < size && next <= o.users; k++) members.push(next++);
        teams.push({ id: teams.length + 1, members });
      }
      await w.insert(
        "teams",
        ["id", "workspace_id", "name", "created_at"],
        teams.map((t) => [t.id, 1, `Team ${t.id}`, created]),
      );
      const ms: unknown[][] = [];
      let mid = 1;
      for (const t of teams) {
        t.members.forEach((u, k) => {
          teamOf[u] = t.id;
          // The team's second person leads it (the first of team 1 is the workspace owner).
          ms.push([
            mid++,
            t.id,
            u,
            k === 1 || (k === 0 && t.members.length === 1) ? "leader" : "member",
            created,
          ]);
        });
      }
      for (let i = 0; i < ms.length; i += BATCH)
        await w.insert(
          "memberships",
          ["id", "team_id", "user_id", "role", "created_at"],
          ms.slice(i, i + BATCH),
        );
    });

    // Goals with key results and barriers.
    const goals: Goal[] = [];
    await timed("goals", async () => {
      const bar = progressBar("goals");
      const goalRows: unknown[][] = [];
      const krRows: unknown[][] = [];
      const barrierRows: unknown[][] = [];
      let krId = 1;
      let barrierId = 1;
      const flush = async (force = false) => {
        if (goalRows.length >= BATCH || force) {
          await w.insert(
            "goals",
            [
              "id",
              "workspace_id",
              "title",
              "why",
              "values_json",
              "owner_id",
              "team_id",
              "parent_id",
              "visibility",
              "status",
              "priority",
              "start_date",
              "due_date",
              "cadence_days",
              "success_looks_like",
              "created_by",
              "created_at",
              "updated_at",
            ],
            goalRows.splice(0),
          );
          await w.insert(
            "key_results",
            [
              "id",
              "goal_id",
              "title",
              "unit",
              "start_value",
              "target_value",
              "current_value",
              "direction",
              "due_date",
              "created_at",
              "updated_at",
            ],
            krRows.splice(0),
          );
          await w.insert(
            "barriers",
            [
              "id",
              "goal_id",
              "obstacle",
              "likelihood",
              "plan_b",
              "status",
              "hit_at",
              "created_at",
              "updated_at",
            ],
            barrierRows.splice(0),
          );
        }
      };
      for (let id = 1; id <= o.goals; id++) {
        // Owners: every person gets goals; some people carry more.
        const ownerId = id <= o.users ? id : r.int(1, o.users);
        const start = today - r.int(30, 365);
        const due = start + r.int(60, 365);
        const roll = r.next();
        const status =
          due < today
            ? roll < 0.7
              ? "done"
              : roll < 0.9
                ? "active"
                : "dropped"
            : roll < 0.9
              ? "active"
              : roll < 0.95
                ? "draft"
                : "dropped";
        const vis = r.next();
        const visibility = vis < 0.75 ? "team" : vis < 0.97 ? "private" : "workspace";
        const [title, unit, from, to] = r.pick(METRICS);
        const g: Goal = {
          id,
          ownerId,
          teamId: teamOf[ownerId] as number,
          start,
          due,
          status,
          pace: 0.5 + r.next() * 0.7,
          krs: [],
        };
        goals.push(g);
        const at = stamp(start);
        goalRows.push([
          id,
          1,
          `${title} (${id})`,
          r.chance(0.9) ? r.pick(WHY) : null,
          "[]",
          ownerId,
          g.teamId,
          null,
          visibility,
          status,
          r.pick(["low", "medium", "medium", "high", "critical"]),
          dayStr(start),
          dayStr(due),
          7,
          null,
          ownerId,
          at,
          at,
        ]);
        const nkr = r.int(1, 3);
        for (let k = 0; k < nkr; k++) {
          const scale = 0.5 + r.next();
          const s = Math.round(from * scale);
          const t = Math.round(to * scale);
          g.krs.push({ id: krId, start: s, target: t });
          krRows.push([
            krId++,
            id,
            k === 0 ? `${unit}` : `${unit} (${k + 1})`,
            unit,
            s,
            t,
            s,
            t >= s ? "increase" : "decrease",
            dayStr(due),
            at,
            at,
          ]);
        }
        if (r.chance(0.7)) {
          const [obstacle, planB] = r.pick(OBSTACLES);
          barrierRows.push([
            barrierId++,
            id,
            obstacle,
            r.pick(["low", "medium", "high"]),
            planB,
            "anticipated",
            null,
            at,
            at,
          ]);
        }
        await flush();
        if (id % 1000 === 0) bar.update(id, o.goals);
      }
      await flush(true);
      bar.update(o.goals, o.goals);
      bar.finish();
    });

    // Steps: about steps/goals per goal, spread over the goal's span.
    await timed("steps", async () => {
      const bar = progressBar("steps");
      const counts = spread(
        o.steps,
        goals.map(() => 0.5 + r.next()),
      );
      const cols = [
        "id",
        "goal_id",
        "text",
        "owner_id",
        "due_date",
        "status",
        "position",
        "estimate_minutes",
        "done_at",
        "delegated_by",
        "done_looks_like",
        "delegation_state",
        "created_at",
        "updated_at",
        "notes",
        "tags_json",
      ];
      let rows: unknown[][] = [];
      let id = 1;
      for (const g of goals) {
        const n = counts[g.id - 1] as number;
        const team = teams[g.teamId - 1]?.members ?? [g.ownerId];
        for (let p = 1; p <= n; p++) {
          const due = r.chance(0.05)
            ? null
            : g.start + Math.floor(((g.due - g.start) * p) / (n + 1)) + r.int(-3, 3);
          let status = "todo";
          let doneAt: string | null = null;
          if (g.status === "done" || (due !== null && due < today && r.chance(0.8))) {
            status = "done";
            doneAt = stamp(Math.min(today, (due ?? today) + r.int(-3, 2)), 15);
          } else if (g.status === "dropped") status = r.chance(0.5) ? "dropped" : "todo";
          else if (r.chance(0.1)) status = "doing";
          const owner = r.chance(0.8) ? g.ownerId : r.pick(team);
          const at = stamp(g.start);
          rows.push([
            id++,
            g.id,
            `${r.pick(VERBS)} ${r.pick(THINGS)}`,
            owner,
            due === null ? null : dayStr(due),
            status,
            p,
            r.pick([15, 20, 30, 45, 60, null]),
            doneAt,
            null,
            null,
            null,
            at,
            doneAt ?? at,
            null,
            "[]",
          ]);
        }
        if (rows.length >= BATCH) {
          await w.insert("steps", cols, rows);
          rows = [];
          bar.update(id - 1, o.steps);
        }
      }
      await w.insert("steps", cols, rows);
      bar.update(o.steps, o.steps);
      bar.finish();
    });

    // Check-ins: about weekly from the start to today (or the due date), values trending.
    await timed("checkins", async () => {
      const bar = progressBar("check-ins");
      const spans = goals.map((g) => Math.max(1, Math.min(today, g.due) - g.start));
      const counts = spread(o.checkins, spans);
      const cols = [
        "id",
        "goal_id",
        "author_id",
        "date",
        "confidence",
        "done_text",
        "next_step",
        "note",
        "created_at",
      ];
      let rows: unknown[][] = [];
      let values: unknown[][] = [];
      let id = 1;
      for (const g of goals) {
        const n = counts[g.id - 1] as number;
        const end = Math.min(today, g.due);
        const span = Math.max(1, end - g.start);
        for (let k = 1; k <= n; k++) {
          const day = Math.min(end, g.start + Math.round((span * k) / (n + 0.5)) + r.int(-1, 1));
          const elapsed = (day - g.start) / Math.max(1, g.due - g.start);
          const progress = Math.max(0, Math.min(1.1, elapsed * g.pace + (r.next() - 0.5) * 0.08));
          const expected = elapsed;
          const conf =
            progress >= expected * 0.9 ? "on-track" : progress >= expected * 0.6 ? "at-risk" : "off-track";
          rows.push([
            id,
            g.id,
            g.ownerId,
            dayStr(day),
            conf,
            `${r.pick(VERBS)} ${r.pick(THINGS)}: done`,
            `${r.pick(VERBS)} ${r.pick(THINGS)}`,
            null,
            stamp(day, 17),
          ]);
          for (const kr of g.krs) {
            const value = Math.round((kr.start + (kr.target - kr.start) * progress) * 10) / 10;
            values.push([id, kr.id, value]);
          }
          id++;
        }
        if (rows.length >= BATCH) {
          await w.insert("checkins", cols, rows);
          await w.insert("checkin_kr_values", ["checkin_id", "key_result_id", "value"], values);
          rows = [];
          values = [];
          bar.update(id - 1, o.checkins);
        }
      }
      await w.insert("checkins", cols, rows);
      await w.insert("checkin_kr_values", ["checkin_id", "key_result_id", "value"], values);
      bar.update(o.checkins, o.checkins);
      bar.finish();
    });

    // Commitments: a couple per person in the last weeks, kept, missed or open.
    await timed("commitments", async () => {
      const rows: unknown[][] = [];
      let id = 1;
      for (const g of goals) {
        if (g.status !== "active" || !r.chance(0.2)) continue;
        const due = today - r.int(-14, 28);
        const status = due >= today ? "open" : r.chance(0.75) ? "kept" : "missed";
        rows.push([
          id++,
          1,
          g.ownerId,
          null,
          g.id,
          `${r.pick(VERBS)} ${r.pick(THINGS)} by ${dayStr(due)}`,
          dayStr(due),
          g.teamId,
          status,
          status === "open" ? null : stamp(due, 18),
          stamp(due - 7),
        ]);
      }
      for (let i = 0; i < rows.length; i += BATCH)
        await w.insert(
          "commitments",
          [
            "id",
            "workspace_id",
            "user_id",
            "step_id",
            "goal_id",
            "text",
            "due_date",
            "witness_team_id",
            "status",
            "resolved_at",
            "created_at",
          ],
          rows.slice(i, i + BATCH),
        );
    });

    await timed("finish", async () => {
      // Statistics first, so the correlated update below uses the indexes on freshly loaded tables.
      await w.exec("analyze");
      // Each key result's current value is its last check-in's.
      await w.exec(
        `update key_results set current_value = coalesce((select v.value from checkin_kr_values v
           join checkins c on c.id = v.checkin_id where v.key_result_id = key_results.id
           order by c.date desc, c.id desc limit 1), start_value)`,
      );
      await w.finish([
        "workspaces",
        "users",
        "teams",
        "memberships",
        "goals",
        "key_results",
        "barriers",
        "steps",
        "checkins",
        "commitments",
      ]);
    });
  } finally {
    await w.close();
  }
  timings.total = (Date.now() - t0) / 1000;
  return timings;
}

/** Reads `--name value` flags; every problem is listed at once. */
export function readArgs(argv: readonly string[], env: Record<string, string | undefined>) {
  const flags = new Map<string, string>();
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--replace") flags.set("replace", "true");
    else if (a.startsWith("--") && i + 1 < argv.length) flags.set(a.slice(2), argv[++i] as string);
    else
      problems.push(
        `Unknown argument '${a}'. Use --users N --goals N --steps N --checkins N [--db FILE|URL] [--seed N] [--replace].`,
      );
  }
  const num = (name: string, fallback: number, min: number) => {
    const text = flags.get(name);
    if (text === undefined) return fallback;
    const n = Number(text.replaceAll("_", "").replaceAll(",", ""));
    if (!Number.isInteger(n) || n < min)
      problems.push(`--${name} '${text}' must be a whole number of at least ${min}.`);
    return n;
  };
  const options: DataOptions = {
    users: num("users", 10_000, 50),
    goals: num("goals", 100_000, 1),
    steps: num("steps", 1_000_000, 0),
    checkins: num("checkins", 1_000_000, 0),
    seed: num("seed", 1, 0),
    today: flags.get("today") ?? new Date().toISOString().slice(0, 10),
  };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.today))
    problems.push(`--today '${options.today}' must be YYYY-MM-DD.`);
  if (options.goals < options.users)
    problems.push("--goals must be at least --users: every person owns a goal.");
  const db = flags.get("db") ?? env.DATABASE_URL ?? "./data/bench.db";
  const target: Target = /^postgres(ql)?:\/\//.test(db)
    ? { kind: "postgres", url: db }
    : { kind: "sqlite", file: resolve(db) };
  return { options, target, replace: flags.has("replace"), problems };
}

async function main(): Promise<void> {
  const { options, target, replace, problems } = readArgs(process.argv.slice(2), process.env);
  if (problems.length) {
    console.error("bench:data cannot start:");
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(2);
  }
  if (target.kind === "sqlite" && replace) {
    for (const suffix of ["", "-wal", "-shm"])
      if (existsSync(target.file + suffix)) rmSync(target.file + suffix);
  }
  const where = target.kind === "sqlite" ? target.file : target.url.replace(/\/\/[^@/]*@/, "//***@");
  console.error(
    `Generating ${options.users.toLocaleString("en-US")} people, ${options.goals.toLocaleString("en-US")} goals, ${options.steps.toLocaleString("en-US")} steps and ${options.checkins.toLocaleString("en-US")} check-ins into ${where}`,
  );
  try {
    const timings = await generate(target, options);
    console.error(
      `Done in ${timings.total?.toFixed(1)} s (${Object.entries(timings)
        .filter(([k]) => k !== "total")
        .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
        .join(", ")}).`,
    );
    const result = JSON.stringify({ target: target.kind, options, timings });
    console.log(result);
    // Kept for `npm run bench`, which reports how long the data took next to what it measured.
    writeFileSync(resolve(import.meta.dirname, "..", `data-${target.kind}.json`), `${result}\n`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
