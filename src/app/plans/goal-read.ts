/**
 * Reading one goal the actor may see, apart from goals.ts: a command that only reads a goal (the
 * CLI's `status`) loads this and the goal repository, not goals.ts with the validation library and
 * every goal input schema (issue 17, cli26). goals.ts re-exports it.
 */
import type { Kysely } from "kysely";
import type { Goal } from "../../core/types.js";
import * as plans from "../../store/repos/plans.js";
import type { Database } from "../../store/schema.js";
import type { Actor, AppContext } from "../context.js";
import { notFound } from "../errors.js";

/** The actor as a reader whose teams the goal query looks up itself (one round trip fewer). */
export function readerOf(actor: Actor) {
  return { userId: actor.userId, workspaceId: actor.workspaceId, teamIds: null };
}

/** A goal the actor may see (policy "goal.read", applied by the query), or goal_not_found. */
export async function getGoalOrThrow(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  db?: Kysely<Database>,
): Promise<Goal> {
  const goal = await plans.findGoal(db ?? ctx.store.db, readerOf(actor), goalId);
  if (!goal) throw notFound("goal", goalId);
  return goal;
}
