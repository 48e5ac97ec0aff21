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
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import * as engine from "../../core/engine/index.js";
import type { Commitment, IsoDate } from "../../core/types.js";
import * as ft from "../../store/repos/followthrough.js";
import { actorFactsOf } from "../../store/repos/people.js";
import type { Viewer } from "../../store/repos/plans.js";
import * as rows from "../../store/repos/reportrows.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, actorFacts, nowIso, today, viewerOf } from "../context.js";
import { evaluate } from "../evaluation/evaluate.js";
import { loadGoalData } from "../evaluation/load.js";
import { ROLLUP_VERSION } from "../evaluation/rollup.js";
import { can } from "../policy.js";
import { parse } from "../validation.js";
import { type Circle, capList, circleOf, circlePeople, inCircle, OPEN_LIST_CAP } from "./circle.js";
import type { FollowThroughReportView, MovedStep, StalledGoal, WinsFeed } from "./report.js";
import { ReportQuery, WinsQuery } from "./report.js";

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

// What the stored path did, per store (a bench and test hook).
/** How many goals' aggregates were computed, and answers summed, since the store was opened. */
export interface ReportStats {
  goalsRefreshed: number;
  answersSummed: number;
  /** The most goal refreshes that ever ran at once (`REFRESHES_AT_ONCE` bounds it), and how many run now. */
  refreshesAtOnce: number;
  refreshing: number;
  /** totals25: answers made from a stored open part read again (its key equal to the snapshot's stamps), and parts stored. */
  openPartsReused: number;
  openPartsStored: number;
}

const reportStatsOf = new WeakMap<object, ReportStats>();

function statsOf(ctx: AppContext): ReportStats {
  let s = reportStatsOf.get(ctx.store);
  if (!s) {
    s = {
      goalsRefreshed: 0,
      answersSummed: 0,
      refreshesAtOnce: 0,
      refreshing: 0,
      openPartsReused: 0,
      openPartsStored: 0,
    };
    reportStatsOf.set(ctx.store, s);
  }
  return s;
}

/** A copy of the store's counts (`ReportStats`). */
export function reportStats(ctx: AppContext): ReportStats {
  return { ...statsOf(ctx) };
}

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
  const stats = statsOf(ctx);
  stats.goalsRefreshed += goalIds.length;
  stats.refreshing++;
  stats.refreshesAtOnce = Math.max(stats.refreshesAtOnce, stats.refreshing);
  try {
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
  } finally {
    stats.refreshing--;
  }
}

/** What the stored aggregates and the live commitments give for a window, read in one snapshot. */
export interface Sums {
  items: rows.ItemCount[];
  moves: Awaited<ReturnType<typeof rows.moveCounts>>;
  wins: string[];
  stalled: rows.StoredStall[];
  commitmentItems: engine.FollowThroughItem[];
  /** The counted commitments, and the steps an explicit commitment counts instead. */
  commitments: Commitment[];
  committed: number[];
  /** report22: the counted goals in the reader's circle (`circle.ts`), and the people of the window's promises in it. */
  circleGoals: Set<number>;
  circlePeople: Set<number>;
  /** report22: wins of goals outside the circle not read (older than the most recent `OPEN_LIST_CAP`): left out. */
  winsUnread: number;
  /** totals25: stalled goals outside the circle not read (beyond those the stored open part keeps): left out. */
  stalledUnread?: number;
}

/** What a stored read was asked for: its name (in the entity tag) and the window. */
export interface StoredQuery {
  key: string;
  asOf: IsoDate;
  from: IsoDate;
}

/**
 * A stored read: not modified (the reader holds the current tag), the answer kept in process under
 * the current tag (`cached`), or the answer with its tag.
 */
export type StoredRead<T> = { notModified: string } | { cached: string } | { etag: string; value: T };

/**
 * The entity tag of a stored answer: a hash of everything the answer depends on, read in the
 * snapshot the answer is read in, so a tag never names another answer. The day and window, the code
 * version (`REPORT_ROWS_VERSION`), the reader and their visibility (workspace role, teams and roles
 * in them), the stamp of the workspace's names (the report names people; the database moves it on
 * every join, leave and rename: migration 0030, report19), the explicit
 * commitments with no goal that the reader may count (status, text, witnesses), the members of the
 * reader's teams (whom the reader leads: the leader prompt of a stalled goal), and the counted goals
 * the reader may see, in two parts (report17b, migration 0027):
 *
 * - the goals open to the whole workspace (`visibility = 'workspace'`, status counted): only
 *   `count(*)`, `max(change_seq)` and `sum(change_seq)`, from one index, not one row each. Every
 *   write to a goal (its row, or anything that moves its revision) gives it a new `change_seq` from
 *   one increasing source, larger than any handed out before. So between two reads: a goal that
 *   joins the set (created open, made open, reopened) or any goal of it written raises the maximum
 *   (on SQLite writers are serialized, so a new number is above every committed one); one that
 *   leaves it (hidden, cancelled, moved to a team) lowers the count, or — if another joins at the
 *   same time — the joining one raises the maximum. On PostgreSQL a number is taken inside the
 *   writing transaction, so two writers may commit out of order and a write's number can be below
 *   a maximum already seen; the sum catches that one: the goal's number grows, so the sum does,
 *   unless in the same interval as many goals left as joined with numbers summing exactly to the
 *   difference (the count and maximum equal too) — which needs concurrent writers, not one.
 * - the reader's own, their teams' and the shared goals that are not open to everyone: each id,
 *   revision and `change_seq` (what grows with the reader, not the workspace). On PostgreSQL a
 *   goal's `change_seq` moves only while it is, or was, open to the workspace (migration 0031,
 *   pgtrig22); its revision moves on every write of it.
 *
 * The stored rows' freshness (day, version, revision, owner's name) is not in the tag: an answer is
 * only ever computed and kept from fresh rows, and everything that makes a row stale is in the tag.
 */
async function tagOf(
  db: Kysely<Database>,
  actor: Actor,
  viewer: Viewer,
  today: IsoDate,
  q: StoredQuery,
): Promise<string> {
  const facts = await actorFactsOf(db, actor.userId);
  // report19: the names as a stamp the database keeps (report17 hashed every name, 21 ms at 10,000 people).
  const names = await rows.namesStampOfWorkspace(db, actor.workspaceId);
  const own = await rows.commitmentsDueFor(db, viewer, q.from, q.asOf, []);
  // report17b: whom the reader may lead is decided by who is in the reader's teams (and the
  // reader's roles, in `facts`), not by every stalled goal's owner's teams.
  const members = await rows.membersOfTeams(db, facts?.memberships.map((m) => m.teamId) ?? []);
  const open = await rows.workspaceOpenStamp(db, actor.workspaceId);
  // report22: a goal shared with the reader is listed in full (`circle.ts`); a share moves no goal's stamp.
  const shared = await rows.sharedGoalIdsOf(db, actor.userId);
  const closed = await rows.countedClosedGoalStamps(db, viewer);
  const hash = createHash("sha1");
  hash.update(
    JSON.stringify([REPORT_ROWS_VERSION, q.key, q.asOf, q.from, today, actor, viewer.teamIds, facts]),
  );
  hash.update(`open:${open};`);
  for (const [id, seq] of closed) hash.update(`${id}:${seq};`);
  hash.update(`names:${names};`);
  hash.update(JSON.stringify(own));
  hash.update(JSON.stringify(members));
  hash.update(`shared:${shared.join(",")};`);
  return `"r${REPORT_ROWS_FORMAT}s.${hash.digest("base64url")}"`;
}

/** The entity tags of an If-None-Match header (weak ones compare as strong: RFC 9110, 13.1.2). */
export function entityTags(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .filter((t) => /^"[^"]*"$/.test(t));
}

// First computations shared and queued.
/**
 * How many goals' aggregates may be computed at once in one store: the first reads of a day, or
 * after a write, queue here rather than each holding a working set of evaluations in memory.
 */
export const REFRESHES_AT_ONCE = 1;

/** What a store is computing: goals being refreshed (by `workspace:day:goal`) and answers being summed (by tag). */
interface InFlight {
  goals: Map<string, Promise<void>>;
  answers: Map<string, Promise<void>>;
  running: number;
  queue: Array<() => void>;
}

const inFlightOf = new WeakMap<object, InFlight>();

function flightsOf(ctx: AppContext): InFlight {
  let f = inFlightOf.get(ctx.store);
  if (!f) {
    f = { goals: new Map(), answers: new Map(), running: 0, queue: [] };
    inFlightOf.set(ctx.store, f);
  }
  return f;
}

/** Runs `work` when fewer than `REFRESHES_AT_ONCE` computations run in the store (first come, first served). */
async function queued<T>(f: InFlight, work: () => Promise<T>): Promise<T> {
  if (f.running >= REFRESHES_AT_ONCE) await new Promise<void>((go) => f.queue.push(go));
  else f.running++;
  try {
    return await work();
  } finally {
    const next = f.queue.shift();
    // The slot passes straight to the next in line (`running` stays), or is freed.
    if (next) next();
    else f.running--;
  }
}

/**
 * Brings some stale goals' aggregates up to date, sharing work in flight: a goal another read is
 * already computing for the same day is waited for, not computed again, and the rest are computed
 * in the queue (`queued`). Settles when every goal asked for has been computed once since the call
 * (the caller reads again and finds any written meanwhile stale again).
 */
async function refreshShared(
  ctx: AppContext,
  workspaceId: number,
  goalIds: readonly number[],
  asOf: IsoDate,
): Promise<void> {
  const f = flightsOf(ctx);
  const key = (id: number) => `${workspaceId}:${asOf}:${id}`;
  const others = new Set<Promise<void>>();
  const mine: number[] = [];
  for (const id of goalIds) {
    const p = f.goals.get(key(id));
    if (p) others.add(p);
    else mine.push(id);
  }
  let own: Promise<void> | null = null;
  if (mine.length > 0) {
    own = queued(f, () => refreshReportRows(ctx, workspaceId, mine, asOf));
    const settled = own.then(
      () => undefined,
      () => undefined,
    );
    for (const id of mine) f.goals.set(key(id), settled);
    void settled.then(() => {
      for (const id of mine) if (f.goals.get(key(id)) === settled) f.goals.delete(key(id));
    });
  }
  // Another read's failure is not this one's: it reads again and computes what is still stale.
  await Promise.all(others);
  if (own) await own;
}

/** A promise and what settles it. */
function settler(): { promise: Promise<void>; settle: () => void } {
  let settle = () => {};
  const promise = new Promise<void>((r) => {
    settle = r;
  });
  return { promise, settle };
}

/**
 * Reads a stored answer in one snapshot (repeatable read on PostgreSQL; SQLite's transaction is
 * one): the counted goals the viewer may see (the first query), and, when none of them is stale
 * there, the answer's entity tag and, unless the reader holds that tag, what `sum` reads of their
 * stored rows, made into the answer by `finish` after the snapshot (with `ifNoneMatch` null no tag
 * is made: the etag is ""). Stale goals are computed and stored (shared with other reads computing
 * them, and queued: `refreshShared`), and the read tried again; null when writes kept landing in
 * between.
 *
 * report17c: reads that find the same tag while its answer is being summed do not sum it again:
 * they wait for the first, then read again, and find the answer kept under the tag (`cached`) —
 * or, if the tag moved meanwhile, the new one. No read is ever answered from a snapshot taken
 * before it began.
 */
export async function readStored<T, A = T>(
  ctx: AppContext,
  actor: Actor,
  viewer: Viewer,
  q: StoredQuery,
  ifNoneMatch: readonly string[] | null,
  sum: (db: Kysely<Database>, goals: rows.CountedGoal[]) => Promise<T>,
  cached?: (etag: string) => boolean,
  finish: (value: T, etag: string) => Promise<A> = async (value) => value as unknown as A,
  // totals25: an answer from less than every counted goal (the stored open part), tried first;
  // null when it cannot serve, `stale` for the goals it reads that must be computed first.
  early?: (db: Kysely<Database>) => Promise<{ value: T } | { stale: number[] } | null>,
): Promise<StoredRead<A> | null> {
  const now = today(ctx);
  const f = flightsOf(ctx);
  let waits = 0;
  for (let i = 0; i < TRIES; i++) {
    let mine: { etag: string; settle: () => void } | null = null;
    try {
      const tx = ctx.store.db.transaction();
      const read = await (ctx.store.dialect === "postgres"
        ? tx.setIsolationLevel("repeatable read")
        : tx
      ).execute(async (db): Promise<StoredRead<T> | { stale: number[] } | { wait: Promise<void> }> => {
        // report17b: the tag first, from stamps that do not read each goal open to the workspace;
        // a reader holding it, or an answer kept under it, needs none of the counted goals' rows.
        const etag = ifNoneMatch === null ? "" : await tagOf(db, actor, viewer, now, q);
        if (ifNoneMatch?.includes(etag)) return { notModified: etag };
        if (etag !== "" && cached?.(etag)) return { cached: etag };
        // report17c: the same answer being summed by another read: wait for it (`etag` names it).
        const flight = etag === "" ? undefined : f.answers.get(etag);
        if (flight) return { wait: flight };
        // report17c: this read sums the answer: others asking for it meanwhile wait (null) —
        // unless another read claimed it since (its flight, to wait for).
        const claim = (): Promise<void> | null => {
          if (etag === "") return null;
          const again = f.answers.get(etag);
          if (again) return again;
          const s = settler();
          mine = { etag, settle: s.settle };
          f.answers.set(etag, s.promise);
          return null;
        };
        const quick = early ? await early(db) : null;
        if (quick && "stale" in quick && quick.stale.length > 0) return { stale: quick.stale };
        if (quick && "value" in quick) {
          const again = claim();
          if (again) return { wait: again };
          statsOf(ctx).answersSummed++;
          return { etag, value: quick.value };
        }
        const goals = await rows.countedVisibleGoals(db, viewer, q.asOf, REPORT_ROWS_VERSION);
        const stale = goals.flatMap((g) => (g.stale ? [g.id] : []));
        if (stale.length > 0) return { stale };
        const again = claim();
        if (again) return { wait: again };
        statsOf(ctx).answersSummed++;
        return { etag, value: await sum(db, goals) };
      });
      if ("wait" in read) {
        await read.wait;
        // Waiting is not a try: but a tag that keeps moving under a reader is bounded too.
        if (++waits <= TRIES * 4) i--;
        continue;
      }
      if ("stale" in read) {
        await refreshShared(ctx, actor.workspaceId, read.stale, q.asOf);
        continue;
      }
      if (!("value" in read)) return read;
      return { etag: read.etag, value: await finish(read.value, read.etag) };
    } finally {
      if (mine) {
        const { etag, settle } = mine as { etag: string; settle: () => void };
        f.answers.delete(etag);
        settle();
      }
    }
  }
  return null;
}

/** The commitments a stored answer counts, their items, and the steps they count instead. */
async function commitmentsOf(
  db: Kysely<Database>,
  viewer: Viewer,
  ids: readonly number[],
  from: IsoDate,
  asOf: IsoDate,
  // totals25: false for the stored open part, which counts only its goals' commitments.
  goalless = true,
): Promise<Pick<Sums, "commitments" | "commitmentItems" | "committed">> {
  // A commitment counts when it belongs to a goal the reader may read and the report counts, or
  // (with no goal) when the reader made or witnesses it (asked of the policy, as before).
  const counted = new Set(ids);
  const due = await rows.commitmentsDueFor(db, viewer, from, asOf, ids);
  const commitments = due.filter((c) =>
    c.goalId !== null ? counted.has(c.goalId) : goalless && can(viewer, "commitment.see", c),
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
  return { commitments, commitmentItems, committed };
}

/** Reads the sums of a window from the stored rows of the counted goals and the live commitments. */
export async function readSums(
  db: Kysely<Database>,
  viewer: Viewer,
  goals: readonly rows.CountedGoal[],
  asOf: IsoDate,
  from: IsoDate,
  // review21: the weekly review shows no moves; it reads none (`moves` is then empty), nor the
  // people of the circle (`circlePeople` is then empty).
  withMoves = true,
  // report22: with all, every win; else the circle's and others' most recent (`winsSinceCut`).
  all = true,
): Promise<Sums> {
  const ids = goals.map((g) => g.id);
  const c = await commitmentsOf(db, viewer, ids, from, asOf);
  const circle: Circle = await circleOf(db, viewer);
  const circleGoals = new Set(goals.flatMap((g) => (inCircle(circle, g) ? [g.id] : [])));
  const wins = all
    ? { wins: await rows.winsSince(db, ids, from), othersRead: 0, othersTotal: 0 }
    : await rows.winsSinceCut(
        db,
        ids.filter((id) => circleGoals.has(id)),
        ids.filter((id) => !circleGoals.has(id)),
        from,
        OPEN_LIST_CAP,
      );
  return {
    ...c,
    items: await rows.itemCounts(db, ids, from, asOf, c.committed),
    moves: withMoves ? await rows.moveCounts(db, ids, from, asOf, c.committed) : [],
    wins: wins.wins,
    winsUnread: wins.othersTotal - wins.othersRead,
    stalled: goals.flatMap((g) => (g.stall ? [g.stall] : [])),
    circleGoals,
    circlePeople: withMoves
      ? circlePeople(
          circle,
          await rows.usersOfItems(db, [...circleGoals], from, asOf, c.committed),
          c.commitments,
          (id) => circleGoals.has(id),
        )
      : new Set(),
  };
}

/** The stored stalls as the reader sees them: the leader prompt only for one who leads the owner. */
export async function stalledOf(
  ctx: AppContext,
  actor: Actor,
  stored: readonly rows.StoredStall[],
): Promise<StalledGoal[]> {
  const led = await ledAmong(ctx, actor, stored);
  return stored.map((s) => {
    const stall = JSON.parse(s.stalledJson) as StoredStall;
    return { goalId: s.goalId, ...stall, leaderPrompt: led.has(s.goalId) ? stall.leaderPrompt : null };
  });
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

export type Tally = engine.RateSummary & { pending: number };

export function tally(): Tally {
  return { followThroughRate: null, kept: 0, missed: 0, pending: 0 };
}

export function add(t: Tally, outcome: string, n: number) {
  if (outcome === "kept") t.kept += n;
  else if (outcome === "missed") t.missed += n;
  else if (outcome === "pending") t.pending += n;
}

export function rate(t: Tally): engine.RateSummary {
  const { kept, missed } = t;
  return { followThroughRate: kept + missed === 0 ? null : kept / (kept + missed), kept, missed };
}

// The answers last sent, kept under their entity tags.
/**
 * The stored answers (report, wins feed) last made, per store, under their entity tags: a reader
 * asking again without the tag (the CLI, a page reloaded, the review email) when nothing changed
 * gets the same answer without summing it again. The tag is computed in the database on every
 * read as before, so an entry is used only while it is exactly the current answer (the tag
 * carries `REPORT_ROWS_VERSION`, the reader, the window, the day, and every counted goal's
 * revision): nothing here can go stale, it can only go unused and be pushed out. Bounded by
 * `ANSWER_BUDGET` (the answers' size as their JSON text counts it, roughly) and `ANSWER_ENTRIES`,
 * least recently used out first.
 */
export const ANSWER_BUDGET = 8 * 1024 * 1024;
export const ANSWER_ENTRIES = 64;

export class AnswerCache {
  private readonly entries = new Map<string, { value: unknown; bytes: number; json?: Buffer<ArrayBuffer> }>();
  private bytes = 0;
  constructor(
    private readonly budget = ANSWER_BUDGET,
    private readonly max = ANSWER_ENTRIES,
  ) {}
  has(key: string): boolean {
    return this.entries.has(key);
  }
  get(key: string): unknown {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }
  set(key: string, value: unknown, bytes: number): void {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    }
    if (bytes > this.budget) return;
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    this.evict();
  }
  /**
   * The JSON text of `value`, kept beside it while it is the answer kept under `key` (report19:
   * the member's answer on the 1,000,000-step bench file is 660 KB, 9 ms to encode on every
   * request); made and not kept otherwise. Its length counts against the budget.
   */
  json(key: string, value: unknown): Buffer<ArrayBuffer> {
    const e = this.entries.get(key);
    if (!e || e.value !== value) return Buffer.from(JSON.stringify(value));
    if (e.json) return e.json;
    const json = Buffer.from(JSON.stringify(value));
    if (e.bytes + json.length > this.budget) return json;
    e.json = json;
    e.bytes += json.length;
    this.bytes += json.length;
    // The least recently used out first: the entry just read is the most recent, so it stays.
    this.entries.delete(key);
    this.entries.set(key, e);
    this.evict();
    return json;
  }
  private evict(): void {
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.budget && this.entries.size <= this.max) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }
  get size(): number {
    return this.entries.size;
  }
  get usedBytes(): number {
    return this.bytes;
  }
}

const answerCaches = new WeakMap<object, AnswerCache>();

/** The answer cache of a store (a tag names an answer only within one database). */
export function answersOf(ctx: AppContext): AnswerCache {
  let c = answerCaches.get(ctx.store);
  if (!c) {
    c = new AnswerCache();
    answerCaches.set(ctx.store, c);
  }
  return c;
}

/**
 * A stored reply's body as UTF-8 JSON, for the HTTP routes: the text kept with the answer under
 * its tag when it is the kept one (so a reader asking again without the tag costs no encoding),
 * else encoded now. The same bytes `JSON.stringify(reply.body)` gives.
 */
export function replyJson(ctx: AppContext, reply: StoredReply<unknown>): Buffer<ArrayBuffer> {
  return answersOf(ctx).json(reply.etag, reply.body);
}

/** The report as the HTTP route sends it: its entity tag, and the report unless the reader has it. */
export interface StoredReply<T> {
  /** A strong entity tag, quoted as the ETag header carries it. */
  etag: string;
  /** Null when the reader's If-None-Match holds the current tag. */
  body: T | null;
}

/**
 * The wins feed (report.ts, `winsFeed`) from the stored aggregates with its entity tag (as the
 * report's), or null when they do not cover the query (a day other than today, more than 12 weeks)
 * or writes kept landing while it was read. Its body is null when `ifNoneMatch` holds the tag.
 */
export async function winsReplyFromRows(
  ctx: AppContext,
  actor: Actor,
  raw: unknown = {},
  ifNoneMatch: string | null = null,
): Promise<StoredReply<WinsFeed> | null> {
  const q = parse(WinsQuery, raw);
  const now = today(ctx);
  const asOf = q.asOf ?? now;
  if (asOf !== now || q.weeks > STORED_WEEKS) return null;
  const from = engine.addDays(asOf, -(7 * q.weeks - 1));
  const viewer = await viewerOf(ctx.store.db, actor);
  const answers = answersOf(ctx);
  const all = q.all ?? false;
  const read = await readStored(
    ctx,
    actor,
    viewer,
    // report22: a cut and a full feed are different answers, under different tags.
    { key: `wins.${q.weeks}${all ? ".all" : ""}`, asOf, from },
    entityTags(ifNoneMatch),
    async (db, goals) => {
      const circle = await circleOf(db, viewer);
      const mine = new Set(goals.flatMap((g) => (inCircle(circle, g) ? [g.id] : [])));
      const ids = goals.map((g) => g.id);
      if (all) return { wins: await rows.winsSince(db, ids, from), mine, unread: 0 };
      const cut = await rows.winsSinceCut(
        db,
        ids.filter((id) => mine.has(id)),
        ids.filter((id) => !mine.has(id)),
        from,
        OPEN_LIST_CAP,
      );
      return { wins: cut.wins, mine, unread: cut.othersTotal - cut.othersRead };
    },
    (etag) => answers.has(etag),
    // report17c: made and kept before another read waiting on this tag reads again.
    async ({ wins, mine, unread }, etag): Promise<WinsFeed> => {
      const listed = capList(
        engine.orderWins(wins.map((w) => JSON.parse(w) as engine.Win)),
        (w) => mine.has(w.goalId),
        all,
      );
      const body = { asOf, from, to: asOf, items: listed.items, omitted: listed.omitted + unread };
      if (etag !== "") answers.set(etag, body, 200 * (listed.items.length + 1));
      return body;
    },
    // open26: a cut feed takes the others' wins from the workspace's stored open part when it is current.
    all ? undefined : (db) => winsFromStoredOpenPart(ctx, db, viewer, asOf, from),
  );
  if (read === null) return null;
  if ("notModified" in read) return { etag: read.notModified, body: null };
  if ("cached" in read) {
    const kept = answers.get(read.cached);
    if (kept) return { etag: read.cached, body: kept as WinsFeed };
    return winsReplyFromRows(ctx, actor, raw, ifNoneMatch);
  }
  return { etag: read.etag, body: read.value };
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
  return (await reportReplyFromRows(ctx, actor, raw, null))?.body ?? null;
}

/**
 * The report from the stored aggregates with its entity tag (`tagOf`); its body is null when
 * `ifNoneMatch` holds the current tag, found by the first query and the few reads the tag hashes,
 * before anything is summed. Null as `reportFromRows`.
 */
export async function reportReplyFromRows(
  ctx: AppContext,
  actor: Actor,
  raw: unknown = {},
  ifNoneMatch: string | null = null,
): Promise<StoredReply<FollowThroughReportView> | null> {
  const q = parse(ReportQuery, raw);
  const now = today(ctx);
  const asOf = q.asOf ?? now;
  if (asOf !== now || q.weeks > STORED_WEEKS) return null;
  const from = engine.addDays(asOf, -(7 * q.weeks - 1));
  const db = ctx.store.db;
  const viewer = await viewerOf(db, actor);
  const answers = answersOf(ctx);
  const read = await readStored(
    ctx,
    actor,
    viewer,
    // report22: a cut and a full report are different answers, under different tags.
    { key: `report.${q.weeks}${q.all ? ".all" : ""}`, asOf, from },
    entityTags(ifNoneMatch),
    // totals25: a cut report counts the workspace's open goals from their stored part (`openPart`).
    async (trx, goals): Promise<{ sums: Sums; store?: rows.OpenPartRow }> =>
      q.all
        ? { sums: await readSums(trx, viewer, goals, asOf, from, true, true) }
        : sumsStoringOpenPart(ctx, trx, viewer, goals, asOf, from),
    (etag) => answers.has(etag),
    // report17c: made and kept before another read waiting on this tag reads again.
    async ({ sums, store }, etag) => {
      if (store) {
        await rows.saveOpenPart(db, store);
        statsOf(ctx).openPartsStored++;
      }
      return reportOfSums(ctx, actor, q.weeks, q.all ?? false, asOf, from, sums, etag, answers);
    },
    q.all ? undefined : (trx) => sumsFromStoredOpenPart(ctx, trx, viewer, asOf, from),
  );
  if (read === null) return null;
  if ("notModified" in read) return { etag: read.notModified, body: null };
  if ("cached" in read) {
    const kept = answers.get(read.cached);
    if (kept) return { etag: read.cached, body: kept as FollowThroughReportView };
    // Evicted in between: read it again (rare; the next read sums).
    return reportReplyFromRows(ctx, actor, raw, ifNoneMatch);
  }
  return { etag: read.etag, body: read.value };
}

/** The report made from its sums, and kept under its tag (unless there is none). */
async function reportOfSums(
  ctx: AppContext,
  actor: Actor,
  windowWeeks: number,
  all: boolean,
  asOf: IsoDate,
  from: IsoDate,
  sums: Sums,
  etag: string,
  answers: AnswerCache,
): Promise<FollowThroughReportView> {
  const db = ctx.store.db;

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

  // report22: the lists cut to the reader's circle and the first few of the rest (`circle.ts`).
  const userIds = capList(
    [...byUser.keys()].sort((x, y) => x - y),
    (id) => sums.circlePeople.has(id),
    all,
  );
  const wins = capList(
    engine.orderWins(sums.wins.map((w) => JSON.parse(w) as engine.Win)),
    (w) => sums.circleGoals.has(w.goalId),
    all,
  );
  const stalledRows = capList(sums.stalled, (s) => sums.circleGoals.has(s.goalId), all);
  const names = await ft.userNames(db, actor.workspaceId, userIds.items);
  const weeks: FollowThroughReportView["byWeek"] = [];
  for (let week = engine.isoWeekStart(from); week <= asOf; week = engine.addDays(week, 7)) {
    const w = byWeek.get(week) ?? { ...tally(), moved: 0 };
    weeks.push({ weekStart: week, ...rate(w), moved: w.moved });
  }

  const stalled = await stalledOf(ctx, actor, stalledRows.items);

  const body: FollowThroughReportView = {
    asOf,
    from,
    to: asOf,
    weeks: windowWeeks,
    ...rate(total),
    pending: total.pending,
    moved,
    mostMoved,
    wins: wins.items,
    stalled,
    byUser: userIds.items.map((userId) => {
      const u = byUser.get(userId) as Tally & { moved: number };
      return { userId, ...rate(u), moved: u.moved, name: names.get(userId) ?? null };
    }),
    byWeek: weeks,
    omitted: {
      wins: wins.omitted + sums.winsUnread,
      stalled: stalledRows.omitted + (sums.stalledUnread ?? 0),
      byUser: userIds.omitted,
    },
  };
  if (etag !== "")
    answers.set(etag, body, 200 * (body.wins.length + body.byUser.length + body.stalled.length + 20));
  return body;
}

// totals25: the report's stored open part (migration 0033; docs/architecture.md, "The report's
// totals and the workspace's open goals").
/**
 * The format of a stored open part's body: bump it whenever what it holds, or how it is computed,
 * changes (it is in every part's key with `REPORT_ROWS_VERSION`).
 */
const OPEN_PART_FORMAT = 1;
const OPEN_PART_VERSION = `open.${OPEN_PART_FORMAT}/${REPORT_ROWS_VERSION}`;

/** How many of the open goals' most recent wins, and first stalls, a part keeps beyond the lists' cap. */
const OPEN_PART_SPARE = 100;

/**
 * What every reader of a workspace counts of its goals open to everyone, for one window: the
 * promises and commitments by person, due day and outcome, the moves, the most recent wins (in feed
 * order) and the first stalls (in goal order), with how many there are in all.
 */
interface OpenPartBody {
  counts: rows.ItemCount[];
  moves: Sums["moves"];
  wins: string[];
  winsTotal: number;
  stalls: rows.StoredStall[];
  stallsTotal: number;
}

/** The key a part is stored and used under, read in the snapshot of the read: the day, the code version and the stamps. */
async function openPartKey(db: Kysely<Database>, workspaceId: number, asOf: IsoDate) {
  return {
    asOf,
    version: OPEN_PART_VERSION,
    openStamp: await rows.workspaceOpenStamp(db, workspaceId),
    namesStamp: await rows.namesStampOfWorkspace(db, workspaceId),
  };
}

/** Computes the open part of a window from the workspace's open counted goals (all fresh in this snapshot). */
async function openPartOfGoals(
  db: Kysely<Database>,
  viewer: Viewer,
  open: readonly rows.CountedGoal[],
  asOf: IsoDate,
  from: IsoDate,
): Promise<OpenPartBody> {
  const ids = open.map((g) => g.id);
  const c = await commitmentsOf(db, viewer, ids, from, asOf, false);
  const items = await rows.itemCounts(db, ids, from, asOf, c.committed);
  const counts = [
    ...items,
    ...c.commitmentItems.map((i) => ({ userId: i.userId, dueDate: i.dueDate, outcome: i.outcome, n: 1 })),
  ];
  const keep = OPEN_LIST_CAP + OPEN_PART_SPARE;
  const cut = await rows.winsSinceCut(db, [], ids, from, keep);
  const wins = engine
    .orderWins(cut.wins.map((w) => JSON.parse(w) as engine.Win))
    .slice(0, keep)
    .map((w) => JSON.stringify(w));
  const stalls = open.flatMap((g) => (g.stall ? [g.stall] : []));
  return {
    counts,
    moves: await rows.moveCounts(db, ids, from, asOf, c.committed),
    wins,
    winsTotal: cut.othersTotal,
    stalls: stalls.slice(0, keep),
    stallsTotal: stalls.length,
  };
}

/**
 * open26: the wins of a cut list from the stored open part: every win of the reader's circle (its
 * goals not open to everyone and its open goals, `own`, read live) and the part's most recent wins
 * of the others, with how many of theirs are not read. Null when a goal not open to everyone is
 * outside the circle, or the part does not hold enough of the others' wins to fill the cut list.
 */
async function winsWithOpenPart(
  db: Kysely<Database>,
  circle: Circle,
  own: readonly rows.CountedGoal[],
  part: OpenPartBody,
  from: IsoDate,
) {
  const closed = own.filter((g) => !g.open);
  // Every goal not open to everyone that a reader counts is of their circle (own, shared, their teams').
  if (closed.some((g) => !inCircle(circle, g))) return null;
  const circleOpen = own.filter((g) => g.open && inCircle(circle, g));
  const circleOpenIds = new Set(circleOpen.map((g) => g.id));
  const circleGoals = new Set([...closed.map((g) => g.id), ...circleOpenIds]);
  const circleWins = await rows.winsSince(db, [...circleGoals], from);
  const circleOpenWins = circleWins.filter((w) =>
    circleOpenIds.has((JSON.parse(w) as engine.Win).goalId),
  ).length;
  const otherWins = part.wins.filter((w) => !circleGoals.has((JSON.parse(w) as engine.Win).goalId));
  const otherWinsTotal = part.winsTotal - circleOpenWins;
  if (otherWins.length < Math.min(OPEN_LIST_CAP, otherWinsTotal)) return null;
  return {
    closed,
    circleOpen,
    circleGoals,
    circleWins,
    otherWins,
    winsUnread: otherWinsTotal - otherWins.length,
  };
}

/**
 * The sums of a cut report from the stored open part and the reader's own part read live: the
 * counted goals not open to everyone, and the open goals of the reader's circle (listed in full).
 * The totals are the part's plus the non-open goals' rows and the reader's commitments (on those
 * goals, or with no goal); the lists are the circle's and the part's others. Null when the part
 * does not hold enough of the others' wins or stalls to fill the cut lists (the caller sums as before).
 */
async function sumsWithOpenPart(
  db: Kysely<Database>,
  viewer: Viewer,
  circle: Circle,
  own: readonly rows.CountedGoal[],
  part: OpenPartBody,
  asOf: IsoDate,
  from: IsoDate,
): Promise<Sums | null> {
  const w = await winsWithOpenPart(db, circle, own, part, from);
  if (!w) return null;
  const { closed, circleOpen, circleGoals, circleWins, otherWins, winsUnread } = w;
  const closedIds = closed.map((g) => g.id);
  const c = await commitmentsOf(db, viewer, closedIds, from, asOf);
  const co = await commitmentsOf(
    db,
    viewer,
    circleOpen.map((g) => g.id),
    from,
    asOf,
    false,
  );

  const ownStalls = own.flatMap((g) => (g.stall && circleGoals.has(g.id) ? [g.stall] : []));
  const otherStalls = part.stalls.filter((st) => !circleGoals.has(st.goalId));
  const otherStallsTotal = part.stallsTotal - circleOpen.filter((g) => g.stall).length;
  if (otherStalls.length < Math.min(OPEN_LIST_CAP, otherStallsTotal)) return null;

  const committed = [...new Set([...c.committed, ...co.committed])];
  const commitments = [...c.commitments, ...co.commitments];
  return {
    items: [...(await rows.itemCounts(db, closedIds, from, asOf, c.committed)), ...part.counts],
    moves: [...(await rows.moveCounts(db, closedIds, from, asOf, c.committed)), ...part.moves],
    wins: [...circleWins, ...otherWins],
    winsUnread,
    stalled: [...ownStalls, ...otherStalls].sort((a, b) => a.goalId - b.goalId),
    stalledUnread: otherStallsTotal - otherStalls.length,
    commitmentItems: c.commitmentItems,
    commitments,
    committed,
    circleGoals,
    circlePeople: circlePeople(
      circle,
      await rows.usersOfItems(db, [...circleGoals], from, asOf, committed),
      commitments,
      (id) => circleGoals.has(id),
    ),
  };
}

/**
 * The workspace's stored open part for a window when it is current — its key equals the day, the
 * code version and the stamps read in this snapshot (`openPartKey`) — with the reader's circle and
 * own part (`countedOwnGoals`); `stale` for the reader's goals to compute first; null on a miss.
 */
async function currentOpenPart(
  db: Kysely<Database>,
  viewer: Viewer,
  asOf: IsoDate,
  from: IsoDate,
): Promise<{ part: OpenPartBody; circle: Circle; own: rows.CountedGoal[] } | { stale: number[] } | null> {
  const row = await rows.openPartOf(db, viewer.workspaceId, from);
  if (!row) return null;
  const key = await openPartKey(db, viewer.workspaceId, asOf);
  if (
    row.asOf !== key.asOf ||
    row.version !== key.version ||
    row.openStamp !== key.openStamp ||
    row.namesStamp !== key.namesStamp
  )
    return null;
  const circle = await circleOf(db, viewer);
  const own = await rows.countedOwnGoals(db, viewer, [...circle.teammates], asOf, REPORT_ROWS_VERSION);
  const stale = own.flatMap((g) => (g.stale ? [g.id] : []));
  if (stale.length > 0) return { stale };
  return { part: JSON.parse(row.bodyJson) as OpenPartBody, circle, own };
}

/**
 * open26: the wins feed's cut list from the stored open part when it is current (`currentOpenPart`),
 * as `winsReplyFromRows` reads it from every counted goal: the circle's wins in full and the others'
 * most recent. The part is stored by a cut report of the same window (the feed's own miss reads
 * every counted goal as before and stores none: the part's totals are more than a feed reads).
 */
async function winsFromStoredOpenPart(
  ctx: AppContext,
  db: Kysely<Database>,
  viewer: Viewer,
  asOf: IsoDate,
  from: IsoDate,
): Promise<{ value: { wins: string[]; mine: Set<number>; unread: number } } | { stale: number[] } | null> {
  const hit = await currentOpenPart(db, viewer, asOf, from);
  if (!hit || "stale" in hit) return hit;
  const w = await winsWithOpenPart(db, hit.circle, hit.own, hit.part, from);
  if (!w) return null;
  statsOf(ctx).openPartsReused++;
  return { value: { wins: [...w.circleWins, ...w.otherWins], mine: w.circleGoals, unread: w.winsUnread } };
}

/**
 * A cut report's sums when the workspace's stored open part is current: its key equals the day,
 * the code version and the stamps read in this snapshot (`openPartKey`). Then only the reader's own
 * part is read (`countedOwnGoals`): its stale goals are computed first (`stale`). Null on a miss.
 */
async function sumsFromStoredOpenPart(
  ctx: AppContext,
  db: Kysely<Database>,
  viewer: Viewer,
  asOf: IsoDate,
  from: IsoDate,
): Promise<{ value: { sums: Sums } } | { stale: number[] } | null> {
  const hit = await currentOpenPart(db, viewer, asOf, from);
  if (!hit || "stale" in hit) return hit;
  const sums = await sumsWithOpenPart(db, viewer, hit.circle, hit.own, hit.part, asOf, from);
  if (!sums) return null;
  statsOf(ctx).openPartsReused++;
  return { value: { sums } };
}

/**
 * A cut report's sums on a miss (every counted goal read and fresh in this snapshot): the open part
 * computed from the open goals under the key read in the same snapshot (stored after it, by the
 * caller), and the answer made from it as a hit makes it (or summed as before when it cannot).
 */
async function sumsStoringOpenPart(
  ctx: AppContext,
  db: Kysely<Database>,
  viewer: Viewer,
  goals: readonly rows.CountedGoal[],
  asOf: IsoDate,
  from: IsoDate,
): Promise<{ sums: Sums; store: rows.OpenPartRow }> {
  const key = await openPartKey(db, viewer.workspaceId, asOf);
  const part = await openPartOfGoals(
    db,
    viewer,
    goals.filter((g) => g.open),
    asOf,
    from,
  );
  const circle = await circleOf(db, viewer);
  const own = goals.filter((g) => !g.open || inCircle(circle, g));
  const sums =
    (await sumsWithOpenPart(db, viewer, circle, own, part, asOf, from)) ??
    (await readSums(db, viewer, goals, asOf, from, true, false));
  return {
    sums,
    store: {
      workspaceId: viewer.workspaceId,
      fromDay: from,
      ...key,
      bodyJson: JSON.stringify(part),
      computedAt: nowIso(ctx),
    },
  };
}
