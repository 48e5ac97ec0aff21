/**
 * Who may do what. Reading is narrowed in the store's queries (visibleGoals); writing is checked
 * here. For now the acting user owns what they create; teams and roles extend this module.
 */
import type { Goal } from "../core/types.js";
import type { Actor } from "./context.js";
import { notFound } from "./errors.js";

/** True when the actor may change the goal and its plan. */
export function canWriteGoal(actor: Actor, goal: Goal): boolean {
  return goal.workspaceId === actor.workspaceId && goal.ownerId === actor.userId;
}

/** Throws not-found (never "forbidden": the two must answer the same) unless the actor may write. */
export function assertCanWriteGoal(actor: Actor, goal: Goal): void {
  if (!canWriteGoal(actor, goal)) throw notFound("goal", goal.id);
}
