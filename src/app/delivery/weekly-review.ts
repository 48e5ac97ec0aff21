/**
 * The weekly review email (issue 19): on each person's chosen local day and hour (a slot in their
 * settings; none means off), last week's wins, misses, stalled goals and follow-through rate, and
 * one small step for next week — the content of the weekly review (src/app/reports/review.ts).
 * Queued once per person and week under `weekly-review:<userId>:<localDay>`; the worker sends the
 * email once under the job's delivery key, so a restart never sends it twice.
 */
import { isMicroPrompt } from "../../core/engine/micro.js";
import { weeklyOccurrence } from "../../core/nudges.js";
import * as jobs from "../../store/repos/jobs.js";
import * as people from "../../store/repos/people.js";
import { weeklyReviewSlots } from "../../store/repos/reminders.js";
import type { Actor, AppContext } from "../context.js";
import { nudgeSettingsOf } from "../people/settings.js";
import { weeklyReview } from "../reports/review.js";
import * as say from "./messages.js";
import type { NudgePayload } from "./nudges.js";

/** What the weekly review email shows, kept in the nudge's data so the email renders from it. */
export interface WeeklyReviewMail {
  from: string;
  to: string;
  followThroughRate: number | null;
  kept: number;
  missed: number;
  wins: { text: string; goalId: number | null }[];
  misses: { text: string; dueDate: string; goalId: number | null }[];
  stalled: { title: string; goalId: number; why: string }[];
  /** One small step for next week: a planned next step, or the weekly question. */
  nextStep: { goalId: number; goalTitle: string; text: string | null; question: string } | null;
}

/** The review of the 7 days ending on `day`, for the email. */
export async function weeklyReviewMail(
  ctx: AppContext,
  actor: Actor,
  day: string,
): Promise<WeeklyReviewMail> {
  const r = await weeklyReview(ctx, actor, { asOf: day });
  const first = r.plan[0];
  const step = first?.nextSteps.find((s) => !isMicroPrompt(s));
  return {
    from: r.from,
    to: r.to,
    followThroughRate: r.followThroughRate,
    kept: r.kept,
    missed: r.missed,
    wins: r.wins.slice(0, 5).map((w) => ({ text: w.text, goalId: w.goalId ?? null })),
    misses: r.misses
      .filter((m) => m.userId === actor.userId)
      .slice(0, 5)
      .map((m) => ({ text: m.text, dueDate: m.dueDate, goalId: m.goalId })),
    stalled: r.stalled
      .filter((s) => s.ownerId === actor.userId)
      .map((s) => ({ title: s.title, goalId: s.goalId, why: say.stallReasons(s.reasons) })),
    nextStep: first
      ? {
          goalId: first.goalId,
          goalTitle: first.title,
          text: step && !isMicroPrompt(step) ? step.text : null,
          question: first.question,
        }
      : null,
  };
}

/** The rate in words: "75% (3 kept, 1 missed)", or that nothing was due. */
export function rateWords(m: Pick<WeeklyReviewMail, "followThroughRate" | "kept" | "missed">): string {
  return m.followThroughRate === null
    ? "nothing was due"
    : `${Math.round(m.followThroughRate * 100)}% (${m.kept} kept, ${m.missed} missed)`;
}

/**
 * Queues the weekly review email of every person (or of `only` these) whose slot is due at `now`
 * and who has an email address, once per person and week; returns how many it queued.
 */
export async function planWeeklyReviews(
  ctx: AppContext,
  now: Date,
  // Only these people (those whose review hour came since the planner's last slot)
  only?: ReadonlySet<number>,
): Promise<number> {
  const db = ctx.store.db;
  const slots = (await weeklyReviewSlots(db)).filter((s) => only === undefined || only.has(s.userId));
  if (slots.length === 0) return 0;
  const settings = await nudgeSettingsOf(
    db,
    slots.map((s) => s.userId),
  );
  let queued = 0;
  for (const slot of slots) {
    const s = settings.get(slot.userId);
    const user = await people.contactOf(db, slot.userId);
    if (!s || !user?.email) continue;
    const day = weeklyOccurrence(now, { timeZone: s.timeZone, day: slot.weekday, hour: slot.hour });
    if (day === null) continue;
    const key = `weekly-review:${user.id}:${day}`;
    if ((await jobs.existingDedupeKeys(db, [key])).has(key)) continue;
    const actor: Actor = { userId: user.id, workspaceId: user.workspaceId };
    const review = await weeklyReviewMail(ctx, actor, day);
    const payload: NudgePayload = {
      workspaceId: user.workspaceId,
      userId: user.id,
      kind: "weekly-review",
      subject: { type: "user", id: user.id },
      title: `Your week in Throughline: ${rateWords(review)}`,
      message: `Your follow-through from ${review.from} to ${review.to}: ${rateWords(review)}.`,
      lines: [],
      link: "/",
      data: { day, review },
      only: ["email"],
    };
    const added = await jobs.enqueueJob(db, {
      kind: "nudge",
      runAt: now.toISOString(),
      payload,
      dedupeKey: key,
      createdAt: now.toISOString(),
    });
    if (added) queued++;
  }
  return queued;
}
