/** Micro-steps: add, change, mark done, list, and "my week". */
import type { Kysely } from "kysely";
import { z } from "zod";
import { addDays } from "../../core/dates.js";
import { dayOfTimestamp } from "../../core/engine/dates.js";
import { type Goal, STEP_STATUSES, type Step } from "../../core/types.js";
import * as plans from "../../store/repos/plans.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, emit, nowIso, today, viewerOf } from "../context.js";
import { followersOf, notify } from "../delivery/notices.js";
import { invalid, reasonRequired } from "../errors.js";
import { personOrThrow } from "../people/people.js";
import { assertCan } from "../policy.js";
import {
  decodeCursor,
  id,
  isoDay,
  optionalText,
  type Page,
  pageOf,
  pageQuery,
  parse,
  queryId,
  text,
} from "../validation.js";
// The coach itself (compromise, chrono-node) is imported where warnings are made, on the first
// write: commands that only read, such as the CLI's `week` and `step list`, never load it.
import type { WithWarnings } from "./coach.js";
import {
  asPayload,
  asText,
  changedFields,
  partOfGoalOrThrow,
  recordChanges,
  writableGoalOrThrow,
} from "./goals.js";
import { changeStep, keepPromises } from "./promises.js";

/** Body of "add a step". */
export const StepCreateInput = z.strictObject({
  text: text(500),
  ownerId: id.nullish(),
  dueDate: isoDay.nullish(),
  estimateMinutes: z.number().int().min(1).max(100_000).nullish(),
  status: z.enum(["todo", "doing"]).default("todo"),
});
export type StepCreateInput = z.input<typeof StepCreateInput>;

/** Body of "change a step". */
export const StepUpdateInput = z.strictObject({
  text: text(500).optional(),
  ownerId: id.nullable().optional(),
  dueDate: isoDay.nullable().optional(),
  estimateMinutes: z.number().int().min(1).max(100_000).nullable().optional(),
  status: z.enum(STEP_STATUSES).optional(),
  position: z.number().int().min(1).max(1_000_000).optional(),
  doneLooksLike: optionalText(2000).optional(),
  /** Why: needed to move the due date, to drop the step, or to re-open it. */
  reason: optionalText(2000).optional(),
});
export type StepUpdateInput = z.input<typeof StepUpdateInput>;

/** Body of "mark a step done". */
export const StepDoneInput = z.strictObject({ date: isoDay.optional() });

/** Query of "list steps". */
export const StepListQuery = z.strictObject({
  goal: queryId,
  owner: queryId,
  status: z.enum(STEP_STATUSES).optional(),
  all: z
    .union([z.boolean(), z.enum(["true", "false", "1", "0"])])
    .transform((v) => v === true || v === "true" || v === "1")
    .optional(),
  dueBefore: isoDay.optional(),
  dueAfter: isoDay.optional(),
  ...pageQuery,
});
export type StepListQuery = z.input<typeof StepListQuery>;

/** A step whose goal the actor may see, with that goal. */
export async function stepWithGoalOrThrow(
  ctx: AppContext,
  actor: Actor,
  stepId: number,
  db?: Kysely<Database>,
): Promise<{ step: Step; goal: Goal }> {
  const { part, goal } = await partOfGoalOrThrow(ctx, actor, "step", stepId, plans.findStep, db);
  return { step: part, goal };
}

/** A step whose goal the actor may see. */
export async function getStepOrThrow(
  ctx: AppContext,
  actor: Actor,
  stepId: number,
  db?: Kysely<Database>,
): Promise<Step> {
  return (await stepWithGoalOrThrow(ctx, actor, stepId, db)).step;
}

/** What a new step holds; everything but its text has a default. */
export interface NewStep {
  text: string;
  ownerId?: number | null | undefined;
  dueDate?: string | null | undefined;
  status?: "todo" | "doing" | undefined;
  estimateMinutes?: number | null | undefined;
  /** Its place in the plan; by default after the goal's last step. */
  position?: number | undefined;
}

/**
 * Writes a step (checked input, goal already checked writable) and its `step.created` event,
 * inside the caller's transaction: the one writer for every way a step is added.
 */
export async function writeStep(
  trx: Kysely<Database>,
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  s: NewStep,
  payload: Record<string, unknown> = {},
): Promise<Step> {
  const now = nowIso(ctx);
  const step = await plans.insertStep(trx, {
    goalId,
    text: s.text,
    ownerId: s.ownerId ?? null,
    dueDate: s.dueDate ?? null,
    status: s.status ?? "todo",
    position: s.position ?? (await plans.nextStepPosition(trx, goalId)),
    estimateMinutes: s.estimateMinutes ?? null,
    doneAt: null,
    delegatedBy: null,
    doneLooksLike: null,
    delegationState: null,
    createdAt: now,
    updatedAt: now,
  });
  await keepPromises(trx, null, step, now);
  await emit(
    trx,
    ctx,
    actor,
    "step.created",
    { type: "step", id: step.id },
    { goalId, text: step.text, ...payload },
  );
  return step;
}

/** Adds a step at the end of a goal's plan. */
export async function addStep(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  raw: unknown,
): Promise<WithWarnings<Step>> {
  const input = parse(StepCreateInput, raw);
  const { step, goal } = await ctx.store.db.transaction().execute(async (trx) => {
    const goal = await writableGoalOrThrow(ctx, actor, goalId, trx);
    if (input.ownerId != null) await personOrThrow(ctx, actor, input.ownerId, trx);
    const step = await writeStep(trx, ctx, actor, goalId, input);
    return { step, goal };
  });
  const { stepWarnings } = await import("./coach.js");
  return { ...step, warnings: stepWarnings(ctx, step, goal) };
}

/**
 * What of a step's change needs a reason, in words for `reason_required`, or null: moving its due
 * date (setting a first one is not a move), dropping it, and re-opening it.
 */
function reasonNeeded(step: Step, input: { dueDate?: string | null; status?: string }): string | null {
  if (input.status === "dropped" && step.status !== "dropped") return "dropping a step";
  const reopening = input.status !== undefined && input.status !== "done" && input.status !== "dropped";
  if (reopening && (step.status === "done" || step.status === "dropped")) return "re-opening a step";
  if (input.dueDate !== undefined && step.dueDate !== null && input.dueDate !== step.dueDate)
    return "moving a step's due date";
  return null;
}

const STEP_WORDS: Record<string, string> = {
  dueDate: "the due date",
  status: "the status",
  text: "the text",
};

/**
 * Changes a step. Moving its due date, dropping it and re-opening it need a reason; those changes
 * are written to the goal's history with who, when, from, to and why, its followers are told, and
 * the promise the step made stays on the record (src/app/plans/promises.ts).
 */
export async function updateStep(
  ctx: AppContext,
  actor: Actor,
  stepId: number,
  raw: unknown,
): Promise<WithWarnings<Step>> {
  const input = parse(StepUpdateInput, raw);
  const { updated, goal } = await ctx.store.db.transaction().execute(async (trx) => {
    const { step, goal } = await stepWithGoalOrThrow(ctx, actor, stepId, trx);
    const { reason: given, ...fields } = input;
    assertCan(actor, "step.change", { goal, step, fields: Object.keys(fields) });
    if (input.ownerId != null) await personOrThrow(ctx, actor, input.ownerId, trx);
    const changes = changedFields(step, fields);
    if (changes.length === 0) return { updated: step, goal };
    const reason = given ?? null;
    const needed = reasonNeeded(step, input);
    if (needed !== null && !reason) throw reasonRequired(needed);
    const moving = changes.some((c) => c.field === "dueDate") && step.dueDate !== null;
    if (moving && (step.status === "done" || step.status === "dropped") && input.status === undefined) {
      throw invalid(
        "step_closed",
        `Step ${stepId} is ${step.status}. Re-open it (status todo, with a reason) before moving its due date.`,
        { field: "dueDate" },
      );
    }
    const now = nowIso(ctx);
    const patch: Record<string, unknown> = { updatedAt: now };
    for (const c of changes) patch[c.field] = c.next;
    if (input.status === "done" && step.status !== "done") patch.doneAt = now;
    if (input.status && input.status !== "done") patch.doneAt = null;
    const updated = await changeStep(trx, step, patch, now);
    const recorded =
      needed === null ? [] : changes.filter((c) => c.field === "dueDate" || c.field === "status");
    await recordChanges(
      trx,
      actor,
      { goalId: goal.id, entity: "step", entityId: stepId },
      recorded,
      reason,
      now,
    );
    const becameDone = input.status === "done" && step.status !== "done";
    await emit(
      trx,
      ctx,
      actor,
      becameDone ? "step.done" : "step.changed",
      { type: "step", id: stepId },
      {
        goalId: step.goalId,
        fields: Object.keys(fields),
        ...(recorded.length ? { reason, changes: asPayload(recorded) } : {}),
      },
    );
    if (recorded.length > 0) {
      const what = recorded.map(
        (c) =>
          `${STEP_WORDS[c.field] ?? c.field} from ${asText(c.old) ?? "nothing"} to ${asText(c.next) ?? "nothing"}`,
      );
      await notify(trx, ctx, actor, await followersOf(trx, goal.id), {
        type: "step.changed",
        subject: { type: "goal", id: goal.id },
        message: `"${goal.title}", step "${step.text}": changed ${what.join(", ")} because ${reason}.`,
        payload: { goalId: goal.id, stepId, reason, changes: asPayload(recorded) },
      });
    }
    return { updated, goal };
  });
  const { stepWarnings } = await import("./coach.js");
  return { ...updated, warnings: stepWarnings(ctx, updated, goal) };
}

/** Marks a step done, today or on a given (past) day to backfill. */
export async function completeStep(
  ctx: AppContext,
  actor: Actor,
  stepId: number,
  raw: unknown = {},
): Promise<Step> {
  const input = parse(StepDoneInput, raw);
  const day = input.date ?? today(ctx);
  if (day > today(ctx)) {
    throw invalid(
      "date_in_future",
      `A step cannot be done on ${day}, which is in the future. Use today or an earlier day.`,
      { field: "date" },
    );
  }
  return ctx.store.db.transaction().execute(async (trx) => {
    const { step, goal } = await stepWithGoalOrThrow(ctx, actor, stepId, trx);
    assertCan(actor, "step.change", { goal, step, fields: ["status"] });
    if (step.status === "done") return step;
    if (step.status === "dropped") {
      throw invalid(
        "step_dropped",
        `Step ${stepId} was dropped. Reopen it (status todo) before marking it done.`,
      );
    }
    const earliest = [goal.startDate, dayOfTimestamp(step.createdAt)].sort().at(-1) as string;
    if (day < earliest) {
      throw invalid(
        "date_too_early",
        `Step ${stepId} cannot be done on ${day}: it was added on ${dayOfTimestamp(step.createdAt)} and its goal started on ${goal.startDate}. Use ${earliest} or a later day.`,
        { field: "date" },
      );
    }
    const at = input.date ? `${day}T12:00:00.000Z` : nowIso(ctx);
    const updated = await changeStep(
      trx,
      step,
      { status: "done", doneAt: at, updatedAt: nowIso(ctx) },
      nowIso(ctx),
    );
    await emit(
      trx,
      ctx,
      actor,
      "step.done",
      { type: "step", id: stepId },
      { goalId: step.goalId, date: day },
    );
    return updated;
  });
}

/** Steps across the goals the actor may see; open ones unless `all`. */
export async function listSteps(ctx: AppContext, actor: Actor, raw: unknown): Promise<Page<Step>> {
  const q = parse(StepListQuery, raw);
  const db = ctx.store.db;
  const statuses = q.status ? [q.status] : q.all ? undefined : ["todo", "doing"];
  const rows = await plans.listSteps(db, await viewerOf(db, actor), {
    goalId: q.goal,
    ownerId: q.owner,
    statuses,
    dueBefore: q.dueBefore,
    dueAfter: q.dueAfter,
    afterId: decodeCursor(q.cursor),
    limit: q.limit + 1,
  });
  return pageOf(rows, q.limit);
}

/** What "my week" shows. */
export interface Week {
  from: string;
  to: string;
  /** Open steps I own that are due this week, or overdue. */
  steps: Step[];
  /** The question to ask when nothing is planned. */
  prompt: string | null;
}

/**
 * The steps I own (or own through my goals) that are due by the end of this week, overdue ones
 * included, in due order. The week runs Monday to Sunday.
 */
export async function myWeek(ctx: AppContext, actor: Actor, asOf?: string): Promise<Week> {
  const day = asOf ?? today(ctx);
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  const from = addDays(day, -weekday);
  const to = addDays(from, 6);
  const db = ctx.store.db;
  const rows = await plans.listSteps(db, await viewerOf(db, actor), {
    ownerId: actor.userId,
    statuses: ["todo", "doing"],
    dueBefore: to,
    // The most overdue first, so that past the limit it is the latest work that is left out.
    order: "due",
    limit: 1000,
  });
  const steps = rows
    .filter((s) => s.dueDate !== null)
    .sort((a, b) => (a.dueDate as string).localeCompare(b.dueDate as string) || a.position - b.position);
  return {
    from,
    to,
    steps,
    prompt:
      steps.length === 0
        ? "Nothing is planned this week. What is one small step you can take this week?"
        : null,
  };
}
