/**
 * In-app notices: what people are told (a goal they follow changed and why, a commitment they
 * witness was kept or missed, a delegation needs them). Channels such as email read from here.
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import { teamIdsOf } from "../../store/repos/people.js";
import { findGoal } from "../../store/repos/plans.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, nowIso } from "../context.js";
import { parse } from "../validation.js";

/** One notice to send to several people. */
export interface Notice {
  type: string;
  subject: { type: string; id: number };
  message: string;
  payload: Record<string, unknown>;
}

/** Writes a notice for each recipient (never the actor themself), inside the caller's transaction. */
export async function notify(
  db: Kysely<Database>,
  ctx: AppContext,
  actor: Actor,
  recipients: number[],
  n: Notice,
): Promise<void> {
  const to = [...new Set(recipients)].filter((id) => id !== actor.userId);
  if (to.length === 0) return;
  const now = nowIso(ctx);
  await db
    .insertInto("notifications")
    .values(
      to.map((userId) => ({
        workspaceId: actor.workspaceId,
        userId,
        type: n.type,
        subjectType: n.subject.type,
        subjectId: n.subject.id,
        message: n.message,
        payloadJson: JSON.stringify(n.payload),
        createdAt: now,
      })),
    )
    .execute();
}

/** Query of "my inbox". */
export const InboxQuery = z.strictObject({
  unread: z
    .union([z.boolean(), z.enum(["true", "false", "1", "0"])])
    .transform((v) => v === true || v === "true" || v === "1")
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** My notices, newest first. */
export async function inbox(ctx: AppContext, actor: Actor, raw: unknown) {
  const q = parse(InboxQuery, raw);
  let query = ctx.store.db.selectFrom("notifications").selectAll().where("userId", "=", actor.userId);
  if (q.unread) query = query.where("readAt", "is", null);
  const rows = await query.orderBy("id", "desc").limit(q.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    message: r.message,
    payload: JSON.parse(r.payloadJson) as Record<string, unknown>,
    createdAt: r.createdAt,
    readAt: r.readAt,
  }));
}

/** Marks my notices read (all, or up to an id). */
export async function markRead(ctx: AppContext, actor: Actor, upToId?: number): Promise<number> {
  let q = ctx.store.db
    .updateTable("notifications")
    .set({ readAt: nowIso(ctx) })
    .where("userId", "=", actor.userId)
    .where("readAt", "is", null);
  if (upToId !== undefined) q = q.where("id", "<=", upToId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * The people following a goal who may still read it: someone who lost access (the goal went
 * private, a share was removed) is not told what changed or why.
 */
export async function followersOf(db: Kysely<Database>, goalId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("goalFollowers")
    .innerJoin("users", "users.id", "goalFollowers.userId")
    .select(["users.id", "users.workspaceId"])
    .where("goalFollowers.goalId", "=", goalId)
    .execute();
  const readers: number[] = [];
  for (const r of rows) {
    const viewer = { userId: r.id, workspaceId: r.workspaceId, teamIds: await teamIdsOf(db, r.id) };
    if (await findGoal(db, viewer, goalId)) readers.push(r.id);
  }
  return readers;
}
