/**
 * A whole plan saved at once (the web plan builder's "Save the plan", `POST /api/plans`): the goal,
 * its key results, steps, barriers with Plan B and resources, in one transaction. Each part goes
 * through the same schema and the same writer as when it is added on its own, so the rules stay in
 * one place; a bad part refuses the whole plan with a message naming the part, and nothing is stored.
 */

import type { Kysely } from "kysely";
import { z } from "zod";
import type { Finding } from "../../core/coach/index.js";
import type { KeyResult, Step } from "../../core/types.js";
import * as plansRepo from "../../store/repos/plans.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, today } from "../context.js";
import { AppError, fromZod, invalid } from "../errors.js";
import { personOrThrow } from "../people/people.js";
import {
  changeGoal,
  checkDueAfterStart,
  checkLinks,
  GoalCreateInput,
  GoalUpdateInput,
  getPlanOrThrow,
  KeyResultCreateInput,
  keyResultDirection,
  type Plan,
  writeGoal,
  writeKeyResult,
} from "./goals.js";
import { BarrierCreateInput, ResourceCreateInput, writeBarrier, writeResource } from "./resources.js";
import { keyResultOfGoalOrThrow, newStepWithDue, StepCreateInput, writeStep } from "./steps.js";

/** The most parts of each kind one plan may carry. */
export const PLAN_LIMITS = { keyResults: 20, steps: 200, barriers: 50, resources: 50 } as const;

// A plan's step names its key result
/**
 * A step of a whole plan: the body of "add a step", plus `keyResult`, the key result it serves named
 * within the same request (the key results have no ids yet): its position in `keyResults` (1 = the
 * first) or its title (any case). `keyResultId` names a key result the goal already has.
 */
const PlanStepInput = StepCreateInput.extend({
  keyResult: z
    .union([z.number().int().min(1).max(PLAN_LIMITS.keyResults), z.string().trim().min(1).max(200)])
    .optional()
    .describe(
      "The key result this step serves: its position in this request's keyResults (1 = the first) or its title.",
    ),
});
// --- end issue 18 (kr18) ---

/** The parts of a plan besides its goal, each in the body of its own create route. */
const planParts = {
  keyResults: z.array(KeyResultCreateInput).max(PLAN_LIMITS.keyResults).default([]),
  steps: z.array(PlanStepInput).max(PLAN_LIMITS.steps).default([]),
  barriers: z.array(BarrierCreateInput).max(PLAN_LIMITS.barriers).default([]),
  resources: z
    .array(ResourceCreateInput.omit({ stepId: true }))
    .max(PLAN_LIMITS.resources)
    .default([]),
};

/** Body of "save a whole plan": the goal and every part of its plan. */
export const PlanCreateInput = z.strictObject({ goal: GoalCreateInput, ...planParts });
export type PlanCreateInput = z.input<typeof PlanCreateInput>;

/**
 * Body of "add to a plan" (finishing an imported or unfinished plan): changes to the goal, as in
 * "change a goal" (a moved due date or a new priority needs `reason`), and new parts to add.
 */
export const PlanAddInput = z.strictObject({ goal: GoalUpdateInput.default({}), ...planParts });
export type PlanAddInput = z.input<typeof PlanAddInput>;

/** A plan just saved: its steps each with the coach's findings, and the findings on the goal. */
export type CreatedPlan = Omit<Plan, "steps"> & {
  steps: (Step & { warnings: Finding[] })[];
  warnings: Finding[];
};

const PART_WORDS: Record<string, string> = {
  goal: "The goal",
  keyResults: "Key result",
  steps: "Step",
  barriers: "Obstacle",
  resources: "Resource",
};

const FIELD_WORDS: Record<string, string> = {
  successLooksLike: "what success looks like",
  dueDate: "due date",
  startDate: "start date",
  teamId: "team",
  parentId: "parent goal",
  cadenceDays: "check-in cadence",
  startValue: "start value",
  targetValue: "target",
  currentValue: "current value",
  ownerId: "owner",
  estimateMinutes: "estimate in minutes",
  every: "repeat",
  planB: "Plan B",
  ask: "what to ask",
};

/** A part of the plan in words, as people count: "The goal", "Step 2", "Obstacle 1". */
function partName(kind: string, index: number | undefined): string {
  const word = PART_WORDS[kind] ?? kind;
  return index === undefined ? word : `${word} ${index + 1}`;
}

/** Where in the body a problem is, in words: "Step 2, due date". */
function describePath(path: readonly PropertyKey[]): { part: string; words: string } {
  const [kind, second, ...rest] = path.map(String);
  if (kind === undefined) return { part: "(body)", words: "The plan" };
  const indexed = kind !== "goal" && second !== undefined && /^\d+$/.test(second);
  const part = indexed ? `${kind}[${second}]` : kind;
  const fieldPath = indexed ? rest : [second, ...rest].filter((x) => x !== undefined);
  const name = partName(kind, indexed ? Number(second) : undefined);
  const field = fieldPath.length ? (FIELD_WORDS[fieldPath[0] as string] ?? fieldPath.join(".")) : "";
  return { part, words: field ? `${name}, ${field}` : name };
}

/**
 * The body's validation failure as one error naming each part in words ("Step 2, text: is empty.
 * Write something here."), with `details.issues[].part` for programs.
 */
export function planInputError(error: z.ZodError): AppError {
  const base = fromZod(error);
  const issues = error.issues.map((i) => {
    const { part, words } = describePath(i.path);
    return { field: i.path.length ? i.path.join(".") : "(body)", part, message: i.message, words };
  });
  const message = issues.map((i) => `${i.words}: ${i.message}`).join("; ") || base.message;
  return new AppError(base.status as 400, base.code, message, {
    issues: issues.map(({ words: _w, ...rest }) => rest),
  });
}

/** Runs `fn` for one part; a rule it breaks is refused with the part named first. */
async function inPart<T>(kind: string, index: number | undefined, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const part = index === undefined ? kind : `${kind}[${index}]`;
    throw new AppError(e.status, e.code, `${partName(kind, index)}: ${e.message}`, { ...e.details, part });
  }
}

/** The parts of a plan with the rules that need no database already checked. */
interface CheckedParts {
  input: z.output<typeof PlanCreateInput> | z.output<typeof PlanAddInput>;
  directions: ("increase" | "decrease")[];
  newSteps: Awaited<ReturnType<typeof newStepWithDue>>[];
}

/** Checks the rules of each part that need no database (before any transaction opens). */
async function checkParts(ctx: AppContext, input: CheckedParts["input"]): Promise<CheckedParts> {
  const directions = await Promise.all(
    input.keyResults.map((k, i) => inPart("keyResults", i, () => keyResultDirection(k))),
  );
  const newSteps = await Promise.all(
    input.steps.map((s, i) =>
      inPart("steps", i, () => {
        const { keyResult, ...step } = s;
        checkKeyResultRef(keyResult, step.keyResultId, input.keyResults.length);
        return newStepWithDue(ctx, step);
      }),
    ),
  );
  return { input, directions, newSteps };
}

// A plan's step names its key result
/**
 * How a refusal tells the person to fix a step's key result, in the words of where they wrote it:
 * the body of `POST /api/plans` by default, a playbook's "(KR …)" suffix for a playbook.
 */
export interface KeyResultRefWords {
  /** How to add the key result the step names: "Add it to keyResults". */
  add: string;
  /** How to stop naming one: "leave keyResult out". */
  leaveOut: string;
}
const REQUEST_WORDS: KeyResultRefWords = { add: "Add it to keyResults", leaveOut: "leave keyResult out" };

/**
 * Checks what needs no database: one way to name the key result, and a position the plan has.
 * Also used by plans started from a playbook (src/app/playbooks), with their own words.
 */
export function checkKeyResultRef(
  ref: number | string | undefined,
  id: number | null | undefined,
  count: number,
  words: KeyResultRefWords = REQUEST_WORDS,
) {
  if (ref !== undefined && id != null) {
    throw invalid(
      "key_result_given_twice",
      "give keyResult or keyResultId, not both: keyResult names a key result of this request, keyResultId one the goal already has.",
      { field: "keyResult" },
    );
  }
  if (typeof ref === "number" && ref > count) {
    throw invalid(
      "key_result_not_in_plan",
      count === 0
        ? `there is no key result ${ref} in this plan (it has none). ${words.add}, or ${words.leaveOut}.`
        : `there is no key result ${ref} in this plan (it has ${count}). Name one by its position (1 to ${count}) or its title, or ${words.leaveOut}.`,
      { field: "keyResult" },
    );
  }
}

/**
 * The id of the key result a plan's step names: by position among the key results just written,
 * by title among those and (when finishing a plan) the goal's own that still count, or by id,
 * which must be the goal's own. Also used by plans started from a playbook, with their own words.
 */
export async function keyResultOfStep(
  trx: Kysely<Database>,
  goalId: number,
  ref: number | string | undefined,
  id: number | null | undefined,
  written: KeyResult[],
  existing: () => Promise<KeyResult[]>,
  words: KeyResultRefWords = REQUEST_WORDS,
): Promise<number | null> {
  if (id != null) {
    await keyResultOfGoalOrThrow(trx, goalId, id);
    return id;
  }
  if (ref === undefined) return null;
  if (typeof ref === "number") return (written[ref - 1] as KeyResult).id;
  const candidates = [...written, ...(await existing()).filter((k) => !k.retiredAt)];
  const found = candidates.find((k) => k.title.trim().toLowerCase() === ref.toLowerCase());
  if (found) return found.id;
  const titles = candidates.map((k) => `"${k.title}"`).join(", ");
  throw invalid(
    "key_result_not_in_plan",
    `no key result of this plan is called "${ref}" (${titles ? `they are ${titles}` : "it has none"}). Name one by its title or its position, or ${words.leaveOut}.`,
    { field: "keyResult" },
  );
}
// --- end issue 18 (kr18) ---

/** Writes the parts of a plan to a goal already checked writable, inside the caller's transaction. */
async function writeParts(
  trx: Kysely<Database>,
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  { input, directions, newSteps }: CheckedParts,
) {
  const keyResults: KeyResult[] = [];
  for (const [i, k] of input.keyResults.entries()) {
    keyResults.push(await writeKeyResult(trx, ctx, actor, goalId, k, directions[i] ?? "increase"));
  }
  const steps = [];
  const notes = new Map<number, Finding>();
  // The goal's own key results, read once and only when a step names one by title.
  let existing: Promise<KeyResult[]> | undefined;
  const fresh = new Set(keyResults.map((k) => k.id));
  const own = () => {
    existing ??= plansRepo.keyResultsOf(trx, goalId).then((ks) => ks.filter((k) => !fresh.has(k.id)));
    return existing;
  };
  for (const [i, { step: s, note }] of newSteps.entries()) {
    if (s.ownerId != null) {
      const owner = s.ownerId;
      await inPart("steps", i, () => personOrThrow(ctx, actor, owner, trx));
    }
    const ref = input.steps[i]?.keyResult;
    const keyResultId = await inPart("steps", i, () =>
      keyResultOfStep(trx, goalId, ref, s.keyResultId, keyResults, own),
    );
    const written = await writeStep(trx, ctx, actor, goalId, { ...s, keyResultId });
    if (note) notes.set(written.id, note);
    steps.push(written);
  }
  const barriers = [];
  for (const b of input.barriers) barriers.push(await writeBarrier(trx, ctx, actor, goalId, b));
  const resources = [];
  for (const x of input.resources) {
    resources.push(await writeResource(trx, ctx, actor, goalId, { ...x, stepId: null }));
  }
  return { written: { keyResults, steps, barriers, resources }, notes };
}

/** The coach's findings on a plan just written, with its new steps' notes on dates read from their text. */
async function withWarnings(ctx: AppContext, plan: Plan, notes: Map<number, Finding>): Promise<CreatedPlan> {
  const { achievableFacts, goalWarnings, stepWarnings, teamPaces } = await import("./coach.js");
  const { goal, steps } = plan;
  const paces = await teamPaces(ctx, goal, plan.keyResults);
  const open = steps.filter((s) => s.status !== "dropped");
  return {
    ...plan,
    steps: steps.map((s) => {
      const note = notes.get(s.id);
      return { ...s, warnings: [...(note ? [note] : []), ...stepWarnings(ctx, s, goal)] };
    }),
    warnings: goalWarnings(ctx, goal, {
      // A new plan has no check-ins yet: its key results are judged against the team's similar
      // ones, and the due date against the steps' estimates.
      ...achievableFacts(goal, plan.keyResults, steps, []),
      teamPaces: paces,
      keyResults: plan.keyResults.length,
      barriersWithPlanB: plan.barriers.filter((b) => b.planB.trim() !== "").length,
      planBs: plan.barriers.map((b) => ({ obstacle: b.obstacle, planB: b.planB })),
      steps: open.map((s) => s.text),
    }),
  };
}

/**
 * Saves a whole plan owned by the actor in one transaction: the goal, then its key results, steps
 * (each with its owner, who must be in the workspace), barriers and resources, in the order given.
 * Any invalid part refuses the whole plan and nothing is stored.
 */
export async function createPlan(ctx: AppContext, actor: Actor, raw: unknown): Promise<CreatedPlan> {
  const r = PlanCreateInput.safeParse(raw);
  if (!r.success) throw planInputError(r.error);
  const input = r.data;
  const start = input.goal.startDate ?? today(ctx);
  await inPart("goal", undefined, () => checkDueAfterStart(start, input.goal.dueDate));
  const parts = await checkParts(ctx, input);
  const { plan, notes } = await ctx.store.db.transaction().execute(async (trx) => {
    await inPart("goal", undefined, () => checkLinks(trx, actor, input.goal));
    const goal = await writeGoal(trx, ctx, actor, input.goal, start, { via: "plan" });
    const { written, notes } = await writeParts(trx, ctx, actor, goal.id, parts);
    return { plan: { goal, ...written }, notes };
  });
  return withWarnings(ctx, { ...plan, checkins: [] }, notes);
}

/**
 * Finishes a plan: changes the goal (as "change a goal" does, reasons and history included) and
 * adds the new parts, in one transaction; existing parts are left as they are. Any invalid part
 * refuses it all. Answers the whole plan as it now stands.
 */
export async function addToPlan(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  raw: unknown,
): Promise<CreatedPlan> {
  const r = PlanAddInput.safeParse(raw);
  if (!r.success) throw planInputError(r.error);
  const parts = await checkParts(ctx, r.data);
  const { notes } = await ctx.store.db.transaction().execute(async (trx) => {
    await inPart("goal", undefined, () => changeGoal(trx, ctx, actor, goalId, r.data.goal));
    return writeParts(trx, ctx, actor, goalId, parts);
  });
  return withWarnings(ctx, await getPlanOrThrow(ctx, actor, goalId), notes);
}
