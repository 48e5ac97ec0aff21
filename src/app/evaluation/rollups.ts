/**
 * Per-goal status roll-ups for views over hundreds of goals (the team view): each goal's stored
 * evaluation for today (src/app/evaluation/rollup.ts says what it holds and when it is read) is read,
 * and only the goals that changed since are evaluated again. Past days are computed and never
 * stored.
 */
import type { Kysely } from "kysely";
import * as engine from "../../core/engine/index.js";
import type { Goal, IsoDate } from "../../core/types.js";
import * as store from "../../store/repos/rollups.js";
import type { Database } from "../../store/schema.js";
import { evaluate } from "./evaluate.js";
import { loadGoalData } from "./load.js";
import { type GoalRollup, RECENT_DAYS, rollupOf, rollupRow, stampOf } from "./rollup.js";

export type { GoalRollup } from "./rollup.js";

/** A goal as it stood on the day, and its roll-up. */
export interface RolledUpGoal {
  goal: Goal;
  rollup: GoalRollup;
}

/** Evaluates goals from their rows: each as it stood on `asOf`, its evaluation and its roll-up. */
async function compute(
  db: Kysely<Database>,
  workspaceId: number,
  goals: readonly Goal[],
  asOf: IsoDate,
  now: IsoDate,
) {
  const { data } = await loadGoalData(db, goals, asOf);
  const evaluations = await evaluate(db, workspaceId, data, asOf, now);
  return evaluations.map((e) => ({ goal: e.goal, rollup: rollupOf(e, asOf), evaluation: e }));
}

/**
 * The roll-ups of some goals on `asOf`, in the goals' order. For today, stored roll-ups whose
 * stamp still matches are read, and the others computed and stored; for another day all are
 * computed and nothing is stored. Reading this way returns exactly what computing would.
 * `ownerNames` holds the display name of each goal's owner (part of the stamp: the leader prompt
 * names them).
 */
export async function goalRollups(
  db: Kysely<Database>,
  workspaceId: number,
  goals: readonly Goal[],
  ownerNames: ReadonlyMap<number, string>,
  asOf: IsoDate,
  now: IsoDate,
  at: string,
  winsSince: IsoDate,
): Promise<RolledUpGoal[]> {
  const keepWins = (r: RolledUpGoal): RolledUpGoal => ({
    goal: r.goal,
    rollup: { ...r.rollup, wins: r.rollup.wins.filter((w) => w.date >= winsSince) },
  });
  if (asOf !== now) return (await compute(db, workspaceId, goals, asOf, now)).map(keepWins);
  const recentFrom = engine.addDays(asOf, -(RECENT_DAYS - 1));
  const withOlder = winsSince < recentFrom;
  const stored = await store.rollupsOf(
    db,
    goals.map((g) => g.id),
    withOlder,
  );
  const byGoal = new Map(stored.map((s) => [s.goalId, s]));
  const found = new Map<number, RolledUpGoal>();
  const stale: Goal[] = [];
  const stamps = new Map<number, string>();
  for (const goal of goals) {
    const s = byGoal.get(goal.id);
    const stamp = stampOf(goal, s, ownerNames.get(goal.ownerId));
    stamps.set(goal.id, stamp);
    if (s?.dataJson && s.asOf === asOf && s.stamp === stamp) {
      const recent = JSON.parse(s.recentWinsJson ?? "[]") as engine.Win[];
      const wins = withOlder ? [...recent, ...(JSON.parse(s.olderWinsJson ?? "[]") as engine.Win[])] : recent;
      const rollup = { ...(JSON.parse(s.dataJson) as Omit<GoalRollup, "wins">), wins };
      found.set(goal.id, keepWins({ goal, rollup }));
    } else stale.push(goal);
  }
  if (stale.length > 0) {
    const fresh = await compute(db, workspaceId, stale, asOf, now);
    await store.saveRollups(
      db,
      fresh.map((f) => rollupRow(f.evaluation, f.rollup, asOf, stamps.get(f.goal.id) as string, at)),
    );
    for (const f of fresh) found.set(f.goal.id, keepWins(f));
  }
  return goals.map((g) => found.get(g.id) as RolledUpGoal);
}
