/**
 * A goal's status on a day (today by default), with micro-goal mode stored between evaluations.
 * Today's answer is stored with the goal's roll-up (rollup.ts) and read back while its stamp
 * matches; a past day is computed from the goal's dated history and stores nothing.
 */
import type { Kysely } from "kysely";
import type * as engine from "../../core/engine/index.js";
import type { Goal } from "../../core/types.js";
import * as ft from "../../store/repos/followthrough.js";
import { teamIdsOf } from "../../store/repos/people.js";
import * as rollupStore from "../../store/repos/rollups.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, actorFacts, nowIso, today } from "../context.js";
import { getGoalOrThrow } from "../plans/goal-read.js";
import { can } from "../policy.js";
import {
  type Evaluation,
  evaluate,
  type GoalStatusView,
  persistMode,
  sameMode,
  statusView,
} from "./evaluate.js";
import { loadGoalData } from "./load.js";
import { rollupOf, rollupRow, stampOf } from "./rollup.js";

export type { StatusQuery } from "./status-query.js";

/**
 * A goal's status on a day (today by default): progress, expected progress, pace, buffer, forecast,
 * stall and the next steps to show. For today the micro-goal mode is stored in the same transaction
 * (and `goal.stalled` appended when the goal enters it); a past day reads the mode history and
 * stores nothing. The leader prompt is shown only to someone who leads the goal's owner.
 */
export async function goalStatus(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  raw: unknown = {},
): Promise<GoalStatusView> {
  const q = await statusQuery(raw);
  const now = today(ctx);
  const asOf = q.asOf ?? now;
  const goal = await getGoalOrThrow(ctx, actor, goalId, ctx.store.db);
  return forReader(ctx.store.db, actor, goal, await statusOf(ctx, actor, goal, asOf, now));
}

/**
 * The query read: no day given (the CLI's everyday `status`, `{}` or `{ asOf: undefined }`) needs
 * no schema, so the validation library loads only for a query that holds something to check.
 */
async function statusQuery(raw: unknown): Promise<{ asOf?: string | undefined }> {
  if (
    typeof raw === "object" &&
    raw !== null &&
    Object.getPrototypeOf(raw) === Object.prototype &&
    Object.entries(raw).every(([k, v]) => k === "asOf" && v === undefined)
  )
    return {};
  const [{ StatusQuery }, { parse }] = await Promise.all([
    import("./status-query.js"),
    import("../validation.js"),
  ]);
  return parse(StatusQuery, raw);
}

/** The goal's status view on `asOf` as stored or computed, whoever reads it. */
async function statusOf(
  ctx: AppContext,
  actor: Actor,
  goal: Goal,
  asOf: string,
  now: string,
): Promise<GoalStatusView> {
  const db = ctx.store.db;
  const evaluateOn = async (d: Kysely<Database>, goal: Goal) => {
    const { data } = await loadGoalData(d, [goal], asOf);
    return (await evaluate(d, actor.workspaceId, data, asOf, now))[0] as Evaluation;
  };
  if (asOf !== now) return statusView(await evaluateOn(db, goal), asOf);
  // Today's status is stored with the goal's roll-up (src/app/goal-rollup.ts) and read back while
  // its stamp matches, unless it moves the mode (a roll-up computed for the team view does not
  // store the mode it finds): the mode is stored here.
  const [[stored], names] = await Promise.all([
    rollupStore.rollupsOf(db, [goal.id], false, true),
    ft.userNames(db, actor.workspaceId, [goal.ownerId]),
  ]);
  const stamp = stampOf(goal, stored, names.get(goal.ownerId));
  if (stored?.statusJson && stored.asOf === asOf && stored.stamp === stamp) {
    const view = JSON.parse(stored.statusJson) as GoalStatusView;
    const was = { mode: stored.mode, since: stored.modeSince, microStepsDone: stored.microStepsDone };
    if (
      sameMode(was as engine.ModeState, {
        mode: view.mode,
        since: view.modeSince,
        microStepsDone: view.microStepsDone,
      })
    )
      return view;
  }
  // Most reads leave the mode as it was: they need no write transaction. When the mode moves, the
  // goal is evaluated again inside one, so the stored mode follows from what is stored.
  const first = await evaluateOn(db, goal);
  if (sameMode(first.previous, first.report.modeState)) {
    await rollupStore.saveRollups(db, [rollupRow(first, rollupOf(first, asOf), asOf, stamp, nowIso(ctx))]);
    return statusView(first, asOf);
  }
  return db.transaction().execute(async (trx) => {
    const e = await evaluateOn(trx, await getGoalOrThrow(ctx, actor, goal.id, trx));
    await persistMode(trx, ctx, actor, e, asOf);
    return statusView(e, asOf);
  });
}

/**
 * The goals among `goals` whose owner `actor` leads (policy "person.lead"): the prompt to agree a
 * micro-goal is for those people only, so the owner and everyone else read no prompt.
 */
export async function ledGoalIds(
  db: Kysely<Database>,
  actor: Actor,
  goals: readonly Goal[],
): Promise<Set<number>> {
  const led = new Set<number>();
  if (goals.length === 0) return led;
  const facts = await actorFacts(db, actor);
  const teamsOf = new Map<number, number[]>();
  for (const g of goals) {
    let ownerTeamIds = teamsOf.get(g.ownerId);
    if (!ownerTeamIds) {
      ownerTeamIds = await teamIdsOf(db, g.ownerId);
      teamsOf.set(g.ownerId, ownerTeamIds);
    }
    const person = {
      workspaceId: g.workspaceId,
      userId: g.ownerId,
      teamIds: ownerTeamIds,
      goalTeamId: g.teamId,
    };
    if (can(facts, "person.lead", person)) led.add(g.id);
  }
  return led;
}

/** The view as `actor` may read it: the leader prompt only for those who lead the goal's owner. */
async function forReader(
  db: Kysely<Database>,
  actor: Actor,
  goal: Goal,
  view: GoalStatusView,
): Promise<GoalStatusView> {
  if (view.leaderPrompt === null) return view;
  return (await ledGoalIds(db, actor, [goal])).has(goal.id) ? view : { ...view, leaderPrompt: null };
}
