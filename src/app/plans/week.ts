/**
 * "My week": the steps due this week across my goals, one step per goal in micro-goal mode.
 *
 * Apart from steps.ts, and importing no zod schema, because it is the CLI's everyday command: the
 * `week` command loads this module and the repositories it reads, not the validation library and
 * every input schema (about a third of its start-up). steps.ts re-exports it.
 */
import type { Kysely } from "kysely";
import { addDays, compareIso } from "../../core/dates.js";
import { microPrompt, microStep } from "../../core/engine/micro.js";
import type { Goal, Step } from "../../core/types.js";
import * as ft from "../../store/repos/followthrough.js";
import * as plans from "../../store/repos/plans.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, today, viewerOf } from "../context.js";
import { previousModes } from "../evaluation/evaluate.js";

/** A goal of my week in micro-goal mode: its one step, or the prompt to write one. */
export interface MicroGoalWeek {
  goalId: number;
  title: string;
  /** The one step micro-goal mode shows, due this week or not; null when no open step fits. */
  step: Step | null;
  /** When `step` is null, the prompt to write one step of at most 60 minutes; else null. */
  prompt: string | null;
}

/** What "my week" shows. */
export interface Week {
  from: string;
  to: string;
  /** Open steps I own that are due this week, or overdue, of goals not in micro-goal mode. */
  steps: Step[];
  /**
   * Goals in micro-goal mode, one step at a time: each of my own (with its step or a prompt), and
   * others' goals whose one step is mine. None of their other steps is in `steps`.
   */
  microGoals: MicroGoalWeek[];
  /** The question to ask when nothing is planned. */
  prompt: string | null;
}

/**
 * A repeating step stands in my week once for each of its days this week not done yet, each with
 * that day as its due date; days before this week are past (missed or kept), not to do.
 */
async function withThisWeeksDays(
  db: Kysely<Database>,
  rows: Step[],
  from: string,
  to: string,
): Promise<Step[]> {
  // One query for every repeating step's days, however many there are.
  const repeating = rows.filter((s) => s.recurrence !== null && s.dueDate !== null).map((s) => s.id);
  if (repeating.length === 0) return rows;
  // The recurrence rules (rrule, some 83 KB) load only when a step repeats: most weeks have none,
  // and the CLI's `week` parsed them on every run (issue 17, cli21).
  const { occurrencesBetween } = await import("../../core/recurrence.js");
  const out: Step[] = [];
  const doneDays = new Map<number, Set<string>>();
  for (const o of await plans.occurrencesOfSteps(db, repeating)) {
    if (o.doneAt === null) continue;
    const days = doneDays.get(o.stepId) ?? new Set<string>();
    days.add(o.dueDate);
    doneDays.set(o.stepId, days);
  }
  for (const s of rows) {
    if (s.recurrence === null || s.dueDate === null) {
      out.push(s);
      continue;
    }
    const done = doneDays.get(s.id) ?? new Set<string>();
    const start = s.dueDate > from ? s.dueDate : from;
    for (const day of occurrencesBetween(s.recurrence, s.dueDate, start, to)) {
      if (!done.has(day)) out.push({ ...s, dueDate: day });
    }
  }
  return out;
}

/**
 * The steps I own (or own through my goals) that are due by the end of this week, overdue ones
 * included, in due order; the week runs Monday to Sunday. A goal in micro-goal mode (its mode as
 * stored, which `status` reads too) shows only its one step, or the prompt to write one.
 */
export async function myWeek(ctx: AppContext, actor: Actor, asOf?: string): Promise<Week> {
  return (await weekAndGoals(ctx, actor, asOf)).week;
}

/**
 * `myWeek` and the active goals it read (the ones I own that I may see, and those its steps are
 * in), for an answer that shows my goals too (`myWeekView`): one read of them, not two.
 */
export async function weekAndGoals(
  ctx: AppContext,
  actor: Actor,
  asOf?: string,
  seenAs?: plans.Viewer,
): Promise<{ week: Week; goals: Goal[] }> {
  const now = today(ctx);
  const day = asOf ?? now;
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  const from = addDays(day, -weekday);
  const to = addDays(from, 6);
  const db = ctx.store.db;
  const viewer = seenAs ?? (await viewerOf(db, actor));
  // Open steps due by the end of the week, the most overdue first, so that past the limit it is
  // the latest work that is left out.
  const rows = await plans.openStepsDueBy(db, viewer, actor.userId, to, 1000);
  const goals = await ft.activeGoalsOwnedOrIn(
    db,
    viewer,
    actor.userId,
    rows.map((s) => s.goalId),
  );
  const modes = await previousModes(
    db,
    goals.map((g) => g.id),
    day,
    now,
  );
  const micro = goals.filter((g) => modes.get(g.id)?.mode === "micro-goal");
  const microIds = new Set(micro.map((g) => g.id));
  const microSteps = micro.length === 0 ? [] : await ft.stepsOfGoals(db, [...microIds]);
  const microGoals: MicroGoalWeek[] = [];
  for (const g of micro) {
    const step = microStep(g, microSteps);
    // Someone else's goal is in my week only through its one step, when that step is mine.
    if (g.ownerId !== actor.userId && step?.ownerId !== actor.userId) continue;
    microGoals.push({
      goalId: g.id,
      title: g.title,
      step,
      prompt: step ? null : microPrompt(g.title).prompt,
    });
  }
  const normal = rows.filter((s) => !microIds.has(s.goalId));
  const steps = (await withThisWeeksDays(db, normal, from, to))
    .filter((s) => s.dueDate !== null)
    .sort((a, b) => compareIso(a.dueDate as string, b.dueDate as string) || a.position - b.position);
  const week = {
    from,
    to,
    steps,
    microGoals,
    prompt:
      steps.length === 0 && microGoals.length === 0
        ? "Nothing is planned this week. What is one small step you can take this week?"
        : null,
  };
  return { week, goals };
}
