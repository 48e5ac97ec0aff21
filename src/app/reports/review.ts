/**
 * The weekly review: last week's wins, misses and rate, the stalled goals, and for each of my
 * active goals the question "what is one small step you can take next week?"; and adding the
 * steps it plans.
 */
import { z } from "zod";
import * as engine from "../../core/engine/index.js";
import type { IsoDate, Step } from "../../core/types.js";
import { type Actor, type AppContext, today } from "../context.js";
import { personOrThrow } from "../people/people.js";
import { writableGoalOrThrow } from "../plans/goals.js";
import { StepCreateInput, writeStep } from "../plans/steps.js";
import { can } from "../policy.js";
import { id, isoDay, parse } from "../validation.js";
import { type StalledGoal, windowData, windowStart } from "./report.js";

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
    .filter((e) => e.goal.status === "active" && can(actor, "goal.write", e.goal))
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
