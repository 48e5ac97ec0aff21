/**
 * The follow-through rate: of the commitments that fell due, the share done by their due date.
 * The product's headline number, per person and per week.
 */
import { compareIso } from "../dates.js";
import { occurrencesBetween } from "../recurrence.js";
import type { Commitment, Goal, IsoDate, Step, StepOccurrence } from "../types.js";
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

/** A step moved away from a due date in the window (known by `asOf`). */
export interface StepMove {
  stepId: number;
  userId: number;
  /** The due date it was moved away from. */
  dueDate: IsoDate;
  movedOn: IsoDate;
}

/** The follow-through rate of a window, overall, per person and per ISO week (oldest first). */
export interface FollowThroughReport extends RateSummary {
  /** Items due in the window whose due date has not passed and that are not done yet. */
  pending: number;
  /** How many times steps due in the window were moved to another day. */
  moved: number;
  byUser: (RateSummary & { userId: number; moved: number })[];
  /** One entry per ISO week (by due date) overlapping the window, oldest first: the trend. */
  byWeek: (RateSummary & { weekStart: IsoDate; moved: number })[];
  items: FollowThroughItem[];
  moves: StepMove[];
}

/** The data the rate is computed from. Goals give step owners and exclude steps of unknown goals. */
export interface FollowThroughInput {
  goals: readonly Pick<Goal, "id" | "ownerId">[];
  steps: readonly Step[];
  /**
   * The steps' promises as recorded (src/store: step_occurrences). Without them each step's
   * current due date is its one promise and a dropped step promised nothing.
   */
  occurrences?: readonly StepOccurrence[];
  commitments: readonly Commitment[];
}

/** A step's promises as its row alone tells them: for callers with no recorded occurrences. */
function occurrencesFromSteps(steps: readonly Step[]): StepOccurrence[] {
  return steps.flatMap((s) =>
    s.dueDate === null || s.status === "dropped"
      ? []
      : [
          {
            stepId: s.id,
            dueDate: s.dueDate,
            doneAt: stepDoneDate(s) === null ? null : (s.doneAt ?? s.updatedAt),
            closedAt: null,
            closedHow: null,
            createdAt: s.createdAt,
          },
        ],
  );
}

/**
 * The days a repeating step falls on in the window that have no recorded promise yet, as open
 * promises made when the step was written. A dropped step repeats no more (its days before the drop
 * were recorded when it was dropped).
 */
export function repeatedDays(
  steps: readonly Step[],
  recorded: readonly StepOccurrence[],
  window: { from: IsoDate; to: IsoDate },
): StepOccurrence[] {
  const out: StepOccurrence[] = [];
  for (const s of steps) {
    if (s.recurrence === null || s.dueDate === null || s.status === "dropped") continue;
    const from = s.dueDate > window.from ? s.dueDate : window.from;
    if (from > window.to) continue;
    const known = new Set(recorded.filter((o) => o.stepId === s.id).map((o) => o.dueDate));
    for (const day of occurrencesBetween(s.recurrence, s.dueDate, from, window.to)) {
      if (known.has(day)) continue;
      out.push({
        stepId: s.id,
        dueDate: day,
        doneAt: null,
        closedAt: null,
        closedHow: null,
        createdAt: s.createdAt,
      });
    }
  }
  return out;
}

/**
 * How one promise counts on `asOf`, or null when it counts as nothing. Closed (moved or dropped)
 * on or before its due date: nothing was broken, it does not count. Closed after it: missed, for
 * the week it was due, whatever happens to the step later. Otherwise as `outcomeOf`. What is
 * known only after `asOf` (a later close, a later done) is not known yet.
 */
export function promiseOutcome(
  o: StepOccurrence,
  asOf: IsoDate,
): { outcome: Outcome; doneOn: IsoDate | null } | null {
  const closedOn = o.closedAt === null ? null : dayOfTimestamp(o.closedAt);
  if (closedOn !== null && closedOn <= asOf) {
    return closedOn <= o.dueDate ? null : { outcome: "missed", doneOn: null };
  }
  const doneOn = o.doneAt === null ? null : dayOfTimestamp(o.doneAt);
  const known = doneOn !== null && doneOn <= asOf ? doneOn : null;
  return { outcome: outcomeOf(o.dueDate, known, asOf), doneOn: known };
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
 * Counted: each promise of a step due in the window and made by `asOf` (owner: the step's, else
 * its goal's), as `promiseOutcome` tells it — a step moved after its due date passed is missed for
 * that week, one moved or dropped before it counts as nothing — and explicit commitments (owner:
 * their user). Moves away from a due date in the window are counted apart (`moved`, `moves`). A step that an explicit commitment
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
  const moves: StepMove[] = [];
  const stepsById = new Map(input.steps.map((s) => [s.id, s]));
  const recorded = input.occurrences ?? occurrencesFromSteps(input.steps);
  for (const o of [...recorded, ...repeatedDays(input.steps, recorded, window)]) {
    const s = stepsById.get(o.stepId);
    if (s === undefined || !inWindow(o.dueDate) || committedSteps.has(s.id)) continue;
    if (dayOfTimestamp(o.createdAt) > asOf) continue;
    const userId = s.ownerId ?? owners.get(s.goalId);
    if (userId === undefined) continue;
    if (o.closedHow === "moved" && o.closedAt !== null && dayOfTimestamp(o.closedAt) <= asOf) {
      moves.push({ stepId: s.id, userId, dueDate: o.dueDate, movedOn: dayOfTimestamp(o.closedAt) });
    }
    const counted = promiseOutcome(o, asOf);
    if (counted === null) continue;
    items.push({ kind: "step", id: s.id, userId, dueDate: o.dueDate, ...counted });
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
  items.sort((a, b) => compareIso(a.dueDate, b.dueDate) || compareIso(a.kind, b.kind) || a.id - b.id);

  const userIds = [...new Set([...items, ...moves].map((i) => i.userId))].sort((a, b) => a - b);
  const byUser = userIds.map((userId) => ({
    userId,
    ...rateOf(items.filter((i) => i.userId === userId).map((i) => i.outcome)),
    moved: moves.filter((m) => m.userId === userId).length,
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
      const moved = moves.filter((m) => isoWeekStart(m.dueDate) === week).length;
      byWeek.push({ weekStart: week, ...rateOf(outcomesByWeek.get(week) ?? []), moved });
    }
  }
  return {
    ...rateOf(items.map((i) => i.outcome)),
    pending: items.filter((i) => i.outcome === "pending").length,
    moved: moves.length,
    byUser,
    byWeek,
    items,
    moves,
  };
}
