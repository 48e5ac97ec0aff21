/** The people and tools that help a goal, and its anticipated obstacles with Plan B. */
import type { Kysely } from "kysely";
import { z } from "zod";
import {
  BARRIER_STATUSES,
  type Barrier,
  LIKELIHOODS,
  type Likelihood,
  RESOURCE_KINDS,
  type Resource,
} from "../../core/types.js";
import * as plans from "../../store/repos/plans.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, emit, nowIso } from "../context.js";
import { followersOf, notify } from "../delivery/notices.js";
import { invalid, notFound, reasonRequired } from "../errors.js";
import { assertCan } from "../policy.js";
import { id, optionalText, parse, text } from "../validation.js";
import {
  asPayload,
  changedFields,
  partOfGoalOrThrow,
  readOfGoal,
  recordChanges,
  writableGoalOrThrow,
} from "./goals.js";

/** Body of "add a resource". */
export const ResourceCreateInput = z.strictObject({
  kind: z.enum(RESOURCE_KINDS),
  name: text(200),
  ask: optionalText(1000),
  stepId: id.nullish(),
});
export type ResourceCreateInput = z.input<typeof ResourceCreateInput>;

/** Body of "add a barrier". */
export const BarrierCreateInput = z.strictObject({
  obstacle: text(500),
  planB: text(1000),
  likelihood: z.enum(LIKELIHOODS).default("medium"),
});
export type BarrierCreateInput = z.input<typeof BarrierCreateInput>;

/** Body of "change a barrier"; the reason, if given, is kept in the goal's history. */
export const BarrierUpdateInput = z.strictObject({
  obstacle: text(500).optional(),
  planB: text(1000).optional(),
  likelihood: z.enum(LIKELIHOODS).optional(),
  status: z.enum(BARRIER_STATUSES).optional(),
  reason: optionalText(2000).optional(),
});
export type BarrierUpdateInput = z.input<typeof BarrierUpdateInput>;

/** Body of "change a resource"; the reason, if given, is kept in the goal's history. */
export const ResourceUpdateInput = z.strictObject({
  kind: z.enum(RESOURCE_KINDS).optional(),
  name: text(200).optional(),
  ask: optionalText(1000).optional(),
  reason: optionalText(2000).optional(),
});
export type ResourceUpdateInput = z.input<typeof ResourceUpdateInput>;

/** Body of "remove a resource" and "remove a barrier": the reason is required. */
export const RemoveInput = z.strictObject({ reason: optionalText(2000).optional() });
export type RemoveInput = z.input<typeof RemoveInput>;

/** A resource or barrier as it was when removed from the plan, with when. */
export type Removed<T> = T & { removedAt: string };

/**
 * Writes a resource and its `resource.created` event inside the caller's transaction (goal already
 * checked writable): the one writer for every way a resource is added. A step it helps with must be
 * the goal's own.
 */
export async function writeResource(
  trx: Kysely<Database>,
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  input: z.output<typeof ResourceCreateInput>,
): Promise<Resource> {
  if (input.stepId != null) {
    const step = await plans.findStep(trx, input.stepId);
    if (!step || step.goalId !== goalId) {
      throw invalid("step_not_in_goal", `Step ${input.stepId} is not part of goal ${goalId}. Check stepId.`, {
        field: "stepId",
      });
    }
  }
  const r = await plans.insertResource(trx, {
    goalId,
    stepId: input.stepId ?? null,
    kind: input.kind,
    name: input.name,
    ask: input.ask,
    userId: null,
    createdAt: nowIso(ctx),
  });
  await emit(trx, ctx, actor, "resource.created", { type: "resource", id: r.id }, { goalId, name: r.name });
  return r;
}

/** Adds a resource (a person to ask, a tool, a system, a playbook) to a goal. */
export async function addResource(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  raw: unknown,
): Promise<Resource> {
  const input = parse(ResourceCreateInput, raw);
  return ctx.store.db.transaction().execute(async (trx) => {
    await writableGoalOrThrow(ctx, actor, goalId, trx);
    return writeResource(trx, ctx, actor, goalId, input);
  });
}

/** Resources of a goal the actor may see. */
export async function listResources(ctx: AppContext, actor: Actor, goalId: number): Promise<Resource[]> {
  return readOfGoal(ctx, actor, goalId, plans.resourcesOf);
}

/**
 * Writes an anticipated obstacle and its `barrier.created` event inside the caller's transaction
 * (goal already checked writable): the one writer for every way a barrier is added.
 */
export async function writeBarrier(
  trx: Kysely<Database>,
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  input: { obstacle: string; planB: string; likelihood: Likelihood },
): Promise<Barrier> {
  const now = nowIso(ctx);
  const b = await plans.insertBarrier(trx, {
    goalId,
    obstacle: input.obstacle,
    planB: input.planB,
    likelihood: input.likelihood,
    status: "anticipated",
    hitAt: null,
    createdAt: now,
    updatedAt: now,
  });
  await emit(
    trx,
    ctx,
    actor,
    "barrier.created",
    { type: "barrier", id: b.id },
    { goalId, obstacle: b.obstacle },
  );
  return b;
}

/** Adds an anticipated obstacle with its Plan B. */
export async function addBarrier(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  raw: unknown,
): Promise<Barrier> {
  const input = parse(BarrierCreateInput, raw);
  return ctx.store.db.transaction().execute(async (trx) => {
    await writableGoalOrThrow(ctx, actor, goalId, trx);
    return writeBarrier(trx, ctx, actor, goalId, input);
  });
}

/** Barriers of a goal the actor may see. */
export async function listBarriers(ctx: AppContext, actor: Actor, goalId: number): Promise<Barrier[]> {
  return readOfGoal(ctx, actor, goalId, plans.barriersOf);
}

/** A part of a plan that can be changed and removed: its goal, and how its row is written. */
interface PartKind<T extends { id: number; goalId: number }> {
  entity: "resource" | "barrier";
  find: (db: Kysely<Database>, id: number) => Promise<T | undefined>;
  write: (db: Kysely<Database>, id: number, patch: Record<string, unknown>) => Promise<T>;
  /** What the history and the followers' notice call it. */
  describe: (part: T) => string;
}

const RESOURCE: PartKind<Resource> = {
  entity: "resource",
  find: plans.findResource,
  write: plans.updateResourceRow,
  describe: (r) => r.name,
};

const BARRIER: PartKind<Barrier> = {
  entity: "barrier",
  find: plans.findBarrier,
  write: plans.updateBarrierRow,
  describe: (b) => b.obstacle,
};

/**
 * Changes a resource or barrier the actor may change (policy "goal.write" on its goal), in one
 * transaction: every changed field goes to the goal's history with the reason given. `inGoal`,
 * when the caller named the goal, must be the part's own.
 */
async function changePart<T extends { id: number; goalId: number }>(
  ctx: AppContext,
  actor: Actor,
  kind: PartKind<T>,
  partId: number,
  input: Record<string, unknown> & { reason?: string | null | undefined },
  inGoal: number | undefined,
  extra: (part: T, now: string) => Record<string, unknown> = () => ({}),
): Promise<T> {
  return ctx.store.db.transaction().execute(async (trx) => {
    const { part, goal } = await partOfGoalOrThrow(ctx, actor, kind.entity, partId, kind.find, trx);
    if (inGoal !== undefined && part.goalId !== inGoal) throw notFound(kind.entity, partId);
    assertCan(actor, "goal.write", goal);
    const changes = changedFields(part, input);
    if (changes.length === 0) return part;
    const now = nowIso(ctx);
    const patch: Record<string, unknown> = { ...extra(part, now) };
    for (const c of changes) patch[c.field] = c.next;
    if ("updatedAt" in part) patch.updatedAt = now;
    const reason = input.reason ?? null;
    const of = { goalId: part.goalId, entity: kind.entity, entityId: part.id };
    await recordChanges(trx, actor, of, changes, reason, now);
    const updated = await kind.write(trx, part.id, patch);
    await emit(
      trx,
      ctx,
      actor,
      `${kind.entity}.changed`,
      { type: kind.entity, id: part.id },
      { goalId: part.goalId, fields: changes.map((c) => c.field), changes: asPayload(changes), reason },
    );
    return updated;
  });
}

/**
 * Removes a resource or barrier from its plan, with a reason (required). The row stays, marked
 * removed, so check-ins that hit a barrier keep pointing at it; the removal (who, when, what, why)
 * goes to the goal's history, and the goal's followers are told.
 */
async function removePart<T extends { id: number; goalId: number }>(
  ctx: AppContext,
  actor: Actor,
  kind: PartKind<T>,
  partId: number,
  raw: unknown,
): Promise<Removed<T>> {
  const { reason } = parse(RemoveInput, raw ?? {});
  return ctx.store.db.transaction().execute(async (trx) => {
    const { part, goal } = await partOfGoalOrThrow(ctx, actor, kind.entity, partId, kind.find, trx);
    assertCan(actor, "goal.write", goal);
    if (!reason) throw reasonRequired(`removing a ${kind.entity}`);
    const now = nowIso(ctx);
    const what = kind.describe(part);
    const changes = [{ field: "removed", old: what, next: null }];
    await recordChanges(
      trx,
      actor,
      { goalId: goal.id, entity: kind.entity, entityId: part.id },
      changes,
      reason,
      now,
    );
    await kind.write(trx, part.id, { removedAt: now });
    await emit(
      trx,
      ctx,
      actor,
      `${kind.entity}.removed`,
      { type: kind.entity, id: part.id },
      { goalId: goal.id, what, reason },
    );
    await notify(trx, ctx, actor, await followersOf(trx, goal.id), {
      type: "goal.changed",
      subject: { type: "goal", id: goal.id },
      message: `"${goal.title}": removed the ${kind.entity} "${what}" because ${reason}.`,
      payload: { goalId: goal.id, reason, changes: asPayload(changes) },
    });
    return { ...part, removedAt: now };
  });
}

/**
 * Changes a barrier (its wording, Plan B, likelihood or status). `inGoal`, when the caller named
 * the goal (`PATCH /api/goals/{id}/barriers/{childId}`), must be the barrier's own.
 */
export async function updateBarrier(
  ctx: AppContext,
  actor: Actor,
  barrierId: number,
  raw: unknown,
  inGoal?: number,
): Promise<Barrier> {
  const input = parse(BarrierUpdateInput, raw);
  const hitNow = (b: Barrier, now: string) =>
    input.status === "hit" && b.status !== "hit" ? { hitAt: now } : {};
  return changePart(ctx, actor, BARRIER, barrierId, input, inGoal, hitNow);
}

/** Removes a barrier from its plan, with a reason; check-ins that hit it keep it. */
export async function removeBarrier(
  ctx: AppContext,
  actor: Actor,
  barrierId: number,
  raw: unknown,
): Promise<Removed<Barrier>> {
  return removePart(ctx, actor, BARRIER, barrierId, raw);
}

/** Changes a resource (its kind, name or what to ask of it). */
export async function updateResource(
  ctx: AppContext,
  actor: Actor,
  resourceId: number,
  raw: unknown,
): Promise<Resource> {
  return changePart(ctx, actor, RESOURCE, resourceId, parse(ResourceUpdateInput, raw), undefined);
}

/** Removes a resource from its plan, with a reason. */
export async function removeResource(
  ctx: AppContext,
  actor: Actor,
  resourceId: number,
  raw: unknown,
): Promise<Removed<Resource>> {
  return removePart(ctx, actor, RESOURCE, resourceId, raw);
}
