/**
 * The follow-through report from stored per-goal aggregates (migration 0025,
 * src/store/repos/reportrows.ts), for today and windows of up to 12 weeks.
 *
 * For each goal the report counts, what it adds to the report of the 12 weeks up to today is
 * stored: one narrow row per promise of its steps due in those weeks (who, due day, kept, missed
 * or pending as of today), one per move away from such a day, one per win, and its stall. The
 * header says under what it was computed: the day, the code version (`REPORT_ROWS_VERSION`: this
 * module's format and the roll-ups' version, which carries the engine's rules version and
 * thresholds), the goal's `revision` (moved by database triggers on every write to the goal, its
 * key results, steps, step promises, check-ins, barriers, change records and commitments) and its
 * owner's name (the leader prompt names them). A report first finds the goals it counts whose
 * header does not match (one query), computes and stores those, then sums the rows of the goals the
 * reader may see in the database, inside one snapshot in which no counted goal is stale; if a
 * write lands in between it tries again. Explicit commitments are few and read live, with the
 * policy's rule for who may see them. A past day or a longer window is computed by evaluation
 * (report.ts), which is also what this must equal (report-rows.test.ts).
 */
import * as engine from "../../core/engine/index.js";
import type { IsoDate } from "../../core/types.js";
import * as ft from "../../store/repos/followthrough.js";
import type { Viewer } from "../../store/repos/plans.js";
import * as rows from "../../store/repos/reportrows.js";
import { type Actor, type AppContext, actorFacts, nowIso, today, viewerOf } from "../context.js";
import { evaluate } from "../evaluation/evaluate.js";
import { loadGoalData } from "../evaluation/load.js";
import { ROLLUP_VERSION } from "../evaluation/rollup.js";
import { can } from "../policy.js";
import { parse } from "../validation.js";
import type { FollowThroughReportView, MovedStep, StalledGoal } from "./report.js";
import { ReportQuery } from "./report.js";

/**
 * The format of the stored aggregates: bump it whenever what is stored, or how it is computed here,
 * changes. The version also carries the roll-ups' (the engine's rules and thresholds).
 */
const REPORT_ROWS_FORMAT = 1;

/** The code version every header carries; rows under another one are computed again. */
export const REPORT_ROWS_VERSION = `report.${REPORT_ROWS_FORMAT}/${ROLLUP_VERSION}`;

/** The longest window the stored aggregates cover, in weeks. */
export const STORED_WEEKS = 12;

/** Goals computed at once when filling the aggregates (bounds memory and `IN (…)` lists). */
const BATCH = 2_000;

/** How often a report tries again when a write lands between filling and summing. */
const TRIES = 4;

/** What a stored stall holds. */
type StoredStall = Omit<StalledGoal, "goalId">;

/**
 * Computes and stores the aggregates of some goals for `asOf` (today), each under the revision and
 * owner name read before its data, so a write made meanwhile leaves it stale, never wrong.
 */
export async function refreshReportRows(
  ctx: AppContext,
  workspaceId: number,
  goalIds: readonly number[],
  asOf: IsoDate,
): Promise<void> {
  const db = ctx.store.db;
  const from = engine.addDays(asOf, -(7 * STORED_WEEKS - 1));
  for (let i = 0; i < goalIds.length; i += BATCH) {
    const heads = await rows.goalsWithRevision(db, goalIds.slice(i, i + BATCH));
    const goals = heads.map((h) => h.goal);
    const ids = goals.map((g) => g.id);
    const { data, steps } = await loadGoalData(db, goals, asOf);
    const counted = data.filter((d) => d.goal.status === "active" || d.goal.status === "done");
    const evaluations = await evaluate(db, workspaceId, counted, asOf, today(ctx));
    const occurrences = await ft.occurrencesOfGoals(db, ids, { from, to: asOf });
    const rate = engine.followThrough(
      { goals: counted.map((d) => d.goal), steps, occurrences, commitments: [] },
      { from, to: asOf },
      asOf,
    );
    const goalOfStep = new Map(steps.map((s) => [s.id, s.goalId]));
    const out = new Map<number, rows.ReportRows>();
    const at = nowIso(ctx);
    for (const h of heads) {
      out.set(h.goal.id, {
        header: {
          goalId: h.goal.id,
          asOf,
          version: REPORT_ROWS_VERSION,
          revision: h.revision,
          ownerName: h.ownerName,
          stalledJson: null,
          computedAt: at,
        },
        items: [],
        wins: [],
      });
    }
    for (const item of rate.items) {
      const goalId = goalOfStep.get(item.id) as number;
      out.get(goalId)?.items.push({
        goalId,
        stepId: item.id,
        userId: item.userId,
        dueDate: item.dueDate,
        outcome: item.outcome,
      });
    }
    for (const m of rate.moves) {
      const goalId = goalOfStep.get(m.stepId) as number;
      out
        .get(goalId)
        ?.items.push({ goalId, stepId: m.stepId, userId: m.userId, dueDate: m.dueDate, outcome: "moved" });
    }
    for (const d of counted) {
      const r = out.get(d.goal.id);
      engine.smallWins([d], asOf, { since: from }).forEach((w, seq) => {
        r?.wins.push({ goalId: d.goal.id, seq, date: w.date, winJson: JSON.stringify(w) });
      });
    }
    for (const e of evaluations) {
      if (!e.report.stalled) continue;
      const stall: StoredStall = {
        title: e.goal.title,
        ownerId: e.goal.ownerId,
        reasons: e.report.stallReasons,
        mode: e.report.mode,
        leaderPrompt: e.report.leaderPrompt,
      };
      const r = out.get(e.goal.id);
      if (r) r.header.stalledJson = JSON.stringify(stall);
    }
    await rows.saveReportRows(db, [...out.values()]);
  }
}

/** What the stored aggregates and the live commitments give for a window, read in one snapshot. */
interface Sums {
  items: rows.ItemCount[];
  moves: Awaited<ReturnType<typeof rows.moveCounts>>;
  wins: string[];
  stalled: rows.StoredStall[];
  commitmentItems: engine.FollowThroughItem[];
}

/**
 * Reads the sums of a window in one snapshot (repeatable read on PostgreSQL; SQLite's transaction
 * is one): the counted goals the viewer may see, and, when none of them is stale there, their
 * stored rows and the commitments due; else the stale goals' ids.
 */
async function readSums(
  ctx: AppContext,
  viewer: Viewer,
  asOf: IsoDate,
  from: IsoDate,
): Promise<Sums | { stale: number[] }> {
  const tx = ctx.store.db.transaction();
  return (ctx.store.dialect === "postgres" ? tx.setIsolationLevel("repeatable read") : tx).execute(
    async (db) => {
      const goals = await rows.countedVisibleGoals(db, viewer, asOf, REPORT_ROWS_VERSION);
      const stale = goals.flatMap((g) => (g.stale ? [g.id] : []));
      if (stale.length > 0) return { stale };
      const ids = goals.map((g) => g.id);
      // A commitment counts when it belongs to a goal the reader may read and the report counts, or
      // (with no goal) when the reader made or witnesses it (asked of the policy, as before).
      const counted = new Set(ids);
      const due = await rows.commitmentsDueFor(db, viewer, from, asOf, ids);
      const commitments = due.filter((c) =>
        c.goalId !== null ? counted.has(c.goalId) : can(viewer, "commitment.see", c),
      );
      // A commitment on a step is done when the step is, if the step is one of a counted goal.
      const steps = await rows.stepsByIds(
        db,
        commitments.flatMap((c) => (c.stepId === null ? [] : [c.stepId])),
      );
      const commitmentItems = engine.followThrough(
        {
          goals: [],
          steps: steps.filter((s) => counted.has(s.goalId)).map((s) => ({ ...s, recurrence: null })),
          occurrences: [],
          commitments,
        },
        { from, to: asOf },
        asOf,
      ).items;
      // A step an explicit commitment points to is counted once, through the commitment.
      const committed = [
        ...new Set(
          commitments.flatMap((c) =>
            c.stepId !== null && engine.dayOfTimestamp(c.createdAt) <= asOf ? [c.stepId] : [],
          ),
        ),
      ];
      return {
        items: await rows.itemCounts(db, ids, from, asOf, committed),
        moves: await rows.moveCounts(db, ids, from, asOf, committed),
        wins: await rows.winsSince(db, ids, from),
        stalled: goals.flatMap((g) => (g.stall ? [g.stall] : [])),
        commitmentItems,
      };
    },
  );
}

/** Which stalled goals' owners the actor leads: the policy's "person.lead", as `ledGoalIds` asks it. */
async function ledAmong(
  ctx: AppContext,
  actor: Actor,
  stalled: readonly rows.StoredStall[],
): Promise<Set<number>> {
  const led = new Set<number>();
  if (stalled.length === 0) return led;
  const db = ctx.store.db;
  const facts = await actorFacts(db, actor);
  const teamsOf = await rows.teamIdsOfPeople(
    db,
    stalled.map((s) => s.ownerId),
  );
  for (const s of stalled) {
    const person = {
      workspaceId: s.workspaceId,
      userId: s.ownerId,
      teamIds: teamsOf.get(s.ownerId) ?? [],
      goalTeamId: s.teamId,
    };
    if (can(facts, "person.lead", person)) led.add(s.goalId);
  }
  return led;
}

type Tally = engine.RateSummary & { pending: number };

function tally(): Tally {
  return { followThroughRate: null, kept: 0, missed: 0, pending: 0 };
}

function add(t: Tally, outcome: string, n: number) {
  if (outcome === "kept") t.kept += n;
  else if (outcome === "missed") t.missed += n;
  else if (outcome === "pending") t.pending += n;
}

function rate(t: Tally): engine.RateSummary {
  const { kept, missed } = t;
  return { followThroughRate: kept + missed === 0 ? null : kept / (kept + missed), kept, missed };
}

/**
 * The follow-through report (report.ts, `followThroughReport`) from the stored aggregates, or null
 * when they do not cover the query (a day other than today, more than 12 weeks) or writes kept
 * landing while it was read: the caller then evaluates.
 */
export async function reportFromRows(
  ctx: AppContext,
  actor: Actor,
  raw: unknown = {},
): Promise<FollowThroughReportView | null> {
  const q = parse(ReportQuery, raw);
  const now = today(ctx);
  const asOf = q.asOf ?? now;
  if (asOf !== now || q.weeks > STORED_WEEKS) return null;
  const from = engine.addDays(asOf, -(7 * q.weeks - 1));
  const db = ctx.store.db;
  const viewer = await viewerOf(db, actor);
  let sums: Sums | null = null;
  for (let i = 0; i < TRIES && sums === null; i++) {
    const read = await readSums(ctx, viewer, asOf, from);
    if ("stale" in read) await refreshReportRows(ctx, actor.workspaceId, read.stale, asOf);
    else sums = read;
  }
  if (sums === null) return null;

  const total = tally();
  const byUser = new Map<number, Tally & { moved: number }>();
  const userOf = (id: number) => {
    const u = byUser.get(id) ?? { ...tally(), moved: 0 };
    byUser.set(id, u);
    return u;
  };
  const byWeek = new Map<IsoDate, Tally & { moved: number }>();
  const weekOf = (day: IsoDate) => {
    const start = engine.isoWeekStart(day);
    const w = byWeek.get(start) ?? { ...tally(), moved: 0 };
    byWeek.set(start, w);
    return w;
  };
  const count = (userId: number, dueDate: IsoDate, outcome: string, n: number) => {
    add(total, outcome, n);
    add(userOf(userId), outcome, n);
    add(weekOf(dueDate), outcome, n);
  };
  for (const i of sums.items) count(i.userId, i.dueDate, i.outcome, i.n);
  for (const i of sums.commitmentItems) count(i.userId, i.dueDate, i.outcome, 1);
  const movesOfStep = new Map<number, { ownerId: number; moves: number }>();
  let moved = 0;
  for (const m of sums.moves) {
    moved += m.n;
    userOf(m.userId).moved += m.n;
    weekOf(m.dueDate).moved += m.n;
    const s = movesOfStep.get(m.stepId);
    if (s) s.moves += m.n;
    else movesOfStep.set(m.stepId, { ownerId: m.userId, moves: m.n });
  }

  const top = [...movesOfStep.entries()].sort(([a, x], [b, y]) => y.moves - x.moves || a - b).slice(0, 5);
  const stepById = new Map(
    (
      await rows.stepsByIds(
        db,
        top.map(([id]) => id),
      )
    ).map((s) => [s.id, s]),
  );
  const mostMoved: MovedStep[] = top.flatMap(([stepId, c]) => {
    const s = stepById.get(stepId);
    return s ? [{ stepId, goalId: s.goalId, text: s.text, ...c }] : [];
  });

  const userIds = [...byUser.keys()].sort((x, y) => x - y);
  const names = await ft.userNames(db, actor.workspaceId, userIds);
  const weeks: FollowThroughReportView["byWeek"] = [];
  for (let week = engine.isoWeekStart(from); week <= asOf; week = engine.addDays(week, 7)) {
    const w = byWeek.get(week) ?? { ...tally(), moved: 0 };
    weeks.push({ weekStart: week, ...rate(w), moved: w.moved });
  }

  const led = await ledAmong(ctx, actor, sums.stalled);
  const stalled: StalledGoal[] = sums.stalled.map((s) => {
    const stall = JSON.parse(s.stalledJson) as StoredStall;
    return {
      goalId: s.goalId,
      ...stall,
      leaderPrompt: led.has(s.goalId) ? stall.leaderPrompt : null,
    };
  });

  return {
    asOf,
    from,
    to: asOf,
    weeks: q.weeks,
    ...rate(total),
    pending: total.pending,
    moved,
    mostMoved,
    wins: engine.orderWins(sums.wins.map((w) => JSON.parse(w) as engine.Win)),
    stalled,
    byUser: userIds.map((userId) => {
      const u = byUser.get(userId) as Tally & { moved: number };
      return { userId, ...rate(u), moved: u.moved, name: names.get(userId) ?? null };
    }),
    byWeek: weeks,
  };
}
