/**
 * Loading a goal's history for the engine: its key results, steps, check-ins and change records,
 * and the goal and its targets as they stood at the end of a day (changes made later undone), so a
 * past day is reproduced from dated records, never from today's values.
 */

import type { Kysely } from "kysely";
import { compareIso } from "../../core/dates.js";
import * as engine from "../../core/engine/index.js";
import type { ChangeRecord, Goal, GoalStatus, IsoDate, KeyResult, Step } from "../../core/types.js";
import { checkinsOf } from "../../store/repos/checkins.js";
import * as ft from "../../store/repos/followthrough.js";
import type { Database } from "../../store/schema.js";

const dayOf = engine.dayOfTimestamp;

/**
 * The value a field had at the end of `asOf`, from the current value and the field's change
 * records: the old value of the first change made after that day, else the current value.
 */
function fieldAsOf(
  current: string | null,
  changes: readonly ChangeRecord[],
  field: string,
  entityId: number,
  entity: ChangeRecord["entity"],
  asOf: IsoDate,
): string | null {
  const later = changes.find(
    (c) => c.entity === entity && c.entityId === entityId && c.field === field && dayOf(c.createdAt) > asOf,
  );
  return later === undefined ? current : later.oldValue;
}

function numberOr(v: string | null, fallback: number): number {
  const n = v === null ? Number.NaN : Number(v);
  return Number.isFinite(n) ? n : fallback;
}

/** A goal's schedule and status as they stood at the end of a day (changes after it undone). */
function goalAsOf(goal: Goal, changes: readonly ChangeRecord[], asOf: IsoDate): Goal {
  const at = (field: string, current: string | null) =>
    fieldAsOf(current, changes, field, goal.id, "goal", asOf);
  return {
    ...goal,
    status: (at("status", goal.status) ?? goal.status) as GoalStatus,
    startDate: at("startDate", goal.startDate) ?? goal.startDate,
    dueDate: at("dueDate", goal.dueDate),
    cadenceDays: numberOr(at("cadenceDays", String(goal.cadenceDays)), goal.cadenceDays),
  };
}

/** A key result's target as it stood at the end of a day. */
function keyResultAsOf(kr: KeyResult, changes: readonly ChangeRecord[], asOf: IsoDate): KeyResult {
  const target = fieldAsOf(String(kr.targetValue), changes, "targetValue", kr.id, "key_result", asOf);
  return { ...kr, targetValue: numberOr(target, kr.targetValue) };
}

/**
 * Key-result values recorded outside check-ins, dated, as the engine asks: each manual change of the
 * current value, and the value given at creation when it differs from the start. (When check-ins
 * overwrote the current value and it was never changed by hand, the creation value is not known.)
 */
function krObservations(
  keyResults: readonly KeyResult[],
  changes: readonly ChangeRecord[],
  reported: ReadonlySet<number>,
): engine.KrObservation[] {
  const observations: engine.KrObservation[] = [];
  for (const kr of keyResults) {
    const manual = changes.filter(
      (c) => c.entity === "key_result" && c.entityId === kr.id && c.field === "currentValue",
    );
    const first = manual[0];
    if (!reported.has(kr.id)) {
      const initial = first === undefined ? kr.currentValue : numberOr(first.oldValue, kr.startValue);
      if (initial !== kr.startValue)
        observations.push({ keyResultId: kr.id, date: dayOf(kr.createdAt), value: initial });
    }
    for (const c of manual) {
      const value = numberOr(c.newValue, Number.NaN);
      if (Number.isFinite(value)) observations.push({ keyResultId: kr.id, date: dayOf(c.createdAt), value });
    }
  }
  return observations.sort((a, b) => compareIso(a.date, b.date));
}

/** Loads the engine's input for some goals, as they stood at the end of `asOf`. */
export async function loadGoalData(
  db: Kysely<Database>,
  goals: readonly Goal[],
  asOf: IsoDate,
): Promise<{ data: engine.GoalData[]; steps: Step[] }> {
  const ids = goals.map((g) => g.id);
  const [keyResults, steps, checkins, changes] = await Promise.all([
    ft.keyResultsOfGoals(db, ids),
    ft.stepsOfGoals(db, ids),
    checkinsOf(db, ids),
    ft.changesOfGoals(db, ids),
  ]);
  // Group once by goal: filtering every list per goal is quadratic at a few thousand goals.
  const byGoal = <T extends { goalId: number }>(rows: readonly T[]) => {
    const m = new Map<number, T[]>();
    for (const r of rows) {
      const list = m.get(r.goalId);
      if (list) list.push(r);
      else m.set(r.goalId, [r]);
    }
    return m;
  };
  const [changesBy, krsBy, checkinsBy, stepsBy] = [
    byGoal(changes),
    byGoal(keyResults),
    byGoal(checkins),
    byGoal(steps),
  ];
  const data = goals.map((goal) => {
    const own = changesBy.get(goal.id) ?? [];
    // A retired key result stops counting from the day it was retired.
    const krs = (krsBy.get(goal.id) ?? []).filter((k) => !k.retiredAt || dayOf(k.retiredAt) > asOf);
    const goalCheckins = checkinsBy.get(goal.id) ?? [];
    const reported = new Set(goalCheckins.flatMap((c) => c.krValues.map((v) => v.keyResultId)));
    return {
      goal: goalAsOf(goal, own, asOf),
      keyResults: krs.map((k) => keyResultAsOf(k, own, asOf)),
      steps: stepsBy.get(goal.id) ?? [],
      checkins: goalCheckins,
      krObservations: krObservations(krs, own, reported),
    };
  });
  return { data, steps };
}
