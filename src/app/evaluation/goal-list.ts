/**
 * The goals list with each active goal's status at a glance (progress, pace, stalled), in one
 * request and a fixed number of queries whatever the number of goals: the page of goals, their
 * owners' names, and their stored roll-ups (src/app/evaluation/rollups.ts), evaluating only the
 * goals that changed since their roll-up was stored.
 */
import type { Goal } from "../../core/types.js";
import { userNames } from "../../store/repos/followthrough.js";
import { type Actor, type AppContext, nowIso, today } from "../context.js";
import { listGoals } from "../plans/goals.js";
import type { GoalRollup } from "./rollup.js";
import { goalRollups } from "./rollups.js";

/** A goal's status as the list shows it. */
export type GoalSummary = Pick<
  GoalRollup,
  "progress" | "expected" | "pace" | "stalled" | "stallReasons" | "mode" | "lastCheckin"
>;

/** A goal in the list with its status (null for drafts and goals done, dropped or archived). */
export type GoalWithSummary = Goal & { summary: GoalSummary | null };

/**
 * A page of goals (GET /api/goals?include=status): the same filters and cursor as the plain list,
 * each active goal with its summary for today (the server's day, as the team view).
 */
export async function listGoalsWithStatus(
  ctx: AppContext,
  actor: Actor,
  raw: unknown,
): Promise<{ items: GoalWithSummary[]; nextCursor: string | null }> {
  const page = await listGoals(ctx, actor, raw);
  const active = page.items.filter((g) => g.status === "active");
  const summaries = new Map<number, GoalSummary>();
  if (active.length > 0) {
    const db = ctx.store.db;
    const day = today(ctx);
    const names = await userNames(db, actor.workspaceId, [...new Set(active.map((g) => g.ownerId))]);
    const rolled = await goalRollups(db, actor.workspaceId, active, names, day, day, nowIso(ctx), day);
    for (const { goal, rollup: r } of rolled) {
      summaries.set(goal.id, {
        progress: r.progress,
        expected: r.expected,
        pace: r.pace,
        stalled: r.stalled,
        stallReasons: r.stallReasons,
        mode: r.mode,
        lastCheckin: r.lastCheckin,
      });
    }
  }
  return {
    items: page.items.map((g) => ({ ...g, summary: summaries.get(g.id) ?? null })),
    nextCursor: page.nextCursor,
  };
}
