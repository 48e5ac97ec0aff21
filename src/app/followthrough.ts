/**
 * The follow-through engine at work: a goal's status (with micro-goal mode stored between
 * evaluations), the follow-through report, the wins feed and the weekly review. Every answer is
 * "as of" a day, today by default; a past day is reproduced from dated records (check-ins, steps'
 * done days, the change history and the mode history), never from today's values.
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import * as engine from "../core/engine/index.js";
import type { ChangeRecord, Commitment, Goal, GoalStatus, IsoDate, KeyResult, Step } from "../core/types.js";
import { checkinsOf } from "../store/repos/checkins.js";
import * as ft from "../store/repos/followthrough.js";
import * as rollupStore from "../store/repos/rollups.js";
import type { Database } from "../store/schema.js";
import { canSeeCommitment } from "./commitments.js";
import { type Actor, type AppContext, emit, nowIso, today, viewerOf } from "./context.js";
import { rollupOf, rollupRow, stampOf, statusView } from "./goal-rollup.js";
import { getGoalOrThrow, writableGoalOrThrow } from "./goals.js";
import { personOrThrow } from "./people.js";
import { canWriteGoal } from "./policy.js";
import { StepCreateInput, writeStep } from "./steps.js";
import { id, isoDay, parse } from "./validation.js";

/** Query of "a goal's status". */
export const StatusQuery = z.strictObject({ asOf: isoDay.optional() });
export type StatusQuery = z.input<typeof StatusQuery>;

const weeks = (fallback: number) =>
  z.coerce
    .number({ message: "must be a whole number of weeks, 1 to 52." })
    .int({ message: "must be a whole number of weeks, 1 to 52." })
    .min(1, { message: "must be at least 1 week." })
    .max(52, { message: "must be at most 52 weeks." })
    .default(fallback);

/** Query of "the follow-through report": the window of `weeks` weeks (default 4) ending on `asOf`. */
export const ReportQuery = z.strictObject({ asOf: isoDay.optional(), weeks: weeks(4) });
export type ReportQuery = z.input<typeof ReportQuery>;

/** Query of "the wins feed": the window of `weeks` weeks (default 1) ending on `asOf`. */
export const WinsQuery = z.strictObject({ asOf: isoDay.optional(), weeks: weeks(1) });
export type WinsQuery = z.input<typeof WinsQuery>;

/** Query of "the weekly review": the 7 days ending on `asOf`. */
export const ReviewQuery = z.strictObject({ asOf: isoDay.optional() });
export type ReviewQuery = z.input<typeof ReviewQuery>;

/** Body of "plan next week": one small step per goal, due by the end of the review's next week. */
export const ReviewStepsInput = z.strictObject({
  asOf: isoDay.optional(),
  steps: z
    .array(StepCreateInput.extend({ goalId: id }))
    .min(1, { message: "is empty. Give at least one step." })
    .max(100),
});
export type ReviewStepsInput = z.input<typeof ReviewStepsInput>;

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

/** A stalled goal in a report or review. */
export interface StalledGoal {
  goalId: number;
  title: string;
  ownerId: number;
  reasons: engine.StallReason[];
  mode: engine.Mode;
  leaderPrompt: string | null;
}

/** The follow-through report of a window of weeks ending on `asOf`. */
export interface FollowThroughReportView {
  asOf: IsoDate;
  from: IsoDate;
  to: IsoDate;
  weeks: number;
  followThroughRate: number | null;
  kept: number;
  missed: number;
  /** Due in the window but not done and not due yet (today counts as not over). */
  pending: number;
  /** The wins feed of the window, newest first. */
  wins: engine.Win[];
  stalled: StalledGoal[];
  byUser: (engine.RateSummary & { userId: number; name: string | null })[];
  byWeek: engine.FollowThroughReport["byWeek"];
}

/** The wins feed of a window ending on `asOf`. */
export interface WinsFeed {
  asOf: IsoDate;
  from: IsoDate;
  to: IsoDate;
  items: engine.Win[];
}

/** A step or commitment that was missed, with what it said. */
export interface Miss {
  kind: "step" | "commitment";
  id: number;
  goalId: number | null;
  userId: number;
  text: string;
  dueDate: IsoDate;
  /** The day it was done, late; null when not done. */
  doneOn: IsoDate | null;
}

/** One of my active goals to plan next week's step for. */
export interface ReviewGoal {
  goalId: number;
  title: string;
  pace: engine.Pace;
  progress: number;
  mode: engine.Mode;
  nextSteps: engine.NextStep[];
  /** The weekly question for this goal. */
  question: string;
}

/** The weekly review: last week's wins, misses and rate, stalled goals, and what to plan next. */
export interface WeeklyReview {
  asOf: IsoDate;
  /** Last week: the 7 days ending on `asOf`. */
  from: IsoDate;
  to: IsoDate;
  followThroughRate: number | null;
  kept: number;
  missed: number;
  pending: number;
  wins: engine.Win[];
  misses: Miss[];
  stalled: StalledGoal[];
  /** The 7 days after `asOf`, which the new steps are due by. */
  nextWeek: { from: IsoDate; to: IsoDate };
  /** My active goals, each asking for one small step next week. */
  plan: ReviewGoal[];
}

/** One goal evaluated on a day. */
export interface Evaluation {
  goal: Goal;
  data: engine.GoalData;
  previous: engine.ModeState;
  report: engine.GoalStatusReport;
}

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
  return observations.sort((a, b) => a.date.localeCompare(b.date));
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
    const krs = krsBy.get(goal.id) ?? [];
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

/**
 * The mode each goal was in before an evaluation on `asOf`: the stored state for today (or a
 * later day), else the last state recorded by the end of that day in the mode history.
 */
async function previousModes(
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

function sameMode(a: engine.ModeState, b: engine.ModeState): boolean {
  return a.mode === b.mode && a.since === b.since && a.microStepsDone === b.microStepsDone;
}

/**
 * Stores today's mode of an evaluated goal and, when it has just entered micro-goal mode, appends
 * `goal.stalled` with the leader prompt. Call inside the transaction the goal was read in.
 */
async function persistMode(
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

/**
 * A goal's status on a day (today by default): progress, expected progress, pace, buffer, forecast,
 * stall and the next steps to show. For today the micro-goal mode is stored in the same transaction
 * (and `goal.stalled` appended when the goal enters it); a past day reads the mode history and
 * stores nothing.
 */
export async function goalStatus(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  raw: unknown = {},
): Promise<GoalStatusView> {
  const q = parse(StatusQuery, raw);
  const now = today(ctx);
  const asOf = q.asOf ?? now;
  const db = ctx.store.db;
  const evaluateOn = async (d: Kysely<Database>, goal: Goal) => {
    const { data } = await loadGoalData(d, [goal], asOf);
    return (await evaluate(d, actor.workspaceId, data, asOf, now))[0] as Evaluation;
  };
  const goal = await getGoalOrThrow(ctx, actor, goalId, db);
  if (asOf !== now) return statusView(await evaluateOn(db, goal), asOf);
  // Today's status is stored with the goal's roll-up (src/app/goal-rollup.ts) and read back while
  // its stamp matches, unless it moves the mode (a roll-up computed for the team view does not
  // store the mode it finds): the mode is stored here.
  const [[stored], names] = await Promise.all([
    rollupStore.rollupsOf(db, [goal.id], false, true),
    ft.userNames(db, actor.workspaceId, [goal.ownerId]),
  ]);
  const stamp = stampOf(goal, stored, names.get(goal.ownerId));
  if (stored?.statusJson && stored.asOf === asOf && stored.stamp === stamp) {
    const view = JSON.parse(stored.statusJson) as GoalStatusView;
    const was = { mode: stored.mode, since: stored.modeSince, microStepsDone: stored.microStepsDone };
    if (
      sameMode(was as engine.ModeState, {
        mode: view.mode,
        since: view.modeSince,
        microStepsDone: view.microStepsDone,
      })
    )
      return view;
  }
  // Most reads leave the mode as it was: they need no write transaction. When the mode moves, the
  // goal is evaluated again inside one, so the stored mode follows from what is stored.
  const first = await evaluateOn(db, goal);
  if (sameMode(first.previous, first.report.modeState)) {
    await rollupStore.saveRollups(db, [rollupRow(first, rollupOf(first, asOf), asOf, stamp, nowIso(ctx))]);
    return statusView(first, asOf);
  }
  return db.transaction().execute(async (trx) => {
    const e = await evaluateOn(trx, await getGoalOrThrow(ctx, actor, goalId, trx));
    await persistMode(trx, ctx, actor, e, asOf);
    return statusView(e, asOf);
  });
}

/** Everything a window's report is computed from. */
interface WindowData {
  asOf: IsoDate;
  from: IsoDate;
  to: IsoDate;
  /** Goals counted (active or done by the end of `asOf`), as they stood then. */
  evaluations: Evaluation[];
  steps: Step[];
  commitments: Commitment[];
  rate: engine.FollowThroughReport;
  wins: engine.Win[];
  stalled: StalledGoal[];
}

/**
 * Loads and evaluates the goals the actor may see for the window [from, asOf]. Drafts and goals
 * dropped by `asOf` are left out, with their steps and commitments: a dropped goal's open steps are
 * no longer promises.
 */
async function windowData(ctx: AppContext, actor: Actor, asOf: IsoDate, from: IsoDate): Promise<WindowData> {
  const db = ctx.store.db;
  const viewer = await viewerOf(db, actor);
  const goals = await ft.visibleGoalsOf(db, viewer);
  const { data, steps } = await loadGoalData(db, goals, asOf);
  const counted = data.filter((d) => d.goal.status === "active" || d.goal.status === "done");
  const countedIds = new Set(counted.map((d) => d.goal.id));
  const evaluations = await evaluate(db, actor.workspaceId, counted, asOf, today(ctx));
  // A commitment counts when it belongs to a goal the caller may read, or (with no goal) when the
  // caller made or witnesses it: nobody's report shows commitments they may not see.
  const due = await ft.commitmentsDueIn(db, actor.workspaceId, from, asOf);
  const commitments: typeof due = [];
  for (const c of due) {
    if (c.goalId !== null ? countedIds.has(c.goalId) : await canSeeCommitment(db, actor, c))
      commitments.push(c);
  }
  const countedSteps = steps.filter((s) => countedIds.has(s.goalId));
  const rate = engine.followThrough(
    { goals: counted.map((d) => d.goal), steps: countedSteps, commitments },
    { from, to: asOf },
    asOf,
  );
  const wins = engine.smallWins(counted, asOf, { since: from });
  const stalled = evaluations
    .filter((e) => e.report.stalled)
    .map((e) => ({
      goalId: e.goal.id,
      title: e.goal.title,
      ownerId: e.goal.ownerId,
      reasons: e.report.stallReasons,
      mode: e.report.mode,
      leaderPrompt: e.report.leaderPrompt,
    }));
  return { asOf, from, to: asOf, evaluations, steps: countedSteps, commitments, rate, wins, stalled };
}

/** The first day of a window of `weeks` weeks ending on `asOf`. */
export function windowStart(asOf: IsoDate, weeks: number): IsoDate {
  return engine.addDays(asOf, -(7 * weeks - 1));
}

/**
 * The follow-through report of the goals the actor may see, for the `weeks` weeks (default 4)
 * ending on `asOf` (default today): the rate of steps and commitments due in the window that were
 * done by their due date, per person and per ISO week, the wins of the window and the goals
 * stalled on `asOf`.
 */
export async function followThroughReport(
  ctx: AppContext,
  actor: Actor,
  raw: unknown = {},
): Promise<FollowThroughReportView> {
  const q = parse(ReportQuery, raw);
  const asOf = q.asOf ?? today(ctx);
  const w = await windowData(ctx, actor, asOf, windowStart(asOf, q.weeks));
  const names = await ft.userNames(
    ctx.store.db,
    actor.workspaceId,
    w.rate.byUser.map((u) => u.userId),
  );
  return {
    asOf,
    from: w.from,
    to: w.to,
    weeks: q.weeks,
    followThroughRate: w.rate.followThroughRate,
    kept: w.rate.kept,
    missed: w.rate.missed,
    pending: w.rate.pending,
    wins: w.wins,
    stalled: w.stalled,
    byUser: w.rate.byUser.map((u) => ({ ...u, name: names.get(u.userId) ?? null })),
    byWeek: w.rate.byWeek,
  };
}

/**
 * The wins feed of the goals the actor may see for the `weeks` weeks (default 1) ending on `asOf`
 * (default today), newest first: steps done, streaks, milestones passed and buffer gained.
 */
export async function winsFeed(ctx: AppContext, actor: Actor, raw: unknown = {}): Promise<WinsFeed> {
  const q = parse(WinsQuery, raw);
  const asOf = q.asOf ?? today(ctx);
  const from = windowStart(asOf, q.weeks);
  const db = ctx.store.db;
  const goals = await ft.visibleGoalsOf(db, await viewerOf(db, actor));
  const { data } = await loadGoalData(db, goals, asOf);
  const counted = data.filter((d) => d.goal.status === "active" || d.goal.status === "done");
  return { asOf, from, to: asOf, items: engine.smallWins(counted, asOf, { since: from }) };
}

/**
 * The weekly review as of a day (default today): the last 7 days' wins, misses and follow-through
 * rate, the stalled goals, and for each of my active goals its next steps and the weekly question
 * "what is one small step you can take next week?". Reading it changes nothing.
 */
export async function weeklyReview(ctx: AppContext, actor: Actor, raw: unknown = {}): Promise<WeeklyReview> {
  const q = parse(ReviewQuery, raw);
  const asOf = q.asOf ?? today(ctx);
  const w = await windowData(ctx, actor, asOf, windowStart(asOf, 1));
  const stepById = new Map(w.steps.map((s) => [s.id, s]));
  const commitmentById = new Map(w.commitments.map((c) => [c.id, c]));
  const misses: Miss[] = [];
  for (const item of w.rate.items) {
    if (item.outcome !== "missed") continue;
    const source = item.kind === "step" ? stepById.get(item.id) : commitmentById.get(item.id);
    if (source === undefined) continue;
    misses.push({
      kind: item.kind,
      id: item.id,
      goalId: source.goalId,
      userId: item.userId,
      text: source.text,
      dueDate: item.dueDate,
      doneOn: item.doneOn,
    });
  }
  const plan = w.evaluations
    .filter((e) => e.goal.status === "active" && canWriteGoal(actor, e.goal))
    .map((e) => ({
      goalId: e.goal.id,
      title: e.goal.title,
      pace: e.report.pace,
      progress: e.report.progress,
      mode: e.report.mode,
      nextSteps: e.report.nextSteps,
      question:
        e.report.mode === "micro-goal"
          ? `What is one step for ${e.goal.title} you can finish in ${engine.MICRO_STEP_MAX_MINUTES} minutes or less next week?`
          : `What is one small step you can take next week on ${e.goal.title}?`,
    }));
  return {
    asOf,
    from: w.from,
    to: w.to,
    followThroughRate: w.rate.followThroughRate,
    kept: w.rate.kept,
    missed: w.rate.missed,
    pending: w.rate.pending,
    wins: w.wins,
    misses,
    stalled: w.stalled,
    nextWeek: { from: engine.addDays(asOf, 1), to: engine.addDays(asOf, 7) },
    plan,
  };
}

/**
 * Adds next week's small steps from a review, all in one transaction (one bad goal id adds none).
 * Each step is due by the end of the review's next week unless it names its own due date.
 */
export async function addReviewSteps(ctx: AppContext, actor: Actor, raw: unknown): Promise<Step[]> {
  const input = parse(ReviewStepsInput, raw);
  const due = engine.addDays(input.asOf ?? today(ctx), 7);
  return ctx.store.db.transaction().execute(async (trx) => {
    const added: Step[] = [];
    for (const s of input.steps) {
      await writableGoalOrThrow(ctx, actor, s.goalId, trx);
      if (s.ownerId != null) await personOrThrow(ctx, actor, s.ownerId, trx);
      const step = await writeStep(
        trx,
        ctx,
        actor,
        s.goalId,
        { ...s, dueDate: s.dueDate ?? due },
        { from: "review" },
      );
      added.push(step);
    }
    return added;
  });
}
