/**
 * Working together: sharing a private goal with an accountability partner or coach, following a
 * goal, and delegating a goal or step with clear expectations that the assignee accepts or asks
 * to clarify.
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import * as people from "../../store/repos/people.js";
import * as plans from "../../store/repos/plans.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, emit, nowIso } from "../context.js";
import { notify } from "../delivery/notices.js";
import { AppError, invalid, notFound } from "../errors.js";
import { getGoalOrThrow, writableGoalOrThrow } from "../plans/goals.js";
import { getStepOrThrow } from "../plans/steps.js";
import { id, isoDay, optionalText, parse, text } from "../validation.js";

/** Body of "share a goal". */
export const ShareInput = z.strictObject({
  userId: id,
  role: z.enum(["partner", "coach"]).default("partner"),
});

/** Body of "delegate a goal or step". */
export const DelegateInput = z.strictObject({
  assigneeId: id,
  what: text(500).optional(),
  why: optionalText(2000),
  dueDate: isoDay.nullish(),
  doneLooksLike: text(2000),
  cadenceDays: z.number().int().min(1).max(90).default(7),
});

/** Body of "ask to clarify". */
export const ClarifyInput = z.strictObject({ question: text(2000) });

/** Body of "answer a clarification". */
export const AnswerInput = z.strictObject({ answer: text(2000) });

/** What a delegation says, as both sides see it. */
export interface Delegation {
  id: number;
  goalId: number;
  stepId: number | null;
  delegatedBy: number;
  assigneeId: number;
  what: string;
  why: string | null;
  dueDate: string | null;
  doneLooksLike: string;
  cadenceDays: number;
  how: string;
  state: "proposed" | "accepted" | "clarification-asked";
  question: string | null;
  answer: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The sentence every delegation carries: the how belongs to the assignee. */
export const HOW_IS_YOURS = "How you do it is up to you.";

/** Shares a goal with a person in the workspace (its owner only). */
export async function shareGoal(ctx: AppContext, actor: Actor, goalId: number, raw: unknown) {
  const input = parse(ShareInput, raw);
  const now = nowIso(ctx);
  return ctx.store.db.transaction().execute(async (trx) => {
    const goal = await writableGoalOrThrow(ctx, actor, goalId, trx);
    if (!(await people.findUser(trx, actor.workspaceId, input.userId))) throw notFound("user", input.userId);
    await trx
      .insertInto("goalShares")
      .values({ goalId, userId: input.userId, role: input.role, createdAt: now })
      .onConflict((oc) => oc.columns(["goalId", "userId"]).doUpdateSet({ role: input.role }))
      .execute();
    await notify(trx, ctx, actor, [input.userId], {
      type: "goal.shared",
      subject: { type: "goal", id: goalId },
      message: `You were invited as ${input.role === "coach" ? "a coach" : "an accountability partner"} on "${goal.title}".`,
      payload: { goalId, role: input.role },
    });
    return { goalId, userId: input.userId, role: input.role };
  });
}

/** Stops sharing a goal with a person (its owner only). */
export async function unshareGoal(ctx: AppContext, actor: Actor, goalId: number, userId: number) {
  await ctx.store.db.transaction().execute(async (trx) => {
    await writableGoalOrThrow(ctx, actor, goalId, trx);
    await trx.deleteFrom("goalShares").where("goalId", "=", goalId).where("userId", "=", userId).execute();
  });
}

/** Who a goal is shared with (anyone who may see the goal may see this). */
export async function sharesOf(ctx: AppContext, actor: Actor, goalId: number) {
  await getGoalOrThrow(ctx, actor, goalId);
  return ctx.store.db
    .selectFrom("goalShares")
    .innerJoin("users", "users.id", "goalShares.userId")
    .select(["users.id as userId", "users.name", "goalShares.role"])
    .where("goalShares.goalId", "=", goalId)
    .orderBy("users.id")
    .execute();
}

/** Follows a goal the actor may see: its changes and reasons reach them. */
export async function follow(ctx: AppContext, actor: Actor, goalId: number) {
  await getGoalOrThrow(ctx, actor, goalId);
  await ctx.store.db
    .insertInto("goalFollowers")
    .values({ goalId, userId: actor.userId, createdAt: nowIso(ctx) })
    .onConflict((oc) => oc.columns(["goalId", "userId"]).doNothing())
    .execute();
  return followers(ctx, actor, goalId);
}

/** Stops following a goal. */
export async function unfollow(ctx: AppContext, actor: Actor, goalId: number) {
  await getGoalOrThrow(ctx, actor, goalId);
  await ctx.store.db
    .deleteFrom("goalFollowers")
    .where("goalId", "=", goalId)
    .where("userId", "=", actor.userId)
    .execute();
  return followers(ctx, actor, goalId);
}

/** The followers of a goal the actor may see. */
export async function followers(ctx: AppContext, actor: Actor, goalId: number) {
  await getGoalOrThrow(ctx, actor, goalId);
  return ctx.store.db
    .selectFrom("goalFollowers")
    .innerJoin("users", "users.id", "goalFollowers.userId")
    .select(["users.id as userId", "users.name"])
    .where("goalFollowers.goalId", "=", goalId)
    .orderBy("users.id")
    .execute();
}

type DelegationRow = Omit<Delegation, "how" | "state"> & { state: string; workspaceId: number };

function toDelegation(r: DelegationRow): Delegation {
  const { workspaceId: _w, ...rest } = r;
  return { ...rest, state: r.state as Delegation["state"], how: HOW_IS_YOURS };
}

async function assigneeOrThrow(ctx: AppContext, actor: Actor, assigneeId: number) {
  const u = await people.findUser(ctx.store.db, actor.workspaceId, assigneeId);
  if (!u)
    throw invalid(
      "person_not_found",
      `No person with id ${assigneeId} in this workspace. Check assigneeId.`,
      { field: "assigneeId" },
    );
  if (assigneeId === actor.userId)
    throw invalid("self_delegation", "You cannot delegate to yourself. Pick someone else.");
  return u;
}

/** What a new delegation is about: a step of a goal, or the whole goal. */
interface DelegationTarget {
  goalId: number;
  stepId: number | null;
  what: string;
  why: string | null;
  dueDate: string | null;
  message: (d: DelegationRow) => string;
}

/**
 * Writes a proposed delegation, lets the assignee see the goal, and tells them, inside the
 * caller's transaction.
 */
async function openDelegation(
  trx: Kysely<Database>,
  ctx: AppContext,
  actor: Actor,
  input: z.output<typeof DelegateInput>,
  target: DelegationTarget,
): Promise<DelegationRow> {
  const now = nowIso(ctx);
  const row = await trx
    .insertInto("delegations")
    .values({
      workspaceId: actor.workspaceId,
      goalId: target.goalId,
      stepId: target.stepId,
      delegatedBy: actor.userId,
      assigneeId: input.assigneeId,
      what: target.what,
      why: target.why,
      dueDate: target.dueDate,
      doneLooksLike: input.doneLooksLike,
      cadenceDays: input.cadenceDays,
      state: "proposed",
      createdAt: now,
      updatedAt: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("goalShares")
    .values({ goalId: target.goalId, userId: input.assigneeId, role: "assignee", createdAt: now })
    .onConflict((oc) => oc.columns(["goalId", "userId"]).doNothing())
    .execute();
  const subject =
    target.stepId === null ? { type: "goal", id: target.goalId } : { type: "step", id: target.stepId };
  await emit(trx, ctx, actor, "delegation.asked", subject, {
    delegationId: row.id,
    assigneeId: input.assigneeId,
  });
  await notify(trx, ctx, actor, [input.assigneeId], {
    type: "delegation.asked",
    subject: { type: "delegation", id: row.id },
    message: target.message(row),
    payload: { delegationId: row.id, goalId: target.goalId, stepId: target.stepId },
  });
  return row;
}

/**
 * Delegates a step: what, by when, why, what done looks like, the check-in cadence, and that the
 * how is up to the assignee. The step becomes theirs once they accept; they can see its goal.
 */
export async function delegateStep(
  ctx: AppContext,
  actor: Actor,
  stepId: number,
  raw: unknown,
): Promise<Delegation> {
  const input = parse(DelegateInput, raw);
  await assigneeOrThrow(ctx, actor, input.assigneeId);
  return ctx.store.db.transaction().execute(async (trx) => {
    const step = await getStepOrThrow(ctx, actor, stepId, trx);
    const goal = await writableGoalOrThrow(ctx, actor, step.goalId, trx);
    const row = await openDelegation(trx, ctx, actor, input, {
      goalId: goal.id,
      stepId,
      what: input.what ?? step.text,
      why: input.why ?? goal.why,
      dueDate: input.dueDate ?? step.dueDate,
      message: (d) =>
        `You were asked to: ${d.what}${d.dueDate ? ` by ${d.dueDate}` : ""}. Done looks like: ${d.doneLooksLike}. ${HOW_IS_YOURS}`,
    });
    await plans.updateStepRow(trx, stepId, {
      ownerId: input.assigneeId,
      delegatedBy: actor.userId,
      delegationState: "proposed",
      doneLooksLike: input.doneLooksLike,
      dueDate: row.dueDate,
      updatedAt: row.createdAt,
    });
    return toDelegation(row);
  });
}

/** Delegates a whole goal: it becomes the assignee's when they accept. */
export async function delegateGoal(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  raw: unknown,
): Promise<Delegation> {
  const input = parse(DelegateInput, raw);
  await assigneeOrThrow(ctx, actor, input.assigneeId);
  return ctx.store.db.transaction().execute(async (trx) => {
    const goal = await writableGoalOrThrow(ctx, actor, goalId, trx);
    const row = await openDelegation(trx, ctx, actor, input, {
      goalId,
      stepId: null,
      what: input.what ?? goal.title,
      why: input.why ?? goal.why,
      dueDate: input.dueDate ?? goal.dueDate,
      message: (d) =>
        `You were asked to take on the goal "${d.what}"${d.dueDate ? ` by ${d.dueDate}` : ""}. Done looks like: ${d.doneLooksLike}. ${HOW_IS_YOURS}`,
    });
    return toDelegation(row);
  });
}

async function delegationOrThrow(
  ctx: AppContext,
  actor: Actor,
  delegationId: number,
): Promise<DelegationRow> {
  const row = await ctx.store.db
    .selectFrom("delegations")
    .selectAll()
    .where("id", "=", delegationId)
    .where("workspaceId", "=", actor.workspaceId)
    .executeTakeFirst();
  if (!row || (row.assigneeId !== actor.userId && row.delegatedBy !== actor.userId))
    throw notFound("delegation", delegationId);
  return row;
}

/** The delegations I gave or received. */
export async function listDelegations(ctx: AppContext, actor: Actor): Promise<Delegation[]> {
  const rows = await ctx.store.db
    .selectFrom("delegations")
    .selectAll()
    .where("workspaceId", "=", actor.workspaceId)
    .where((eb) => eb.or([eb("assigneeId", "=", actor.userId), eb("delegatedBy", "=", actor.userId)]))
    .orderBy("id")
    .execute();
  return rows.map(toDelegation);
}

/** One delegation, for either side. */
export async function getDelegation(
  ctx: AppContext,
  actor: Actor,
  delegationId: number,
): Promise<Delegation> {
  return toDelegation(await delegationOrThrow(ctx, actor, delegationId));
}

/** The assignee accepts: a step becomes theirs for good; a goal changes owner. */
export async function acceptDelegation(
  ctx: AppContext,
  actor: Actor,
  delegationId: number,
): Promise<Delegation> {
  const d = await delegationOrThrow(ctx, actor, delegationId);
  if (d.assigneeId !== actor.userId)
    throw new AppError(403, "not_assignee", "Only the person asked can accept this.");
  const now = nowIso(ctx);
  return ctx.store.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("delegations")
      .set({ state: "accepted", updatedAt: now })
      .where("id", "=", delegationId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (d.stepId !== null) {
      await plans.updateStepRow(trx, d.stepId, { delegationState: "accepted", updatedAt: now });
    } else {
      await trx
        .updateTable("goals")
        .set({ ownerId: actor.userId, updatedAt: now })
        .where("id", "=", d.goalId)
        .execute();
      await trx
        .insertInto("goalShares")
        .values({ goalId: d.goalId, userId: d.delegatedBy, role: "delegator", createdAt: now })
        .onConflict((oc) => oc.columns(["goalId", "userId"]).doUpdateSet({ role: "delegator" }))
        .execute();
      await trx
        .deleteFrom("goalShares")
        .where("goalId", "=", d.goalId)
        .where("userId", "=", actor.userId)
        .execute();
    }
    await emit(
      trx,
      ctx,
      actor,
      "delegation.accepted",
      { type: "delegation", id: delegationId },
      { goalId: d.goalId, stepId: d.stepId },
    );
    await notify(trx, ctx, actor, [d.delegatedBy], {
      type: "delegation.accepted",
      subject: { type: "delegation", id: delegationId },
      message: `Accepted: ${d.what}.`,
      payload: { delegationId, goalId: d.goalId, stepId: d.stepId },
    });
    return toDelegation(row);
  });
}

/** The assignee asks a question; it goes back to the delegator. */
export async function askClarification(
  ctx: AppContext,
  actor: Actor,
  delegationId: number,
  raw: unknown,
): Promise<Delegation> {
  const input = parse(ClarifyInput, raw);
  const d = await delegationOrThrow(ctx, actor, delegationId);
  if (d.assigneeId !== actor.userId)
    throw new AppError(403, "not_assignee", "Only the person asked can ask to clarify.");
  const now = nowIso(ctx);
  return ctx.store.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("delegations")
      .set({ state: "clarification-asked", question: input.question, updatedAt: now })
      .where("id", "=", delegationId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (d.stepId !== null)
      await plans.updateStepRow(trx, d.stepId, { delegationState: "clarification-asked", updatedAt: now });
    await emit(
      trx,
      ctx,
      actor,
      "delegation.clarification-asked",
      { type: "delegation", id: delegationId },
      { question: input.question },
    );
    await notify(trx, ctx, actor, [d.delegatedBy], {
      type: "delegation.clarification-asked",
      subject: { type: "delegation", id: delegationId },
      message: `A question about "${d.what}": ${input.question}`,
      payload: { delegationId, question: input.question },
    });
    return toDelegation(row);
  });
}

/** The delegator answers; the delegation is proposed again. */
export async function answerClarification(
  ctx: AppContext,
  actor: Actor,
  delegationId: number,
  raw: unknown,
): Promise<Delegation> {
  const input = parse(AnswerInput, raw);
  const d = await delegationOrThrow(ctx, actor, delegationId);
  if (d.delegatedBy !== actor.userId)
    throw new AppError(403, "not_delegator", "Only the person who delegated can answer.");
  const now = nowIso(ctx);
  return ctx.store.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("delegations")
      .set({ state: "proposed", answer: input.answer, updatedAt: now })
      .where("id", "=", delegationId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (d.stepId !== null)
      await plans.updateStepRow(trx, d.stepId, { delegationState: "proposed", updatedAt: now });
    await notify(trx, ctx, actor, [d.assigneeId], {
      type: "delegation.answered",
      subject: { type: "delegation", id: delegationId },
      message: `About "${d.what}": ${input.answer}`,
      payload: { delegationId, answer: input.answer },
    });
    return toDelegation(row);
  });
}
