/**
 * The coach where text is entered: a lint use case for any texts, and the warnings every goal
 * and step write returns (never blocking the write).
 */
import { z } from "zod";
import { finding } from "../../core/coach/findings.js";
import {
  type Finding,
  type GoalLint,
  lintGoal,
  lintPlanB,
  lintStep,
  type StepLint,
} from "../../core/coach/index.js";
import {
  type KeyResultHistory,
  type StepLink,
  shownPace,
  stepRelevance,
  type TeamPace,
  unitKey,
} from "../../core/coach/smart.js";
import type { Checkin, Goal, KeyResult, Step } from "../../core/types.js";
import { checkinsOf } from "../../store/repos/checkins.js";
import { keyResultsOfGoals } from "../../store/repos/followthrough.js";
import * as plans from "../../store/repos/plans.js";
import { type AppContext, today } from "../context.js";
import { isoDay, parse } from "../validation.js";

/** The largest number of texts one lint request may carry. */
export const MAX_LINT_TEXTS = 1000;

/** Body of "lint these texts". */
export const CoachLintInput = z.strictObject({
  texts: z
    .array(z.string().max(100_000, { message: "is too long (at most 100,000 characters per text)." }))
    .min(1, { message: "is empty. Send at least one text." })
    .max(MAX_LINT_TEXTS, { message: `has too many texts (at most ${MAX_LINT_TEXTS} per request).` }),
  /** What the texts are: steps, goals, or Plan Bs (each checked for an if-then). */
  as: z.enum(["step", "goal", "planB"]).default("step"),
  now: isoDay.optional(),
});
export type CoachLintInput = z.input<typeof CoachLintInput>;

/** One linted text, in the shape the CLI's --json and the API answer. */
export type LintItem =
  | (Omit<StepLint, "text" | "kind"> & { text: string; kind?: StepLint["kind"] })
  | (Omit<GoalLint, "text"> & { text: string });

/** Lints one text as a step or a goal, relative to `now`, keeping the caller's text. */
export function lintOne(text: string, as: "step" | "goal" | "planB", now: string): LintItem {
  if (as === "planB") return { text, findings: lintPlanB(text), due: null, measure: null };
  if (as === "goal") {
    const g = lintGoal(text, { now });
    return { text, findings: g.findings, due: g.due, measure: g.measure, smart: g.smart, score: g.score };
  }
  const s = lintStep(text, { now });
  return { text, kind: s.kind, findings: s.findings, due: s.due, measure: s.measure };
}

/** Lints a batch of texts (the API's POST /api/coach/lint). */
export function lintTexts(ctx: AppContext, raw: unknown): { items: LintItem[] } {
  const input = parse(CoachLintInput, raw);
  const now = input.now ?? today(ctx);
  return { items: input.texts.map((t) => lintOne(t, input.as, now)) };
}

/** A day as a person reads it: "Fri 11 Dec". */
function dayWords(iso: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  })
    .format(new Date(`${iso}T12:00:00Z`))
    .replace(",", "");
}

/**
 * A new step's due date and what the coach says of it: a date named in the text ("Call Dana by
 * Friday") becomes the due date when none was given, and is said so; when both are given and
 * disagree, a warning. Read once, as the step is written: "by Friday" means this Friday only today.
 */
export function dueOfNewStep(
  ctx: AppContext,
  text: string,
  dueDate: string | null | undefined,
): { dueDate: string | null | undefined; note: Finding | null } {
  const read = lintStep(text, { now: today(ctx) }).due;
  if (read === null) return { dueDate, note: null };
  if (dueDate == null) return { dueDate: read, note: finding("due-from-text", dayWords(read)) };
  if (read !== dueDate) return { dueDate, note: finding("due-disagrees", dayWords(read)) };
  return { dueDate, note: null };
}

/** A written object with the coach's findings on it. */
export type WithWarnings<T> = T & { warnings: Finding[] };

/** The coach's findings on a step as it now stands. */
export function stepWarnings(ctx: AppContext, step: Step, goal: Pick<Goal, "teamId">): Finding[] {
  return lintStep(step.text, {
    now: today(ctx),
    dueDate: step.dueDate,
    estimateMinutes: step.estimateMinutes,
    ownerId: step.ownerId,
    teamContext: goal.teamId !== null,
  }).findings;
}

// R for one step, as it is added or changed
/**
 * R for one step as it is added or changed: `step-not-relevant` when the open step is linked to no
 * key result and shares no word with its goal's key results that count, why or title (the same
 * reading as the plan score's), so the person hears it where they wrote the step.
 */
export async function stepRelevanceWarnings(
  ctx: AppContext,
  step: Pick<Step, "text" | "status" | "keyResultId">,
  goal: Pick<Goal, "id" | "title" | "why">,
): Promise<Finding[]> {
  if (step.keyResultId != null || (step.status !== "todo" && step.status !== "doing")) return [];
  const counting = (await plans.keyResultsOf(ctx.store.db, goal.id)).filter((k) => !k.retiredAt);
  const f = stepRelevance(
    { text: step.text, linked: false },
    { title: goal.title, why: goal.why, keyResultTitles: counting.map((k) => k.title) },
  );
  return f ? [f] : [];
}
// --- end issue 18 (kr18) ---

/** What is known of a goal's plan when it is checked. */
export interface GoalPlanFacts {
  keyResults?: number;
  barriersWithPlanB?: number;
  planBs?: { obstacle: string; planB: string }[];
  steps?: string[];
  /** Key results with their check-in values, for A (a target beyond the pace so far). */
  keyResultHistory?: KeyResultHistory[];
  /** The open steps' estimates in minutes, for A (a due date before they could fit). */
  openStepEstimates?: (number | null)[];
  /** The team's similar key results' best paces, for A while a key result has little history. */
  teamPaces?: TeamPace[];
  // R for a step
  /** The open steps with whether each is linked to a key result, for R. */
  stepLinks?: StepLink[];
  /** The titles of the key results that still count, for R. */
  keyResultTitles?: string[];
}

/** At most this many of the team's goals are read for their key results' paces. */
const TEAM_GOALS_READ = 200;

/**
 * The best paces the team's similar key results have shown, for A (issue 18): the other goals of
 * the goal's team that its owner may read (the store's visibility filter, the query form of the
 * policy's goal.read), their key results with a unit, and the fastest pace each unit and direction
 * has shown over at least two weeks of check-ins. [] for a goal outside a team or whose key results
 * have no unit.
 */
export async function teamPaces(ctx: AppContext, goal: Goal, keyResults: KeyResult[]): Promise<TeamPace[]> {
  // Only a key result with a unit is ever compared: without one, the team's goals are not read.
  if (goal.teamId === null || !keyResults.some((k) => !k.retiredAt && unitKey(k.unit) !== null)) return [];
  const db = ctx.store.db;
  const owner = { userId: goal.ownerId, workspaceId: goal.workspaceId, teamIds: null };
  const goals = (
    await plans.listGoals(db, owner, { teamId: goal.teamId, archived: "include", limit: TEAM_GOALS_READ + 1 })
  ).filter((g) => g.id !== goal.id);
  const byId = new Map(goals.map((g) => [g.id, g]));
  const krs = (await keyResultsOfGoals(db, [...byId.keys()])).filter((k) => unitKey(k.unit) !== null);
  if (krs.length === 0) return [];
  const history = await checkinsOf(db, [...new Set(krs.map((k) => k.goalId))]);
  const now = today(ctx);
  const paces = new Map<string, TeamPace>();
  for (const k of krs) {
    const g = byId.get(k.goalId);
    if (!g) continue;
    const shown = shownPace(historyOf(g, k, history), now);
    if (shown === null) continue;
    const key = `${unitKey(k.unit)}|${k.direction}`;
    const seen = paces.get(key);
    if (!seen)
      paces.set(key, { unit: k.unit ?? "", direction: k.direction, bestPerWeek: shown, keyResults: 1 });
    else
      paces.set(key, {
        ...seen,
        bestPerWeek: Math.max(seen.bestPerWeek, shown),
        keyResults: seen.keyResults + 1,
      });
  }
  return [...paces.values()];
}

/** A key result with the values its goal's check-ins recorded for it. */
function historyOf(
  goal: Pick<Goal, "startDate" | "dueDate">,
  k: KeyResult,
  checkins: Pick<Checkin, "date" | "krValues">[],
): KeyResultHistory {
  return {
    title: k.title,
    unit: k.unit,
    startValue: k.startValue,
    targetValue: k.targetValue,
    direction: k.direction,
    dueDate: k.dueDate ?? goal.dueDate,
    startDate: goal.startDate,
    points: checkins.flatMap((c) =>
      c.krValues.filter((v) => v.keyResultId === k.id).map((v) => ({ day: c.date, value: v.value })),
    ),
  };
}

/**
 * What A (achievable) and R (relevant) need from a goal's plan: each key result that still counts,
 * with the values its check-ins recorded, and the open steps' estimates; for R, the open steps with
 * whether each is linked to a key result, and the key results' titles.
 */
export function achievableFacts(
  goal: Pick<Goal, "startDate" | "dueDate">,
  keyResults: KeyResult[],
  steps: (Pick<Step, "status" | "estimateMinutes"> & Partial<Pick<Step, "text" | "keyResultId">>)[],
  checkins: Pick<Checkin, "date" | "krValues">[],
): Pick<GoalPlanFacts, "keyResultHistory" | "openStepEstimates" | "stepLinks" | "keyResultTitles"> {
  const counting = keyResults.filter((k) => !k.retiredAt);
  const open = steps.filter((s) => s.status === "todo" || s.status === "doing");
  return {
    keyResultHistory: counting.map((k) => historyOf(goal, k, checkins)),
    openStepEstimates: open.map((s) => s.estimateMinutes),
    // R for a step
    stepLinks: open.map((s) => ({ text: s.text ?? "", linked: s.keyResultId != null })),
    keyResultTitles: counting.map((k) => k.title),
  };
}

/** The coach's findings on a goal (its title, why and date, and what is known of its plan). */
export function goalWarnings(ctx: AppContext, goal: Goal, facts: GoalPlanFacts = {}): Finding[] {
  return lintGoal(goal.title, {
    now: today(ctx),
    dueDate: goal.dueDate,
    why: goal.why,
    parentId: goal.parentId,
    ...facts,
  }).findings;
}
