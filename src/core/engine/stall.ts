/**
 * Stall detection: a goal is stalled when it is far behind its pace, when nothing moved for longer
 * than its cadence allows, or when the same next step is carried from one check-in to the next.
 */
import type { Checkin, Goal, GoalStatus, IsoDate } from "../types.js";
import { diffDays, maxDate } from "./dates.js";
import { sortCheckins } from "./history.js";
import { EPSILON, SILENCE_GRACE_DAYS, STALL_BEHIND_THRESHOLD } from "./rules.js";

/** Why a goal is stalled. */
export type StallReason = "behind" | "silent" | "carried-over";

/** Whether a goal is stalled, and every reason that applies. */
export interface StallResult {
  stalled: boolean;
  reasons: StallReason[];
}

/** What stall detection needs to know about a goal on a day. */
export interface StallInput {
  goal: Pick<Goal, "status" | "startDate" | "cadenceDays">;
  /** Progress as of `asOf` (0..1). */
  progress: number;
  /** Expected progress as of `asOf`, null without a due date. */
  expected: number | null;
  /** The last day something moved (see `lastMovement`), null if nothing ever did. */
  lastMovement: IsoDate | null;
  /** The goal's check-ins; those after `asOf` are ignored. */
  checkins: readonly Pick<Checkin, "date" | "createdAt" | "id" | "nextStep">[];
  asOf: IsoDate;
}

/** Tuning for stall detection; every field defaults to the constant in rules.ts. */
export interface StallOptions {
  behindThreshold?: number;
  graceDays?: number;
}

/**
 * Normalises a "next step" text for comparison: case, surrounding and repeated spaces, and
 * trailing punctuation do not make two steps different.
 *
 * @example
 * normalizeStepText("  Call  Dana. "); // "call dana"
 */
export function normalizeStepText(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\s.!?;:,]+$/, "");
}

/**
 * Whether the last two check-ins on or before `asOf` name the same (non-empty, normalised) next
 * step: the step was carried over instead of done.
 *
 * @example
 * isCarriedOver([{ id: 1, date: "2024-03-01", createdAt: "", nextStep: "Call Dana" },
 *                { id: 2, date: "2024-03-08", createdAt: "", nextStep: "call dana." }], "2024-03-08"); // true
 */
export function isCarriedOver(
  checkins: readonly Pick<Checkin, "date" | "createdAt" | "id" | "nextStep">[],
  asOf: IsoDate,
): boolean {
  const recent = sortCheckins(checkins.filter((c) => c.date <= asOf)).slice(-2);
  if (recent.length < 2) return false;
  const [before, last] = recent.map((c) => normalizeStepText(c.nextStep ?? ""));
  return last !== "" && before === last;
}

/**
 * Decides whether a goal is stalled on `asOf`, and why. Only active goals stall, and not before
 * their start date.
 * - "behind": expected progress exceeds progress by more than 15 points;
 * - "silent": more than cadenceDays + 3 days passed since the last movement (or the goal's start
 *   date, whichever is later);
 * - "carried-over": the last two check-ins carry the same next step.
 *
 * @example
 * stallStatus({
 *   goal: { status: "active", startDate: "2024-03-01", cadenceDays: 7 },
 *   progress: 0.1, expected: 0.2, lastMovement: null, checkins: [], asOf: "2024-03-12",
 * }); // { stalled: true, reasons: ["silent"] } (11 days > 7 + 3)
 */
export function stallStatus(input: StallInput, options: StallOptions = {}): StallResult {
  const { goal, progress, expected, lastMovement, checkins, asOf } = input;
  const behindThreshold = options.behindThreshold ?? STALL_BEHIND_THRESHOLD;
  const graceDays = options.graceDays ?? SILENCE_GRACE_DAYS;
  if (goal.status !== "active" || asOf < goal.startDate) return { stalled: false, reasons: [] };

  const reasons: StallReason[] = [];
  if (expected !== null && expected - progress > behindThreshold + EPSILON) reasons.push("behind");
  const quietSince = lastMovement === null ? goal.startDate : maxDate(lastMovement, goal.startDate);
  if (diffDays(quietSince, asOf) > goal.cadenceDays + graceDays) reasons.push("silent");
  if (isCarriedOver(checkins, asOf)) reasons.push("carried-over");
  return { stalled: reasons.length > 0, reasons };
}

/**
 * Whether a person is stalled: more than half of their active goals are stalled. A person with no
 * active goals is not stalled.
 *
 * @example
 * isPersonStalled([{ status: "active", stalled: true }, { status: "active", stalled: false }]); // false
 */
export function isPersonStalled(goals: readonly { status: GoalStatus; stalled: boolean }[]): boolean {
  const active = goals.filter((g) => g.status === "active");
  const stalled = active.filter((g) => g.stalled).length;
  return stalled * 2 > active.length;
}
