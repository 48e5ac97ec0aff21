/**
 * History: reading a goal's state as it was on a given day, from check-ins and step completion
 * dates, so that a status "as of" a past day reproduces what was known then.
 */
import { compareIso } from "../dates.js";
import type { Checkin, IsoDate, KeyResult, Step } from "../types.js";
import { dayOfTimestamp } from "./dates.js";
import { goalProgress, type KeyResultMeasure } from "./progress.js";

/** One reported value of a key result on a day (from a check-in or another dated source). */
export interface KrObservation {
  keyResultId: number;
  date: IsoDate;
  value: number;
}

/** A goal's progress (0..1) on a day. */
export interface ProgressPoint {
  date: IsoDate;
  progress: number;
}

/**
 * Check-ins in the order they happened: by date, then creation time, then id.
 *
 * @example
 * sortCheckins(checkins).at(-1); // the latest check-in
 */
export function sortCheckins<T extends Pick<Checkin, "date" | "createdAt" | "id">>(
  checkins: readonly T[],
): T[] {
  return [...checkins].sort(
    (a, b) => compareIso(a.date, b.date) || compareIso(a.createdAt, b.createdAt) || a.id - b.id,
  );
}

/**
 * The key-result values reported in check-ins, in the order they were reported.
 *
 * @example
 * checkinObservations([{ id: 1, date: "2024-03-01", createdAt: "...", krValues: [{ keyResultId: 7, value: 40 }] }]);
 * // [{ keyResultId: 7, date: "2024-03-01", value: 40 }]
 */
export function checkinObservations(
  checkins: readonly Pick<Checkin, "date" | "createdAt" | "id" | "krValues">[],
): KrObservation[] {
  return sortCheckins(checkins).flatMap((c) =>
    c.krValues.map((v) => ({ keyResultId: v.keyResultId, date: c.date, value: v.value })),
  );
}

/**
 * A key result's value as of a day: the latest value reported on or before it (the later one in
 * list order when a day has several), else the start value. Observations of other key results are
 * ignored.
 *
 * @example
 * keyResultValueAsOf({ id: 7, startValue: 0 }, [{ keyResultId: 7, date: "2024-03-01", value: 40 }], "2024-03-05"); // 40
 * keyResultValueAsOf({ id: 7, startValue: 0 }, [{ keyResultId: 7, date: "2024-03-01", value: 40 }], "2024-02-28"); // 0
 */
export function keyResultValueAsOf(
  kr: Pick<KeyResult, "id" | "startValue">,
  observations: readonly KrObservation[],
  asOf: IsoDate,
): number {
  let best: KrObservation | null = null;
  for (const o of observations) {
    if (o.keyResultId !== kr.id || o.date > asOf) continue;
    if (best === null || o.date >= best.date) best = o;
  }
  return best === null ? kr.startValue : best.value;
}

/**
 * The key results with `currentValue` replaced by their value as of a day.
 *
 * @example
 * keyResultsAsOf(keyResults, checkinObservations(checkins), "2024-03-01");
 */
export function keyResultsAsOf<T extends KeyResultMeasure & Pick<KeyResult, "id">>(
  keyResults: readonly T[],
  observations: readonly KrObservation[],
  asOf: IsoDate,
): T[] {
  return keyResults.map((kr) => ({ ...kr, currentValue: keyResultValueAsOf(kr, observations, asOf) }));
}

/**
 * The day a step was done (its `doneAt`, or its last update when `doneAt` is missing), or null
 * when it is not done.
 *
 * @example
 * stepDoneDate({ status: "done", doneAt: "2024-03-01T10:00:00Z", updatedAt: "2024-03-01T10:00:00Z" }); // "2024-03-01"
 */
export function stepDoneDate(step: Pick<Step, "status" | "doneAt" | "updatedAt">): IsoDate | null {
  if (step.status !== "done") return null;
  return dayOfTimestamp(step.doneAt ?? step.updatedAt);
}

/**
 * The steps as they stood at the end of a day: steps created later are left out, and steps done
 * later are open again ("todo"). Dropped steps stay dropped (the drop date is not recorded).
 *
 * @example
 * stepsAsOf(steps, "2024-03-01").filter((s) => s.status === "done"); // the steps done by 1 March
 */
export function stepsAsOf<T extends Pick<Step, "status" | "doneAt" | "updatedAt" | "createdAt">>(
  steps: readonly T[],
  asOf: IsoDate,
): T[] {
  const result: T[] = [];
  for (const step of steps) {
    if (dayOfTimestamp(step.createdAt) > asOf) continue;
    const done = stepDoneDate(step);
    result.push(done !== null && done > asOf ? { ...step, status: "todo", doneAt: null } : step);
  }
  return result;
}

/**
 * A goal's progress as of a day, from the key-result values reported by then and the steps done
 * by then.
 *
 * @example
 * goalProgressAsOf(keyResults, steps, checkinObservations(checkins), "2024-03-01"); // e.g. 0.4
 */
export function goalProgressAsOf(
  keyResults: readonly (KeyResultMeasure & Pick<KeyResult, "id">)[],
  steps: readonly Pick<Step, "status" | "doneAt" | "updatedAt" | "createdAt">[],
  observations: readonly KrObservation[],
  asOf: IsoDate,
): number {
  return goalProgress(keyResultsAsOf(keyResults, observations, asOf), stepsAsOf(steps, asOf));
}

/**
 * The last day on or before `asOf` on which something moved: a step was done, a check-in reported
 * steps done, or a key result's reported value changed (the first report counts when it differs
 * from the start value). Null when nothing ever moved.
 *
 * @example
 * lastMovement(keyResults, steps, checkins, "2024-03-10"); // e.g. "2024-03-04"
 */
export function lastMovement(
  keyResults: readonly Pick<KeyResult, "id" | "startValue">[],
  steps: readonly Pick<Step, "status" | "doneAt" | "updatedAt">[],
  checkins: readonly Pick<Checkin, "date" | "createdAt" | "id" | "krValues" | "stepsDone">[],
  asOf: IsoDate,
  extraObservations: readonly KrObservation[] = [],
): IsoDate | null {
  let last: IsoDate | null = null;
  const seen = (date: IsoDate) => {
    if (date <= asOf && (last === null || date > last)) last = date;
  };
  for (const step of steps) {
    const done = stepDoneDate(step);
    if (done !== null) seen(done);
  }
  for (const c of checkins) if (c.stepsDone.length > 0) seen(c.date);

  const observations = [...checkinObservations(checkins), ...extraObservations].sort((a, b) =>
    compareIso(a.date, b.date),
  );
  const known = new Map(keyResults.map((kr) => [kr.id, kr.startValue]));
  for (const o of observations) {
    if (!known.has(o.keyResultId)) continue;
    if (known.get(o.keyResultId) !== o.value) seen(o.date);
    known.set(o.keyResultId, o.value);
  }
  return last;
}

/**
 * The goal's progress on each day it had a check-in, on or before `asOf`, oldest first: the points
 * a forecast trend is fitted to. `limit` keeps only the most recent days.
 *
 * @example
 * checkinProgressPoints(keyResults, steps, checkins, "2024-03-10");
 * // [{ date: "2024-03-01", progress: 0.2 }, { date: "2024-03-08", progress: 0.35 }]
 */
export function checkinProgressPoints(
  keyResults: readonly (KeyResultMeasure & Pick<KeyResult, "id">)[],
  steps: readonly Pick<Step, "status" | "doneAt" | "updatedAt" | "createdAt">[],
  checkins: readonly Pick<Checkin, "date" | "createdAt" | "id" | "krValues">[],
  asOf: IsoDate,
  extraObservations: readonly KrObservation[] = [],
  limit = Number.POSITIVE_INFINITY,
): ProgressPoint[] {
  const observations = [...checkinObservations(checkins), ...extraObservations];
  const dates = [...new Set(checkins.map((c) => c.date).filter((d) => d <= asOf))].sort().slice(-limit);
  return dates.map((date) => ({ date, progress: goalProgressAsOf(keyResults, steps, observations, date) }));
}
