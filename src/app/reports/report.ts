/**
 * The follow-through report and the wins feed of the goals a person may see, over a window of
 * weeks ending on a day: the rate of steps and commitments kept by their due date, per person and
 * week, the wins and the stalled goals.
 */
import { z } from "zod";
import * as engine from "../../core/engine/index.js";
import type { Commitment, IsoDate, Step } from "../../core/types.js";
import * as ft from "../../store/repos/followthrough.js";
import { type Actor, type AppContext, today, viewerOf } from "../context.js";
import { type Evaluation, evaluate } from "../evaluation/evaluate.js";
import { loadGoalData } from "../evaluation/load.js";
import { ledGoalIds } from "../evaluation/status.js";
import { can } from "../policy.js";
import { isoDay, parse } from "../validation.js";
import { allFlag, type Circle, capList, circleOf, circlePeople, inCircle } from "./circle.js";
import { reportFromRows, reportReplyFromRows, type StoredReply, winsReplyFromRows } from "./report-rows.js";

/** A tagged reply's body as the JSON the HTTP routes send (kept with the answer: report-rows.ts). */
export { replyJson } from "./report-rows.js";

const weeks = (fallback: number) =>
  z.coerce
    .number({ message: "must be a whole number of weeks, 1 to 52." })
    .int({ message: "must be a whole number of weeks, 1 to 52." })
    .min(1, { message: "must be at least 1 week." })
    .max(52, { message: "must be at most 52 weeks." })
    .default(fallback);

/**
 * Query of "the follow-through report": the window of `weeks` weeks (default 4) ending on `asOf`;
 * `all` lists every win, stall and person (report22: else those outside the reader's circle are cut, `circle.ts`).
 */
export const ReportQuery = z.strictObject({ asOf: isoDay.optional(), weeks: weeks(4), all: allFlag });
export type ReportQuery = z.input<typeof ReportQuery>;

/** Query of "the wins feed": the window of `weeks` weeks (default 1) ending on `asOf`; `all` as the report's. */
export const WinsQuery = z.strictObject({ asOf: isoDay.optional(), weeks: weeks(1), all: allFlag });
export type WinsQuery = z.input<typeof WinsQuery>;

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
  /** How many times steps due in the window were moved to another day. */
  moved: number;
  /** The steps moved most often away from due dates in the window (up to 5, most moves first). */
  mostMoved: MovedStep[];
  /** The wins feed of the window, newest first. */
  wins: engine.Win[];
  stalled: StalledGoal[];
  byUser: (engine.RateSummary & { userId: number; name: string | null; moved: number })[];
  byWeek: engine.FollowThroughReport["byWeek"];
  /**
   * report22: how many entries of each list were left out: of goals outside the reader's circle
   * (their own, shared with them, their teams' and their teams' people's goals), past the first
   * `OPEN_LIST_CAP` of each list. All zero when asked with `all`. The totals count them all.
   */
  omitted: ReportOmitted;
}

/** How many entries of a report's lists were left out (`FollowThroughReportView.omitted`). */
export interface ReportOmitted {
  wins: number;
  stalled: number;
  byUser: number;
}

/** A step moved to another day, and how often, in a report's window. */
export interface MovedStep {
  stepId: number;
  goalId: number;
  text: string;
  ownerId: number;
  moves: number;
}

/** The steps moved most often, most moves first (then by step id). */
function mostMoved(rate: engine.FollowThroughReport, steps: readonly Step[], limit = 5): MovedStep[] {
  const counts = new Map<number, { ownerId: number; moves: number }>();
  for (const m of rate.moves) {
    const c = counts.get(m.stepId);
    if (c) c.moves++;
    else counts.set(m.stepId, { ownerId: m.userId, moves: 1 });
  }
  const byId = new Map(steps.map((s) => [s.id, s]));
  return [...counts.entries()]
    .sort(([a, x], [b, y]) => y.moves - x.moves || a - b)
    .slice(0, limit)
    .flatMap(([stepId, c]) => {
      const s = byId.get(stepId);
      return s ? [{ stepId, goalId: s.goalId, text: s.text, ...c }] : [];
    });
}

/** The wins feed of a window ending on `asOf`. */
export interface WinsFeed {
  asOf: IsoDate;
  from: IsoDate;
  to: IsoDate;
  items: engine.Win[];
  /** report22: wins of goals outside the reader's circle left out (as the report's); 0 with `all`. */
  omitted: number;
}

/** Everything a window's report is computed from. */
export interface WindowData {
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
  /** report22: the reader's circle, the counted goals in it, and the people of the window's promises in it. */
  circle: Circle;
  circleGoals: Set<number>;
  circlePeople: Set<number>;
}

/**
 * Loads and evaluates the goals the actor may see for the window [from, asOf]. Drafts and goals
 * dropped by `asOf` are left out, with their steps and commitments: a dropped goal's open steps are
 * no longer promises.
 */
export async function windowData(
  ctx: AppContext,
  actor: Actor,
  asOf: IsoDate,
  from: IsoDate,
): Promise<WindowData> {
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
  const commitments = due.filter((c) =>
    c.goalId !== null ? countedIds.has(c.goalId) : can(viewer, "commitment.see", c),
  );
  const countedSteps = steps.filter((s) => countedIds.has(s.goalId));
  const occurrences = await ft.occurrencesOfGoals(db, [...countedIds], { from, to: asOf });
  const rate = engine.followThrough(
    { goals: counted.map((d) => d.goal), steps: countedSteps, occurrences, commitments },
    { from, to: asOf },
    asOf,
  );
  const wins = engine.smallWins(counted, asOf, { since: from });
  const stalledOnes = evaluations.filter((e) => e.report.stalled);
  const led = await ledGoalIds(
    db,
    actor,
    stalledOnes.map((e) => e.goal),
  );
  const stalled = stalledOnes.map((e) => ({
    goalId: e.goal.id,
    title: e.goal.title,
    ownerId: e.goal.ownerId,
    reasons: e.report.stallReasons,
    mode: e.report.mode,
    leaderPrompt: led.has(e.goal.id) ? e.report.leaderPrompt : null,
  }));
  const circle = await circleOf(db, viewer);
  const circleGoals = new Set(counted.flatMap((d) => (inCircle(circle, d.goal) ? [d.goal.id] : [])));
  const goalOfStep = new Map(countedSteps.map((s) => [s.id, s.goalId]));
  const onCircleGoals = [...rate.items.filter((i) => i.kind === "step"), ...rate.moves].flatMap((i) => {
    const goalId = goalOfStep.get("stepId" in i ? i.stepId : i.id);
    return goalId !== undefined && circleGoals.has(goalId) ? [i.userId] : [];
  });
  return {
    asOf,
    from,
    to: asOf,
    evaluations,
    steps: countedSteps,
    commitments,
    rate,
    wins,
    stalled,
    circle,
    circleGoals,
    circlePeople: circlePeople(circle, onCircleGoals, commitments, (id) => circleGoals.has(id)),
  };
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
  return (await reportFromRows(ctx, actor, q)) ?? followThroughReportByEvaluation(ctx, actor, q);
}

/**
 * The follow-through report as the HTTP route sends it: with an entity tag when it is read from the
 * stored aggregates (today, up to 12 weeks; report-rows.ts says what the tag hashes), and no body
 * when `ifNoneMatch` holds the current tag. A report computed by evaluation has no tag (null).
 */
export async function followThroughReportReply(
  ctx: AppContext,
  actor: Actor,
  raw: unknown = {},
  ifNoneMatch: string | null = null,
): Promise<{ etag: string | null; body: FollowThroughReportView | null }> {
  const q = parse(ReportQuery, raw);
  const stored: StoredReply<FollowThroughReportView> | null = await reportReplyFromRows(
    ctx,
    actor,
    q,
    ifNoneMatch,
  );
  return stored ?? { etag: null, body: await followThroughReportByEvaluation(ctx, actor, q) };
}

/**
 * The follow-through report computed by evaluating every goal the actor may see: for a past day,
 * a window longer than the stored aggregates cover (report-rows.ts), and as the reference the
 * stored path is tested against.
 */
export async function followThroughReportByEvaluation(
  ctx: AppContext,
  actor: Actor,
  raw: unknown = {},
): Promise<FollowThroughReportView> {
  const q = parse(ReportQuery, raw);
  const asOf = q.asOf ?? today(ctx);
  const w = await windowData(ctx, actor, asOf, windowStart(asOf, q.weeks));
  const all = q.all ?? false;
  const wins = capList(w.wins, (x) => w.circleGoals.has(x.goalId), all);
  const stalled = capList(w.stalled, (x) => w.circleGoals.has(x.goalId), all);
  const byUser = capList(w.rate.byUser, (u) => w.circlePeople.has(u.userId), all);
  const names = await ft.userNames(
    ctx.store.db,
    actor.workspaceId,
    byUser.items.map((u) => u.userId),
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
    moved: w.rate.moved,
    mostMoved: mostMoved(w.rate, w.steps),
    wins: wins.items,
    stalled: stalled.items,
    byUser: byUser.items.map((u) => ({ ...u, name: names.get(u.userId) ?? null })),
    byWeek: w.rate.byWeek,
    omitted: { wins: wins.omitted, stalled: stalled.omitted, byUser: byUser.omitted },
  };
}

/**
 * The wins feed of the goals the actor may see for the `weeks` weeks (default 1) ending on `asOf`
 * (default today), newest first: steps done, streaks, milestones passed and buffer gained. Today's
 * feed of up to 12 weeks is read from the stored aggregates (report-rows.ts).
 */
export async function winsFeed(ctx: AppContext, actor: Actor, raw: unknown = {}): Promise<WinsFeed> {
  return (await winsFeedReply(ctx, actor, raw)).body as WinsFeed;
}

/** The wins feed as the HTTP route sends it: as `followThroughReportReply`. */
export async function winsFeedReply(
  ctx: AppContext,
  actor: Actor,
  raw: unknown = {},
  ifNoneMatch: string | null = null,
): Promise<{ etag: string | null; body: WinsFeed | null }> {
  const q = parse(WinsQuery, raw);
  return (
    (await winsReplyFromRows(ctx, actor, q, ifNoneMatch)) ?? {
      etag: null,
      body: await winsFeedByEvaluation(ctx, actor, q),
    }
  );
}

/** The wins feed computed by evaluating every goal the actor may see (the reference of the stored one). */
export async function winsFeedByEvaluation(
  ctx: AppContext,
  actor: Actor,
  raw: unknown = {},
): Promise<WinsFeed> {
  const q = parse(WinsQuery, raw);
  const asOf = q.asOf ?? today(ctx);
  const from = windowStart(asOf, q.weeks);
  const db = ctx.store.db;
  const viewer = await viewerOf(db, actor);
  const goals = await ft.visibleGoalsOf(db, viewer);
  const { data } = await loadGoalData(db, goals, asOf);
  const counted = data.filter((d) => d.goal.status === "active" || d.goal.status === "done");
  const circle = await circleOf(db, viewer);
  const mine = new Set(counted.flatMap((d) => (inCircle(circle, d.goal) ? [d.goal.id] : [])));
  const wins = capList(
    engine.smallWins(counted, asOf, { since: from }),
    (w) => mine.has(w.goalId),
    q.all ?? false,
  );
  return { asOf, from, to: asOf, items: wins.items, omitted: wins.omitted };
}
