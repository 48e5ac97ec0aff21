/** Goals and their key results: create, read, list, change with reasons, drop, history. */
import type { Kysely } from "kysely";
import { z } from "zod";
import {
  type Barrier,
  type ChangeEntity,
  type ChangeRecord,
  type Checkin,
  DIRECTIONS,
  GOAL_STATUSES,
  type Goal,
  type KeyResult,
  PRIORITIES,
  type Resource,
  type Step,
  VISIBILITIES,
} from "../../core/types.js";
import { checkinsOf } from "../../store/repos/checkins.js";
import * as people from "../../store/repos/people.js";
import * as plans from "../../store/repos/plans.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, emit, nowIso, today, viewerOf } from "../context.js";
import { followersOf, notify } from "../delivery/notices.js";
import { invalid, notFound, reasonRequired } from "../errors.js";
import { assertCan, type GoalAction, refusalOf } from "../policy.js";
import {
  decodeCursor,
  finite,
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
import { getGoalOrThrow, readerOf } from "./goal-read.js";

export { getGoalOrThrow };

/** Body of "create a goal". */
export const GoalCreateInput = z.strictObject({
  title: text(300),
  why: optionalText(5000),
  values: z.array(text(60)).max(20).default([]),
  teamId: id.nullish(),
  parentId: id.nullish(),
  visibility: z.enum(VISIBILITIES).default("private"),
  status: z.enum(["draft", "active"]).default("active"),
  priority: z.enum(PRIORITIES).default("medium"),
  startDate: isoDay.nullish(),
  dueDate: isoDay.nullish(),
  cadenceDays: z.number().int().min(1).max(365).default(7),
  successLooksLike: optionalText(5000),
});
export type GoalCreateInput = z.input<typeof GoalCreateInput>;

/** Body of "change a goal". A reason is required for due date, priority or dropping. */
export const GoalUpdateInput = z.strictObject({
  title: text(300).optional(),
  why: optionalText(5000).optional(),
  values: z.array(text(60)).max(20).optional(),
  teamId: id.nullable().optional(),
  parentId: id.nullable().optional(),
  visibility: z.enum(VISIBILITIES).optional(),
  status: z.enum(GOAL_STATUSES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  startDate: isoDay.optional(),
  dueDate: isoDay.nullable().optional(),
  cadenceDays: z.number().int().min(1).max(365).optional(),
  successLooksLike: optionalText(5000).optional(),
  /** True archives a finished (done or dropped) goal: it leaves the goals list and still counts; false brings it back. */
  archived: z.boolean().optional(),
  reason: optionalText(2000).optional(),
});
export type GoalUpdateInput = z.input<typeof GoalUpdateInput>;

/** Query of "list goals". */
export const GoalListQuery = z.strictObject({
  status: z.enum(GOAL_STATUSES).optional(),
  owner: queryId,
  team: queryId,
  dueBefore: isoDay.optional(),
  dueAfter: isoDay.optional(),
  /** `status`: each active goal with its progress, pace and stall (src/app/evaluation/goal-list.ts). */
  include: z.enum(["status"]).optional(),
  /** Archived goals: left out by default; `include` lists them too, `only` lists nothing else. */
  archived: z.enum(["exclude", "include", "only"]).optional(),
  ...pageQuery,
});
export type GoalListQuery = z.input<typeof GoalListQuery>;

/** Body of "add a key result". */
export const KeyResultCreateInput = z.strictObject({
  title: text(300),
  unit: optionalText(40),
  startValue: finite,
  targetValue: finite,
  currentValue: finite.optional(),
  direction: z.enum(DIRECTIONS).optional(),
  dueDate: isoDay.nullish(),
});
export type KeyResultCreateInput = z.input<typeof KeyResultCreateInput>;

/** Body of "change a key result". Changing the target needs a reason. */
export const KeyResultUpdateInput = z.strictObject({
  title: text(300).optional(),
  unit: optionalText(40).optional(),
  targetValue: finite.optional(),
  currentValue: finite.optional(),
  dueDate: isoDay.nullable().optional(),
  /** True retires it (it stops counting towards progress), false brings it back; either needs a reason. */
  retired: z.boolean().optional(),
  reason: optionalText(2000).optional(),
});
export type KeyResultUpdateInput = z.input<typeof KeyResultUpdateInput>;

/** A goal with everything its plan holds. */
export interface Plan {
  goal: Goal;
  keyResults: KeyResult[];
  steps: Step[];
  resources: Resource[];
  barriers: Barrier[];
  checkins: Checkin[];
}

/**
 * What `read` returns for a goal the actor may see (its history, resources, shares, ...);
 * goal_not_found otherwise.
 */
export async function readOfGoal<T>(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  read: (db: Kysely<Database>, goalId: number) => Promise<T>,
): Promise<T> {
  await getGoalOrThrow(ctx, actor, goalId);
  return read(ctx.store.db, goalId);
}

/** A goal the actor may see and do `action` to (policy.ts), read inside the caller's transaction. */
export async function goalForOrThrow(
  ctx: AppContext,
  actor: Actor,
  action: GoalAction,
  goalId: number,
  db?: Kysely<Database>,
): Promise<Goal> {
  const goal = await getGoalOrThrow(ctx, actor, goalId, db);
  assertCan(actor, action, goal);
  return goal;
}

/** A goal the actor may change, read inside the caller's transaction. */
export async function writableGoalOrThrow(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  db: Kysely<Database>,
): Promise<Goal> {
  return goalForOrThrow(ctx, actor, "goal.write", goalId, db);
}

/**
 * {@link writableGoalOrThrow} and the ids of the goal's key results, read in one statement (issue
 * 17: a check-in with key-result values, one round trip fewer on PostgreSQL). The same refusals:
 * goal_not_found when the actor may not see it, the policy's answer when they may not change it.
 */
export async function writableGoalWithKeyResultIdsOrThrow(
  actor: Actor,
  goalId: number,
  db: Kysely<Database>,
): Promise<{ goal: Goal; keyResultIds: number[] }> {
  const found = await plans.findGoalWithKeyResultIds(db, readerOf(actor), goalId);
  if (!found) throw notFound("goal", goalId);
  assertCan(actor, "goal.write", found.goal);
  return found;
}

/**
 * A part of a goal's plan (a key result, a step) and its goal, when the actor may see the goal;
 * otherwise the part is not found either (`what` names it in the error).
 */
export async function partOfGoalOrThrow<T extends { goalId: number }>(
  ctx: AppContext,
  actor: Actor,
  what: string,
  id: number,
  find: (db: Kysely<Database>, id: number) => Promise<T | undefined>,
  db?: Kysely<Database>,
): Promise<{ part: T; goal: Goal }> {
  const conn = db ?? ctx.store.db;
  const part = await find(conn, id);
  const goal = part && (await plans.findGoal(conn, readerOf(actor), part.goalId));
  if (!part || !goal) throw notFound(what, id);
  return { part, goal };
}

/** Refuses a due date before the start. */
export function checkDueAfterStart(start: string, due: string | null | undefined): void {
  if (due && due < start) {
    throw invalid(
      "due_before_start",
      `The due date ${due} is before the start ${start}. Pick a later due date.`,
      {
        field: "dueDate",
      },
    );
  }
}

/** Refuses a team the actor may not add goals to, or a parent goal they cannot see (or itself). */
export async function checkLinks(
  db: Kysely<Database>,
  actor: Actor,
  input: { teamId?: number | null | undefined; parentId?: number | null | undefined },
  selfId?: number,
) {
  if (input.teamId != null) {
    const team = { id: input.teamId, workspaceId: actor.workspaceId };
    if (!(await people.teamExists(db, actor.workspaceId, team.id))) throw refusalOf("team.addGoal", team);
    assertCan(await viewerOf(db, actor), "team.addGoal", team);
  }
  if (input.parentId != null) {
    if (input.parentId === selfId)
      throw invalid("invalid_parent", "A goal cannot be its own parent. Pick another parentId.");
    const parent = await plans.findGoal(db, readerOf(actor), input.parentId);
    if (!parent)
      throw invalid("parent_not_found", `No goal with id ${input.parentId} to align to. Check parentId.`, {
        field: "parentId",
      });
  }
}

/**
 * Writes a goal owned by the actor (checked input, starting on `start`) and its `goal.created`
 * event, inside the caller's transaction: the one writer for every way a goal is made.
 */
export async function writeGoal(
  trx: Kysely<Database>,
  ctx: AppContext,
  actor: Actor,
  input: z.output<typeof GoalCreateInput>,
  start: string,
  payload: Record<string, unknown> = {},
): Promise<Goal> {
  const now = nowIso(ctx);
  const goal = await plans.insertGoal(trx, {
    workspaceId: actor.workspaceId,
    title: input.title,
    why: input.why,
    valuesJson: JSON.stringify(input.values),
    ownerId: actor.userId,
    teamId: input.teamId ?? null,
    parentId: input.parentId ?? null,
    visibility: input.visibility,
    status: input.status,
    priority: input.priority,
    startDate: start,
    dueDate: input.dueDate ?? null,
    cadenceDays: input.cadenceDays,
    successLooksLike: input.successLooksLike,
    createdBy: actor.userId,
    createdAt: now,
    updatedAt: now,
  });
  await emit(
    trx,
    ctx,
    actor,
    "goal.created",
    { type: "goal", id: goal.id },
    { title: goal.title, ...payload },
  );
  return goal;
}

/** Creates a goal owned by the actor. */
export async function createGoal(ctx: AppContext, actor: Actor, raw: unknown): Promise<WithWarnings<Goal>> {
  const input = parse(GoalCreateInput, raw);
  const start = input.startDate ?? today(ctx);
  checkDueAfterStart(start, input.dueDate);
  const created = await ctx.store.db.transaction().execute(async (trx) => {
    await checkLinks(trx, actor, input);
    return writeGoal(trx, ctx, actor, input, start);
  });
  const { goalWarnings } = await import("./coach.js");
  return { ...created, warnings: goalWarnings(ctx, created, { keyResults: 0 }) };
}

/** Goals the actor may see, filtered and paginated. */
export async function listGoals(ctx: AppContext, actor: Actor, raw: unknown): Promise<Page<Goal>> {
  const q = parse(GoalListQuery, raw);
  const db = ctx.store.db;
  const rows = await plans.listGoals(db, await viewerOf(db, actor), {
    status: q.status,
    ownerId: q.owner,
    teamId: q.team,
    dueBefore: q.dueBefore,
    dueAfter: q.dueAfter,
    archived: q.archived,
    afterId: decodeCursor(q.cursor),
    limit: q.limit + 1,
  });
  return pageOf(rows, q.limit);
}

/** A goal with its whole plan. */
export async function getPlanOrThrow(ctx: AppContext, actor: Actor, goalId: number): Promise<Plan> {
  const db = ctx.store.db;
  const goal = await getGoalOrThrow(ctx, actor, goalId);
  const [keyResults, steps, resources, barriers, checkins] = await Promise.all([
    plans.keyResultsOf(db, goalId),
    plans.stepsOf(db, goalId),
    plans.resourcesOf(db, goalId),
    plans.barriersOf(db, goalId),
    checkinsOf(db, [goalId]),
  ]);
  return { goal, keyResults, steps, resources, barriers, checkins };
}

const NEEDS_REASON = new Set(["dueDate", "priority"]);
const FIELD_WORDS: Record<string, string> = { dueDate: "the due date", priority: "the priority" };

/** A field's value as the history keeps it: text as is, anything else as JSON; null for nothing. */
export function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** One field a change sets to a new value. */
export interface FieldChange {
  field: string;
  old: unknown;
  next: unknown;
}

/** The fields of a change (its reason aside) whose new value differs from the current one. */
export function changedFields(current: object, input: Record<string, unknown>): FieldChange[] {
  const now: Record<string, unknown> = { ...current };
  return Object.entries(input)
    .filter(
      ([field, next]) =>
        field !== "reason" && next !== undefined && JSON.stringify(now[field]) !== JSON.stringify(next),
    )
    .map(([field, next]) => ({ field, old: now[field], next }));
}

/** The changes as the event log and notices carry them. */
export function asPayload(changes: FieldChange[]) {
  return changes.map((c) => ({ field: c.field, old: c.old, new: c.next }));
}

/** Writes each changed field, with the reason given, to its goal's history. */
export async function recordChanges(
  trx: Kysely<Database>,
  actor: Actor,
  of: { goalId: number; entity: ChangeEntity; entityId: number },
  changes: FieldChange[],
  reason: string | null,
  now: string,
): Promise<void> {
  for (const c of changes) {
    await plans.insertChange(trx, {
      ...of,
      field: c.field,
      oldValue: asText(c.old),
      newValue: asText(c.next),
      reason,
      userId: actor.userId,
      createdAt: now,
    });
  }
}

/**
 * The archive mark a change makes, if any. Only a finished goal (done or dropped) can be archived;
 * re-opening an archived goal takes it out of the archive, so an open goal is never hidden.
 */
function archiveChange(goal: Goal, nextStatus: string, archived: boolean | undefined): FieldChange | null {
  const was = goal.archivedAt != null;
  const finished = nextStatus === "done" || nextStatus === "dropped";
  const wanted = archived ?? (was && !finished ? false : was);
  if (wanted && !finished) {
    throw invalid(
      "goal_not_finished",
      `"${goal.title}" is still ${nextStatus}. Mark it done or drop it first: only a finished goal can be archived.`,
      { field: "archived" },
    );
  }
  return wanted === was ? null : { field: "archived", old: was, next: wanted };
}

/**
 * Changes a goal inside the caller's transaction (checked input): the one writer of goal changes.
 * Moving the due date, changing the priority or dropping the goal needs a reason; every changed
 * field is written to the history with the reason given, and followers are told.
 */
export async function changeGoal(
  trx: Kysely<Database>,
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  input: z.output<typeof GoalUpdateInput>,
): Promise<Goal> {
  const goal = await writableGoalOrThrow(ctx, actor, goalId, trx);
  await checkLinks(trx, actor, input, goalId);
  const reason = input.reason ?? null;
  const { archived, ...fields } = input;
  const changes = changedFields(goal, fields);
  const archiving = archiveChange(goal, input.status ?? goal.status, archived);
  if (archiving) changes.push(archiving);
  for (const c of changes) {
    const dropping = c.field === "status" && c.next === "dropped";
    if ((NEEDS_REASON.has(c.field) || dropping) && !reason)
      throw reasonRequired(dropping ? "dropping the goal" : (FIELD_WORDS[c.field] ?? c.field));
  }
  if (changes.length === 0) return goal;
  const start = input.startDate ?? goal.startDate;
  checkDueAfterStart(start, input.dueDate === undefined ? goal.dueDate : input.dueDate);
  const now = nowIso(ctx);
  const patch: Record<string, unknown> = { updatedAt: now };
  for (const c of changes) {
    if (c.field === "values") patch.valuesJson = JSON.stringify(c.next);
    else if (c.field === "archived") patch.archivedAt = c.next ? now : null;
    else patch[c.field] = c.next;
  }
  await recordChanges(trx, actor, { goalId, entity: "goal", entityId: goalId }, changes, reason, now);
  const updated = await plans.updateGoalRow(trx, goalId, patch);
  const dropped = changes.some((c) => c.field === "status" && c.next === "dropped");
  await emit(
    trx,
    ctx,
    actor,
    dropped ? "goal.dropped" : "goal.changed",
    { type: "goal", id: goalId },
    {
      changes: asPayload(changes),
      reason,
    },
  );
  const what = changes.map((c) =>
    c.field === "archived"
      ? c.next
        ? "archived it"
        : "took it out of the archive"
      : `${FIELD_WORDS[c.field] ?? c.field} from ${asText(c.old) ?? "nothing"} to ${asText(c.next) ?? "nothing"}`,
  );
  await notify(trx, ctx, actor, await followersOf(trx, goalId), {
    type: dropped ? "goal.dropped" : "goal.changed",
    subject: { type: "goal", id: goalId },
    message: `"${updated.title}": ${dropped ? "dropped" : `changed ${what.join(", ")}`}${reason ? ` because ${reason}` : ""}.`,
    payload: { goalId, reason, changes: asPayload(changes) },
  });
  return updated;
}

/**
 * Changes a goal. Moving the due date, changing the priority or dropping the goal needs a reason;
 * every changed field is written to the history with the reason given.
 */
export async function updateGoal(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  raw: unknown,
): Promise<WithWarnings<Goal>> {
  const input = parse(GoalUpdateInput, raw);
  const updated = await ctx.store.db
    .transaction()
    .execute((trx) => changeGoal(trx, ctx, actor, goalId, input));
  return { ...updated, warnings: await planWarnings(ctx, updated) };
}

/** The coach's findings on a goal with everything its plan holds. */
export async function planWarnings(ctx: AppContext, goal: Goal) {
  const db = ctx.store.db;
  const [krs, barriers, steps, history] = await Promise.all([
    plans.keyResultsOf(db, goal.id),
    plans.barriersOf(db, goal.id),
    plans.stepsOf(db, goal.id),
    checkinsOf(db, [goal.id]),
  ]);
  const { achievableFacts, goalWarnings, teamPaces } = await import("./coach.js");
  return goalWarnings(ctx, goal, {
    ...achievableFacts(goal, krs, steps, history),
    teamPaces: await teamPaces(ctx, goal, krs),
    keyResults: krs.length,
    barriersWithPlanB: barriers.filter((b) => b.planB.trim() !== "").length,
    planBs: barriers.map((b) => ({ obstacle: b.obstacle, planB: b.planB })),
    steps: steps.filter((x) => x.status !== "dropped").map((x) => x.text),
  });
}

/** Drops a goal; a reason is required. */
export async function dropGoal(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  reason: string | undefined | null,
): Promise<WithWarnings<Goal>> {
  return updateGoal(ctx, actor, goalId, { status: "dropped", reason: reason ?? null });
}

/** The change history of a goal, oldest first. */
export async function goalHistory(ctx: AppContext, actor: Actor, goalId: number): Promise<ChangeRecord[]> {
  return readOfGoal(ctx, actor, goalId, plans.changesOf);
}

/**
 * A key result's direction: the one given, or the one start and target point to; refuses a target
 * equal to the start or one that moves the other way.
 */
export function keyResultDirection(input: z.output<typeof KeyResultCreateInput>): "increase" | "decrease" {
  const direction = input.direction ?? (input.targetValue < input.startValue ? "decrease" : "increase");
  if (input.targetValue === input.startValue) {
    throw invalid(
      "target_equals_start",
      "The target equals the start value, so there is nothing to measure. Set a different target.",
      { field: "targetValue" },
    );
  }
  if ((direction === "increase") !== input.targetValue > input.startValue) {
    throw invalid(
      "direction_mismatch",
      `The target ${input.targetValue} does not ${direction} from ${input.startValue}. Fix the direction or the values.`,
      { field: "direction" },
    );
  }
  return direction;
}

/**
 * Writes a key result (checked input, goal already checked writable) and its `kr.created` event,
 * inside the caller's transaction: the one writer for every way a key result is added.
 */
export async function writeKeyResult(
  trx: Kysely<Database>,
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  input: z.output<typeof KeyResultCreateInput>,
  direction: "increase" | "decrease",
): Promise<KeyResult> {
  const now = nowIso(ctx);
  const kr = await plans.insertKeyResult(trx, {
    goalId,
    title: input.title,
    unit: input.unit,
    startValue: input.startValue,
    targetValue: input.targetValue,
    currentValue: input.currentValue ?? input.startValue,
    direction,
    dueDate: input.dueDate ?? null,
    createdAt: now,
    updatedAt: now,
  });
  await emit(trx, ctx, actor, "kr.created", { type: "key_result", id: kr.id }, { goalId, title: kr.title });
  return kr;
}

/** Adds a key result to a goal; the direction follows from start and target unless given. */
export async function addKeyResult(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  raw: unknown,
): Promise<KeyResult> {
  const input = parse(KeyResultCreateInput, raw);
  const direction = keyResultDirection(input);
  return ctx.store.db.transaction().execute(async (trx) => {
    await writableGoalOrThrow(ctx, actor, goalId, trx);
    return writeKeyResult(trx, ctx, actor, goalId, input, direction);
  });
}

/** A key result whose goal the actor may see. */
export async function getKeyResultOrThrow(
  ctx: AppContext,
  actor: Actor,
  krId: number,
  db?: Kysely<Database>,
): Promise<KeyResult> {
  return (await partOfGoalOrThrow(ctx, actor, "key result", krId, plans.findKeyResult, db)).part;
}

/** Changes a key result; a new target needs a reason and is written to the goal's history. */
export async function updateKeyResult(
  ctx: AppContext,
  actor: Actor,
  krId: number,
  raw: unknown,
): Promise<KeyResult> {
  const input = parse(KeyResultUpdateInput, raw);
  return ctx.store.db.transaction().execute(async (trx) => {
    const { part: kr, goal } = await partOfGoalOrThrow(
      ctx,
      actor,
      "key result",
      krId,
      plans.findKeyResult,
      trx,
    );
    assertCan(actor, "goal.write", goal);
    const reason = input.reason ?? null;
    const { retired, ...fields } = input;
    const changes = changedFields(kr, fields);
    const wasRetired = kr.retiredAt != null;
    if (retired !== undefined && retired !== wasRetired)
      changes.push({ field: "retired", old: wasRetired, next: retired });
    if (changes.some((c) => c.field === "targetValue") && !reason)
      throw reasonRequired("a key result's target");
    if (changes.some((c) => c.field === "retired") && !reason)
      throw reasonRequired(retired ? "retiring a key result" : "bringing a retired key result back");
    if (changes.length === 0) return kr;
    const target = input.targetValue ?? kr.targetValue;
    if ((kr.direction === "increase") !== target > kr.startValue) {
      throw invalid(
        "direction_mismatch",
        `The target ${target} does not ${kr.direction} from ${kr.startValue}. Pick another target.`,
        { field: "targetValue" },
      );
    }
    const now = nowIso(ctx);
    await recordChanges(
      trx,
      actor,
      { goalId: kr.goalId, entity: "key_result", entityId: kr.id },
      changes,
      reason,
      now,
    );
    const patch: Record<string, unknown> = { updatedAt: now };
    for (const c of changes) {
      if (c.field === "retired") patch.retiredAt = c.next ? now : null;
      else patch[c.field] = c.next;
    }
    const updated = await plans.updateKeyResultRow(trx, kr.id, patch);
    // A retired key result lets go of its steps
    if (changes.some((c) => c.field === "retired" && c.next === true)) {
      await unlinkStepsOf(trx, actor, kr, reason, now);
    }
    await emit(
      trx,
      ctx,
      actor,
      "kr.changed",
      { type: "key_result", id: kr.id },
      {
        goalId: kr.goalId,
        changes: asPayload(changes),
        reason,
      },
    );
    return updated;
  });
}

// A step can belong to a key result

/**
 * Unlinks the steps of a key result being retired: the steps stay in the plan, linked to the goal
 * only, and each step's history says who unlinked it, when, from which key result and why.
 */
async function unlinkStepsOf(
  trx: Kysely<Database>,
  actor: Actor,
  kr: KeyResult,
  reason: string | null,
  now: string,
): Promise<void> {
  for (const step of await plans.stepsOfKeyResult(trx, kr.id)) {
    await plans.updateStepRow(trx, step.id, { keyResultId: null, updatedAt: now });
    await recordChanges(
      trx,
      actor,
      { goalId: kr.goalId, entity: "step", entityId: step.id },
      [{ field: "keyResultId", old: kr.id, next: null }],
      `Key result "${kr.title}" was retired${reason ? `: ${reason}` : ""}`,
      now,
    );
  }
}
