/** Commitments: a step or goal promised by a date, in front of witnesses; kept or missed. */
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Commitment } from "../../core/types.js";
import * as store from "../../store/repos/commitments.js";
import { userNames } from "../../store/repos/followthrough.js";
import * as people from "../../store/repos/people.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, actorFacts, emit, nowIso, viewerOf } from "../context.js";
import { notify } from "../delivery/notices.js";
import { invalid, notFound } from "../errors.js";
import { goalForOrThrow } from "../plans/goals.js";
import { stepWithGoalOrThrow } from "../plans/steps.js";
import { assertCan } from "../policy.js";
import {
  decodeCursor,
  id,
  isoDay,
  type Page,
  pageOf,
  pageQuery,
  parse,
  queryId,
  text,
} from "../validation.js";

/** Body of "make a commitment". Names a step or a goal, or just says what. */
export const CommitmentCreateInput = z
  .strictObject({
    stepId: id.nullish(),
    goalId: id.nullish(),
    text: text(500).optional(),
    dueDate: isoDay,
    witnessTeamId: id.nullish(),
    witnessUserIds: z.array(id).max(50).default([]),
  })
  .refine((v) => v.stepId != null || v.goalId != null || v.text !== undefined, {
    message: "name a stepId, a goalId or the text of what you commit to.",
    path: ["text"],
  });
export type CommitmentCreateInput = z.input<typeof CommitmentCreateInput>;

/** Body of "resolve a commitment". */
export const CommitmentResolveInput = z.strictObject({ status: z.enum(["kept", "missed", "open"]) });

/** Query of "list commitments". */
export const CommitmentListQuery = z.strictObject({
  user: queryId,
  status: z.enum(["open", "kept", "missed"]).optional(),
  ...pageQuery,
});

/** Makes a commitment. */
export async function createCommitment(ctx: AppContext, actor: Actor, raw: unknown): Promise<Commitment> {
  const input = parse(CommitmentCreateInput, raw);
  let what = input.text;
  let goalId = input.goalId ?? null;
  if (input.stepId != null) {
    const { step, goal } = await stepWithGoalOrThrow(ctx, actor, input.stepId);
    assertCan(actor, "goal.commit", goal);
    what ??= step.text;
    goalId ??= step.goalId;
  }
  if (input.goalId != null) {
    const goal = await goalForOrThrow(ctx, actor, "goal.commit", input.goalId);
    what ??= goal.title;
  }
  if (input.witnessTeamId != null) {
    // Being in the team is asked of the actor's memberships, so a team that does not exist answers the same.
    assertCan(await actorFacts(ctx.store.db, actor), "commitment.witnessTeam", {
      id: input.witnessTeamId,
      workspaceId: actor.workspaceId,
    });
  }
  for (const w of input.witnessUserIds) {
    if (!(await people.findUser(ctx.store.db, actor.workspaceId, w))) {
      throw invalid("person_not_found", `No person with id ${w} in this workspace. Check witnessUserIds.`, {
        field: "witnessUserIds",
      });
    }
  }
  return ctx.store.db.transaction().execute(async (trx) => {
    const c = await store.insertCommitment(trx, {
      workspaceId: actor.workspaceId,
      userId: actor.userId,
      stepId: input.stepId ?? null,
      goalId,
      text: what as string,
      dueDate: input.dueDate,
      witnessTeamId: input.witnessTeamId ?? null,
      witnessUserIds: [...new Set(input.witnessUserIds)],
      createdAt: nowIso(ctx),
    });
    await emit(
      trx,
      ctx,
      actor,
      "commitment.created",
      { type: "commitment", id: c.id },
      { text: c.text, dueDate: c.dueDate },
    );
    // Each witness is told they were named: the named people and the witnessing team's members.
    const team = c.witnessTeamId === null ? [] : await people.memberIdsOf(trx, c.witnessTeamId);
    const witnesses = [...c.witnessUserIds, ...team];
    if (witnesses.length > 0) {
      const name = (await userNames(trx, actor.workspaceId, [actor.userId])).get(actor.userId) ?? "Someone";
      await notify(trx, ctx, actor, witnesses, {
        type: "commitment.witness",
        subject: { type: "commitment", id: c.id },
        message: `${name} committed to "${c.text}" by ${c.dueDate}, with you as a witness.`,
        payload: { commitmentId: c.id, ...(c.goalId !== null ? { goalId: c.goalId } : {}) },
      });
    }
    return c;
  });
}

/** Commitments in the workspace the actor may see (policy "commitment.see", applied by the query). */
export async function listCommitments(
  ctx: AppContext,
  actor: Actor,
  raw: unknown,
): Promise<Page<Commitment>> {
  const q = parse(CommitmentListQuery, raw);
  const viewer = await viewerOf(ctx.store.db, actor);
  const rows = await store.listCommitments(ctx.store.db, actor.workspaceId, {
    viewer: { userId: viewer.userId, teamIds: viewer.teamIds },
    userId: q.user,
    status: q.status,
    afterId: decodeCursor(q.cursor),
    limit: q.limit + 1,
  });
  return pageOf(rows, q.limit);
}

/** Marks one's own commitment kept or missed (or reopens it). */
export async function resolveCommitment(
  ctx: AppContext,
  actor: Actor,
  commitmentId: number,
  raw: unknown,
): Promise<Commitment> {
  const input = parse(CommitmentResolveInput, raw);
  return ctx.store.db.transaction().execute(async (trx) => {
    const c = await store.findCommitment(trx, actor.workspaceId, commitmentId);
    if (!c) throw notFound("commitment", commitmentId);
    assertCan(actor, "commitment.resolve", c);
    const at = input.status === "open" ? null : nowIso(ctx);
    await store.resolveCommitment(trx, commitmentId, input.status, at);
    if (input.status !== "open") {
      await emit(
        trx,
        ctx,
        actor,
        `commitment.${input.status}`,
        { type: "commitment", id: commitmentId },
        { text: c.text },
      );
      await notify(trx, ctx, actor, await witnessesOf(trx, c), {
        type: `commitment.${input.status}`,
        subject: { type: "commitment", id: commitmentId },
        message: `A commitment you witness was ${input.status}: "${c.text}" (due ${c.dueDate}).`,
        payload: { commitmentId, status: input.status, userId: c.userId },
      });
    }
    return { ...c, status: input.status, resolvedAt: at };
  });
}

/** Everyone who witnesses a commitment: named people and the members of the witness team. */
export async function witnessesOf(db: Kysely<Database>, c: Commitment): Promise<number[]> {
  const team = c.witnessTeamId === null ? [] : await people.memberIdsOf(db, c.witnessTeamId);
  return [...new Set([...c.witnessUserIds, ...team])];
}
