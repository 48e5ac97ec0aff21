/**
 * Reminders for the command line (issue 19): what is due today, overdue and stalled for one person,
 * from the same rules the nudges use — my week's steps (src/app/plans/steps.ts), the check-in rule
 * (`checkinNudge`, src/core/nudges.ts) and the report's stall detection — and, for
 * `throughline remind --email`, the record that sends each item at most once per person and day.
 */
import { z } from "zod";
import { addDays } from "../../core/engine/index.js";
import { checkinNudge } from "../../core/nudges.js";
import { activeGoalsWithLastCheckin } from "../../store/repos/checkins.js";
import * as ft from "../../store/repos/followthrough.js";
import * as people from "../../store/repos/people.js";
import * as sent from "../../store/repos/reminders.js";
import { type Actor, type AppContext, nowIso, today, viewerOf } from "../context.js";
import { AppError } from "../errors.js";
import { myWeek } from "../plans/steps.js";
import { followThroughReport } from "../reports/report.js";
import { isoDay } from "../validation.js";
import * as say from "./messages.js";

/** The query of GET /api/reminders: the day to remind of (default the server's today). */
export const RemindersQuery = z.strictObject({ asOf: isoDay.optional() });
export type RemindersQuery = z.input<typeof RemindersQuery>;

/**
 * The body of POST /api/reminders/email: the day to remind of. There is no address: a server emails
 * only the signed-in person's own, so nobody can have it mail someone else.
 */
export const RemindersEmailInput = z.strictObject({ asOf: isoDay.optional() });
export type RemindersEmailInput = z.input<typeof RemindersEmailInput>;

/** What one reminder is about. */
export type ReminderKind = "due-today" | "overdue" | "checkin-due" | "checkin-missed" | "stalled";

/** One thing to remind a person of. */
export interface ReminderItem {
  /** Names the item for "once per day": step:12, checkin:4:2026-03-02, stalled:7. */
  key: string;
  kind: ReminderKind;
  /** The step's text, or the goal's title for check-ins and stalls. */
  text: string;
  goalId: number;
  goalTitle: string;
  stepId: number | null;
  /** The step's due day, or the check-in's expected day; null for a stall. */
  dueDate: string | null;
  /** Why a goal stalled, in words (stalls only). */
  why: string | null;
  /** A path in the web app. */
  link: string;
}

/** A person's reminders on a day, most urgent first: overdue, due today, check-ins, stalled. */
export interface Reminders {
  asOf: string;
  items: ReminderItem[];
}

const ORDER: Record<ReminderKind, number> = {
  overdue: 0,
  "due-today": 1,
  "checkin-missed": 2,
  "checkin-due": 3,
  stalled: 4,
};

/**
 * My reminders as of a day (default today): open steps of mine due that day or before (a goal in
 * micro-goal mode shows only its one step), check-ins my goals are due or missed, and my goals
 * that are stalled. Reading them changes nothing.
 */
export async function remindersFor(
  ctx: AppContext,
  actor: Actor,
  opts: { asOf?: string | undefined } = {},
): Promise<Reminders> {
  const day = opts.asOf ?? today(ctx);
  const items: ReminderItem[] = [];
  const week = await myWeek(ctx, actor, day);
  const steps = [
    ...week.steps.map((s) => ({ step: s, title: titleOf(week, s.goalId) })),
    ...week.microGoals.flatMap((g) => (g.step ? [{ step: g.step, title: g.title }] : [])),
  ];
  const titles = await goalTitles(ctx, actor);
  for (const { step, title } of steps) {
    if (step.dueDate === null || step.dueDate > day) continue;
    if (step.ownerId !== null && step.ownerId !== actor.userId) continue;
    const goalTitle = title ?? titles.get(step.goalId) ?? `Goal ${step.goalId}`;
    items.push({
      // A repeating step is one item per day it falls on.
      key: step.recurrence ? `step:${step.id}:${step.dueDate}` : `step:${step.id}`,
      kind: step.dueDate === day ? "due-today" : "overdue",
      text: step.text,
      goalId: step.goalId,
      goalTitle,
      stepId: step.id,
      dueDate: step.dueDate,
      why: null,
      link: `/goals/${step.goalId}`,
    });
  }
  for (const g of await activeGoalsWithLastCheckin(ctx.store.db)) {
    if (g.ownerId !== actor.userId || g.workspaceId !== actor.workspaceId || g.startDate > day) continue;
    const n = checkinNudge(
      { lastCheckin: g.lastCheckin, startDate: g.startDate, cadenceDays: g.cadenceDays },
      day,
    );
    if (!n) continue;
    items.push({
      key: `checkin:${g.id}:${n.dueDay}`,
      kind: n.kind,
      text: g.title,
      goalId: g.id,
      goalTitle: g.title,
      stepId: null,
      dueDate: n.dueDay,
      why: null,
      link: `/goals/${g.id}/check-in`,
    });
  }
  const report = await followThroughReport(ctx, actor, { asOf: day, weeks: 1 });
  for (const s of report.stalled) {
    if (s.ownerId !== actor.userId) continue;
    items.push({
      key: `stalled:${s.goalId}`,
      kind: "stalled",
      text: s.title,
      goalId: s.goalId,
      goalTitle: s.title,
      stepId: null,
      dueDate: null,
      why: say.stallReasons(s.reasons) || null,
      link: `/goals/${s.goalId}`,
    });
  }
  items.sort(
    (a, b) =>
      ORDER[a.kind] - ORDER[b.kind] ||
      (a.dueDate ?? "").localeCompare(b.dueDate ?? "") ||
      a.goalId - b.goalId,
  );
  return { asOf: day, items };
}

function titleOf(week: Awaited<ReturnType<typeof myWeek>>, goalId: number): string | undefined {
  return week.microGoals.find((g) => g.goalId === goalId)?.title;
}

/** The titles of the active goals I can see (for step lines). */
async function goalTitles(ctx: AppContext, actor: Actor): Promise<Map<number, string>> {
  const goals = await ft.visibleGoalsOf(ctx.store.db, await viewerOf(ctx.store.db, actor), ["active"]);
  return new Map(goals.map((g) => [g.id, g.title]));
}

/** How a reminder reads in one line, e.g. "overdue   Email Raj the deck (due 2026-03-02) · Launch". */
export function reminderLine(i: ReminderItem, day: string): string {
  switch (i.kind) {
    case "overdue": {
      const late = i.dueDate === addDays(day, -1) ? "due yesterday" : `due ${i.dueDate}`;
      return `overdue   ${i.text} (${late}) · ${i.goalTitle}`;
    }
    case "due-today":
      return `today     ${i.text} · ${i.goalTitle}`;
    case "checkin-due":
      return `check-in  ${i.goalTitle}: check in today`;
    case "checkin-missed":
      return `check-in  ${i.goalTitle}: missed the one due ${i.dueDate}`;
    case "stalled":
      return `stalled   ${i.goalTitle}${i.why ? `: ${i.why}` : ""}`;
  }
}

/** At most this many lines of items in the block; the rest are counted. */
export const MAX_REMINDER_LINES = 8;

/**
 * The reminders as a short block for a shell prompt or cron: a one-line summary, then one line per
 * item (at most eight, then "… and N more"). Empty when there is nothing.
 */
export function remindersText(r: Reminders): string {
  if (r.items.length === 0) return "";
  const count = (kinds: ReminderKind[]) => r.items.filter((i) => kinds.includes(i.kind)).length;
  const parts = [
    [count(["due-today"]), "due today"],
    [count(["overdue"]), "overdue"],
    [count(["checkin-due", "checkin-missed"]), "check-in"],
    [count(["stalled"]), "stalled"],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(
      ([n, what]) => `${n} ${what === "check-in" ? ((n as number) === 1 ? "check-in" : "check-ins") : what}`,
    );
  const lines = [`Throughline, ${r.asOf}: ${parts.join(", ")}`];
  for (const i of r.items.slice(0, MAX_REMINDER_LINES)) lines.push(`  ${reminderLine(i, r.asOf)}`);
  if (r.items.length > MAX_REMINDER_LINES) lines.push(`  … and ${r.items.length - MAX_REMINDER_LINES} more`);
  return lines.join("\n");
}

/** What `remind --email` did. */
export interface EmailedReminders {
  asOf: string;
  to: string;
  /** The items this run emailed. */
  sent: ReminderItem[];
  /** The items already emailed today, not sent again. */
  alreadySent: ReminderItem[];
}

/** Sends one reminders email; resolves once the mail server accepted it. */
export type ReminderSender = (mail: {
  to: string;
  name: string;
  reminders: Reminders;
  key: string;
}) => Promise<void>;

/**
 * Emails my reminders, each item at most once per day: the items not sent today are claimed in the
 * database first (so two runs at once never both send one), sent in one email, and confirmed; when
 * the send fails the claim is given back, so the next run sends them. An item sent today is not
 * sent again; a new item, or a new day, is.
 */
export async function emailReminders(
  ctx: AppContext,
  actor: Actor,
  opts: { asOf?: string | undefined; to?: string | undefined },
  send: ReminderSender,
): Promise<EmailedReminders> {
  const r = await remindersFor(ctx, actor, opts);
  const db = ctx.store.db;
  const me = await people.contactOf(db, actor.userId);
  const to = opts.to?.trim() || me?.email || null;
  if (!to) {
    throw new AppError(
      400,
      "email_missing",
      "There is no email address to send reminders to. Give one with --to you@example.com.",
    );
  }
  if (!/^[^\s@]+@[^\s@]+$/.test(to)) {
    throw new AppError(
      400,
      "invalid_email",
      `'${to}' is not an email address. Give one like --to you@example.com.`,
    );
  }
  const claimed = new Set(
    await sent.claimReminders(
      db,
      actor.userId,
      r.asOf,
      r.items.map((i) => i.key),
      nowIso(ctx),
    ),
  );
  const fresh = r.items.filter((i) => claimed.has(i.key));
  const already = r.items.filter((i) => !claimed.has(i.key));
  if (fresh.length > 0) {
    const keys = fresh.map((i) => i.key);
    try {
      await send({
        to,
        name: me?.name ?? "there",
        reminders: { asOf: r.asOf, items: fresh },
        key: `remind:${actor.userId}:${r.asOf}:${keys.join(",")}`,
      });
    } catch (e) {
      await sent.releaseReminders(db, actor.userId, r.asOf, keys);
      throw e;
    }
    await sent.confirmReminders(db, actor.userId, r.asOf, keys, nowIso(ctx));
  }
  return { asOf: r.asOf, to, sent: fresh, alreadySent: already };
}
