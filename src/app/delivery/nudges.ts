/**
 * Nudges: the planner that decides who should be reminded of what (steps due tomorrow, today or
 * overdue; check-ins due or missed; a goal that stalled; an obstacle hit; the weekly "one small
 * step" prompt; the leaders' weekly digest; and the in-app notices forwarded by email), and queues
 * each once under a dedupe key. The scheduler (src/jobs) runs the queue; the in-app delivery is
 * here, exactly once per nudge.
 *
 * What a tick plans (issue 17, `planTick`): a full pass over everyone (`planNudges`) only on the
 * planner's first run ever; on each new UTC quarter hour (and on the first tick after a restart)
 * only the people whose zone passed midnight since the last slot (their step and check-in
 * reminders), whose weekly prompt / digest / review hour came, whose timed step's time came, or who
 * changed their settings (`planZones`); and between slots only what the events and notices after
 * the cursors name. Every path uses the same dedupe keys.
 */
import type { Kysely } from "kysely";
import * as engine from "../../core/engine/index.js";
import {
  checkinNudge,
  isTimeZone,
  type LocalTime,
  localTime,
  type NudgeKind,
  OVERDUE_LOOKBACK_DAYS,
  stepNudge,
  weeklyOccurrence,
} from "../../core/nudges.js";
import { zonedTime } from "../../core/time-of-day.js";
import type { Goal } from "../../core/types.js";
import { type DialectName, plannerDb } from "../../store/db.js";
import { activeGoalsWithLastCheckin } from "../../store/repos/checkins.js";
import { eventsOfTypeBetween, type LoggedEvent } from "../../store/repos/events.js";
import * as ft from "../../store/repos/followthrough.js";
import * as jobs from "../../store/repos/jobs.js";
import * as notices from "../../store/repos/notifications.js";
import * as people from "../../store/repos/people.js";
import * as planner from "../../store/repos/planner.js";
import * as plans from "../../store/repos/plans.js";
import { clockGroups, clocksOf, reviewClocks } from "../../store/repos/settings.js";
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
  /** Each time zone's local date at `now`, worked out once per run (issue 17, sched17). */
  days: Map<string, string>;
  /** Step and check-in reminders the run found already queued, so it wrote nothing for them. */
  known: number;
  /**
   * The people `users` and `settings` were read for, or null when they hold everyone the run plans
   * (a full pass, a slot change). The cursor path reads only the people the changed goals concern,
   * as it comes to them ({@link meet}): reading everyone cost ~126 ms a tick at 10,000 people
   * (issue 17, sched19).
   */
  met: Set<number> | null;
  /** Each workspace's people, read on the cursor path only when an obstacle names a helper. */
  workspaces: Map<number, Recipient[]>;
}

/**
 * Reads the contacts and settings of those of these people the run has not read yet (one statement
 * each, whatever their number): on the cursor path, before their goals' reminders are planned.
 */
async function meet(p: Planner, userIds: Iterable<number | null>): Promise<void> {
  const met = p.met;
  if (met === null) return;
  const missing = new Set<number>();
  for (const id of userIds) if (id !== null && !met.has(id)) missing.add(id);
  if (missing.size === 0) return;
  for (const id of missing) met.add(id);
  const ids = [...missing];
  const [contacts, settings] = await Promise.all([people.contactsOf(p.db, ids), nudgeSettingsOf(p.db, ids)]);
  for (const c of contacts) p.users.set(c.id, c);
  for (const [id, s] of settings) p.settings.set(id, s);
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
  await meet(p, [userId]);
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
  const tz = p.settings.get(userId)?.timeZone ?? "UTC";
  let day = p.days.get(tz);
  if (day === undefined) {
    day = localTime(p.now, tz).date;
    p.days.set(tz, day);
  }
  return day;
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

/**
 * A slice's reminders, written in one statement (per 100) when it ends: one commit instead of one a
 * reminder, so a zone's midnight holds SQLite's writer for less (issue 17, sched19).
 */
interface Batch {
  p: Planner;
  jobs: jobs.NewJob[];
}

function add(b: Batch, key: string, nudge: NudgePayload, runAt: Date = b.p.now): void {
  b.jobs.push({
    kind: NUDGE_JOB,
    runAt: runAt.toISOString(),
    payload: nudge,
    dedupeKey: key,
    createdAt: b.p.now.toISOString(),
  });
}

async function flush(b: Batch): Promise<void> {
  if (b.jobs.length === 0) return;
  b.p.queued += await jobs.enqueueJobs(b.p.db, b.jobs);
  b.jobs = [];
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
): Promise<{ queued: number; people: number }> {
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
  return { queued: p.queued, people: p.users.size };
}

/**
 * A run's planner. `everyone` (the full pass) reads every person's contact and settings first; the
 * cursor path reads them as it comes to them ({@link meet}).
 */
async function plannerAt(ctx: AppContext, now: Date, everyone = true): Promise<Planner> {
  const db = ctx.store.db;
  const users = new Map(everyone ? (await people.allContacts(db)).map((u) => [u.id, u]) : []);
  return {
    ctx,
    db,
    now,
    users,
    settings: everyone ? await nudgeSettingsOf(db, [...users.keys()]) : new Map(),
    viewers: new Map(),
    facts: new Map(),
    readable: new Map(),
    queued: 0,
    days: new Map(),
    known: 0,
    met: everyone ? null : new Set(),
    workspaces: new Map(),
  };
}

// A tick costs what changed

/** The planner's name in `planner_state`. */
export const NUDGE_PLANNER = "nudges";
/**
 * Most notices one tick forwards, and most events one statement of the cursor path reads (grouped
 * by goal in the database, {@link planner.eventChanges}); the rest wait for the next tick.
 */
const EVENTS_PER_TICK = 2000;
/**
 * Most statements of {@link EVENTS_PER_TICK} events one tick reads: 50, i.e. 100,000 events, so a
 * backlog after a burst (or a sustained load above 2,000 events between two ticks) drains in the
 * next tick instead of falling behind for good; each statement costs ~1 µs of the database's time
 * per event and waiting requests run between two (issue 17, tick24).
 */
const EVENT_PAGES_PER_TICK = 50;
/**
 * Most goals one tick plans (as many as the events it read before tick24): a tick stops reading
 * events once they named this many, so a burst over many goals is planned over several ticks.
 */
const GOALS_PER_TICK = 2000;

/**
 * The planner's slot: the UTC quarter hour. Every time zone's local hour (and so its day, and the
 * weekly prompt's hour) changes on a quarter hour, so looking once per slot at which zones' day or
 * hour changed since the last slot sees each one when it comes.
 */
export function plannerSlot(now: Date): string {
  const iso = now.toISOString();
  return `${iso.slice(0, 14)}${String(Math.floor(now.getUTCMinutes() / 15) * 15).padStart(2, "0")}`;
}

/** The instant a slot (see {@link plannerSlot}) begins. */
export function slotStart(slot: string): Date {
  return new Date(`${slot}:00.000Z`);
}

/** What one tick of the planner did. */
export interface PlanTick {
  /** False when another instance was planning (PostgreSQL's advisory lock was taken). */
  planned: boolean;
  /** A full pass over everyone (only the first run ever: no stored state). */
  full: boolean;
  /** Events and notices planned from after the cursors. */
  changes: number;
  queued: number;
  /**
   * How many people the tick planned by the clock: everyone on a full pass; on a slot change those
   * whose local day or weekly hour (prompt, digest, review) came, or whose timed step's time came, or
   * who changed their settings; 0 otherwise.
   */
  people: number;
  /**
   * On the cursor path, the step and check-in reminders of the changed goals that were already
   * queued: checked in one read, nothing written (issue 17, sched17).
   */
  known: number;
}

/** How many event (and notice) ids back a slot change on PostgreSQL plans again (see planTick). */
const REPLAY_IDS = 200;

/**
 * One tick of the planner, costing what changed (issue 17):
 *
 * - First run ever (no `planner_state` row): a full pass ({@link planNudges}).
 * - When the slot (the UTC quarter hour, {@link plannerSlot}) changed since the stored one — on the
 *   next quarter hour, or on the first tick after a restart — only the people for whom the clock
 *   changed something since the stored slot ({@link planZones}): people are grouped by time zone,
 *   and those whose zone passed midnight get their step and check-in reminders planned; those whose
 *   weekly prompt / digest / review hour came get those. A slot where no zone passed midnight and
 *   nobody's hour came reads the settings (and the few timed steps due around today) and plans
 *   nobody. A restart is not a full pass: it plans the zones whose day changed since the stored slot.
 * - The events and notices written after the cursors, whatever the slot: the goals they name have
 *   their step and check-in reminders planned again, stalls and obstacles hit are told, notices
 *   forwarded — and nothing when nothing was written (one query).
 *
 * Only one instance plans at a time (`withPlannerLock`); every instance may deliver. The dedupe
 * keys keep each nudge once whatever plans it. On PostgreSQL an id can commit after a later one, so
 * a cursor may pass over an event: each slot change there plans again the last {@link REPLAY_IDS}
 * events and notices before the cursors written since the previous slot (the dedupe keys make it
 * harmless).
 */
export async function planTick(
  ctx: AppContext,
  now: Date = ctx.now(),
  opts: PlanOptions = {},
): Promise<PlanTick> {
  // sched25: on PostgreSQL the lock and the cursor path go through the planner's own connection
  // (`plannerDb`), not one of the requests' pool.
  const ran = await planner.withPlannerLock(
    plannerDb(ctx.store),
    ctx.store.dialect,
    async (db): Promise<PlanTick> => {
      // The cursor path (every tick under load) runs its queries through the lock's connection on
      // PostgreSQL, so it takes no more of the pool the requests beside it wait for (tick23); it opens
      // no transaction, which one connection would deadlock on. The rarer paths (a full pass, a slot
      // change, whose weekly digests and reports open transactions) keep using the pool.
      const locked: AppContext = db === ctx.store.db ? ctx : { ...ctx, store: { ...ctx.store, db } };
      const state = await planner.plannerState(db, NUDGE_PLANNER);
      const slot = plannerSlot(now);
      if (!state) {
        // The log's ends before the pass: what is written during it is planned from on the next tick.
        const ends = await planner.logEnds(db);
        const { queued, people } = await planNudges(ctx, now, opts);
        await planner.savePlannerState(db, NUDGE_PLANNER, { ...ends, slot }, now.toISOString());
        return { planned: true, full: true, changes: 0, queued, people, known: 0 };
      }
      const slotChanged = state.slot !== slot;
      if (!slotChanged && !state.changed)
        return { planned: true, full: false, changes: 0, queued: 0, people: 0, known: 0 };
      let queued = 0;
      let people = 0;
      if (slotChanged) {
        const since = slotStart(state.slot);
        const zones = await planZones(ctx, since, now);
        queued += zones.queued;
        people = zones.people;
        if (ctx.store.dialect === "postgres") queued += await replayBefore(ctx, now, state, since, opts);
      }
      const tally = { known: 0 };
      let events: planner.EventChanges = NO_EVENTS;
      let notes: notices.NoticeRow[] = [];
      if (state.changed) {
        // One after the other: on PostgreSQL both go through the lock's one connection.
        events = await eventsAfter(db, ctx.store.dialect, state.eventId);
        notes = await planner.noticesAfterId(db, state.noticeId, EVENTS_PER_TICK);
        queued += await planChanges(locked, now, events, notes, opts, tally);
      }
      await planner.savePlannerState(
        db,
        NUDGE_PLANNER,
        {
          eventId: events.lastId ?? state.eventId,
          noticeId: notes.at(-1)?.id ?? state.noticeId,
          slot,
        },
        now.toISOString(),
      );
      const changes = events.count + notes.length;
      return { planned: true, full: false, changes, queued, people, known: tally.known };
    },
  );
  return ran ?? { planned: false, full: false, changes: 0, queued: 0, people: 0, known: 0 };
}

/**
 * How many goals' reminders the cursor path plans before it lets waiting requests in: 20, not 50,
 * since a slice of 50 held the event loop 80–180 ms on the loaded bench machine (issue 17, sched20).
 */
export const GOALS_PER_SLICE = 20;

const NO_EVENTS: planner.EventChanges = { count: 0, lastId: null, goals: new Map(), told: [] };

/**
 * What the events after the cursor ask to plan: a statement per {@link EVENTS_PER_TICK} events,
 * grouped by goal in the database (no payload read but the few told from), with waiting requests let
 * in between, until the log's end, {@link EVENT_PAGES_PER_TICK} statements, or
 * {@link GOALS_PER_TICK} goals. Before tick24 every event was read whole and its payload parsed, 250
 * a statement, and a tick stopped at 2,000 events whatever they named (issue 17).
 */
async function eventsAfter(
  db: Kysely<Database>,
  dialect: DialectName,
  afterId: number,
): Promise<planner.EventChanges> {
  const out: planner.EventChanges = { count: 0, lastId: null, goals: new Map(), told: [] };
  let from = afterId;
  for (let page = 0; page < EVENT_PAGES_PER_TICK && out.goals.size < GOALS_PER_TICK; page++) {
    if (page > 0) await breathe();
    const run = await planner.eventChanges(db, dialect, { afterId: from, limit: EVENTS_PER_TICK });
    merge(out, run);
    if (run.count < EVENTS_PER_TICK || run.lastId === null) break;
    from = run.lastId;
  }
  return out;
}

/** Adds a later run of events' changes to `into`. */
function merge(into: planner.EventChanges, run: planner.EventChanges): void {
  into.count += run.count;
  if (run.lastId !== null) into.lastId = run.lastId;
  for (const [goalId, g] of run.goals) {
    const seen = into.goals.get(goalId);
    into.goals.set(goalId, { checkinsOnly: g.checkinsOnly && (seen?.checkinsOnly ?? true) });
  }
  into.told.push(...run.told);
}

/** How many people's reminders a zone's new day plans before it lets waiting requests in. */
const PEOPLE_PER_SLICE = 50;

function* slices<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Waits one turn of the event loop, so requests queued behind the planner run. */
export function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Plans from events and notices (the cursor path): the goals the events name have their step and
 * check-in reminders planned again, stalls and obstacles hit are told, notices forwarded.
 */
async function planChanges(
  ctx: AppContext,
  now: Date,
  events: planner.EventChanges,
  notes: readonly notices.NoticeRow[],
  opts: PlanOptions,
  tally?: { known: number },
): Promise<number> {
  if (events.goals.size === 0 && events.told.length === 0 && notes.length === 0) return 0;
  // Only the people the changed goals concern are read (issue 17, sched19).
  const p = await plannerAt(ctx, now, false);
  // A few goals at a time, letting waiting requests in between: SQLite's statements run
  // synchronously, so one pass over a busy tick's thousands of goals would hold every request.
  for (const slice of slices([...events.goals], GOALS_PER_SLICE)) {
    // A goal only checked in has its check-in reminder planned again, not its steps' (tick24).
    const stepGoals = slice.filter(([, g]) => !g.checkinsOnly).map(([id]) => id);
    if (stepGoals.length > 0) await planSteps(p, stepGoals);
    await planCheckins(
      p,
      slice.map(([id]) => id),
    );
    await breathe();
  }
  await planStalls(
    p,
    events.told.filter((e) => e.type === "goal.stalled"),
  );
  await planObstacles(
    p,
    events.told.filter((e) => e.type === "checkin.created"),
  );
  if (opts.forwardNotices ?? true) await planNoticeEmails(p, notes);
  if (tally) tally.known += p.known;
  return p.queued;
}

/**
 * PostgreSQL only: the events and notices just before the cursors (at most {@link REPLAY_IDS} ids
 * back) written since a slot before `since`, planned again, so one that committed after a later id
 * (which the cursor had passed) is not lost.
 */
async function replayBefore(
  ctx: AppContext,
  now: Date,
  state: { eventId: number; noticeId: number },
  since: Date,
  opts: PlanOptions,
): Promise<number> {
  const db = ctx.store.db;
  const from = new Date(since.getTime() - 15 * 60_000).toISOString();
  const [events, notes] = await Promise.all([
    planner.eventChanges(db, ctx.store.dialect, {
      afterId: Math.max(0, state.eventId - REPLAY_IDS),
      upToId: state.eventId,
      since: from,
      limit: REPLAY_IDS,
    }),
    planner.noticesAfterId(db, Math.max(0, state.noticeId - REPLAY_IDS), REPLAY_IDS),
  ]);
  return planChanges(
    ctx,
    now,
    events,
    notes.filter((n) => n.id <= state.noticeId && n.createdAt >= from),
    opts,
  );
}

/** Whom a slot change plans, by what came for them since the last slot. */
interface DuePeople {
  /** Their local day changed (or their settings did): step and check-in reminders. */
  daily: Set<number>;
  /** Their step reminders: `daily`, and the owners of timed steps whose time came. */
  steps: Set<number>;
  /** Their weekly prompt's (and digest's) day and hour came. */
  weekly: Set<number>;
  /** Their weekly review email's day and hour came. */
  reviews: Set<number>;
}

/** The weekly occurrence (its local day) a local time falls in, else null (see `weeklyOccurrence`). */
function occurrence(local: LocalTime, day: number, hour: number): string | null {
  return local.weekday === day && local.hour >= hour ? local.date : null;
}

/**
 * Who the clock changed something for between `since` (the last slot's start) and `now`: people are
 * grouped by time zone, and each zone's local time is worked out once at both instants. Only the
 * groups are read for everyone (one aggregate); the people themselves only in the zones whose day
 * or some weekly hour came, and those who saved their settings since (issue 17, sched19: reading
 * every person's row cost ~50–140 ms a slot at 10,000 people).
 */
async function duePeople(ctx: AppContext, since: Date, now: Date): Promise<DuePeople> {
  const db = ctx.store.db;
  const utc = now.toISOString().slice(0, 10);
  const [groups, reviewSlots, timed] = await Promise.all([
    clockGroups(db),
    reviewClocks(db),
    plans.openTimedStepsDueBetween(db, engine.addDays(utc, -1), engine.addDays(utc, 1)),
  ]);
  const zones = new Map<string, { before: LocalTime; now: LocalTime }>();
  const zoneOf = (raw: string | null): { tz: string; before: LocalTime; now: LocalTime } => {
    const tz = raw !== null && isTimeZone(raw) ? raw : "UTC";
    let z = zones.get(tz);
    if (!z) {
      z = { before: localTime(since, tz), now: localTime(now, tz) };
      zones.set(tz, z);
    }
    return { tz, ...z };
  };
  /** Whether the clock changed something for someone of this zone and weekly slot. */
  const turned = (raw: string | null, weeklyDay: number | null, weeklyHour: number | null): boolean => {
    const z = zoneOf(raw);
    if (z.before.date !== z.now.date) return true;
    const day = weeklyDay ?? 1;
    const hour = weeklyHour ?? 9;
    const week = occurrence(z.now, day, hour);
    return week !== null && week !== occurrence(z.before, day, hour);
  };
  const turning = new Set<string>();
  let defaults = false;
  for (const g of groups) {
    if (!turned(g.timeZone, g.weeklyDay, g.weeklyHour)) continue;
    if (g.timeZone === null) defaults = true;
    else turning.add(g.timeZone);
  }
  const sinceIso = since.toISOString();
  const clocks = await clocksOf(db, [...turning], defaults, sinceIso);
  const due: DuePeople = { daily: new Set(), steps: new Set(), weekly: new Set(), reviews: new Set() };
  for (const c of clocks) {
    const z = zoneOf(c.timeZone);
    const resaved = c.updatedAt !== null && c.updatedAt >= sinceIso;
    if (resaved || z.before.date !== z.now.date) {
      due.daily.add(c.id);
      due.steps.add(c.id);
    }
    const day = c.weeklyDay ?? 1;
    const hour = c.weeklyHour ?? 9;
    const week = occurrence(z.now, day, hour);
    if (week !== null && (resaved || week !== occurrence(z.before, day, hour))) due.weekly.add(c.id);
  }
  for (const r of reviewSlots) {
    const z = zoneOf(r.timeZone);
    const resaved =
      r.updatedAt >= sinceIso || (r.settingsUpdatedAt !== null && r.settingsUpdatedAt >= sinceIso);
    const week = occurrence(z.now, r.weekday, r.hour);
    if (week !== null && (resaved || week !== occurrence(z.before, r.weekday, r.hour)))
      due.reviews.add(r.userId);
  }
  // A timed step (issue 19) is nudged on its day at its time: plan its owner's steps when it comes.
  if (timed.length > 0) {
    const owners = await nudgeSettingsOf(db, [...new Set(timed.map((t) => t.userId))]);
    for (const t of timed) {
      const at = zonedTime(t.dueDate, t.dueTime, owners.get(t.userId)?.timeZone ?? "UTC");
      if (at.getTime() > since.getTime() && at.getTime() <= now.getTime()) due.steps.add(t.userId);
    }
  }
  return due;
}

/**
 * A slot change: plans only the people for whom the clock changed something since `since` (see
 * {@link duePeople}) — step and check-in reminders of the people whose local day changed (the steps
 * and goals they own), weekly prompts, digests and reviews of those whose hour came — and the daily
 * stall scans when the UTC day changed. The dedupe keys are those of the full pass.
 */
export async function planZones(
  ctx: AppContext,
  since: Date,
  now: Date,
): Promise<{ queued: number; people: number }> {
  const due = await duePeople(ctx, since, now);
  const everyone = new Set([...due.steps, ...due.daily, ...due.weekly, ...due.reviews]);
  const newUtcDay = since.toISOString().slice(0, 10) !== now.toISOString().slice(0, 10);
  if (everyone.size === 0 && !newUtcDay) return { queued: 0, people: 0 };
  const db = ctx.store.db;
  const p: Planner = {
    ctx,
    db,
    now,
    // Only the people planned are read (a digest's misses are named as it comes to them).
    users: new Map(),
    settings: new Map(),
    viewers: new Map(),
    facts: new Map(),
    readable: new Map(),
    queued: 0,
    days: new Map(),
    known: 0,
    met: new Set(),
    workspaces: new Map(),
  };
  await meet(p, everyone);
  if (newUtcDay) await planStallScans(p);
  // Slices of people, as the cursor path's of goals: a zone's midnight may bring thousands.
  for (const slice of slices([...due.steps], PEOPLE_PER_SLICE)) {
    await planSteps(p, undefined, slice);
    await breathe();
  }
  for (const slice of slices([...due.daily], PEOPLE_PER_SLICE)) {
    await planCheckins(p, undefined, slice);
    await breathe();
  }
  if (due.weekly.size > 0) await planWeekly(p, [...due.weekly]);
  if (due.reviews.size > 0) p.queued += await planWeeklyReviews(ctx, now, due.reviews);
  return { queued: p.queued, people: everyone.size };
}

/** Each workspace's stall scan of the day, in one statement per 100 workspaces (issue 17, sched20). */
async function planStallScans(p: Planner): Promise<void> {
  const day = p.now.toISOString().slice(0, 10);
  const scans = (await people.workspaceIds(p.db)).map((workspaceId) => ({
    kind: STALL_SCAN_JOB,
    runAt: p.now.toISOString(),
    payload: { workspaceId, day },
    dedupeKey: `stall-scan:${workspaceId}:${day}`,
    createdAt: p.now.toISOString(),
  }));
  p.queued += await jobs.enqueueJobs(p.db, scans);
}

async function planSteps(
  p: Planner,
  goalIds?: readonly number[],
  ownerIds?: readonly number[],
): Promise<void> {
  const utc = p.now.toISOString().slice(0, 10);
  const from = engine.addDays(utc, -(OVERDUE_LOOKBACK_DAYS + 2));
  const to = engine.addDays(utc, 2);
  // Only the steps these people own (the planner's people whose day changed, issue 17).
  const rows = ownerIds
    ? await plans.openStepsDueBetweenOwnedBy(p.db, from, to, ownerIds)
    : await plans.openStepsDueBetween(p.db, from, to, goalIds);
  await meet(
    p,
    rows.map((r) => r.ownerId ?? r.goalOwnerId),
  );
  const due = [];
  for (const r of rows) {
    if (r.dueDate === null) continue;
    const userId = r.ownerId ?? r.goalOwnerId;
    const kind = stepNudge(r.dueDate, localToday(p, userId));
    if (kind === null) continue;
    // A step with a time of day (issue 19) is nudged on its day at that time, not at the day's start.
    const at = kind === "step-due-today" ? timedNudgeAt(p, userId, r.dueDate, r.dueTime ?? null) : null;
    if (at !== null && at.getTime() > p.now.getTime()) continue;
    due.push({ r, dueDate: r.dueDate, userId, kind, at, key: `${kind}:${r.stepId}:${r.dueDate}` });
  }
  const known = await alreadyQueued(p, due);
  const batch: Batch = { p, jobs: [] };
  for (const { r, dueDate, userId, kind, at, key } of due) {
    if (known.has(key) || !(await canRead(p, userId, r.goalId))) continue;
    add(
      batch,
      key,
      {
        workspaceId: r.workspaceId,
        userId,
        kind,
        subject: { type: "step", id: r.stepId },
        ...worded(
          say.stepDue(kind, {
            text: r.text,
            goalTitle: r.title,
            dueDate,
            dueTime: r.dueTime ?? null,
          }),
        ),
        link: `/goals/${r.goalId}#step-${r.stepId}`,
        data: { stepId: r.stepId, goalId: r.goalId, dueDate, dueTime: r.dueTime ?? null },
      },
      at ?? p.now,
    );
  }
  await flush(batch);
}

/**
 * The dedupe keys of these reminders already queued (or done), in one query: the planner checks
 * nothing and writes nothing for them (issue 17, sched17). A goal checked in again, or planned again
 * by the next slot, whose reminders are the ones already queued costs one read; a reminder whose
 * occurrence moved (a new due date or due day) has a new key and is planned.
 */
async function alreadyQueued(p: Planner, due: readonly { key: string }[]): Promise<Set<string>> {
  if (due.length === 0) return new Set();
  const known = await jobs.existingDedupeKeys(
    p.db,
    due.map((d) => d.key),
  );
  p.known += known.size;
  return known;
}

async function planCheckins(
  p: Planner,
  goalIds?: readonly number[],
  ownerIds?: readonly number[],
): Promise<void> {
  const goals = await activeGoalsWithLastCheckin(p.db, goalIds, ownerIds);
  await meet(
    p,
    goals.map((g) => g.ownerId),
  );
  const due = [];
  for (const g of goals) {
    const today = localToday(p, g.ownerId);
    if (g.startDate > today) continue;
    const n = checkinNudge(
      { lastCheckin: g.lastCheckin, startDate: g.startDate, cadenceDays: g.cadenceDays },
      today,
    );
    if (n) due.push({ g, n, key: `${n.kind}:${g.id}:${n.dueDay}` });
  }
  const known = await alreadyQueued(p, due);
  const batch: Batch = { p, jobs: [] };
  for (const { g, n, key } of due) {
    if (known.has(key)) continue;
    add(batch, key, {
      workspaceId: g.workspaceId,
      userId: g.ownerId,
      kind: n.kind,
      subject: { type: "goal", id: g.id },
      ...worded(say.checkinReminder(n.kind === "checkin-missed", { title: g.title, dueDay: n.dueDay })),
      link: `/goals/${g.id}/check-in`,
      data: { goalId: g.id, dueDay: n.dueDay },
    });
  }
  await flush(batch);
}

function recentEvents(p: Planner, type: string): Promise<LoggedEvent[]> {
  const since = new Date(p.now.getTime() - EVENT_LOOKBACK_MS).toISOString();
  return eventsOfTypeBetween(p.db, type, since, p.now.toISOString());
}

async function planStalls(p: Planner, events: readonly LoggedEvent[]): Promise<void> {
  // Written together when the run ends (one statement per 100), not one a recipient (sched20).
  const batch: Batch = { p, jobs: [] };
  for (const e of events) {
    const goalId = Number(e.payload.goalId ?? e.subjectId);
    const goal = await plans.goalHeader(p.db, goalId);
    if (goal?.status !== "active") continue;
    const stall = say.stallOf(goal, e.payload);
    const recipients = [goal.ownerId, ...(await leadersOf(p, goal))];
    for (const userId of recipients) {
      if (!(await canRead(p, userId, goal.id))) continue;
      const isOwner = userId === goal.ownerId;
      add(batch, `goal-stalled:${e.id}:${userId}`, {
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
  await flush(batch);
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
  // On the cursor path the run knows only some people: the workspace's are read once, when needed.
  let candidates = p.met === null ? [...p.users.values()] : p.workspaces.get(workspaceId);
  if (!candidates) {
    candidates = await people.contactsIn(p.db, workspaceId);
    p.workspaces.set(workspaceId, candidates);
  }
  const matches = candidates.filter(
    (u) =>
      u.workspaceId === workspaceId &&
      (u.name.trim().toLowerCase() === wanted || u.email?.toLowerCase() === wanted),
  );
  // An ambiguous name reaches nobody rather than the wrong person.
  return matches.length === 1 ? (matches[0] as Recipient).id : null;
}

async function planObstacles(p: Planner, events: readonly LoggedEvent[]): Promise<void> {
  const batch: Batch = { p, jobs: [] };
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
    await meet(p, [e.actorId]);
    const author = e.actorId === null ? "Someone" : (p.users.get(e.actorId)?.name ?? "Someone");
    for (const barrierId of hit) {
      const barrier = barriers.find((b) => b.id === barrierId);
      if (!barrier) continue;
      for (const r of resources) {
        const userId = r.userId ?? (await findPersonByName(p, e.workspaceId, r.name));
        if (userId === null || userId === e.actorId || !(await canRead(p, userId, goal.id))) continue;
        add(batch, `obstacle-hit:${e.id}:${barrierId}:${userId}`, {
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
  await flush(batch);
}

async function planWeekly(p: Planner, userIds?: readonly number[]): Promise<void> {
  const leadRows = await people.teamLeaderships(p.db);
  const batch: Batch = { p, jobs: [] };
  const users = userIds ? userIds.flatMap((id) => p.users.get(id) ?? []) : [...p.users.values()];
  for (const user of users) {
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
      if (prompt) add(batch, promptKey, prompt);
    }
    for (const t of teams) {
      const key = `weekly-digest:${user.id}:${t.teamId}:${day}`;
      if (known.has(key)) continue;
      add(batch, key, await weeklyDigest(p, actor, { id: t.teamId, name: t.teamName }, day));
    }
    // Written a slice of people at a time, as the step and check-in reminders are.
    if (batch.jobs.length >= 100) await flush(batch);
  }
  await flush(batch);
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
  await meet(
    p,
    rate.items.filter((i) => i.outcome === "missed").map((i) => i.userId),
  );
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
  // One statement per 100 notices, not one each (issue 17, sched20).
  const batch: Batch = { p, jobs: [] };
  for (const n of only ?? (await notices.noticesOtherThanNudgesSince(p.db, since))) {
    add(batch, `notice:${n.id}`, {
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
  await flush(batch);
}

/**
 * Evaluates every active goal of a workspace for today, as its owner would see it, so a goal that
 * stalled enters micro-goal mode (and `goal.stalled` is appended) even when nobody opened it.
 */
export async function scanStalls(ctx: AppContext, workspaceId: number): Promise<number> {
  const goals = await plans.activeGoalOwners(ctx.store.db, workspaceId);
  for (const [i, g] of goals.entries()) {
    await goalStatus(ctx, { userId: g.ownerId, workspaceId }, g.id);
    // A workspace of 100,000 goals is one job: waiting requests run between slices (sched20).
    if (i % GOALS_PER_SLICE === GOALS_PER_SLICE - 1) await breathe();
  }
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
