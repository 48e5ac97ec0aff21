/**
 * Obstacles: when a check-in reports a barrier hit, bring its Plan B back up together with the
 * people who can help and what to ask them.
 */
import type { Barrier, Resource } from "../types.js";

/** A hit barrier with its Plan B and the people to ask. */
export interface ObstacleHelp {
  barrierId: number;
  obstacle: string;
  planB: string;
  /** The goal's resources of kind "person"; `ask` is null when the plan names no ask. */
  askPeople: { name: string; ask: string | null }[];
}

/**
 * The help for each barrier hit, in the order reported. Unknown barrier ids and repeats are
 * skipped. People are the "person" resources of the barrier's goal, those tied to a step included.
 *
 * @example
 * obstacleHelp([3], barriers, resources);
 * // [{ barrierId: 3, obstacle: "Approval slips", planB: "If the approval slips past Friday, then I ask Dana to sign as deputy",
 * //    askPeople: [{ name: "Dana", ask: "Sign as deputy" }] }]
 */
export function obstacleHelp(
  barriersHit: readonly number[],
  barriers: readonly Barrier[],
  resources: readonly Resource[],
): ObstacleHelp[] {
  const byId = new Map(barriers.map((b) => [b.id, b]));
  const result: ObstacleHelp[] = [];
  for (const id of new Set(barriersHit)) {
    const barrier = byId.get(id);
    if (barrier === undefined) continue;
    result.push({
      barrierId: barrier.id,
      obstacle: barrier.obstacle,
      planB: barrier.planB,
      askPeople: resources
        .filter((r) => r.kind === "person" && r.goalId === barrier.goalId)
        .map((r) => ({ name: r.name, ask: r.ask })),
    });
  }
  return result;
}
