/**
 * The follow-through rate: of the commitments that fell due, the share done by their due date.
 * The product's headline number, per person and per week.
 */
import type { Commitment, Goal, IsoDate, Step } from "../types.js";
import { addDays, dayOfTimestamp, isoWeekStart } from "./dates.js";
import { stepDoneDate } from "./history.js";

/** A rate over some set of commitments. `followThroughRate` is null when nothing was due. */
export interface RateSummary {
  followThroughRate: number | null;
  kept: number;
  missed: number;
}

/** How one commitment stands on `asOf`: done by its due date, missed (late or not done), or not due yet. */
export type Outcome = "kept" | "missed" | "pending";

/** One counted commitment (a step with an owner and a due date, or an explicit commitment). */
export interface FollowThroughItem {
  kind: "step" | "commitment";
  id: number;
  userId: number;
  dueDate: IsoDate;
  /** The day it was done by `asOf`, even when late; null if not done. */
  doneOn: IsoDate | null;
  outcome: Outcome;
}

/** The follow-through rate of a window, overall, per person and per ISO week (oldest first). */
export interface FollowThroughReport extends RateSummary {
  /** Items due in the window whose due date has not passed and that are not done yet. */
  pending: number;
  byUser: (RateSummary & { userId: number })[];
  /** One entry per ISO week (by due date) overlapping the window, oldest first: the trend. */
  byWeek: (RateSummary & { weekStart: IsoDate })[];
  items: FollowThroughItem[];
}

/** The data the rate is computed from. Goals give step owners and exclude steps of unknown goals. */
export interface FollowThroughInput {
  goals: readonly Pick<Goal, "id" | "ownerId">[];
  steps: readonly Step[];
  commitments: readonly Commitment[];
}

/**
 * The rate of a set of outcomes: kept / (kept + missed), pending ignored; null when nothing counts.
 *
 * @example
 * rateOf(["kept", "missed", "pending", "kept"]); // { followThroughRate: 0.666…, kept: 2, missed: 1 }
 */
export function rateOf(outcomes: readonly Outcome[]): RateSummary {
  const kept = outcomes.filter((o) => o === "kept").length;
  const missed = outcomes.filter((o) => o === "missed").length;
  return { followThroughRate: kept + missed === 0 ? null : kept / (kept + missed), kept, missed };
}

/**
 * Classifies one item on `asOf`: done on or before its due date is kept; done after it is missed
 * (it is still done); not done by `asOf` is missed once the due date has passed (a due date of
 * `asOf` itself is still pending, the day is not over), else pending.
 *
 * @example
 * outcomeOf("2024-03-08", "2024-03-09", "2024-03-20"); // "missed" (a day late)
 * outcomeOf("2024-03-08", null, "2024-03-08"); // "pending"
 */
export function outcomeOf(dueDate: IsoDate, doneOn: IsoDate | null, asOf: IsoDate): Outcome {
  if (doneOn !== null && doneOn <= asOf) return doneOn <= dueDate ? "kept" : "missed";
  return dueDate < asOf ? "missed" : "pending";
}

function commitmentDoneOn(c: Commitment, stepDone: ReadonlyMap<number, IsoDate>): IsoDate | null {
  if (c.status === "kept") return c.resolvedAt === null ? c.dueDate : dayOfTimestamp(c.resolvedAt);
  if (c.status === "open" && c.stepId !== null) return stepDone.get(c.stepId) ?? null;
  return null;
}

function commitmentOutcome(c: Commitment, doneOn: IsoDate | null, asOf: IsoDate): Outcome {
  // Marked missed before the due date (e.g. given up): missed from that day on.
  if (c.status === "missed" && c.resolvedAt !== null && dayOfTimestamp(c.resolvedAt) <= asOf) return "missed";
  return outcomeOf(c.dueDate, doneOn, asOf);
}

/**
 * The follow-through report for commitments due in [from, to] (inclusive), as known on `asOf`.
 * Counted: steps with a due date (owner: the step's, else its goal's), not dropped, created by
 * `asOf`; and explicit commitments (owner: their user). A step that an explicit commitment
 * points to is counted once, through the commitment. Steps of goals not in `goals` are skipped.
 *
 * @example
 * followThrough({ goals, steps, commitments }, { from: "2024-03-01", to: "2024-03-31" }, "2024-04-01");
 * // { followThroughRate: 0.8, kept: 8, missed: 2, pending: 0, byUser: [...], byWeek: [...], items: [...] }
 */
export function followThrough(
  input: FollowThroughInput,
  window: { from: IsoDate; to: IsoDate },
  asOf: IsoDate,
): FollowThroughReport {
  const { from, to } = window;
  const inWindow = (d: IsoDate) => d >= from && d <= to;
  const owners = new Map(input.goals.map((g) => [g.id, g.ownerId]));
  const stepDone = new Map<number, IsoDate>();
  for (const s of input.steps) {
    const done = stepDoneDate(s);
    if (done !== null) stepDone.set(s.id, done);
  }
  const committedSteps = new Set(
    input.commitments
      .filter((c) => c.stepId !== null && dayOfTimestamp(c.createdAt) <= asOf)
      .map((c) => c.stepId),
  );

  const items: FollowThroughItem[] = [];
  for (const s of input.steps) {
    if (s.dueDate === null || s.status === "dropped" || !inWindow(s.dueDate) || committedSteps.has(s.id))
      continue;
    if (dayOfTimestamp(s.createdAt) > asOf) continue;
    const userId = s.ownerId ?? owners.get(s.goalId);
    if (userId === undefined) continue;
    const doneOn = stepDone.get(s.id) ?? null;
    const known = doneOn !== null && doneOn <= asOf ? doneOn : null;
    items.push({
      kind: "step",
      id: s.id,
      userId,
      dueDate: s.dueDate,
      doneOn: known,
      outcome: outcomeOf(s.dueDate, doneOn, asOf),
    });
  }
  for (const c of input.commitments) {
    if (!inWindow(c.dueDate) || dayOfTimestamp(c.createdAt) > asOf) continue;
    const doneOn = commitmentDoneOn(c, stepDone);
    const known = doneOn !== null && doneOn <= asOf ? doneOn : null;
    items.push({
      kind: "commitment",
      id: c.id,
      userId: c.userId,
      dueDate: c.dueDate,
      doneOn: known,
      outcome: commitmentOutcome(c, doneOn, asOf),
    });
  }
  items.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.kind.localeCompare(b.kind) || a.id - b.id);

  const userIds = [...new Set(items.map((i) => i.userId))].sort((a, b) => a - b);
  const byUser = userIds.map((userId) => ({
    userId,
    ...rateOf(items.filter((i) => i.userId === userId).map((i) => i.outcome)),
  }));
  const outcomesByWeek = new Map<IsoDate, Outcome[]>();
  for (const item of items) {
    const week = isoWeekStart(item.dueDate);
    const outcomes = outcomesByWeek.get(week);
    if (outcomes === undefined) outcomesByWeek.set(week, [item.outcome]);
    else outcomes.push(item.outcome);
  }
  const byWeek: FollowThroughReport["byWeek"] = [];
  if (from <= to) {
    for (let week = isoWeekStart(from); week <= to; week = addDays(week, 7)) {
      byWeek.push({ weekStart: week, ...rateOf(outcomesByWeek.get(week) ?? []) });
    }
  }
  return {
    ...rateOf(items.map((i) => i.outcome)),
    pending: items.filter((i) => i.outcome === "pending").length,
    byUser,
    byWeek,
    items,
  };
}
