/**
 * Nudges: the planner that decides who should be reminded of what (steps due tomorrow, today or
 * overdue; check-ins due or missed; a goal that stalled; an obstacle hit; the weekly "one small
 * step" prompt; the leaders' weekly digest; and the in-app notices forwarded by email), and queues
 * each once under a dedupe key. The scheduler (src/jobs) runs the queue; the in-app delivery is
 * here, exactly once per nudge.
 */
import type { Kysely } from "kysely";
import * as engine from "../../core/engine/index.js";
import {
  checkinNudge,
  localTime,
  type NudgeKind,
  OVERDUE_LOOKBACK_DAYS,
  stepNudge,
  weeklyOccurrence,
} from "../../core/nudges.js";
import { zonedTime } from "../../core/time-of-day.js";
import type { Goal } from "../../core/types.js";
import { activeGoalsWithLastCheckin } from "../../store/repos/checkins.js";
import { eventsOfTypeBetween, type LoggedEvent } from "../../store/repos/events.js";
import * as ft from "../../store/repos/followthrough.js";
import * as jobs from "../../store/repos/jobs.js";
import * as notices from "../../store/repos/notifications.js";
import * as people from "../../store/repos/people.js";
import * as planner from "../../store/repos/planner.js";
import * as plans from "../../store/repos/plans.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, actorFacts, viewerOf } from "../context.js";
import { goalStatus } from "../evaluation/status.js";
import type { Channel, NudgeSettings } from "../people/settings.js";
import { nudgeSettingsOf } from "../people/settings.js";
import { type ActorFacts, can, type LedPerson } from "../policy.js";
import { followThroughReport } from "../reports/report.js";
import * as say from "./messages.js";
import { noticeLink } from "./notices.js";
import { planWeeklyReviews } from "./weekly-review.js";

/** The job kind that delivers one nudge to one person. */
export const NUDGE_JOB = "nudge";
/** The job kind that evaluates a workspace's active goals once a day, so stalls are noticed. */
export const STALL_SCAN_JOB = "stall-scan";

/** How far back the planner looks for events (stalls, obstacles) and notices to forward. */
export const EVENT_LOOKBACK_MS = 2 * 86_400_000;

/** One nudge to one person: what the inbox shows and the email says. */
export interface NudgePayload {
  workspaceId: number;
  userId: number;
  kind: NudgeKind;
  subject: { type: string; id: number };
  /** The headline: the email's subject. */
  title: string;
  /** One paragraph: the inbox message and the email's first paragraph. */
  message: string;
  /** Further lines (a digest's sections, a weekly prompt's goals). */
  lines: string[];
  /** A path in the web app, such as /goals/12. */
  link: string | null;
  data: Record<string, unknown>;
  /** Only these channels (a notice already in the inbox goes out by email only). */
  only?: Channel[];
}

/** A person a nudge can go to. */
export type Recipient = people.Contact;

/** Options of the planner. */
export interface PlanOptions {
  /** Also queue email for in-app notices (goal changes, delegations); true by default. */
  forwardNotices?: boolean;
}

interface Planner {
  ctx: AppContext;
  db: Kysely<Database>;
  now: Date;
  users: Map<number, Recipient>;
  settings: Map<number, NudgeSettings>;
  viewers: Map<number, plans.Viewer>;
  facts: Map<number, ActorFacts>;
  readable: Map<string, boolean>;
  queued: number;
}

/** A person's viewer (their teams), loaded once per run. */
async function viewerFor(p: Planner, userId: number, workspaceId: number): Promise<plans.Viewer> {
  let viewer = p.viewers.get(userId);
  if (!viewer) {
    viewer = await viewerOf(p.db, { userId, workspaceId });
    p.viewers.set(userId, viewer);
  }
  return viewer;
}

async function canRead(p: Planner, userId: number, goalId: number): Promise<boolean> {
  const key = `${userId}:${goalId}`;
  const known = p.readable.get(key);
  if (known !== undefined) return known;
  const user = p.users.get(userId);
  let ok = false;
  if (user) {
    const viewer = await viewerFor(p, userId, user.workspaceId);
    ok = (await plans.findGoal(p.db, viewer, goalId)) !== undefined;
  }
  p.readable.set(key, ok);
  return ok;
}

function localToday(p: Planner, userId: number): string {
  const s = p.settings.get(userId);
  return localTime(p.now, s?.timeZone ?? "UTC").date;
}

/**
 * When a step with a time of day is nudged on its due day: that time on the owner's wall clock
 * (queued once the planner runs at or after it, so a time changed earlier that day is honoured).
 */
function timedNudgeAt(p: Planner, userId: number, dueDate: string, dueTime: string | null): Date | null {
  if (dueTime === null) return null;
  return zonedTime(dueDate, dueTime, p.settings.get(userId)?.timeZone ?? "UTC");
}

/** The nudge fields a message fills in. */
function worded(m: say.Message): Pick<NudgePayload, "title" | "message" | "lines"> {
  return { title: m.title, message: m.text, lines: m.lines ?? [] };
}

async function queue(p: Planner, key: string, nudge: NudgePayload, runAt: Date = p.now): Promise<void> {
  const added = await jobs.enqueueJob(p.db, {
    kind: NUDGE_JOB,
    runAt: runAt.toISOString(),
    payload: nudge,
    dedupeKey: key,
    createdAt: p.now.toISOString(),
  });
  if (added) p.queued++;
}

/**
 * Looks at the whole database as of `now` and queues every nudge that is due and was not queued
 * before. Running it twice queues nothing new: each nudge has a dedupe key naming its occurrence
 * (`step-due-tomorrow:<stepId>:<dueDate>`, `weekly-prompt:<userId>:<localDay>`, ...).
 */
export async function planNudges(
  ctx: AppContext,
  now: Date = ctx.now(),
  opts: PlanOptions = {},
): Promise<{ queued: number }> {
  const p = await plannerAt(ctx, now);
  await planStallScans(p);
  await planSteps(p);
  await planCheckins(p);
  await planStalls(p, await recentEvents(p, "goal.stalled"));
  await planObstacles(p, await recentEvents(p, "checkin.created"));
  await planWeekly(p);
  if (opts.forwardNotices ?? true) await planNoticeEmails(p);
  // Each person's weekly review email, on their chosen day and hour (issue 19).
  p.queued += await planWeeklyReviews(ctx, now);
  return { queued: p.queued };
}

async function plannerAt(ctx: AppContext, now: Date): Promise<Planner> {
  const db = ctx.store.db;
  const users = new Map((await people.allContacts(db)).map((u) => [u.id, u]));
  return {
    ctx,
    db,
    now,
    users,
    settings: await nudgeSettingsOf(db, [...users.keys()]),
    viewers: new Map(),
    facts: new Map(),
    readable: new Map(),
    queued: 0,
  };
}

// --- issue 17, perf: a tick costs what changed ---

/** The planner's name in `planner_state`. */
export const NUDGE_PLANNER = "nudges";
/** Most events (and notices) one tick plans from; the rest wait for the next tick. */
const EVENTS_PER_TICK = 2000;

/**
 * The slot a full pass belongs to: the UTC quarter hour. Every time zone's local hour (and so its
 * day, and the weekly prompt's hour) changes on a quarter hour, so one full pass per slot sees each
 * zone's new day and hour when it comes.
 */
export function plannerSlot(now: Date): string {
  const iso = now.toISOString();
  return `${iso.slice(0, 14)}${String(Math.floor(now.getUTCMinutes() / 15) * 15).padStart(2, "0")}`;
}

/** What one tick of the planner did. */
export interface PlanTick {
  /** False when another instance was planning (PostgreSQL's advisory lock was taken). */
  planned: boolean;
  /** A full pass (the slot changed, or the first run), else only what came after the cursors. */
  full: boolean;
  /** Events and notices planned from after the cursors. */
  changes: number;
  queued: number;
}

/**
 * One tick of the planner, costing what changed: a full pass ({@link planNudges}) when the slot
 * (the UTC quarter hour, see {@link plannerSlot}) changed since the last, else only the events and
 * notices written after the cursors — the goals they name have their step and check-in reminders
 * planned again, stalls and obstacles hit are told, notices forwarded — and nothing when nothing
 * was written (one query). Only one instance plans at a time (`withPlannerLock`); every instance
 * may deliver. The dedupe keys keep each nudge once whatever plans it; the full pass's look-back
 * also catches an event a cursor passed over (on PostgreSQL an id can commit after a later one).
 */
export async function planTick(
  ctx: AppContext,
  now: Date = ctx.now(),
  opts: PlanOptions = {},
): Promise<PlanTick> {
  const db = ctx.store.db;
  const ran = await planner.withPlannerLock(db, ctx.store.dialect, async (): Promise<PlanTick> => {
    const state = await planner.plannerState(db, NUDGE_PLANNER);
    const slot = plannerSlot(now);
    if (!state || state.slot !== slot) {
      // The log's ends before the pass: what is written during it is planned from on the next tick.
      const ends = await planner.logEnds(db);
      const { queued } = await planNudges(ctx, now, opts);
      await planner.savePlannerState(db, NUDGE_PLANNER, { ...ends, slot }, now.toISOString());
      return { planned: true, full: true, changes: 0, queued };
    }
    if (!state.changed) return { planned: true, full: false, changes: 0, queued: 0 };
    const [events, notes] = await Promise.all([
      planner.eventsAfterId(db, state.eventId, EVENTS_PER_TICK),
      planner.noticesAfterId(db, state.noticeId, EVENTS_PER_TICK),
    ]);
    const p = await plannerAt(ctx, now);
    const goalIds = new Set<number>();
    for (const e of events) {
      const goalId = Number(e.payload.goalId ?? (e.subjectType === "goal" ? e.subjectId : Number.NaN));
      if (Number.isInteger(goalId)) goalIds.add(goalId);
    }
    if (goalIds.size > 0) {
      await planSteps(p, [...goalIds]);
      await planCheckins(p, [...goalIds]);
    }
    await planStalls(
      p,
      events.filter((e) => e.type === "goal.stalled"),
    );
    await planObstacles(
      p,
      events.filter((e) => e.type === "checkin.created"),
    );
    if (opts.forwardNotices ?? true) await planNoticeEmails(p, notes);
    await planner.savePlannerState(
      db,
      NUDGE_PLANNER,
      {
        eventId: events.at(-1)?.id ?? state.eventId,
        noticeId: notes.at(-1)?.id ?? state.noticeId,
        slot,
      },
      now.toISOString(),
    );
    return { planned: true, full: false, changes: events.length + notes.length, queued: p.queued };
  });
  return ran ?? { planned: false, full: false, changes: 0, queued: 0 };
}

async function planStallScans(p: Planner): Promise<void> {
  const day = p.now.toISOString().slice(0, 10);
  for (const workspaceId of await people.workspaceIds(p.db)) {
    const added = await jobs.enqueueJob(p.db, {
      kind: STALL_SCAN_JOB,
      runAt: p.now.toISOString(),
      payload: { workspaceId, day },
      dedupeKey: `stall-scan:${workspaceId}:${day}`,
      createdAt: p.now.toISOString(),
    });
    if (added) p.queued++;
  }
}

async function planSteps(p: Planner, goalIds?: readonly number[]): Promise<void> {
  const utc = p.now.toISOString().slice(0, 10);
  const rows = await plans.openStepsDueBetween(
    p.db,
    engine.addDays(utc, -(OVERDUE_LOOKBACK_DAYS + 2)),
    engine.addDays(utc, 2),
    goalIds,
  );
  for (const r of rows) {
    if (r.dueDate === null) continue;
    const userId = r.ownerId ?? r.goalOwnerId;
    const kind = stepNudge(r.dueDate, localToday(p, userId));
    // A step with a time of day (issue 19) is nudged on its day at that time, not at the day's start.
    const at = kind === "step-due-today" ? timedNudgeAt(p, userId, r.dueDate, r.dueTime ?? null) : null;
    if (at !== null && at.getTime() > p.now.getTime()) continue;
    if (kind === null || !(await canRead(p, userId, r.goalId))) continue;
    await queue(
      p,
      `${kind}:${r.stepId}:${r.dueDate}`,
      {
        workspaceId: r.workspaceId,
        userId,
        kind,
        subject: { type: "step", id: r.stepId },
        ...worded(
          say.stepDue(kind, {
            text: r.text,
            goalTitle: r.title,
            dueDate: r.dueDate,
            dueTime: r.dueTime ?? null,
          }),
        ),
        link: `/goals/${r.goalId}#step-${r.stepId}`,
        data: { stepId: r.stepId, goalId: r.goalId, dueDate: r.dueDate, dueTime: r.dueTime ?? null },
      },
      at ?? p.now,
    );
  }
}

async function planCheckins(p: Planner, goalIds?: readonly number[]): Promise<void> {
  for (const g of await activeGoalsWithLastCheckin(p.db, goalIds)) {
    const today = localToday(p, g.ownerId);
    if (g.startDate > today) continue;
    const n = checkinNudge(
      { lastCheckin: g.lastCheckin, startDate: g.startDate, cadenceDays: g.cadenceDays },
      today,
    );
    if (!n) continue;
    await queue(p, `${n.kind}:${g.id}:${n.dueDay}`, {
      workspaceId: g.workspaceId,
      userId: g.ownerId,
      kind: n.kind,
      subject: { type: "goal", id: g.id },
      ...worded(say.checkinReminder(n.kind === "checkin-missed", { title: g.title, dueDay: n.dueDay })),
      link: `/goals/${g.id}/check-in`,
      data: { goalId: g.id, dueDay: n.dueDay },
    });
  }
}

function recentEvents(p: Planner, type: string): Promise<LoggedEvent[]> {
  const since = new Date(p.now.getTime() - EVENT_LOOKBACK_MS).toISOString();
  return eventsOfTypeBetween(p.db, type, since, p.now.toISOString());
}

async function planStalls(p: Planner, events: readonly LoggedEvent[]): Promise<void> {
  for (const e of events) {
    const goalId = Number(e.payload.goalId ?? e.subjectId);
    const goal = await plans.goalHeader(p.db, goalId);
    if (goal?.status !== "active") continue;
    const stall = say.stallOf(goal, e.payload);
    const recipients = [goal.ownerId, ...(await leadersOf(p, goal))];
    for (const userId of recipients) {
      if (!(await canRead(p, userId, goal.id))) continue;
      const isOwner = userId === goal.ownerId;
      await queue(p, `goal-stalled:${e.id}:${userId}`, {
        workspaceId: e.workspaceId,
        userId,
        kind: "goal-stalled",
        subject: { type: "goal", id: goal.id },
        ...worded(say.goalStalled(stall, isOwner ? "owner" : "leader")),
        link: `/goals/${goal.id}`,
        data: { goalId: goal.id, eventId: e.id, reasons: stall.reasons, role: isOwner ? "owner" : "leader" },
      });
    }
  }
}

/**
 * The people who lead a goal's owner (policy "person.lead"): the owners and leaders of the teams the
 * owner is in and of the goal's team, never the owner. Only they are prompted to agree a micro-goal.
 */
async function leadersOf(
  p: Planner,
  goal: { workspaceId: number; ownerId: number; teamId: number | null },
): Promise<number[]> {
  const led = await ledOwner(p, goal);
  const teams = new Set([...led.teamIds, ...(goal.teamId === null ? [] : [goal.teamId])]);
  const candidates = new Set<number>();
  for (const teamId of teams) for (const id of await people.teamLeaderIds(p.db, teamId)) candidates.add(id);
  const leaders: number[] = [];
  for (const userId of candidates) if (await leads(p, userId, led)) leaders.push(userId);
  return leaders;
}

/** A goal's owner as the policy's "person.lead" sees them: their teams and the goal's team. */
async function ledOwner(
  p: Planner,
  goal: { workspaceId: number; ownerId: number; teamId: number | null },
): Promise<LedPerson> {
  const teamIds = (await viewerFor(p, goal.ownerId, goal.workspaceId)).teamIds;
  return { workspaceId: goal.workspaceId, userId: goal.ownerId, teamIds, goalTeamId: goal.teamId };
}

/** Whether a person leads someone (policy "person.lead"), with their facts loaded once per run. */
async function leads(p: Planner, userId: number, led: LedPerson): Promise<boolean> {
  let facts = p.facts.get(userId);
  if (!facts) {
    facts = await actorFacts(p.db, { userId, workspaceId: led.workspaceId });
    p.facts.set(userId, facts);
  }
  return can(facts, "person.lead", led);
}

async function findPersonByName(p: Planner, workspaceId: number, name: string): Promise<number | null> {
  const wanted = name.trim().toLowerCase();
  if (wanted === "") return null;
  const matches = [...p.users.values()].filter(
    (u) =>
      u.workspaceId === workspaceId &&
      (u.name.trim().toLowerCase() === wanted || u.email?.toLowerCase() === wanted),
  );
  // An ambiguous name reaches nobody rather than the wrong person.
  return matches.length === 1 ? (matches[0] as Recipient).id : null;
}

async function planObstacles(p: Planner, events: readonly LoggedEvent[]): Promise<void> {
  for (const e of events) {
    const hit = Array.isArray(e.payload.barriersHit) ? (e.payload.barriersHit as number[]) : [];
    if (hit.length === 0) continue;
    const goalId = Number(e.payload.goalId);
    const goal = await plans.goalHeader(p.db, goalId);
    if (!goal) continue;
    const [barriers, resources] = await Promise.all([
      plans.barriersOf(p.db, goalId),
      plans.personResourcesOf(p.db, goalId),
    ]);
    const author = e.actorId === null ? "Someone" : (p.users.get(e.actorId)?.name ?? "Someone");
    for (const barrierId of hit) {
      const barrier = barriers.find((b) => b.id === barrierId);
      if (!barrier) continue;
      for (const r of resources) {
        const userId = r.userId ?? (await findPersonByName(p, e.workspaceId, r.name));
        if (userId === null || userId === e.actorId || !(await canRead(p, userId, goal.id))) continue;
        await queue(p, `obstacle-hit:${e.id}:${barrierId}:${userId}`, {
          workspaceId: e.workspaceId,
          userId,
          kind: "obstacle-hit",
          subject: { type: "goal", id: goal.id },
          ...worded(
            say.obstacleHit({
              author,
              goalTitle: goal.title,
              obstacle: barrier.obstacle,
              planB: barrier.planB,
              ask: r.ask,
            }),
          ),
          link: `/goals/${goal.id}`,
          data: { goalId: goal.id, barrierId, checkinId: e.subjectId, ask: r.ask },
        });
      }
    }
  }
}

async function planWeekly(p: Planner): Promise<void> {
  const leadRows = await people.teamLeaderships(p.db);
  for (const user of p.users.values()) {
    const s = p.settings.get(user.id);
    if (!s) continue;
    const day = weeklyOccurrence(p.now, { timeZone: s.timeZone, day: s.weeklyDay, hour: s.weeklyHour });
    if (day === null) continue;
    const actor: Actor = { userId: user.id, workspaceId: user.workspaceId };
    const promptKey = `weekly-prompt:${user.id}:${day}`;
    const teams = leadRows.filter((l) => l.userId === user.id);
    const digestKeys = teams.map((t) => `weekly-digest:${user.id}:${t.teamId}:${day}`);
    const known = await jobs.existingDedupeKeys(p.db, [promptKey, ...digestKeys]);
    if (!known.has(promptKey)) {
      const prompt = await weeklyPrompt(p, actor, day);
      if (prompt) await queue(p, promptKey, prompt);
    }
    for (const t of teams) {
      const key = `weekly-digest:${user.id}:${t.teamId}:${day}`;
      if (known.has(key)) continue;
      await queue(p, key, await weeklyDigest(p, actor, { id: t.teamId, name: t.teamName }, day));
    }
  }
}

async function weeklyPrompt(p: Planner, actor: Actor, day: string): Promise<NudgePayload | null> {
  const viewer = await viewerOf(p.db, actor);
  const goals = (await ft.visibleGoalsOf(p.db, viewer, ["active"])).filter((g) => g.ownerId === actor.userId);
  if (goals.length === 0) return null;
  const ids = goals.map((g) => g.id);
  const [steps, modes] = await Promise.all([ft.stepsOfGoals(p.db, ids), ft.currentModeStates(p.db, ids)]);
  // The same next step the goal's status shows: in micro-goal mode its one step, or the prompt.
  const next = goals.map((g) => {
    const first = engine.nextSteps(g, steps, modes.get(g.id)?.mode ?? "normal")[0];
    if (first === undefined) return { title: g.title, nextStep: null };
    return engine.isMicroPrompt(first)
      ? { title: g.title, nextStep: null, prompt: first.prompt }
      : { title: g.title, nextStep: first.text };
  });
  return {
    workspaceId: actor.workspaceId,
    userId: actor.userId,
    kind: "weekly-prompt",
    subject: { type: "user", id: actor.userId },
    ...worded(say.weeklyPrompt(next)),
    link: "/",
    data: { day, goalIds: goals.map((g) => g.id) },
  };
}

/**
 * A leader's weekly digest of one team for the 7 days ending on `day`: the team's follow-through
 * rate, its stalled goals, misses and wins — only goals the leader may read.
 */
async function weeklyDigest(
  p: Planner,
  actor: Actor,
  team: { id: number; name: string },
  day: string,
): Promise<NudgePayload> {
  const viewer = await viewerOf(p.db, actor);
  const goals: Goal[] = (await ft.visibleGoalsOf(p.db, viewer, ["active", "done"])).filter(
    (g) => g.teamId === team.id,
  );
  const ids = new Set(goals.map((g) => g.id));
  const from = engine.addDays(day, -6);
  const [steps, occurrences, due] = await Promise.all([
    ft.stepsOfGoals(p.db, [...ids]),
    ft.occurrencesOfGoals(p.db, [...ids], { from, to: day }),
    ft.commitmentsDueIn(p.db, actor.workspaceId, from, day),
  ]);
  const commitments = due.filter((c) => c.goalId !== null && ids.has(c.goalId));
  const rate = engine.followThrough({ goals, steps, occurrences, commitments }, { from, to: day }, day);
  const report = await followThroughReport(p.ctx, actor, { asOf: day, weeks: 1 });
  const stalled = report.stalled.filter((s) => ids.has(s.goalId));
  // The prompt to agree a micro-goal is for whoever leads the goal's owner: not a leader's own goal.
  const prompts = new Map<number, string | null>();
  for (const s of stalled) {
    const goal = { workspaceId: actor.workspaceId, ownerId: s.ownerId, teamId: team.id };
    prompts.set(s.goalId, (await leads(p, actor.userId, await ledOwner(p, goal))) ? s.leaderPrompt : null);
  }
  const wins = report.wins.filter((w) => ids.has(w.goalId));
  const stepText = new Map(steps.map((s) => [s.id, s.text]));
  const commitmentText = new Map(commitments.map((c) => [c.id, c.text]));
  const misses = rate.items
    .filter((i) => i.outcome === "missed")
    .map((i) => ({
      name: p.users.get(i.userId)?.name ?? "Someone",
      text: (i.kind === "step" ? stepText.get(i.id) : commitmentText.get(i.id)) ?? `${i.kind} ${i.id}`,
      dueDate: i.dueDate,
    }));
  const digest = say.weeklyDigest({
    teamName: team.name,
    from,
    to: day,
    followThroughRate: rate.followThroughRate,
    kept: rate.kept,
    missed: rate.missed,
    pending: rate.pending,
    stalled: stalled.map((s) => ({ title: s.title, leaderPrompt: prompts.get(s.goalId) ?? null })),
    misses,
    wins: wins.map((w) => w.text),
  });
  return {
    workspaceId: actor.workspaceId,
    userId: actor.userId,
    kind: "weekly-digest",
    subject: { type: "team", id: team.id },
    ...worded(digest),
    link: "/team",
    data: {
      teamId: team.id,
      from,
      to: day,
      followThroughRate: rate.followThroughRate,
      kept: rate.kept,
      missed: rate.missed,
      stalled: stalled.map((s) => s.goalId),
      wins: wins.length,
    },
  };
}

async function planNoticeEmails(p: Planner, only?: readonly notices.NoticeRow[]): Promise<void> {
  const since = new Date(p.now.getTime() - EVENT_LOOKBACK_MS).toISOString();
  for (const n of only ?? (await notices.noticesOtherThanNudgesSince(p.db, since))) {
    await queue(p, `notice:${n.id}`, {
      workspaceId: n.workspaceId,
      userId: n.userId,
      kind: "notice",
      subject: { type: n.subjectType, id: n.subjectId },
      ...worded(say.forwardedNotice(n.message)),
      link: noticeLink(n),
      data: { notificationId: n.id, type: n.type },
      only: ["email", "slack", "teams"],
    });
  }
}

/**
 * Evaluates every active goal of a workspace for today, as its owner would see it, so a goal that
 * stalled enters micro-goal mode (and `goal.stalled` is appended) even when nobody opened it.
 */
export async function scanStalls(ctx: AppContext, workspaceId: number): Promise<number> {
  const goals = await plans.activeGoalOwners(ctx.store.db, workspaceId);
  for (const g of goals) await goalStatus(ctx, { userId: g.ownerId, workspaceId }, g.id);
  return goals.length;
}

/** The person a nudge goes to, or undefined when they no longer exist. */
export async function recipientOf(ctx: AppContext, userId: number): Promise<Recipient | undefined> {
  return people.contactOf(ctx.store.db, userId);
}

/** A person's notification settings. */
export async function settingsFor(ctx: AppContext, userId: number): Promise<NudgeSettings> {
  return (await nudgeSettingsOf(ctx.store.db, [userId])).get(userId) as NudgeSettings;
}

/**
 * Puts a nudge in the person's in-app inbox exactly once: the delivery record (unique key
 * `job:<id>:inbox`) and the notice are written in one transaction, so a retry after a crash either
 * finds the record and adds nothing, or finds neither and adds both.
 */
export async function deliverToInbox(
  ctx: AppContext,
  jobId: number,
  n: NudgePayload,
  now: Date,
): Promise<boolean> {
  return ctx.store.db.transaction().execute(async (trx) => {
    const key = `job:${jobId}:inbox`;
    const inserted = await jobs.insertDelivery(trx, {
      jobId,
      notificationId: null,
      channel: "inbox",
      userId: n.userId,
      recipient: String(n.userId),
      idempotencyKey: key,
      state: "sent",
      messageId: null,
      createdAt: now.toISOString(),
      sentAt: now.toISOString(),
    });
    if (!inserted) return false;
    const noticeId = await notices.insertNotice(trx, {
      workspaceId: n.workspaceId,
      userId: n.userId,
      type: `nudge.${n.kind}`,
      subjectType: n.subject.type,
      subjectId: n.subject.id,
      message: n.lines.length ? `${n.message}\n${n.lines.join("\n")}` : n.message,
      payloadJson: JSON.stringify({ title: n.title, link: n.link, ...n.data }),
      createdAt: now.toISOString(),
    });
    await jobs.linkDeliveryToNotice(trx, key, noticeId);
    return true;
  });
}
