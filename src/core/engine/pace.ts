/**
 * Pace: where a goal should be by now, whether it is ahead or behind, how many days of buffer it
 * has, and when its trend says it will finish.
 */
import { compareIso } from "../dates.js";
import type { Goal, IsoDate } from "../types.js";
import { addDays, diffDays, formatIsoDate, parseIsoDate } from "./dates.js";
import type { ProgressPoint } from "./history.js";
import { clamp01 } from "./progress.js";
import { EPSILON, FORECAST_POINTS, PACE_TOLERANCE } from "./rules.js";

/** Whether a goal's progress is ahead of, on, or behind the straight line to its due date. */
export type Pace = "ahead" | "on-track" | "behind";

/** The dates that set a goal's pace line. */
export type GoalSchedule = Pick<Goal, "startDate" | "dueDate">;

/**
 * The progress a goal should have on a day: a straight line from 0 on its start date to 1 on its
 * due date, clamped to 0..1. Null when the goal has no due date. A due date on or before the start
 * date makes the line a step: 0 before the due date, 1 from it.
 *
 * @example
 * expectedProgress({ startDate: "2024-01-01", dueDate: "2024-01-11" }, "2024-01-06"); // 0.5
 * expectedProgress({ startDate: "2024-01-01", dueDate: null }, "2024-01-06"); // null
 */
export function expectedProgress(goal: GoalSchedule, asOf: IsoDate): number | null {
  if (goal.dueDate === null) return null;
  const span = diffDays(goal.startDate, goal.dueDate);
  const elapsed = diffDays(goal.startDate, asOf);
  if (span <= 0) return asOf >= goal.dueDate ? 1 : 0;
  return clamp01(elapsed / span);
}

/**
 * Compares progress with expected progress: more than `tolerance` above is "ahead", more than
 * `tolerance` below is "behind", anything within (boundaries included) is "on-track". Without an
 * expected progress (no due date) there is no line to fall behind, so the pace is "on-track";
 * silence still stalls such goals.
 *
 * @example
 * paceOf(0.42, 0.5); // "behind" (8 points below)
 * paceOf(0.46, 0.5); // "on-track"
 * paceOf(0.1, null); // "on-track"
 */
export function paceOf(progress: number, expected: number | null, tolerance = PACE_TOLERANCE): Pace {
  if (expected === null) return "on-track";
  const gap = progress - expected;
  if (gap > tolerance + EPSILON) return "ahead";
  if (gap < -tolerance - EPSILON) return "behind";
  return "on-track";
}

/** Orders paces from worst to best, for comparisons: behind 0, on-track 1, ahead 2. */
export const PACE_RANK: Readonly<Record<Pace, number>> = { behind: 0, "on-track": 1, ahead: 2 };

/**
 * How many days the goal can go with no progress before it falls behind: the number of days after
 * `asOf`, one by one, on which the frozen progress still is not "behind" (as Beeminder's safety
 * buffer). 0 when it is already behind or would be tomorrow; capped at the days left until the due
 * date; null without a due date.
 *
 * @example
 * // 10-day goal, 5 days in, 80 % done: expected reaches 80 % on 9 Jan, is within 5 points,
 * // and passes 85 % on 10 Jan, when the goal would be behind.
 * bufferDays({ startDate: "2024-01-01", dueDate: "2024-01-11" }, 0.8, "2024-01-06"); // 3
 */
export function bufferDays(
  goal: GoalSchedule,
  progress: number,
  asOf: IsoDate,
  tolerance = PACE_TOLERANCE,
): number | null {
  if (goal.dueDate === null) return null;
  const cap = Math.max(0, diffDays(asOf, goal.dueDate));
  const holds = (days: number) =>
    paceOf(progress, expectedProgress(goal, addDays(asOf, days)), tolerance) !== "behind";
  if (!holds(0)) return 0;
  // Expected progress never falls as days pass, so "still not behind" holds for a prefix of days:
  // a binary search finds the last day it holds, as stepping day by day would.
  let lo = 0;
  let hi = cap;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (holds(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The day the goal first reached full progress and stayed there, read from its progress points
 * (oldest first), or null when the latest point is not complete.
 *
 * @example
 * completedOn([{ date: "2024-03-01", progress: 0.5 }, { date: "2024-03-08", progress: 1 }]); // "2024-03-08"
 */
export function completedOn(points: readonly ProgressPoint[]): IsoDate | null {
  let since: IsoDate | null = null;
  for (const p of [...points].sort((a, b) => compareIso(a.date, b.date))) {
    if (p.progress >= 1 - EPSILON) since ??= p.date;
    else since = null;
  }
  return since;
}

/**
 * The day the goal is projected to reach full progress. The rate comes from a least-squares line
 * through the most recent check-in progress points (the last {@link FORECAST_POINTS} distinct days
 * on or before `asOf`; the last point of a day wins); it needs at least two distinct days and a
 * positive slope, else null. The projection starts from today's progress on `asOf` (not from the
 * fitted line, which could put the finish in the past). When progress is already 1, the answer is
 * `doneOn` (when it completed) or else `asOf`.
 *
 * @example
 * forecastDate(
 *   [{ date: "2024-01-01", progress: 0 }, { date: "2024-01-11", progress: 0.25 }],
 *   "2024-01-11",
 * ); // "2024-02-10": 0.025 a day, 0.75 to go
 */
export function forecastDate(
  points: readonly ProgressPoint[],
  asOf: IsoDate,
  progress?: number,
  doneOn?: IsoDate | null,
): IsoDate | null {
  const byDay = new Map<IsoDate, number>();
  for (const p of points) if (p.date <= asOf && Number.isFinite(p.progress)) byDay.set(p.date, p.progress);
  const recent = [...byDay.entries()].sort(([a], [b]) => compareIso(a, b)).slice(-FORECAST_POINTS);
  const now = clamp01(progress ?? recent.at(-1)?.[1] ?? 0);
  if (now >= 1 - EPSILON)
    return doneOn ?? completedOn(recent.map(([date, p]) => ({ date, progress: p }))) ?? asOf;
  if (recent.length < 2) return null;

  const xs = recent.map(([date]) => parseIsoDate(date));
  const ys = recent.map(([, p]) => p);
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - meanX) * (ys[i] - meanY);
    sxx += (xs[i] - meanX) ** 2;
  }
  const slope = sxy / sxx;
  if (!(slope > EPSILON)) return null;
  const days = Math.ceil((1 - now) / slope - EPSILON);
  // A trend so slow it lands beyond year 9999 is no forecast.
  const target = parseIsoDate(asOf) + days;
  if (target > parseIsoDate("9999-12-31")) return null;
  return formatIsoDate(target);
}
