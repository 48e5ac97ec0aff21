/**
 * The weekly review: last week's wins, misses and rate, the stalled goals, and for each of my
 * active goals the question "what is one small step you can take next week?"; and adding the
 * steps it plans.
 */

import { z } from "zod";
import { compareIso } from "../../core/dates.js";
import * as engine from "../../core/engine/index.js";
import type { Commitment, IsoDate, Step } from "../../core/types.js";
import * as ft from "../../store/repos/followthrough.js";
import * as rows from "../../store/repos/reportrows.js";
import { type Actor, type AppContext, today, viewerOf } from "../context.js";
import { type Evaluation, evaluate } from "../evaluation/evaluate.js";
import { loadGoalData } from "../evaluation/load.js";
import { personOrThrow } from "../people/people.js";
import { writableGoalOrThrow } from "../plans/goals.js";
import { StepCreateInput, writeStep } from "../plans/steps.js";
import { can } from "../policy.js";
import { id, isoDay, parse } from "../validation.js";
import { allFlag, capList } from "./circle.js";
import { type StalledGoal, windowData, windowStart } from "./report.js";
import * as stored from "./report-rows.js";

/**
 * Query of "the weekly review": the 7 days ending on `asOf`; `all` lists every win, miss and stalled
 * goal (report22: else those of goals outside the reader's circle are cut, as the report's: `circle.ts`).
 */
export const ReviewQuery = z.strictObject({ asOf: isoDay.optional(), all: allFlag });
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
  /** report22: entries of goals outside the reader's circle left out of each list (as the report's); zero with `all`. */
  omitted: { wins: number; misses: number; stalled: number };
}

/** The review's lists cut for its reader (`capList`), and how many of each were left out. */
function cutLists(
  review: Omit<WeeklyReview, "omitted">,
  circleGoals: ReadonlySet<number>,
  all: boolean,
): WeeklyReview {
  const wins = capList(review.wins, (w) => circleGoals.has(w.goalId), all);
  // A miss of a commitment with no goal is the reader's own, or one they witness.
  const misses = capList(review.misses, (m) => m.goalId === null || circleGoals.has(m.goalId), all);
  const stalled = capList(review.stalled, (g) => circleGoals.has(g.goalId), all);
  return {
    ...review,
    wins: wins.items,
    misses: misses.items,
    stalled: stalled.items,
    omitted: { wins: wins.omitted, misses: misses.omitted, stalled: stalled.omitted },
  };
}

/** The weekly question for a goal. */
function question(title: string, mode: engine.Mode): string {
  return mode === "micro-goal"
    ? `What is one step for ${title} you can finish in ${engine.MICRO_STEP_MAX_MINUTES} minutes or less next week?`
    : `What is one small step you can take next week on ${title}?`;
}

/** The review's plan: my active goals (the ones I may write), each with its question. */
function planOf(actor: Actor, evaluations: readonly Evaluation[]): ReviewGoal[] {
  return evaluations
    .filter((e) => e.goal.status === "active" && can(actor, "goal.write", e.goal))
    .map((e) => ({
      goalId: e.goal.id,
      title: e.goal.title,
      pace: e.report.pace,
      progress: e.report.progress,
      mode: e.report.mode,
      nextSteps: e.report.nextSteps,
      question: question(e.goal.title, e.report.mode),
    }));
}

/** The misses among some items, with what each said, in the items' order. */
function missesOf(
  items: readonly engine.FollowThroughItem[],
  steps: readonly Step[],
  commitments: readonly Commitment[],
): Miss[] {
  const stepById = new Map(steps.map((s) => [s.id, s]));
  const commitmentById = new Map(commitments.map((c) => [c.id, c]));
  const misses: Miss[] = [];
  for (const item of items) {
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
  return misses;
}

/**
 * The weekly review as of a day (default today): the last 7 days' wins, misses and follow-through
 * rate, the stalled goals, and for each of my active goals its next steps and the weekly question
 * "what is one small step you can take next week?". Reading it changes nothing. Today's review is
 * read from the report's stored aggregates (`weeklyReviewReplyFromRows`); a past day's is evaluated.
 */
export async function weeklyReview(ctx: AppContext, actor: Actor, raw: unknown = {}): Promise<WeeklyReview> {
  return (await weeklyReviewReply(ctx, actor, raw)).body as WeeklyReview;
}

/**
 * The weekly review as the HTTP route sends it: today's with its entity tag (as the report's), its
 * body null when `ifNoneMatch` holds the current tag; a past day's evaluated, with no tag (null).
 */
export async function weeklyReviewReply(
  ctx: AppContext,
  actor: Actor,
  raw: unknown = {},
  ifNoneMatch: string | null = null,
): Promise<{ etag: string | null; body: WeeklyReview | null }> {
  const q = parse(ReviewQuery, raw);
  return (
    (await weeklyReviewReplyFromRows(ctx, actor, q, ifNoneMatch)) ?? {
      etag: null,
      body: await weeklyReviewByEvaluation(ctx, actor, q),
    }
  );
}

/** The weekly review computed by evaluating every goal the reader may see (the reference). */
export async function weeklyReviewByEvaluation(
  ctx: AppContext,
  actor: Actor,
  raw: unknown = {},
): Promise<WeeklyReview> {
  const q = parse(ReviewQuery, raw);
  const asOf = q.asOf ?? today(ctx);
  const w = await windowData(ctx, actor, asOf, windowStart(asOf, 1));
  const review = {
    asOf,
    from: w.from,
    to: w.to,
    followThroughRate: w.rate.followThroughRate,
    kept: w.rate.kept,
    missed: w.rate.missed,
    pending: w.rate.pending,
    wins: w.wins,
    misses: missesOf(w.rate.items, w.steps, w.commitments),
    stalled: w.stalled,
    nextWeek: { from: engine.addDays(asOf, 1), to: engine.addDays(asOf, 7) },
    plan: planOf(actor, w.evaluations),
  };
  return cutLists(review, w.circleGoals, q.all ?? false);
}

/** Today's weekly review from the stored aggregates, or null (`weeklyReviewReplyFromRows`). */
export async function weeklyReviewFromRows(
  ctx: AppContext,
  actor: Actor,
  raw: unknown = {},
): Promise<WeeklyReview | null> {
  return (await weeklyReviewReplyFromRows(ctx, actor, raw, null))?.body ?? null;
}

/** What a review reads in the stored read's snapshot (`weeklyReviewReplyFromRows`). */
interface ReviewSums {
  sums: stored.Sums;
  steps: Step[];
  stepItems: engine.FollowThroughItem[];
  evaluations: Evaluation[];
}

/**
 * Today's weekly review from the report's stored aggregates (report-rows.ts) with its entity tag,
 * or null for another day or when writes kept landing while it was read. In the snapshot of the
 * stored read: the rate, wins and stalled goals summed from the stored rows of the goals the reader
 * sees; the misses from the stored missed promises, with their steps (text, and the day done late)
 * read by id and counted again by the engine; the plan from the reader's own active goals,
 * evaluated (a person's own goals: bounded however large the workspace).
 *
 * review21: tagged and kept as the report is (`tagOf`, `AnswerCache` in report-rows.ts; key
 * "review"). Everything the review shows is in what the tag hashes: the counted goals' change
 * stamps (their revision moves on every write to a goal or what it holds: steps, promises,
 * check-ins, key results, commitments, its mode), the names' stamp, the reader, their roles and
 * teams, the day and the code version. So a reader asking again while nothing changed gets the
 * kept answer (or 304 with the tag) without the counted goals' rows being read, and the first
 * read after any such write sums afresh. The body is null when `ifNoneMatch` holds the tag.
 */
export async function weeklyReviewReplyFromRows(
  ctx: AppContext,
  actor: Actor,
  raw: unknown = {},
  ifNoneMatch: string | null = null,
): Promise<stored.StoredReply<WeeklyReview> | null> {
  const q = parse(ReviewQuery, raw);
  const now = today(ctx);
  const asOf = q.asOf ?? now;
  if (asOf !== now) return null;
  const from = windowStart(asOf, 1);
  const window = { from, to: asOf };
  const viewer = await viewerOf(ctx.store.db, actor);
  const answers = stored.answersOf(ctx);
  const read = await stored.readStored(
    ctx,
    actor,
    viewer,
    // report22: a cut and a full review are different answers, under different tags.
    { key: q.all ? "review.all" : "review", asOf, from },
    stored.entityTags(ifNoneMatch),
    async (db, goals): Promise<ReviewSums> => {
      const sums = await stored.readSums(db, viewer, goals, asOf, from, false, q.all ?? false);
      // The missed promises of steps, counted again from their steps and promises (the day done).
      const missed = await rows.missedItems(
        db,
        goals.map((g) => g.id),
        from,
        asOf,
        sums.committed,
      );
      const missedGoalIds = [...new Set(missed.map((m) => m.goalId))];
      const missedStepIds = new Set(missed.map((m) => m.stepId));
      const steps = await rows.stepsByIds(db, [...missedStepIds]);
      const occurrences = (await ft.occurrencesOfGoals(db, missedGoalIds, window)).filter((o) =>
        missedStepIds.has(o.stepId),
      );
      const owners = (await rows.goalsWithRevision(db, missedGoalIds)).map((h) => h.goal);
      const stepItems = engine
        .followThrough({ goals: owners, steps, occurrences, commitments: sums.commitments }, window, asOf)
        .items.filter((i) => i.kind === "step" && i.outcome === "missed");
      // My active goals, evaluated.
      const mine = goals.filter((g) => g.status === "active" && g.ownerId === actor.userId).map((g) => g.id);
      const heads = (await rows.goalsWithRevision(db, mine)).map((h) => h.goal);
      const { data } = await loadGoalData(db, heads, asOf);
      const evaluations = await evaluate(db, actor.workspaceId, data, asOf, now);
      return { sums, steps, stepItems, evaluations };
    },
    (etag) => answers.has(etag),
    // Made and kept before another read waiting on this tag reads again (as the report, report17c).
    async (value, etag) => {
      const body = await reviewOfSums(ctx, actor, asOf, from, value, q.all ?? false);
      if (etag !== "")
        answers.set(
          etag,
          body,
          value.sums.wins.reduce((n, w) => n + w.length, 0) +
            200 * (body.misses.length + body.stalled.length + body.plan.length + 20),
        );
      return body;
    },
  );
  if (read === null) return null;
  if ("notModified" in read) return { etag: read.notModified, body: null };
  if ("cached" in read) {
    const kept = answers.get(read.cached);
    if (kept) return { etag: read.cached, body: kept as WeeklyReview };
    // Pushed out in between: read it again (rare; the next read sums).
    return weeklyReviewReplyFromRows(ctx, actor, q, ifNoneMatch);
  }
  return { etag: read.etag, body: read.value };
}

/** The review made from what its stored read summed. */
async function reviewOfSums(
  ctx: AppContext,
  actor: Actor,
  asOf: IsoDate,
  from: IsoDate,
  { sums, steps, stepItems, evaluations }: ReviewSums,
  all: boolean,
): Promise<WeeklyReview> {
  const total = stored.tally();
  for (const i of sums.items) stored.add(total, i.outcome, i.n);
  for (const i of sums.commitmentItems) stored.add(total, i.outcome, 1);
  const items = [...stepItems, ...sums.commitmentItems].sort(
    (a, b) => compareIso(a.dueDate, b.dueDate) || compareIso(a.kind, b.kind) || a.id - b.id,
  );
  const wins = engine.orderWins(sums.wins.map((w) => JSON.parse(w) as engine.Win));
  // report22: the stalls cut before the policy is asked whom the reader leads (bounded by the circle).
  const stalledRows = capList(sums.stalled, (s) => sums.circleGoals.has(s.goalId), all);
  const review = cutLists(
    {
      asOf,
      from,
      to: asOf,
      ...stored.rate(total),
      pending: total.pending,
      wins,
      misses: missesOf(items, steps, sums.commitments),
      stalled: await stored.stalledOf(ctx, actor, stalledRows.items),
      nextWeek: { from: engine.addDays(asOf, 1), to: engine.addDays(asOf, 7) },
      plan: planOf(actor, evaluations),
    },
    sums.circleGoals,
    all,
  );
  return {
    ...review,
    omitted: { ...review.omitted, wins: review.omitted.wins + sums.winsUnread, stalled: stalledRows.omitted },
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
