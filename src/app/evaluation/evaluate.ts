/**
 * Evaluating goals on a day with the engine, from the mode each was in before; storing today's
 * micro-goal mode; and the status view the interfaces show.
 */
import type { Kysely } from "kysely";
import * as engine from "../../core/engine/index.js";
import type { Goal, IsoDate } from "../../core/types.js";
import * as ft from "../../store/repos/followthrough.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, emit, nowIso } from "../context.js";

/** A goal's status on a day, as the interfaces show it. */
export interface GoalStatusView {
  goalId: number;
  title: string;
  asOf: IsoDate;
  progress: number;
  expected: number | null;
  pace: engine.Pace;
  bufferDays: number | null;
  forecastDate: IsoDate | null;
  stalled: boolean;
  stallReasons: engine.StallReason[];
  mode: engine.Mode;
  /** The day micro-goal mode was entered (or last left, in normal mode); null if never. */
  modeSince: IsoDate | null;
  microStepsDone: number;
  /** In micro-goal mode exactly one entry (a step or a prompt to write one); else the open steps. */
  nextSteps: engine.NextStep[];
  leaderPrompt: string | null;
  lastMovement: IsoDate | null;
}

/** One goal evaluated on a day. */
export interface Evaluation {
  goal: Goal;
  data: engine.GoalData;
  previous: engine.ModeState;
  report: engine.GoalStatusReport;
}

/**
 * The mode each goal was in before an evaluation on `asOf`: the stored state for today (or a
 * later day), else the last state recorded by the end of that day in the mode history. Views that
 * show a goal's mode without evaluating it ("my week") read it here too, so they agree with status.
 */
export async function previousModes(
  db: Kysely<Database>,
  goalIds: readonly number[],
  asOf: IsoDate,
  now: IsoDate,
): Promise<Map<number, engine.ModeState>> {
  return asOf >= now ? ft.currentModeStates(db, goalIds) : ft.modeStatesOn(db, goalIds, asOf);
}

/**
 * Evaluates goals on `asOf` with the engine, from the mode each was in before (read-only: nothing
 * is stored; {@link goalStatus} stores today's mode).
 */
export async function evaluate(
  db: Kysely<Database>,
  workspaceId: number,
  data: readonly engine.GoalData[],
  asOf: IsoDate,
  now: IsoDate,
): Promise<Evaluation[]> {
  const ids = data.map((d) => d.goal.id);
  const [modes, names] = await Promise.all([
    previousModes(db, ids, asOf, now),
    ft.userNames(
      db,
      workspaceId,
      data.map((d) => d.goal.ownerId),
    ),
  ]);
  return data.map((d) => {
    const previous = modes.get(d.goal.id) ?? engine.INITIAL_MODE;
    const ownerName = names.get(d.goal.ownerId);
    const report = engine.goalStatus(
      { ...d, previousMode: previous, ...(ownerName === undefined ? {} : { ownerName }) },
      asOf,
    );
    return { goal: d.goal, data: d, previous, report };
  });
}

export function sameMode(a: engine.ModeState, b: engine.ModeState): boolean {
  return a.mode === b.mode && a.since === b.since && a.microStepsDone === b.microStepsDone;
}

/**
 * Stores today's mode of an evaluated goal and, when it has just entered micro-goal mode, appends
 * `goal.stalled` with the leader prompt. Call inside the transaction the goal was read in.
 */
export async function persistMode(
  trx: Kysely<Database>,
  ctx: AppContext,
  actor: Actor,
  e: Evaluation,
  asOf: IsoDate,
): Promise<void> {
  const next = e.report.modeState;
  if (sameMode(e.previous, next)) return;
  const saved = await ft.saveModeState(trx, e.goal.id, e.previous, next, asOf, nowIso(ctx));
  if (saved && e.report.enteredMicroMode) {
    await emit(
      trx,
      ctx,
      actor,
      "goal.stalled",
      { type: "goal", id: e.goal.id },
      {
        goalId: e.goal.id,
        title: e.goal.title,
        ownerId: e.goal.ownerId,
        reasons: e.report.stallReasons,
        pace: e.report.pace,
        since: next.since,
        leaderPrompt: e.report.leaderPrompt,
        nextStep: e.report.nextSteps[0] ?? null,
      },
    );
  }
}

/** A goal's status on `asOf` as the interfaces show it. */
export function statusView(e: Evaluation, asOf: IsoDate): GoalStatusView {
  const r = e.report;
  return {
    goalId: e.goal.id,
    title: e.goal.title,
    asOf,
    progress: r.progress,
    expected: r.expected,
    pace: r.pace,
    bufferDays: r.bufferDays,
    forecastDate: r.forecastDate,
    stalled: r.stalled,
    stallReasons: r.stallReasons,
    mode: r.mode,
    modeSince: r.modeState.since,
    microStepsDone: r.modeState.microStepsDone,
    nextSteps: r.nextSteps,
    leaderPrompt: r.leaderPrompt,
    lastMovement: r.lastMovement,
  };
}
