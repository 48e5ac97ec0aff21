/**
 * Each person's calendar feed: a secret, revocable URL that serves the plans they may read (the
 * same plans, read the same way, as `throughline export --format ics`). Only the token's SHA-256
 * is stored; making a new one replaces the old, so the old URL stops working.
 */
import { nudgeHourOf } from "../../core/time-of-day.js";
import * as accounts from "../../store/repos/accounts.js";
import * as ft from "../../store/repos/followthrough.js";
import { type Actor, type AppContext, nowIso } from "../context.js";
import { AppError } from "../errors.js";
import { type RequestMeta, recordAudit } from "../people/accounts.js";
import { hashToken, newToken } from "../people/secrets.js";
import { nudgeSettingsOf } from "../people/settings.js";
import { exportPlans, type PlanExport } from "./exports.js";

/** What an unknown, malformed or revoked feed address answers. */
export function feedNotFound(): AppError {
  return new AppError(
    404,
    "calendar_feed_not_found",
    "No calendar feed at this address: it was revoked or replaced. Make a new link in Settings.",
  );
}

/** The path of a feed, given its token. */
export function feedPath(token: string): string {
  return `/api/calendar/${token}.ics`;
}

/** A new feed token, shown once. */
export interface NewFeed {
  token: string;
  path: string;
  createdAt: string;
}

/** Makes my calendar feed's secret URL, replacing (and so revoking) any earlier one. */
export async function createFeedToken(ctx: AppContext, actor: Actor, meta: RequestMeta): Promise<NewFeed> {
  const token = newToken("tlc_");
  const now = nowIso(ctx);
  await ctx.store.db.transaction().execute(async (trx) => {
    await accounts.putCalendarFeed(trx, actor.userId, hashToken(token), now);
    await recordAudit(trx, actor, "calendar.token.created", {}, meta, now);
  });
  return { token, path: feedPath(token), createdAt: now };
}

/** Revokes my calendar feed: its URL answers 404 from now on. True when there was one. */
export async function revokeFeedToken(ctx: AppContext, actor: Actor, meta: RequestMeta): Promise<boolean> {
  const now = nowIso(ctx);
  return ctx.store.db.transaction().execute(async (trx) => {
    const revoked = await accounts.deleteCalendarFeed(trx, actor.userId);
    if (revoked) {
      await recordAudit(trx, actor, "calendar.token.revoked", {}, meta, now);
    }
    return revoked;
  });
}

/**
 * The plans behind a feed token: what its owner may read now, exactly as their export. An unknown
 * or revoked token is not found.
 */
export async function feedPlans(ctx: AppContext, token: string): Promise<PlanExport> {
  const row = await accounts.calendarFeedOwner(ctx.store.db, hashToken(token));
  if (!row) throw feedNotFound();
  return exportPlans(ctx, { userId: row.id, workspaceId: row.workspaceId });
}

/** What a feed's calendar needs besides the plans (issue 19): reminders, links and UIDs. */
export interface FeedCalendar {
  plans: PlanExport;
  /** The owner's time zone, for steps with a time of day. */
  timeZone: string;
  /** The hour of the owner's day-level reminders (src/core/time-of-day.ts, nudgeHourOf). */
  nudgeHour: number;
  /** Moved or dropped days of each repeating step, by step id: left out of its series. */
  skippedDays: Map<number, string[]>;
}

/**
 * The plans behind a feed token with the owner's reminder settings and the days each repeating
 * step no longer promises (moved or dropped occurrences), for the calendar's alarms and EXDATEs.
 */
export async function feedCalendar(ctx: AppContext, token: string): Promise<FeedCalendar> {
  const row = await accounts.calendarFeedOwner(ctx.store.db, hashToken(token));
  if (!row) throw feedNotFound();
  const plans = await exportPlans(ctx, { userId: row.id, workspaceId: row.workspaceId });
  return calendarOf(ctx, row.id, plans);
}

/** A person's exported plans with their reminder settings and each repeating step's skipped days. */
export async function calendarOf(ctx: AppContext, userId: number, plans: PlanExport): Promise<FeedCalendar> {
  const settings = (await nudgeSettingsOf(ctx.store.db, [userId])).get(userId);
  const repeating = plans.plans.filter((p) => p.steps.some((s) => s.recurrence));
  const skippedDays = new Map<number, string[]>();
  const occurrences = await ft.occurrencesOfGoals(
    ctx.store.db,
    repeating.map((p) => p.goal.id),
  );
  for (const o of occurrences) {
    if (o.closedHow !== "moved" && o.closedHow !== "dropped") continue;
    skippedDays.set(o.stepId, [...(skippedDays.get(o.stepId) ?? []), o.dueDate]);
  }
  return {
    plans,
    timeZone: settings?.timeZone ?? "UTC",
    nudgeHour: nudgeHourOf(settings?.quietHours ?? null),
    skippedDays,
  };
}
