/**
 * In-app notices: what people are told (a goal they follow changed and why, a commitment they
 * witness was kept or missed, a delegation needs them). Channels such as email read from here.
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import { delegationOfStep } from "../../store/repos/delegations.js";
import { userNames } from "../../store/repos/followthrough.js";
import * as notices from "../../store/repos/notifications.js";
import { findGoal, followersOfGoal } from "../../store/repos/plans.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, nowIso } from "../context.js";
import { notFound } from "../errors.js";
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
  await notices.insertNotices(
    db,
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
  );
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
  const rows = await notices.noticesOf(ctx.store.db, actor.userId, {
    unreadOnly: q.unread === true,
    limit: q.limit,
  });
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
  return notices.markNoticesRead(ctx.store.db, actor.userId, nowIso(ctx), upToId);
}

/**
 * The people following a goal who may still read it: someone who lost access (the goal went
 * private, a share was removed) is not told what changed or why.
 */
export async function followersOf(db: Kysely<Database>, goalId: number): Promise<number[]> {
  const readers: number[] = [];
  for (const f of await followersOfGoal(db, goalId)) {
    // teamIds null: the visibility filter looks the follower's teams up in the same query.
    if (await findGoal(db, { ...f, teamIds: null }, goalId)) readers.push(f.userId);
  }
  return readers;
}

// --- Issue 15 (delegation loop and inbox): notices read when acted on; the delegator told. ---

/** Marks one of my notices read (clicking through to it); 404 when I have no such notice. */
export async function markOneRead(ctx: AppContext, actor: Actor, noticeId: number): Promise<void> {
  if (!(await notices.markNoticeRead(ctx.store.db, actor.userId, noticeId, nowIso(ctx))))
    throw notFound("notice", noticeId);
}

/**
 * Marks the actor's unread notices about these subjects read, inside the caller's transaction:
 * answering a delegation, or finishing the step a notice names, reads that notice.
 */
export async function readNoticesAbout(
  db: Kysely<Database>,
  ctx: AppContext,
  actor: Actor,
  subjects: readonly { type: string; id: number }[],
): Promise<void> {
  await notices.markNoticesAboutRead(db, actor.userId, nowIso(ctx), subjects);
}

/**
 * A step was done: the person who delegated it is told (in the inbox, and by email through the
 * notice forwarding), and the actor's notices about the step and its delegation are read. Inside
 * the caller's transaction; nothing when the step was never delegated.
 */
export async function stepDoneNotices(
  db: Kysely<Database>,
  ctx: AppContext,
  actor: Actor,
  step: { id: number; goalId: number; text: string; delegatedBy: number | null },
  goalTitle: string,
): Promise<void> {
  const subjects = [{ type: "step", id: step.id }];
  if (step.delegatedBy !== null) {
    const d = await delegationOfStep(db, step.id);
    if (d) subjects.push({ type: "delegation", id: d.id });
    const name = (await userNames(db, actor.workspaceId, [actor.userId])).get(actor.userId) ?? "Someone";
    await notify(db, ctx, actor, [step.delegatedBy], {
      type: "delegation.done",
      subject: { type: "step", id: step.id },
      message: `${name} finished "${step.text}" on "${goalTitle}", the step you delegated.`,
      payload: { goalId: step.goalId, stepId: step.id, ...(d ? { delegationId: d.id } : {}) },
    });
  }
  await readNoticesAbout(db, ctx, actor, subjects);
}

/**
 * The page a notice names, as a path of the web app: the goal it is about, else My week (where
 * delegations asked of me and questions about mine are answered). Emails link here.
 */
export function noticeLink(n: {
  type: string;
  subjectType: string;
  subjectId: number;
  payloadJson: string;
}): string {
  if (
    n.type === "delegation.asked" ||
    n.type === "delegation.answered" ||
    n.type === "delegation.clarification-asked"
  )
    return "/";
  if (n.subjectType === "goal") return `/goals/${n.subjectId}`;
  let goalId: unknown;
  try {
    goalId = (JSON.parse(n.payloadJson) as Record<string, unknown>).goalId;
  } catch {
    goalId = undefined;
  }
  return typeof goalId === "number" ? `/goals/${goalId}` : "/";
}
