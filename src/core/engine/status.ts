/**
 * The goal status: every rule of the engine applied to one goal on one day, from plain data the
 * app layer loads from the database.
 */
import { compareIso } from "../dates.js";
import type { Checkin, Goal, IsoDate, KeyResult, Step } from "../types.js";
import { dayOfTimestamp } from "./dates.js";
import {
  checkinObservations,
  checkinProgressPoints,
  goalProgressAsOf,
  type KrObservation,
  lastMovement,
  stepDoneDate,
  stepsAsOf,
} from "./history.js";
import {
  INITIAL_MODE,
  leaderPrompt,
  type Mode,
  type ModeState,
  type NextStep,
  nextMode,
  nextSteps,
} from "./micro.js";
import { bufferDays, completedOn, expectedProgress, forecastDate, type Pace, paceOf } from "./pace.js";
import { EPSILON, FORECAST_POINTS } from "./rules.js";
import { type StallReason, stallStatus } from "./stall.js";

/** One goal with everything recorded about it. Rows of other goals are ignored. */
export interface GoalData {
  goal: Goal;
  keyResults: readonly KeyResult[];
  steps: readonly Step[];
  checkins: readonly Checkin[];
  /** Dated key-result values recorded outside check-ins, if the app keeps any. */
  krObservations?: readonly KrObservation[];
}

/** The input of {@link goalStatus}: the goal's data plus what is stored between evaluations. */
export interface GoalStatusInput extends GoalData {
  /** The mode stored after the previous evaluation; defaults to normal. */
  previousMode?: ModeState;
  /** The owner's display name, for the leader prompt; defaults to "the owner". */
  ownerName?: string;
}

/** A goal's status on a day. */
export interface GoalStatusReport {
  /** 0..1, from key-result values reported by `asOf`, or steps done by then. */
  progress: number;
  /** 0..1 on the straight line from start to due date; null without a due date. */
  expected: number | null;
  pace: Pace;
  bufferDays: number | null;
  forecastDate: IsoDate | null;
  stalled: boolean;
  mode: Mode;
  /** In micro-goal mode exactly one entry; otherwise the open steps in order. */
  nextSteps: NextStep[];
  stallReasons: StallReason[];
  /** The mode to store for the next evaluation. */
  modeState: ModeState;
  /** True on the evaluation that switched the goal into micro-goal mode (send the leader prompt then). */
  enteredMicroMode: boolean;
  /** The leader prompt while in micro-goal mode, else null. */
  leaderPrompt: string | null;
  /** The last day something moved, null if nothing ever did. */
  lastMovement: IsoDate | null;
}

/** One goal's rows as they stood on a day. */
export interface GoalRows {
  keyResults: KeyResult[];
  /** The goal's steps as of the day (see `stepsAsOf`). */
  steps: Step[];
  /** The goal's check-ins dated on or before the day. */
  checkins: Checkin[];
  /** The extra key-result observations dated on or before the day. */
  extra: KrObservation[];
  /** Every key-result observation by the day, oldest first (check-ins before extras on a day). */
  observations: KrObservation[];
}

/**
 * One goal's rows as they stood on a day: rows of other goals and anything dated after the day are
 * left out, and steps done later are open again.
 *
 * @example
 * goalRowsAsOf({ goal, keyResults, steps, checkins }, "2024-03-01").checkins; // check-ins up to 1 March
 */
export function goalRowsAsOf(data: GoalData, asOf: IsoDate): GoalRows {
  const id = data.goal.id;
  const keyResults = data.keyResults.filter((kr) => kr.goalId === id);
  const steps = stepsAsOf(
    data.steps.filter((s) => s.goalId === id),
    asOf,
  );
  const checkins = data.checkins.filter((c) => c.goalId === id && c.date <= asOf);
  const extra = (data.krObservations ?? []).filter((o) => o.date <= asOf);
  const observations = [...checkinObservations(checkins), ...extra].sort((a, b) =>
    compareIso(a.date, b.date),
  );
  return { keyResults, steps, checkins, extra, observations };
}

/**
 * A goal's progress on a day, from its data (see {@link goalRowsAsOf}).
 *
 * @example
 * goalProgressOn({ goal, keyResults, steps, checkins }, "2024-03-01"); // e.g. 0.4
 */
export function goalProgressOn(data: GoalData, asOf: IsoDate): number {
  const rows = goalRowsAsOf(data, asOf);
  return goalProgressAsOf(rows.keyResults, rows.steps, rows.observations, asOf);
}

function completionDay(data: GoalData, asOf: IsoDate): IsoDate | null {
  const rows = goalRowsAsOf(data, asOf);
  const days = new Set<IsoDate>([...rows.checkins.map((c) => c.date), ...rows.extra.map((o) => o.date)]);
  for (const s of rows.steps) {
    const done = stepDoneDate(s);
    if (done !== null) days.add(done);
    // A new step lowers a step-counted goal's progress, so its day can end a completed run.
    days.add(dayOfTimestamp(s.createdAt));
  }
  const points = [...days].map((date) => ({
    date,
    progress: goalProgressAsOf(rows.keyResults, rows.steps, rows.observations, date),
  }));
  return completedOn(points);
}

/**
 * Applies every rule to one goal as of a day: progress, expected progress and pace, buffer,
 * forecast, stall reasons, the micro-goal mode transition from `previousMode`, and the next steps
 * to show. Only data dated on or before `asOf` is used, so a past day is reproduced (except the
 * mode, which depends on the stored previous state).
 *
 * @example
 * const status = goalStatus({ goal, keyResults, steps, checkins, previousMode: stored }, "2024-03-12");
 * status.pace; // "behind"
 * status.mode; // "micro-goal", with status.nextSteps holding the one small step
 * // store status.modeState; notify the leader with status.leaderPrompt when status.enteredMicroMode
 */
export function goalStatus(input: GoalStatusInput, asOf: IsoDate): GoalStatusReport {
  const { goal } = input;
  const rows = goalRowsAsOf(input, asOf);
  const progress = goalProgressAsOf(rows.keyResults, rows.steps, rows.observations, asOf);
  const expected = expectedProgress(goal, asOf);
  const pace = paceOf(progress, expected);
  const points = checkinProgressPoints(
    rows.keyResults,
    rows.steps,
    rows.checkins,
    asOf,
    rows.extra,
    FORECAST_POINTS,
  );
  const doneOn = progress >= 1 - EPSILON ? completionDay(input, asOf) : null;
  const moved = lastMovement(rows.keyResults, rows.steps, rows.checkins, asOf, rows.extra);
  const stall = stallStatus({ goal, progress, expected, lastMovement: moved, checkins: rows.checkins, asOf });

  const previous = input.previousMode ?? INITIAL_MODE;
  const since = previous.mode === "micro-goal" ? previous.since : null;
  const stepsDoneSince =
    since === null
      ? 0
      : rows.steps.filter((s) => {
          const done = stepDoneDate(s);
          return done !== null && done >= since && done <= asOf;
        }).length;
  const modeState = nextMode(previous, {
    stalled: stall.stalled,
    pace,
    stepsDoneSince,
    asOf,
    active: goal.status === "active",
    cooldownDays: goal.cadenceDays,
  });
  const micro = modeState.mode === "micro-goal";

  return {
    progress,
    expected,
    pace,
    bufferDays: bufferDays(goal, progress, asOf),
    forecastDate: forecastDate(points, asOf, progress, doneOn),
    stalled: stall.stalled,
    mode: modeState.mode,
    nextSteps: nextSteps(goal, rows.steps, modeState.mode),
    stallReasons: stall.reasons,
    modeState,
    enteredMicroMode: micro && previous.mode !== "micro-goal",
    leaderPrompt: micro ? leaderPrompt(input.ownerName ?? "the owner", goal.title) : null,
    lastMovement: moved,
  };
}
