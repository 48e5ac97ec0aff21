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
import { invalid, notFound } from "../errors.js";
import { id, optionalText, parse, text } from "../validation.js";
import { readOfGoal, writableGoalOrThrow } from "./goals.js";

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

/** Body of "change a barrier". */
export const BarrierUpdateInput = z.strictObject({
  obstacle: text(500).optional(),
  planB: text(1000).optional(),
  likelihood: z.enum(LIKELIHOODS).optional(),
  status: z.enum(BARRIER_STATUSES).optional(),
});

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
    if (input.stepId != null) {
      const step = await plans.findStep(trx, input.stepId);
      if (!step || step.goalId !== goalId) {
        throw invalid(
          "step_not_in_goal",
          `Step ${input.stepId} is not part of goal ${goalId}. Check stepId.`,
          { field: "stepId" },
        );
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

/** Changes a barrier (its wording, Plan B, likelihood or status). */
export async function updateBarrier(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  barrierId: number,
  raw: unknown,
): Promise<Barrier> {
  const input = parse(BarrierUpdateInput, raw);
  return ctx.store.db.transaction().execute(async (trx) => {
    await writableGoalOrThrow(ctx, actor, goalId, trx);
    const existing = (await plans.barriersOf(trx, goalId)).find((b) => b.id === barrierId);
    if (!existing) throw notFound("barrier", barrierId);
    const now = nowIso(ctx);
    const patch: Record<string, unknown> = { updatedAt: now };
    for (const [k, v] of Object.entries(input)) if (v !== undefined) patch[k] = v;
    if (input.status === "hit" && existing.status !== "hit") patch.hitAt = now;
    const b = await plans.updateBarrierRow(trx, barrierId, patch);
    await emit(
      trx,
      ctx,
      actor,
      "barrier.changed",
      { type: "barrier", id: b.id },
      { goalId, fields: Object.keys(input) },
    );
    return b;
  });
}
