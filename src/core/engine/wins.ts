/**
 * Small wins: completed steps, streaks of weeks with progress, key-result milestones passed and
 * buffer gained, gathered into one feed, newest first.
 */
import { compareIso } from "../dates.js";
import type { IsoDate } from "../types.js";
import { addDays, isoWeekStart } from "./dates.js";
import { stepDoneDate } from "./history.js";
import { bufferDays } from "./pace.js";
import { keyResultProgress } from "./progress.js";
import {
  BUFFER_GAIN_LOOKBACK_DAYS,
  EPSILON,
  MILESTONES,
  MIN_STREAK_WEEKS,
  WINS_WINDOW_DAYS,
} from "./rules.js";
import { type GoalData, goalProgressOn, goalRowsAsOf } from "./status.js";

/** What every win has. `userId` is whose win it is: the step's owner, else the goal's owner. */
interface WinBase {
  date: IsoDate;
  goalId: number;
  userId: number;
  text: string;
}

/** A step was done. */
export interface StepDoneWin extends WinBase {
  type: "step-done";
  stepId: number;
}

/** Consecutive ISO weeks, up to this week or last week, each with at least one step done. */
export interface StreakWin extends WinBase {
  type: "streak";
  weeks: number;
}

/** A key result passed 25, 50, 75 or 100 % of the way to its target. */
export interface MilestoneWin extends WinBase {
  type: "milestone";
  keyResultId: number;
  /** The highest milestone passed on that day, in percent. */
  milestone: number;
}

/** The goal's buffer is larger than it was a week ago. */
export interface BufferGainedWin extends WinBase {
  type: "buffer-gained";
  bufferDays: number;
  previousBufferDays: number;
}

/** One entry of the wins feed. */
export type Win = StepDoneWin | StreakWin | MilestoneWin | BufferGainedWin;

/** Options for {@link smallWins}. */
export interface WinsOptions {
  /** First day of the feed; defaults to {@link WINS_WINDOW_DAYS} days up to and including `asOf`. */
  since?: IsoDate;
}

const TYPE_ORDER: Record<Win["type"], number> = {
  milestone: 0,
  "buffer-gained": 1,
  streak: 2,
  "step-done": 3,
};

/**
 * The length of the run of consecutive ISO weeks with a step done that ends at `asOf`'s week, or
 * at the week before when this week has none yet. 0 without such a run.
 *
 * @example
 * streakWeeks(["2024-03-04", "2024-03-12"], "2024-03-20"); // 2 (weeks of 4 and 11 March; none yet this week)
 */
export function streakWeeks(doneDates: readonly IsoDate[], asOf: IsoDate): number {
  const weeks = new Set(doneDates.filter((d) => d <= asOf).map(isoWeekStart));
  let week = isoWeekStart(asOf);
  if (!weeks.has(week)) week = addDays(week, -7);
  let count = 0;
  while (weeks.has(week)) {
    count++;
    week = addDays(week, -7);
  }
  return count;
}

function goalWins(data: GoalData, since: IsoDate, asOf: IsoDate): Win[] {
  const { goal } = data;
  const rows = goalRowsAsOf(data, asOf);
  const inWindow = (d: IsoDate) => d >= since && d <= asOf;
  const base = (date: IsoDate, userId: number, text: string): WinBase => ({
    date,
    goalId: goal.id,
    userId,
    text,
  });
  const wins: Win[] = [];

  const doneDates: IsoDate[] = [];
  for (const step of rows.steps) {
    const done = stepDoneDate(step);
    if (done === null) continue;
    doneDates.push(done);
    if (inWindow(done)) {
      wins.push({
        type: "step-done",
        stepId: step.id,
        ...base(done, step.ownerId ?? goal.ownerId, `Done: ${step.text}`),
      });
    }
  }

  const weeks = streakWeeks(doneDates, asOf);
  const latest = doneDates.sort().at(-1);
  if (weeks >= MIN_STREAK_WEEKS && latest !== undefined && inWindow(latest)) {
    wins.push({
      type: "streak",
      weeks,
      ...base(latest, goal.ownerId, `${weeks} weeks in a row with a step done on ${goal.title}`),
    });
  }

  for (const kr of rows.keyResults) {
    let best = keyResultProgress(kr, kr.startValue);
    for (const o of rows.observations) {
      if (o.keyResultId !== kr.id) continue;
      const p = keyResultProgress(kr, o.value);
      const passed = MILESTONES.filter((m) => best < m - EPSILON && p >= m - EPSILON).at(-1);
      best = Math.max(best, p);
      if (passed === undefined || !inWindow(o.date)) continue;
      const percent = Math.round(passed * 100);
      wins.push({
        type: "milestone",
        keyResultId: kr.id,
        milestone: percent,
        ...base(o.date, goal.ownerId, `${kr.title} passed ${percent} %`),
      });
    }
  }

  if (goal.status === "active" && inWindow(asOf)) {
    const weekAgo = addDays(asOf, -BUFFER_GAIN_LOOKBACK_DAYS);
    const now = bufferDays(goal, goalProgressOn(data, asOf), asOf);
    const before = bufferDays(goal, goalProgressOn(data, weekAgo), weekAgo);
    if (now !== null && before !== null && now > before) {
      wins.push({
        type: "buffer-gained",
        bufferDays: now,
        previousBufferDays: before,
        ...base(asOf, goal.ownerId, `Buffer on ${goal.title} up from ${before} to ${now} days`),
      });
    }
  }
  return wins;
}

/**
 * The wins feed of some goals for the days from `since` to `asOf`, newest first (same day:
 * milestones, buffer gained, streaks, then steps). Dropped goals have no wins; buffer gained is
 * only for active goals with a due date, dated `asOf`.
 * - step-done: each step done in the window;
 * - streak: {@link MIN_STREAK_WEEKS} or more weeks in a row with a step done, dated on the latest
 *   step done when that is in the window;
 * - milestone: each check-in that lifts a key result past a milestone it had not reached before;
 * - buffer-gained: buffer on `asOf` larger than {@link BUFFER_GAIN_LOOKBACK_DAYS} days earlier.
 *
 * @example
 * smallWins([{ goal, keyResults, steps, checkins }], "2024-03-15");
 * // [{ type: "milestone", date: "2024-03-15", ..., milestone: 50, text: "Signups passed 50 %" },
 * //  { type: "step-done", date: "2024-03-12", ..., text: "Done: Draft the welcome email" }]
 */
export function smallWins(goals: readonly GoalData[], asOf: IsoDate, options: WinsOptions = {}): Win[] {
  const since = options.since ?? addDays(asOf, -(WINS_WINDOW_DAYS - 1));
  return orderWins(goals.filter((g) => g.goal.status !== "dropped").flatMap((g) => goalWins(g, since, asOf)));
}

/**
 * Wins in feed order, newest first (same day: milestones, buffer gained, streaks, then steps; then
 * by goal), sorted in place. For merging the wins of goals evaluated apart.
 */
export function orderWins(wins: Win[]): Win[] {
  return wins.sort(
    (a, b) =>
      compareIso(b.date, a.date) ||
      TYPE_ORDER[a.type] - TYPE_ORDER[b.type] ||
      a.goalId - b.goalId ||
      winKey(a) - winKey(b),
  );
}

function winKey(win: Win): number {
  if (win.type === "step-done") return win.stepId;
  if (win.type === "milestone") return win.keyResultId;
  return 0;
}
