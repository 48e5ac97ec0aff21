/**
 * Working together: sharing a private goal with an accountability partner or coach, following a
 * goal, and delegating a goal or step with clear expectations that the assignee accepts or asks
 * to clarify.
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import * as delegations from "../../store/repos/delegations.js";
import { userNames } from "../../store/repos/followthrough.js";
import * as people from "../../store/repos/people.js";
import * as plans from "../../store/repos/plans.js";
import * as sharing from "../../store/repos/sharing.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, actorFacts, emit, nowIso } from "../context.js";
import { type Notice, notify, readNoticesAbout } from "../delivery/notices.js";
import { invalid, notFound } from "../errors.js";
import { goalForOrThrow, readOfGoal } from "../plans/goals.js";
import { changeStep } from "../plans/promises.js";
import { stepWithGoalOrThrow } from "../plans/steps.js";
import { assertCan, can } from "../policy.js";
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
export type DelegateInput = z.input<typeof DelegateInput>;

/** Body of "ask to clarify". */
export const ClarifyInput = z.strictObject({ question: text(2000) });

/** Body of "answer a clarification". */
export const AnswerInput = z.strictObject({ answer: text(2000) });

/** What a delegation says, as both sides see it: the stored row, and that the how is the assignee's. */
export type Delegation = Omit<delegations.DelegationRow, "workspaceId" | "state"> & {
  state: "proposed" | "accepted" | "clarification-asked";
  how: string;
  /** The delegated step is done (for a whole goal: the goal is done). */
  done: boolean;
  /** Still to do: not done, and its step or goal not dropped. */
  open: boolean;
  /** When the step was done, if it is. */
  doneAt: string | null;
};

/** The sentence every delegation carries: the how belongs to the assignee. */
export const HOW_IS_YOURS = "How you do it is up to you.";

/** Shares a goal with a person in the workspace (its owner only). */
export async function shareGoal(ctx: AppContext, actor: Actor, goalId: number, raw: unknown) {
  const input = parse(ShareInput, raw);
  const now = nowIso(ctx);
  return ctx.store.db.transaction().execute(async (trx) => {
    const goal = await goalForOrThrow(ctx, actor, "goal.share", goalId, trx);
    if (!(await people.findUser(trx, actor.workspaceId, input.userId))) throw notFound("user", input.userId);
    await sharing.shareGoalWith(
      trx,
      { goalId, userId: input.userId, role: input.role, createdAt: now },
      "replace-role",
    );
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
    await goalForOrThrow(ctx, actor, "goal.share", goalId, trx);
    await sharing.unshareGoalWith(trx, goalId, userId);
  });
}

/** Who a goal is shared with (anyone who may see the goal may see this). */
export async function sharesOf(ctx: AppContext, actor: Actor, goalId: number) {
  return readOfGoal(ctx, actor, goalId, sharing.sharesOf);
}

/** Follows a goal the actor may see: its changes and reasons reach them. */
export async function follow(ctx: AppContext, actor: Actor, goalId: number) {
  await goalForOrThrow(ctx, actor, "goal.follow", goalId);
  await sharing.addFollower(ctx.store.db, goalId, actor.userId, nowIso(ctx));
  return followers(ctx, actor, goalId);
}

/** Stops following a goal. */
export async function unfollow(ctx: AppContext, actor: Actor, goalId: number) {
  await goalForOrThrow(ctx, actor, "goal.follow", goalId);
  await sharing.removeFollower(ctx.store.db, goalId, actor.userId);
  return followers(ctx, actor, goalId);
}

/** The followers of a goal the actor may see. */
export async function followers(ctx: AppContext, actor: Actor, goalId: number) {
  return readOfGoal(ctx, actor, goalId, sharing.followerNamesOf);
}

/** A stored delegation as the API answers it (with `p`, how its step or goal stands now). */
export function toDelegation(
  r: delegations.DelegationRow,
  p?: delegations.DelegationWithProgress,
): Delegation {
  const { workspaceId: _w, ...rest } = r;
  const status = p === undefined ? null : r.stepId !== null ? p.stepStatus : p.goalStatus;
  const done = status === "done";
  return {
    ...rest,
    state: r.state as Delegation["state"],
    how: HOW_IS_YOURS,
    done,
    open: !done && status !== "dropped" && status !== "archived",
    doneAt: done && p ? p.stepDoneAt : null,
  };
}

/** A delegation as the API shows it, with how its step or goal stands now. */
export function delegationView(p: delegations.DelegationWithProgress): Delegation {
  const { stepStatus: _s, stepDoneAt: _d, goalStatus: _g, goalTitle: _t, ...row } = p;
  return toDelegation(row, p);
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
  message: (d: delegations.DelegationRow) => string;
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
): Promise<delegations.DelegationRow> {
  const now = nowIso(ctx);
  const row = await delegations.insertDelegation(trx, {
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
  });
  await sharing.shareGoalWith(
    trx,
    { goalId: target.goalId, userId: input.assigneeId, role: "assignee", createdAt: now },
    "keep-role",
  );
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
    const { step, goal } = await stepWithGoalOrThrow(ctx, actor, stepId, trx);
    assertCan(actor, "goal.delegate", goal);
    const row = await openDelegation(trx, ctx, actor, input, {
      goalId: goal.id,
      stepId,
      what: input.what ?? step.text,
      why: input.why ?? goal.why,
      dueDate: input.dueDate ?? step.dueDate,
      message: (d) =>
        `You were asked to: ${d.what}${d.dueDate ? ` by ${d.dueDate}` : ""}. Done looks like: ${d.doneLooksLike}. ${HOW_IS_YOURS}`,
    });
    await changeStep(
      trx,
      step,
      {
        ownerId: input.assigneeId,
        delegatedBy: actor.userId,
        delegationState: "proposed",
        doneLooksLike: input.doneLooksLike,
        dueDate: row.dueDate,
        updatedAt: row.createdAt,
      },
      row.createdAt,
    );
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
    const goal = await goalForOrThrow(ctx, actor, "goal.delegate", goalId, trx);
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
): Promise<delegations.DelegationRow> {
  const row = await delegations.delegationById(ctx.store.db, actor.workspaceId, delegationId);
  if (!row) throw notFound("delegation", delegationId);
  assertCan(actor, "delegation.see", row);
  return row;
}

/** The delegations I gave or received (policy "delegation.see", applied by the query). */
export async function listDelegations(ctx: AppContext, actor: Actor): Promise<Delegation[]> {
  const rows = await delegations.delegationsWithProgressOf(ctx.store.db, actor.workspaceId, actor.userId);
  return rows.map(delegationView);
}

/** One delegation, for either side. */
export async function getDelegation(
  ctx: AppContext,
  actor: Actor,
  delegationId: number,
): Promise<Delegation> {
  await delegationOrThrow(ctx, actor, delegationId);
  const p = await delegations.delegationWithProgressById(ctx.store.db, actor.workspaceId, delegationId);
  return delegationView(p as delegations.DelegationWithProgress);
}

/** One turn in a delegation's conversation, taken by one side and told to the other. */
interface Turn {
  state: Delegation["state"];
  /** The question or answer it carries. */
  text?: { question: string } | { answer: string };
  /** Its type in the other side's inbox, and in the event log when `logged`. */
  type: string;
  logged: boolean;
  message: string;
  details: Record<string, unknown>;
  /** Writes for a delegated goal (a step's delegation state follows the delegation's). */
  onGoal?: (trx: Kysely<Database>, now: string) => Promise<void>;
}

/** Takes a turn the actor may take (`action`), in one transaction. */
async function takeTurn(
  ctx: AppContext,
  actor: Actor,
  delegationId: number,
  action: "delegation.accept" | "delegation.clarify" | "delegation.answer",
  turnOf: (d: delegations.DelegationRow, name: string) => Turn,
): Promise<Delegation> {
  const d = await delegationOrThrow(ctx, actor, delegationId);
  assertCan(actor, action, d);
  // The other side reads who took the turn.
  const name =
    (await userNames(ctx.store.db, actor.workspaceId, [actor.userId])).get(actor.userId) ?? "Someone";
  const turn = turnOf(d, name);
  const now = nowIso(ctx);
  const subject = { type: "delegation", id: delegationId };
  return ctx.store.db.transaction().execute(async (trx) => {
    const row = await delegations.updateDelegation(trx, delegationId, {
      state: turn.state,
      ...turn.text,
      updatedAt: now,
    });
    if (d.stepId !== null) {
      await plans.updateStepRow(trx, d.stepId, { delegationState: turn.state, updatedAt: now });
    } else {
      await turn.onGoal?.(trx, now);
    }
    if (turn.logged) await emit(trx, ctx, actor, turn.type, subject, turn.details);
    const otherSide = actor.userId === d.assigneeId ? d.delegatedBy : d.assigneeId;
    const notice: Notice = {
      type: turn.type,
      subject,
      message: turn.message,
      payload: { delegationId, ...turn.details },
    };
    await notify(trx, ctx, actor, [otherSide], notice);
    // Taking a turn acts on the notices about this delegation: they are read.
    await readNoticesAbout(trx, ctx, actor, [subject]);
    const p = await delegations.delegationWithProgressById(trx, actor.workspaceId, delegationId);
    return p ? delegationView(p) : toDelegation(row);
  });
}

/** The assignee accepts: a step becomes theirs for good; a goal changes owner. */
export async function acceptDelegation(
  ctx: AppContext,
  actor: Actor,
  delegationId: number,
): Promise<Delegation> {
  return takeTurn(ctx, actor, delegationId, "delegation.accept", (d, name) => ({
    state: "accepted",
    type: "delegation.accepted",
    logged: true,
    message: `${name} accepted "${d.what}".`,
    details: { goalId: d.goalId, stepId: d.stepId },
    async onGoal(trx, now) {
      await plans.updateGoalRow(trx, d.goalId, { ownerId: actor.userId, updatedAt: now });
      const delegator = { goalId: d.goalId, userId: d.delegatedBy, role: "delegator", createdAt: now };
      await sharing.shareGoalWith(trx, delegator, "replace-role");
      await sharing.unshareGoalWith(trx, d.goalId, actor.userId);
    },
  }));
}

/** The assignee asks a question; it goes back to the delegator. */
export async function askClarification(
  ctx: AppContext,
  actor: Actor,
  delegationId: number,
  raw: unknown,
): Promise<Delegation> {
  const { question } = parse(ClarifyInput, raw);
  return takeTurn(ctx, actor, delegationId, "delegation.clarify", (d, name) => ({
    state: "clarification-asked",
    text: { question },
    type: "delegation.clarification-asked",
    logged: true,
    message: `${name} asks about "${d.what}": ${question}`,
    details: { question },
  }));
}

/** The delegator answers; the delegation is proposed again. */
export async function answerClarification(
  ctx: AppContext,
  actor: Actor,
  delegationId: number,
  raw: unknown,
): Promise<Delegation> {
  const { answer } = parse(AnswerInput, raw);
  return takeTurn(ctx, actor, delegationId, "delegation.answer", (d, name) => ({
    state: "proposed",
    text: { answer },
    type: "delegation.answered",
    logged: false,
    message: `${name} answered about "${d.what}": ${answer}`,
    details: { answer },
  }));
}

// --- Issue 15 (delegation loop): the team page's open delegations per person. ---

/** An open delegation as the team page lists it. */
export type TeamDelegation = Delegation & { goalTitle: string; assigneeName: string; delegatorName: string };

/**
 * The open delegations of a team's members (what was asked of each, not done yet), for whoever may
 * see the team's overview (policy "team.overview"); only delegations on goals the reader may see
 * (the query's `visibleGoals`), so a private goal's delegation never shows.
 */
export async function teamDelegations(
  ctx: AppContext,
  actor: Actor,
  teamId: number,
): Promise<{ items: TeamDelegation[] }> {
  const db = ctx.store.db;
  const [team, facts, members] = await Promise.all([
    people.teamIn(db, actor.workspaceId, teamId),
    actorFacts(db, actor),
    people.membersOf(db, [teamId]),
  ]);
  if (!team || !can(facts, "team.overview", { id: teamId, workspaceId: actor.workspaceId }))
    throw notFound("team", teamId);
  const viewer = { userId: actor.userId, workspaceId: actor.workspaceId, teamIds: null };
  const rows = await delegations.delegationsToPeopleIn(
    db,
    viewer,
    members.map((m) => m.id),
  );
  const open = rows
    .map((r) => ({ view: delegationView(r), goalTitle: r.goalTitle }))
    .filter((r) => r.view.open);
  const names = await userNames(
    db,
    actor.workspaceId,
    open.flatMap((r) => [r.view.assigneeId, r.view.delegatedBy]),
  );
  return {
    items: open.map(({ view, goalTitle }) => ({
      ...view,
      goalTitle,
      assigneeName: names.get(view.assigneeId) ?? "Someone",
      delegatorName: names.get(view.delegatedBy) ?? "Someone",
    })),
  };
}
