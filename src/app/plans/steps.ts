/** Micro-steps: add, change, mark done, list, and "my week". */
import type { Kysely } from "kysely";
import { z } from "zod";
// The coach itself (compromise, chrono-node) is imported where warnings are made, on the first
// write: commands that only read, such as the CLI's `week` and `step list`, never load it.
import type { Finding } from "../../core/coach/findings.js";
import { addDays } from "../../core/dates.js";
import { dayOfTimestamp } from "../../core/engine/dates.js";
import {
  alignStart,
  describeRecurrence,
  occurrencesBetween,
  occurrencesThrough,
  parseRecurrence,
} from "../../core/recurrence.js";
import { readTimeOfDay } from "../../core/time-of-day.js";
import { type Goal, STEP_STATUSES, type Step } from "../../core/types.js";
import * as plans from "../../store/repos/plans.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, emit, nowIso, today, viewerOf } from "../context.js";
import { followersOf, notify, readNoticesAbout, stepDoneNotices } from "../delivery/notices.js";
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

/**
 * A time of day on the due day, 24-hour "HH:MM" ("9:05" is kept as "09:05"); anything else is
 * refused with how to write one.
 */
export const timeOfDay = z
  .string()
  .superRefine((s, ctx) => {
    const read = readTimeOfDay(s);
    if ("error" in read) ctx.addIssue({ code: "custom", message: read.error, input: s });
  })
  .overwrite((s) => {
    const read = readTimeOfDay(s);
    return "time" in read ? read.time : s;
  });

/** Body of "add a step". */
export const StepCreateInput = z.strictObject({
  text: text(500),
  ownerId: id.nullish(),
  dueDate: isoDay.nullish(),
  estimateMinutes: z.number().int().min(1).max(100_000).nullish(),
  /** The time of day on the due day when the owner is reminded ("15:30"); needs a due date. */
  dueTime: timeOfDay.nullish(),
  status: z.enum(["todo", "doing"]).default("todo"),
  /**
   * How the step repeats, in words ("every Monday", "every 2 weeks", "every weekday") or as an
   * RFC 5545 RRULE; its first day is `dueDate` (by default the rule's first day from today).
   */
  every: text(200).optional(),
  /** The last day it repeats (with `every`). */
  until: isoDay.optional(),
  /** How many times it happens in all (with `every`). */
  count: z.number().int().min(1).max(10_000).optional(),
  /** The key result of the step's goal that this step moves (issue 18); null or left out: none. */
  keyResultId: id.nullish(),
});
export type StepCreateInput = z.input<typeof StepCreateInput>;

/** Body of "change a step". */
export const StepUpdateInput = z.strictObject({
  text: text(500).optional(),
  ownerId: id.nullable().optional(),
  dueDate: isoDay.nullable().optional(),
  estimateMinutes: z.number().int().min(1).max(100_000).nullable().optional(),
  /** The time of day on the due day ("15:30"); null clears it. The change is kept in the history. */
  dueTime: timeOfDay.nullable().optional(),
  status: z.enum(STEP_STATUSES).optional(),
  position: z.number().int().min(1).max(1_000_000).optional(),
  doneLooksLike: optionalText(2000).optional(),
  /** How it repeats from now on, in words or as an RRULE; null: it stops repeating. */
  every: text(200).nullable().optional(),
  /** With status "todo": the day of a repeating step to re-open (it was marked done by mistake). */
  occurrence: isoDay.optional(),
  /** Why: needed to move the due date, to drop the step, to re-open it, or to change its repeat. */
  reason: optionalText(2000).optional(),
  /** The key result of the step's goal that this step moves; null unlinks it. Kept in the history. */
  keyResultId: id.nullable().optional(),
});
export type StepUpdateInput = z.input<typeof StepUpdateInput>;

/** Body of "mark a step done". */
export const StepDoneInput = z.strictObject({
  date: isoDay.optional(),
  /** For a repeating step, the day it was due that this marks done (by default the latest due by today). */
  occurrence: isoDay.optional(),
});

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
  /** How it repeats (an RRULE read by src/core/recurrence.ts); its first day is `dueDate`. */
  recurrence?: string | null | undefined;
  /** The time of day on its due day, "HH:MM"; it needs a due date. */
  dueTime?: string | null | undefined;
  /** The key result of the same goal it moves (checked by the caller: keyResultOfGoalOrThrow). */
  keyResultId?: number | null | undefined;
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
    recurrence: s.recurrence ?? null,
    dueTime: s.dueTime ?? null,
    keyResultId: s.keyResultId ?? null,
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

/**
 * A repeat in words or as an RRULE, read from `start` (the due date, else today): the rule to store
 * and the first day (the due date given, else the rule's first day from today), or 422 saying how
 * to write it.
 */
function repeatOrThrow(
  every: string,
  due: string | null,
  today: string,
  end: { until?: string | undefined; count?: number | undefined },
): { recurrence: string; dueDate: string } {
  const read = parseRecurrence(every, due ?? today, end);
  if ("error" in read) throw invalid("bad_recurrence", read.error, { field: "every" });
  return { recurrence: read.rrule, dueDate: due ?? alignStart(read.rrule, today) ?? today };
}

/**
 * A new step from checked input: its repeat read (words or an RRULE, its first day the due date
 * or the rule's first day from today), or 422 saying how to write it.
 */
export function newStepOf(ctx: AppContext, input: z.output<typeof StepCreateInput>): NewStep {
  const { every, until, count, ...rest } = input;
  const repeat =
    every === undefined ? null : repeatOrThrow(every, rest.dueDate ?? null, today(ctx), { until, count });
  if (repeat === null && (until !== undefined || count !== undefined)) {
    throw invalid("every_required", "`until` and `count` go with `every`: say how the step repeats.", {
      field: until !== undefined ? "until" : "count",
    });
  }
  const step = { ...rest, ...(repeat ?? {}) };
  if (step.dueTime != null && step.dueDate == null) throw timeNeedsDay();
  return step;
}

/**
 * Checks that a step may be linked to the key result: one of the step's own goal, still counting
 * (not retired). Otherwise 422 saying which key results it may name.
 */
export async function keyResultOfGoalOrThrow(
  trx: Kysely<Database>,
  goalId: number,
  keyResultId: number,
): Promise<void> {
  const kr = await plans.findKeyResult(trx, keyResultId);
  if (kr === undefined || kr.goalId !== goalId) {
    throw invalid(
      "key_result_not_of_goal",
      `Key result ${keyResultId} is not a key result of goal ${goalId}. Link the step to one of its own goal's key results (GET /api/goals/${goalId}), or leave keyResultId out.`,
      { field: "keyResultId", goalId, keyResultId },
    );
  }
  if (kr.retiredAt) {
    throw invalid(
      "key_result_retired",
      `Key result ${keyResultId} ("${kr.title}") is retired: it no longer counts. Link the step to a key result that counts, or bring this one back first.`,
      { field: "keyResultId", goalId, keyResultId, title: kr.title },
    );
  }
}

/** A time of day was given for a step without a due date. */
function timeNeedsDay() {
  return invalid("due_date_required", "A time of day goes with a due date: give the step a due date too.", {
    field: "dueTime",
  });
}

/**
 * A new step's fields with its due date read from its text when none was given ("Call Dana by
 * Friday"), and the coach's note saying so, or warning when the text and the date given disagree.
 * A repeating step keeps the date given: its repeat starts there.
 */
export async function newStepWithDue(
  ctx: AppContext,
  input: z.output<typeof StepCreateInput>,
): Promise<{ step: NewStep; note: Finding | null }> {
  if (input.every !== undefined) return { step: newStepOf(ctx, input), note: null };
  const { dueOfNewStep } = await import("./coach.js");
  const { dueDate, note } = dueOfNewStep(ctx, input.text, input.dueDate);
  return { step: newStepOf(ctx, { ...input, dueDate }), note };
}

/** Adds a step at the end of a goal's plan; a date its text names is its due date when none is given. */
export async function addStep(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  raw: unknown,
): Promise<WithWarnings<Step>> {
  const { step: input, note } = await newStepWithDue(ctx, parse(StepCreateInput, raw));
  const { step, goal } = await ctx.store.db.transaction().execute(async (trx) => {
    const goal = await writableGoalOrThrow(ctx, actor, goalId, trx);
    if (input.ownerId != null) await personOrThrow(ctx, actor, input.ownerId, trx);
    if (input.keyResultId != null) await keyResultOfGoalOrThrow(trx, goalId, input.keyResultId);
    const step = await writeStep(trx, ctx, actor, goalId, input);
    return { step, goal };
  });
  const { stepWarnings, stepRelevanceWarnings } = await import("./coach.js");
  return {
    ...step,
    warnings: [
      ...(note ? [note] : []),
      ...stepWarnings(ctx, step, goal),
      ...(await stepRelevanceWarnings(ctx, step, goal)),
    ],
  };
}

/**
 * What of a step's change needs a reason, in words for `reason_required`, or null: moving its due
 * date (setting a first one is not a move), dropping it, and re-opening it.
 */
function reasonNeeded(
  step: Step,
  input: { dueDate?: string | null; status?: string; recurrence?: string | null },
): string | null {
  if (input.status === "dropped" && step.status !== "dropped") return "dropping a step";
  if (input.recurrence !== undefined && step.recurrence !== null && input.recurrence !== step.recurrence)
    return "changing how a step repeats";
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
  dueTime: "the time",
  keyResultId: "the key result",
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
  const { every, occurrence, ...input } = parse(StepUpdateInput, raw);
  const { updated, goal } = await ctx.store.db.transaction().execute(async (trx) => {
    const { step, goal } = await stepWithGoalOrThrow(ctx, actor, stepId, trx);
    const { reason: given, ...rest } = input;
    const fields: Record<string, unknown> = { ...rest };
    if (every === null) fields.recurrence = null;
    else if (every !== undefined) {
      const start = input.dueDate ?? step.dueDate;
      const repeat = repeatOrThrow(every, start, today(ctx), {});
      fields.recurrence = repeat.recurrence;
      if (start === null) fields.dueDate = repeat.dueDate;
    }
    assertCan(actor, "step.change", { goal, step, fields: Object.keys(fields) });
    if (input.ownerId != null) await personOrThrow(ctx, actor, input.ownerId, trx);
    if (input.keyResultId != null && input.keyResultId !== (step.keyResultId ?? null))
      await keyResultOfGoalOrThrow(trx, goal.id, input.keyResultId);
    if (occurrence !== undefined) {
      return { updated: await reopenDay(trx, ctx, actor, goal, step, occurrence, given ?? null), goal };
    }
    const changes = changedFields(
      { ...step, dueTime: step.dueTime ?? null, keyResultId: step.keyResultId ?? null },
      fields,
    );
    if (changes.length === 0) return { updated: step, goal };
    const nextTime = fields.dueTime !== undefined ? fields.dueTime : (step.dueTime ?? null);
    const nextDay = fields.dueDate !== undefined ? fields.dueDate : step.dueDate;
    if (nextTime !== null && nextDay === null) throw timeNeedsDay();
    const reason = given ?? null;
    const needed = reasonNeeded(step, fields);
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
    // A change of time or of key result is always kept in the history (a reason is welcome, not
    // required); the changes that need a reason are kept with it.
    const reasoned =
      needed === null
        ? []
        : changes.filter((c) => c.field === "dueDate" || c.field === "status" || c.field === "recurrence");
    const recorded = [
      ...reasoned,
      ...changes.filter((c) => c.field === "dueTime" || c.field === "keyResultId"),
    ];
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
    if (becameDone) await stepDoneNotices(trx, ctx, actor, step, goal.title);
    if (reasoned.length > 0) {
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
  const { stepWarnings, stepRelevanceWarnings } = await import("./coach.js");
  return {
    ...updated,
    warnings: [...stepWarnings(ctx, updated, goal), ...(await stepRelevanceWarnings(ctx, updated, goal))],
  };
}

/**
 * Re-opens one day of a repeating step that was marked done by mistake (with a reason, kept in the
 * goal's history): that day is no longer kept.
 */
async function reopenDay(
  trx: Kysely<Database>,
  ctx: AppContext,
  actor: Actor,
  goal: Goal,
  step: Step,
  day: string,
  reason: string | null,
): Promise<Step> {
  const row = (await plans.occurrencesOf(trx, step.id)).find((o) => o.dueDate === day && o.doneAt !== null);
  if (step.recurrence === null || !row) {
    throw invalid(
      "occurrence_not_done",
      `Step ${step.id} has no day ${day} marked done. Give "occurrence" only to re-open a done day of a repeating step.`,
      { field: "occurrence" },
    );
  }
  if (!reason) throw reasonRequired("re-opening a step");
  const now = nowIso(ctx);
  await plans.updateOccurrence(trx, row.id, { doneAt: null });
  const change = { field: "occurrence", old: `${day} done`, next: `${day} not done` };
  await recordChanges(
    trx,
    actor,
    { goalId: goal.id, entityId: step.id, entity: "step" },
    [change],
    reason,
    now,
  );
  await emit(
    trx,
    ctx,
    actor,
    "step.changed",
    { type: "step", id: step.id },
    { goalId: goal.id, reason, changes: asPayload([change]) },
  );
  return plans.updateStepRow(trx, step.id, { updatedAt: now });
}

/**
 * Marks one day of a repeating step done: the day given, else the latest one due by today not done
 * yet, else the next one (done early). The step itself stays open: it repeats.
 */
async function completeRepeat(
  trx: Kysely<Database>,
  ctx: AppContext,
  step: Step,
  occurrence: string | undefined,
  at: string,
): Promise<Step> {
  const rule = step.recurrence as string;
  const start = step.dueDate as string;
  const rows = await plans.occurrencesOf(trx, step.id);
  const doneDays = new Set(rows.filter((o) => o.doneAt !== null).map((o) => o.dueDate));
  const now = today(ctx);
  let day = occurrence;
  if (day === undefined) {
    const open = occurrencesThrough(rule, start, addDays(now, 366)).filter((d) => !doneDays.has(d));
    day = open.filter((d) => d <= now).at(-1) ?? open[0];
  } else if (!occurrencesBetween(rule, start, day, day).includes(day)) {
    throw invalid(
      "not_an_occurrence",
      `Step ${step.id} does not fall on ${day} (${describeRecurrence(rule)}, from ${start}). Give one of its days.`,
      { field: "occurrence" },
    );
  }
  if (day === undefined) {
    throw invalid("no_occurrence_left", `Step ${step.id} has no day left to do: its repeats have ended.`);
  }
  const row = rows.find((o) => o.dueDate === day);
  if (row) await plans.updateOccurrence(trx, row.id, { doneAt: at });
  else
    await plans.insertOccurrence(trx, {
      stepId: step.id,
      dueDate: day,
      doneAt: at,
      createdAt: step.createdAt,
    });
  return plans.updateStepRow(trx, step.id, { updatedAt: nowIso(ctx) });
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
    if (input.occurrence !== undefined && step.recurrence === null) {
      throw invalid("not_repeating", `Step ${stepId} does not repeat: leave out "occurrence".`, {
        field: "occurrence",
      });
    }
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
    const updated =
      step.recurrence === null
        ? await changeStep(trx, step, { status: "done", doneAt: at, updatedAt: nowIso(ctx) }, nowIso(ctx))
        : await completeRepeat(trx, ctx, step, input.occurrence, at);
    await emit(
      trx,
      ctx,
      actor,
      "step.done",
      { type: "step", id: stepId },
      { goalId: step.goalId, date: day },
    );
    // A repeating step stays open, so only a one-off step tells its delegator it is done.
    if (step.recurrence === null) await stepDoneNotices(trx, ctx, actor, step, goal.title);
    else await readNoticesAbout(trx, ctx, actor, [{ type: "step", id: stepId }]);
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

/**
 * My week lives in week.ts, which loads no zod schema (the CLI's `week` starts without them); it is
 * re-exported here for the callers that know it as a step use case.
 */
export { type MicroGoalWeek, myWeek, type Week, weekAndGoals } from "./week.js";
