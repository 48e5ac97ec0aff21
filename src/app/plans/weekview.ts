/**
 * My week as the web app shows it, in one answer (issue 15): "my week" (steps due, micro-goals,
 * the prompt) plus, for each active goal I own, its status summary, last check-in and when the
 * next one is due; this week's wins; the delegations still open that were asked of me or by me;
 * and the names of everyone it mentions. A fixed number of queries whatever the number of goals:
 * the goals' stored roll-ups (rollups.ts) carry the status, the last check-in and the wins.
 */

import { z } from "zod";
import { compareIso } from "../../core/dates.js";
import * as engine from "../../core/engine/index.js";
import { microPrompt, microStep } from "../../core/engine/micro.js";
import type { Goal, IsoDate, Step } from "../../core/types.js";
import * as delegations from "../../store/repos/delegations.js";
import * as ft from "../../store/repos/followthrough.js";
import { type Delegation, delegationView } from "../collaboration/collaboration.js";
import { type Actor, type AppContext, nowIso, today, viewerOf } from "../context.js";
import { goalRollups } from "../evaluation/rollups.js";
import { isoDay, parse } from "../validation.js";
import { type Week, weekAndGoals } from "./steps.js";

/** Query of "my week". */
export const WeekQuery = z.strictObject({ asOf: isoDay.optional() });

/** A goal's status in a few words: what My week shows beside it. */
export interface WeekGoalStatus {
  mode: engine.Mode;
  stalled: boolean;
  stallReasons: engine.StallReason[];
  /** 0..1 */
  progress: number;
  /** 0..1 on the line to the due date; null without a due date. */
  expected: number | null;
  pace: engine.Pace;
  /** In micro-goal mode, the one step to show, or the prompt to write one; else null. */
  nextStep: Step | { prompt: string } | null;
}

/** One goal I own, as My week shows it. */
export interface WeekGoal {
  goal: Goal;
  status: WeekGoalStatus;
  lastCheckin: { date: IsoDate; confidence: string | null } | null;
  /** The day the next check-in is due: the last one (else the start) plus the cadence. */
  checkinDue: IsoDate;
}

/** My week with everything the page shows. */
export interface WeekView extends Week {
  /** The day the week was read for (the server's day unless `asOf`). */
  asOf: IsoDate;
  goals: WeekGoal[];
  /** Wins of my goals from Monday to `asOf`, newest first. */
  wins: engine.Win[];
  /** Delegations still open (their step or goal neither done nor dropped). */
  delegations: { askedOfMe: Delegation[]; askedByMe: Delegation[] };
  /** Display names of the people the answer mentions (delegators, assignees, goal owners). */
  people: { id: number; name: string }[];
}

/**
 * My week for the web app: `myWeek` and, in the same answer, what the page used to fetch per goal.
 * The goals are the active ones I own that I may see; their status is today's stored roll-up
 * (computed and stored for the ones that changed), or computed for a past `asOf`.
 */
export async function myWeekView(ctx: AppContext, actor: Actor, raw: unknown = {}): Promise<WeekView> {
  const q = parse(WeekQuery, raw);
  const now = today(ctx);
  const asOf = q.asOf ?? now;
  const db = ctx.store.db;
  // The week reads the active goals I own or have steps in: mine are among them (one read, not two).
  const viewer = await viewerOf(db, actor);
  const [{ week, goals: read }, given] = await Promise.all([
    weekAndGoals(ctx, actor, asOf, viewer),
    delegations.delegationsWithProgressOf(db, actor.workspaceId, actor.userId),
  ]);
  const goals = read.filter((g) => g.ownerId === actor.userId);
  const open = given.map(delegationView).filter((d) => d.open);
  const mentioned = [actor.userId, ...open.flatMap((d) => [d.delegatedBy, d.assigneeId])];
  const names = await ft.userNames(db, actor.workspaceId, mentioned);
  const rolled = await goalRollups(
    db,
    actor.workspaceId,
    goals,
    new Map([[actor.userId, names.get(actor.userId) ?? ""]]),
    asOf,
    now,
    nowIso(ctx),
    week.from,
  );
  const micro = rolled.filter((r) => r.rollup.mode === "micro-goal").map((r) => r.goal.id);
  const microSteps = micro.length === 0 ? [] : await ft.stepsOfGoals(db, micro);
  const items: WeekGoal[] = rolled.map(({ goal, rollup }) => {
    const step = rollup.mode === "micro-goal" ? microStep(goal, microSteps) : null;
    const last = rollup.lastCheckin;
    return {
      goal,
      status: {
        mode: rollup.mode,
        stalled: rollup.stalled,
        stallReasons: rollup.stallReasons,
        progress: rollup.progress,
        expected: rollup.expected,
        pace: rollup.pace,
        nextStep: rollup.mode !== "micro-goal" ? null : (step ?? microPrompt(goal.title)),
      },
      lastCheckin: last ? { date: last.date, confidence: last.confidence } : null,
      checkinDue: engine.addDays(last?.date ?? goal.startDate, goal.cadenceDays),
    };
  });
  const wins = rolled
    .flatMap((r) => r.rollup.wins)
    .filter((w) => w.date >= week.from && w.date <= asOf)
    .sort((a, b) => compareIso(b.date, a.date));
  return {
    ...week,
    asOf,
    goals: items,
    wins,
    delegations: {
      askedOfMe: open.filter((d) => d.assigneeId === actor.userId),
      askedByMe: open.filter((d) => d.delegatedBy === actor.userId),
    },
    people: [...names].map(([id, name]) => ({ id, name })).sort((a, b) => a.id - b.id),
  };
}
