/**
 * What one goal's evaluation on a day is stored as (`goal_rollups`, migrations 0008 and 0009): the
 * roll-up that views over many goals read (the team view, rollups.ts) and the status view
 * the goal's own page reads (status.ts), under one stamp. A stored row is used only
 * for the day it was computed on and while its stamp matches: a hash of the goal's row, its revision
 * (bumped by database triggers on every write to the goal's row, key results, steps, check-ins,
 * barriers, change records and commitments), its mode state, its owner's name and the version of
 * the stored shape and of the engine's rules (`ROLLUP_VERSION`), so that an upgrade, or a second
 * instance on another version, never serves a row computed by other code.
 */
import { createHash } from "node:crypto";
import type { Insertable } from "kysely";
import * as engine from "../../core/engine/index.js";
import * as rules from "../../core/engine/rules.js";
import type { Confidence, Goal, IsoDate } from "../../core/types.js";
import type { StoredRollup } from "../../store/repos/rollups.js";
import type { GoalRollupsTable } from "../../store/schema.js";
import { type Evaluation, statusView } from "./evaluate.js";

/** How far back a roll-up keeps wins: the longest window a view may ask for (52 weeks). */
const WINS_DAYS = 52 * 7;
/**
 * Wins of the last four weeks (the views' default window) are stored apart from older ones, so a
 * default read parses a tenth of the wins: they were most of each roll-up's bytes.
 */
export const RECENT_DAYS = 28;

/**
 * The format of a stored roll-up: bump it whenever the stored shape (`GoalRollup`, the status view,
 * how the wins are split) or the way it is computed here or in evaluate.ts changes.
 */
const ROLLUP_FORMAT = 1;

/**
 * The code version every roll-up's stamp carries: the stored format, the engine's rules version and
 * its thresholds by value (so changing a threshold in rules.ts needs no bump here).
 */
export const ROLLUP_VERSION = `rollup.${ROLLUP_FORMAT}/rules.${engine.RULES_VERSION}/${createHash("sha1")
  .update(JSON.stringify(rules))
  .digest("base64url")
  .slice(0, 8)}`;

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

/**
 * The stamp a goal's stored row must carry to be read: see the module's comment. `version` is
 * this code's unless a test asks what another version would have stamped.
 */
export function stampOf(
  goal: Goal,
  s: StoredRollup | undefined,
  ownerName: string | undefined,
  version: string = ROLLUP_VERSION,
): string {
  const parts = [version, goal, s?.revision, s?.mode, s?.modeSince, s?.microStepsDone, ownerName ?? null];
  return createHash("sha1").update(JSON.stringify(parts)).digest("base64url");
}

/** A goal's roll-up on `asOf`, with its wins of the 52 weeks up to it. */
export function rollupOf(e: Evaluation, asOf: IsoDate): GoalRollup {
  let lastCheckin: GoalRollup["lastCheckin"] = null;
  for (const c of e.data.checkins) {
    if (c.date <= asOf && (lastCheckin === null || c.date >= lastCheckin.date))
      lastCheckin = { date: c.date, confidence: c.confidence };
  }
  const r = e.report;
  return {
    progress: r.progress,
    expected: r.expected,
    pace: r.pace,
    stalled: r.stalled,
    stallReasons: r.stallReasons,
    mode: r.mode,
    leaderPrompt: r.leaderPrompt,
    lastCheckin,
    wins: engine.smallWins([e.data], asOf, { since: engine.addDays(asOf, -(WINS_DAYS - 1)) }),
  };
}

/** The row storing a goal's evaluation on `asOf` (today) under `stamp`. */
export function rollupRow(
  e: Evaluation,
  rollup: GoalRollup,
  asOf: IsoDate,
  stamp: string,
  at: string,
): Insertable<GoalRollupsTable> {
  const { wins, ...data } = rollup;
  const recentFrom = engine.addDays(asOf, -(RECENT_DAYS - 1));
  return {
    goalId: e.goal.id,
    asOf,
    stamp,
    dataJson: JSON.stringify(data),
    recentWinsJson: JSON.stringify(wins.filter((w) => w.date >= recentFrom)),
    olderWinsJson: JSON.stringify(wins.filter((w) => w.date < recentFrom)),
    statusJson: JSON.stringify(statusView(e, asOf)),
    computedAt: at,
  };
}
