/**
 * What the goals' change numbers cost the check-in floor (issue 17, hot17): the floor's check-in
 * transaction (bench/bare-checkin.ts, no HTTP) on three copies of one database, in alternating
 * rounds so a busy machine slows each alike:
 *
 * - `0027`: the triggers as migration 0027 left them (each bump of a goal's revision fires a row
 *   trigger that updates a counter and the goal's row a second time);
 * - `no change_seq`: 0027's two triggers dropped and 0009's revision trigger made again — what the
 *   check-in cost before 0027;
 * - `0028`: the triggers proposed below (`sqliteStatements`) (the revision and the number set in the same update).
 *
 *   node dist/bench-build/bench/trigger-cost.js --db SOURCE.db [--dir /tmp] [--rounds 6] [--per-round 200]
 *
 * SOURCE must be migrated to 0027 and closed (no write-ahead log beside it); it is only read. The
 * copies are written in --dir and removed at the end.
 */
import { copyFileSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type SQLite from "better-sqlite3";
import { checkinFloor } from "./bare-checkin.js";
import { openLikeServer } from "./bare-db.js";
import { arg } from "./script.js";

/** The tables whose rows name their goal in `goal_id` (migrations 0008 and 0009). */
const CHILD_TABLES = ["key_results", "steps", "checkins", "barriers", "change_records", "commitments"];

/** The counter bumped, then the goal(s) `where` names given the next revision and that number. */
const bump = (where: string) => `update goal_change_counter set seq = seq + 1 where id = 1;
  update goals set revision = revision + 1,
    change_seq = (select seq from goal_change_counter where id = 1) where ${where};`;

/**
 * A proposed migration (hot17, not applied: it would need number 0028): 0027's SQLite triggers again, each doing in one update of the goal what took two or
 * three (issue 17, hot17). The same numbers follow from them: every write of a goal moves its
 * revision by one and gives it a `change_seq` above every number before (one counter, writers
 * serialized), and a write that already set `change_seq` is not numbered again.
 *
 * Before, a check-in with three key results bumped its goal four times (the check-in and each key
 * result's new value, through the child tables' triggers), and each bump fired 0027's row trigger,
 * which updated the counter and then the goal's row a second time — the goal row, and the partial
 * index of 0027 for a goal open to the workspace, written eight times a check-in. Now the child
 * tables' triggers set the revision and the number in the same update, and one row trigger on goals
 * does both for a write of the goal's own row (0009's `goals_revision_update` and 0027's
 * `goals_change_seq_update` merged). Measured on the floor (`bench/trigger-cost.ts`, docs/benchmarks.md).
 *
 * PostgreSQL already sets the number in the row being written (a BEFORE trigger): nothing to do.
 */
export function sqliteStatements(): string[] {
  const out: string[] = [
    "drop trigger if exists goals_revision_update",
    "drop trigger if exists goals_change_seq_update",
    "drop trigger if exists goals_change_seq_insert",
    // A write of the goal's own row that set neither: the next revision (unless it moved it) and
    // the next number, in one second update (which sets change_seq, so it fires no trigger here).
    `create trigger goals_row_written after update on goals when new.change_seq = old.change_seq begin
  update goal_change_counter set seq = seq + 1 where id = 1;
  update goals set revision = case when new.revision = old.revision then revision + 1 else revision end,
    change_seq = (select seq from goal_change_counter where id = 1) where id = new.id; end`,
    `create trigger goals_change_seq_insert after insert on goals begin
  update goal_change_counter set seq = seq + 1 where id = 1;
  update goals set change_seq = (select seq from goal_change_counter where id = 1) where id = new.id; end`,
  ];
  for (const t of CHILD_TABLES) {
    out.push(
      `drop trigger if exists ${t}_revision_insert`,
      `drop trigger if exists ${t}_revision_update`,
      `drop trigger if exists ${t}_revision_delete`,
      `create trigger ${t}_revision_insert after insert on ${t} begin ${bump("id = new.goal_id")} end`,
      `create trigger ${t}_revision_update after update on ${t} begin ${bump("id in (old.goal_id, new.goal_id)")} end`,
      `create trigger ${t}_revision_delete after delete on ${t} begin ${bump("id = old.goal_id")} end`,
    );
  }
  out.push(
    "drop trigger if exists step_occurrences_revision_insert",
    "drop trigger if exists step_occurrences_revision_update",
    "drop trigger if exists step_occurrences_revision_delete",
    `create trigger step_occurrences_revision_insert after insert on step_occurrences begin
  ${bump("id = (select goal_id from steps where id = new.step_id)")} end`,
    `create trigger step_occurrences_revision_update after update on step_occurrences begin
  ${bump("id in (select goal_id from steps where id in (old.step_id, new.step_id))")} end`,
    `create trigger step_occurrences_revision_delete after delete on step_occurrences begin
  ${bump("id = (select goal_id from steps where id = old.step_id)")} end`,
  );
  return out;
}

const VARIANTS: Record<string, string[]> = {
  "0027": [],
  "no change_seq": [
    "drop trigger goals_change_seq_insert",
    "drop trigger goals_change_seq_update",
    "drop trigger goals_revision_update",
    `create trigger goals_revision_update after update on goals when new.revision = old.revision begin
      update goals set revision = revision + 1 where id = new.id; end`,
  ],
  "0028": sqliteStatements(),
};

function main(): void {
  const source = arg("db", "./data/bench.db");
  const dir = arg("dir", "/tmp");
  const rounds = Number(arg("rounds", "6"));
  const perRound = Number(arg("per-round", "200"));
  if (existsSync(`${source}-wal`))
    throw new Error(`${source} has a write-ahead log beside it: close it first`);
  const runs: { name: string; file: string; db: SQLite.Database; floor: ReturnType<typeof checkinFloor> }[] =
    [];
  try {
    for (const [name, statements] of Object.entries(VARIANTS)) {
      const file = join(dir, `trigger-cost-${process.pid}-${name.replace(/\W+/g, "-")}.db`);
      copyFileSync(source, file);
      const db = openLikeServer(file);
      const trigger = db.prepare("select 1 from sqlite_master where name = 'goals_change_seq_update'").get();
      if (!trigger && name === "0027") throw new Error(`${source} is not migrated to 0027`);
      db.transaction(() => {
        for (const s of statements) db.exec(s);
      })();
      runs.push({ name, file, db, floor: checkinFloor(db) });
    }
    const first = runs[0]?.db as SQLite.Database;
    // The goals bench/hot.ts and `npm run bench` write: one active goal of every 50th owner.
    const goals = first
      .prepare<[], { ownerId: number; goalId: number }>(
        `select owner_id as ownerId, min(id) as goalId from goals where status = 'active' and owner_id > 1
         and owner_id % 50 = 0 group by owner_id order by owner_id limit 50`,
      )
      .all();
    const krsOf = first.prepare<[number], { id: number }>(
      "select id from key_results where goal_id = ? order by id",
    );
    const calls = goals.map((g) => ({
      userId: g.ownerId,
      goalId: g.goalId,
      body: {
        krValues: krsOf.all(g.goalId).map((k, j) => ({ keyResultId: k.id, value: 100 + j })),
        confidence: "on-track",
        doneText: "Sent the deck to Raj",
      },
    }));
    const krs = calls.reduce((n, c) => n + c.body.krValues.length, 0) / calls.length;
    const sum = new Map(runs.map((r) => [r.name, { cpu: 0, wall: 0, n: 0 }]));
    let k = 0;
    for (const r of runs) for (const c of calls) r.floor.write(c.userId, c.goalId, c.body); // warm-up
    for (let round = 0; round < rounds; round++) {
      for (const r of runs) {
        const s = sum.get(r.name) as { cpu: number; wall: number; n: number };
        const cpu = process.cpuUsage();
        const t = performance.now();
        for (let i = 0; i < perRound; i++) {
          const c = calls[(k + i) % calls.length] as (typeof calls)[number];
          r.floor.write(c.userId, c.goalId, c.body);
        }
        const used = process.cpuUsage(cpu);
        s.cpu += (used.user + used.system) / 1000;
        s.wall += performance.now() - t;
        s.n += perRound;
      }
      k += perRound;
    }
    const base = sum.get("0027") as { cpu: number; wall: number; n: number };
    console.log(
      `the floor's check-in transaction, ${calls.length} goals, ${krs.toFixed(1)} key results each`,
    );
    for (const [name, s] of sum) {
      console.log(
        `${name.padEnd(14)} ${((s.cpu / s.n) * 1000).toFixed(0)} µs CPU, ${((s.wall / s.n) * 1000).toFixed(0)} µs wall a check-in; rate ${((base.cpu / s.cpu) * 100).toFixed(0)} % of 0027's by CPU, ${((base.wall / s.wall) * 100).toFixed(0)} % by wall (${rounds} × ${perRound})`,
      );
    }
  } finally {
    for (const r of runs) {
      r.db.close();
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${r.file}${suffix}`, { force: true });
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
