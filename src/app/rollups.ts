/**
 * Per-goal status roll-ups: a goal's evaluation on a day (progress, pace, stall, mode, last
 * check-in, wins), stored so that views over hundreds of goals (the team view) evaluate only the
 * goals that changed since. A stored roll-up is used only for the day it was computed on and while
 * its stamp matches: a hash of the goal's row, its revision (bumped by database triggers on every
 * write to its key results, steps, check-ins, barriers and change records), its mode state and its
 * owner's name. Past days are computed and never stored.
 */
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import * as engine from "../core/engine/index.js";
import type { Confidence, Goal, IsoDate } from "../core/types.js";
import * as store from "../store/repos/rollups.js";
import type { Database } from "../store/schema.js";
import { evaluate, loadGoalData } from "./followthrough.js";

/** How far back a roll-up keeps wins: the longest window a view may ask for (52 weeks). */
const WINS_DAYS = 52 * 7;
/**
 * Wins of the last four weeks (the views' default window) are stored apart from older ones, so a
 * default read parses a tenth of the wins: they were most of each roll-up's bytes.
 */
const RECENT_DAYS = 28;

/** One goal's evaluation on a day, as views over many goals need it. */
export interface GoalRollup {
  progress: number;
  expected: number | null;
  pace: engine.Pace;
  stalled: boolean;
  stallReasons: engine.StallReason[];
  mode: engine.Mode;
  leaderPrompt: string | null;
  /** The latest check-in dated by the day. */
  lastCheckin: { date: IsoDate; confidence: Confidence | null } | null;
  /** Wins up to the day, from the first day the caller asked for (at most 52 weeks back). */
  wins: engine.Win[];
}

/** A goal as it stood on the day, and its roll-up. */
export interface RolledUpGoal {
  goal: Goal;
  rollup: GoalRollup;
}

function stampOf(goal: Goal, s: store.StoredRollup | undefined, ownerName: string | undefined): string {
  const parts = [goal, s?.revision, s?.mode, s?.modeSince, s?.microStepsDone, ownerName ?? null];
  return createHash("sha1").update(JSON.stringify(parts)).digest("base64url");
}

/** Evaluates goals from their rows and returns each as it stood on `asOf` with its roll-up. */
async function compute(
  db: Kysely<Database>,
  workspaceId: number,
  goals: readonly Goal[],
  asOf: IsoDate,
  now: IsoDate,
): Promise<RolledUpGoal[]> {
  const { data } = await loadGoalData(db, goals, asOf);
  const evaluations = await evaluate(db, workspaceId, data, asOf, now);
  const since = engine.addDays(asOf, -(WINS_DAYS - 1));
  return evaluations.map((e) => {
    let lastCheckin: GoalRollup["lastCheckin"] = null;
    for (const c of e.data.checkins) {
      if (c.date <= asOf && (lastCheckin === null || c.date >= lastCheckin.date))
        lastCheckin = { date: c.date, confidence: c.confidence };
    }
    const r = e.report;
    return {
      goal: e.goal,
      rollup: {
        progress: r.progress,
        expected: r.expected,
        pace: r.pace,
        stalled: r.stalled,
        stallReasons: r.stallReasons,
        mode: r.mode,
        leaderPrompt: r.leaderPrompt,
        lastCheckin,
        wins: engine.smallWins([e.data], asOf, { since }),
      },
    };
  });
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
      fresh.map((f) => {
        const { wins, ...data } = f.rollup;
        return {
          goalId: f.goal.id,
          asOf,
          stamp: stamps.get(f.goal.id) as string,
          dataJson: JSON.stringify(data),
          recentWinsJson: JSON.stringify(wins.filter((w) => w.date >= recentFrom)),
          olderWinsJson: JSON.stringify(wins.filter((w) => w.date < recentFrom)),
          computedAt: at,
        };
      }),
    );
    for (const f of fresh) found.set(f.goal.id, keepWins(f));
  }
  return goals.map((g) => found.get(g.id) as RolledUpGoal);
}
