/**
 * The leader's team view in one answer: per person their follow-through rate and its weekly trend,
 * the team's stalled goals, missed check-ins, goals at risk, obstacles hit and recent wins, and the
 * alignment tree with the goals that serve no objective. Only the team's shared goals count (team-
 * or workspace-visible, and visible to the caller): a member's private goal never appears here,
 * not even to the workspace owner.
 */
import { createHash } from "node:crypto";
import * as engine from "../../core/engine/index.js";
import type { Barrier, Confidence, Goal, IsoDate } from "../../core/types.js";
import { toBarrier } from "../../store/mappers.js";
import * as ft from "../../store/repos/followthrough.js";
import * as answers from "../../store/repos/teamanswers.js";
import { type Actor, type AppContext, actorFacts, nowIso, today } from "../context.js";
import { notFound } from "../errors.js";
import { goalRollups } from "../evaluation/rollups.js";
import { can } from "../policy.js";
import { parse } from "../validation.js";
import { ReportQuery, windowStart } from "./report.js";

/** Query of "a team's overview": the window of `weeks` weeks (default 4) ending on `asOf`. */
export const TeamOverviewQuery = ReportQuery;
export type TeamOverviewQuery = ReportQuery;

/** One week of a rate. */
export type WeekRate = engine.RateSummary & { weekStart: IsoDate };

/** One person of the team with their follow-through in the window. */
export interface TeamPerson extends engine.RateSummary {
  userId: number;
  name: string;
  role: string;
  pending: number;
  /** One entry per ISO week of the window, oldest first. */
  trend: WeekRate[];
  /** The team's active goals they own. */
  activeGoals: number;
}

/** A goal as the team view lists it. */
export interface TeamGoalRef {
  goalId: number;
  title: string;
  ownerId: number;
  ownerName: string | null;
}

/** The team view. */
export interface TeamOverview {
  team: { id: number; name: string };
  asOf: IsoDate;
  from: IsoDate;
  to: IsoDate;
  weeks: number;
  followThroughRate: number | null;
  kept: number;
  missed: number;
  pending: number;
  byWeek: WeekRate[];
  people: TeamPerson[];
  stalled: (TeamGoalRef & {
    reasons: engine.StallReason[];
    mode: engine.Mode;
    leaderPrompt: string | null;
  })[];
  /** Active goals whose last check-in (or start) is older than their cadence allows. */
  missedCheckins: (TeamGoalRef & { lastCheckin: IsoDate | null; dueOn: IsoDate; cadenceDays: number })[];
  /** Active goals behind pace, or whose latest check-in said at risk or off track. */
  atRisk: (TeamGoalRef & {
    progress: number;
    expected: number | null;
    pace: engine.Pace;
    confidence: Confidence | null;
  })[];
  /** Anticipated obstacles that were hit, with their Plan B. */
  obstacles: (TeamGoalRef & { barrierId: number; obstacle: string; planB: string; hitOn: IsoDate | null })[];
  wins: engine.Win[];
  alignment: {
    goals: (TeamGoalRef & { parentId: number | null; status: Goal["status"]; progress: number })[];
    /** Goals that serve no objective and that no goal serves. */
    orphans: number[];
  };
}

const MAX_WINS = 20;

/** The workspace owner and the team's members may read a team's overview. */
async function canSeeTeam(ctx: AppContext, actor: Actor, teamId: number): Promise<boolean> {
  const facts = await actorFacts(ctx.store.db, actor);
  return can(facts, "team.overview", { id: teamId, workspaceId: actor.workspaceId });
}

/** The ISO weeks a window touches, oldest first. */
function weekStarts(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let w = engine.isoWeekStart(from); w <= to; w = engine.addDays(w, 7)) out.push(w);
  return out;
}

/** The obstacles of some goals that were hit. */
async function hitBarriersOf(ctx: AppContext, goalIds: readonly number[]): Promise<Barrier[]> {
  if (goalIds.length === 0) return [];
  const rows = await ctx.store.db
    .selectFrom("barriers")
    .selectAll()
    .where("goalId", "in", [...goalIds])
    .where("status", "=", "hit")
    .orderBy("id")
    .execute();
  return rows.map(toBarrier);
}

/** The goals the team view counts. */
const STATUSES = ["active", "done"];

type Member = { id: number; name: string; role: string };

/**
 * A team's overview for the `weeks` weeks (default 4) ending on `asOf` (default today). The
 * workspace owner and the team's members may read it; anyone else gets 404. Reading it changes
 * nothing shown (micro-goal mode is stored when a goal's own status is read).
 */
export async function teamOverview(
  ctx: AppContext,
  actor: Actor,
  teamId: number,
  raw: unknown = {},
): Promise<TeamOverview> {
  return JSON.parse((await teamOverviewBytes(ctx, actor, teamId, raw)).toString("utf8")) as TeamOverview;
}

/** A stored answer as this process keeps a copy of it. */
interface Copy {
  asOf: IsoDate;
  stamp: string;
  /** `[userId, name]` of the people outside the team the answer names. */
  shown: [number, string][];
  bytes: Buffer<ArrayBuffer>;
}

/** How many answers each open store keeps copies of (about 200 KB each for a 50-person team). */
const COPIES = 64;
/**
 * Copies of stored answers, per open store, most recently used last. A copy is served only when
 * its stamp equals the one just read from the database, exactly as the stored row is, so copies in
 * several instances never disagree with the database: they save reading and decoding the row.
 */
const copies = new WeakMap<object, Map<string, Copy>>();

function copiesOf(store: object): Map<string, Copy> {
  let m = copies.get(store);
  if (!m) {
    m = new Map();
    copies.set(store, m);
  }
  return m;
}

/**
 * The team overview as UTF-8 JSON. Today's answer is stored per team, reader and window length
 * and served again while nothing it shows has changed: its stamp hashes the team's name, its
 * members (names and roles), the id and revision of every goal it counts (the revision moves on any
 * write to a goal or its key results, steps, check-ins, obstacles, history and commitments:
 * migrations 0008 and 0009) and the window; the names of people outside the team it shows are
 * compared one by one. All of it is read before the answer is computed, so an answer computed
 * during a write is stored under the older stamp and computed again on the next read. The process
 * keeps copies of the answers it served, used under the same check. `stored: false` computes afresh.
 */
export async function teamOverviewBytes(
  ctx: AppContext,
  actor: Actor,
  teamId: number,
  raw: unknown = {},
  options: { stored?: boolean } = {},
): Promise<Buffer<ArrayBuffer>> {
  const q = parse(TeamOverviewQuery, raw);
  const db = ctx.store.db;
  // One round trip on PostgreSQL (the queries run side by side); nothing is returned before the
  // access check passes.
  const [team, allowed, members] = await Promise.all([
    db
      .selectFrom("teams")
      .select(["id", "name"])
      .where("workspaceId", "=", actor.workspaceId)
      .where("id", "=", teamId)
      .executeTakeFirst(),
    canSeeTeam(ctx, actor, teamId),
    db
      .selectFrom("memberships")
      .innerJoin("users", "users.id", "memberships.userId")
      .select(["users.id", "users.name", "memberships.role"])
      .where("memberships.teamId", "=", teamId)
      .orderBy("users.id")
      .execute(),
  ]);
  if (!team || !allowed) throw notFound("team", teamId);
  const now = today(ctx);
  const asOf = q.asOf ?? now;
  const from = windowStart(asOf, q.weeks);
  const compute = () => computeOverview(ctx, actor, team, members, asOf, now, from, q.weeks);
  if (asOf !== now || options.stored === false)
    return Buffer.from(JSON.stringify((await compute()).overview));

  const viewer = { userId: actor.userId, workspaceId: actor.workspaceId, teamIds: null };
  const memberIds = members.map((m) => m.id);
  const revisions = await ft.teamGoalRevisions(db, viewer, teamId, memberIds, STATUSES);
  const stamp = createHash("sha1")
    .update(JSON.stringify([team, members, revisions, asOf, from]))
    .digest("base64url");
  const current = async (c: { asOf: IsoDate; stamp: string; shown: [number, string][] }) => {
    if (c.asOf !== asOf || c.stamp !== stamp) return false;
    const names = await ft.userNames(
      db,
      actor.workspaceId,
      c.shown.map(([id]) => id),
    );
    return c.shown.every(([id, name]) => names.get(id) === name);
  };
  const local = copiesOf(ctx.store);
  const key = `${teamId}:${actor.userId}:${q.weeks}`;
  const keep = (c: Copy) => {
    local.delete(key);
    local.set(key, c);
    if (local.size > COPIES) local.delete(local.keys().next().value as string);
    return c.bytes;
  };
  const copy = local.get(key);
  if (copy && (await current(copy))) return keep(copy);
  const stored = await answers.storedAnswer(db, teamId, actor.userId, q.weeks);
  if (stored) {
    const c = {
      asOf: stored.asOf,
      stamp: stored.stamp,
      shown: JSON.parse(stored.namesJson) as [number, string][],
    };
    if (await current(c)) return keep({ ...c, bytes: Buffer.from(stored.answerJson) });
  }
  const { overview, names } = await compute();
  const answerJson = JSON.stringify(overview);
  const memberSet = new Set(memberIds);
  const shown = [...names].filter(([id]) => !memberSet.has(id));
  await answers.saveAnswer(db, {
    teamId,
    userId: actor.userId,
    weeks: q.weeks,
    asOf,
    stamp,
    namesJson: JSON.stringify(shown),
    answerJson,
    computedAt: nowIso(ctx),
  });
  return keep({ asOf, stamp, shown, bytes: Buffer.from(answerJson) });
}

/** Computes the team overview; also returns every name it looked up, by user id. */
async function computeOverview(
  ctx: AppContext,
  actor: Actor,
  team: { id: number; name: string },
  members: readonly Member[],
  asOf: IsoDate,
  now: IsoDate,
  from: IsoDate,
  weeks: number,
): Promise<{ overview: TeamOverview; names: Map<number, string> }> {
  const db = ctx.store.db;
  const teamId = team.id;
  const memberIds = new Set(members.map((m) => m.id));
  // Display names: the members', and anyone else's as they turn up (usually nobody: no query).
  const names = new Map(members.map((m) => [m.id, m.name]));
  const addNames = async (userIds: readonly number[]) => {
    const missing = userIds.filter((id) => !names.has(id));
    for (const [id, name] of await ft.userNames(db, actor.workspaceId, missing)) names.set(id, name);
  };

  const viewer = { userId: actor.userId, workspaceId: actor.workspaceId, teamIds: null };
  const goals = await ft.teamGoalsOf(db, viewer, teamId, [...memberIds], STATUSES);
  await addNames(goals.map((g) => g.ownerId));
  const ids = goals.map((g) => g.id);
  const [rolled, barriers] = await Promise.all([
    goalRollups(db, actor.workspaceId, goals, names, asOf, now, nowIso(ctx), from),
    hitBarriersOf(ctx, ids),
  ]);
  // Drafts and goals dropped by `asOf` are left out (a past day's status may differ from today's).
  const counted = rolled.filter((r) => r.goal.status === "active" || r.goal.status === "done");
  const countedIds = counted.map((r) => r.goal.id);
  const commitments = await ft.commitmentsDueIn(db, actor.workspaceId, from, asOf, countedIds);
  const steps = await ft.stepsDueIn(
    db,
    countedIds,
    from,
    asOf,
    commitments.flatMap((c) => (c.stepId === null ? [] : [c.stepId])),
  );
  const rate = engine.followThrough(
    { goals: counted.map((r) => r.goal), steps, commitments },
    { from, to: asOf },
    asOf,
  );

  await addNames(rate.items.map((i) => i.userId));
  const ref = (g: Goal): TeamGoalRef => ({
    goalId: g.id,
    title: g.title,
    ownerId: g.ownerId,
    ownerName: names.get(g.ownerId) ?? null,
  });

  const weeksOf = weekStarts(from, asOf);
  const itemsOf = new Map<number, engine.FollowThroughItem[]>();
  for (const i of rate.items) {
    const list = itemsOf.get(i.userId);
    if (list) list.push(i);
    else itemsOf.set(i.userId, [i]);
  }
  const trendOf = (items: readonly engine.FollowThroughItem[]): WeekRate[] => {
    const byWeek = new Map<IsoDate, engine.Outcome[]>(weeksOf.map((w) => [w, []]));
    for (const i of items) byWeek.get(engine.isoWeekStart(i.dueDate))?.push(i.outcome);
    return weeksOf.map((weekStart) => ({ weekStart, ...engine.rateOf(byWeek.get(weekStart) ?? []) }));
  };
  const personOf = (userId: number, name: string, role: string): TeamPerson => {
    const items = itemsOf.get(userId) ?? [];
    return {
      userId,
      name,
      role,
      ...engine.rateOf(items.map((i) => i.outcome)),
      pending: items.filter((i) => i.outcome === "pending").length,
      trend: trendOf(items),
      activeGoals: counted.filter((r) => r.goal.ownerId === userId && r.goal.status === "active").length,
    };
  };
  const teamPeople = members.map((m) => personOf(m.id, m.name, m.role));
  // Someone outside the team who owns a step of the team's goals (a delegation) still counts.
  for (const userId of itemsOf.keys()) {
    if (!memberIds.has(userId))
      teamPeople.push(personOf(userId, names.get(userId) ?? `Person ${userId}`, "helper"));
  }

  const active = counted.filter((r) => r.goal.status === "active");
  const stalled = active
    .filter((r) => r.rollup.stalled)
    .map((r) => ({
      ...ref(r.goal),
      reasons: r.rollup.stallReasons,
      mode: r.rollup.mode,
      leaderPrompt: r.rollup.leaderPrompt,
    }));
  const missedCheckins = active.flatMap((r) => {
    const last = r.rollup.lastCheckin?.date ?? null;
    const dueOn = engine.addDays(last ?? r.goal.startDate, r.goal.cadenceDays);
    return dueOn < asOf
      ? [{ ...ref(r.goal), lastCheckin: last, dueOn, cadenceDays: r.goal.cadenceDays }]
      : [];
  });
  const atRisk = active.flatMap((r) => {
    const confidence = r.rollup.lastCheckin?.confidence ?? null;
    const risky = r.rollup.pace === "behind" || confidence === "at-risk" || confidence === "off-track";
    return risky
      ? [
          {
            ...ref(r.goal),
            progress: r.rollup.progress,
            expected: r.rollup.expected,
            pace: r.rollup.pace,
            confidence,
          },
        ]
      : [];
  });
  const goalById = new Map(goals.map((g) => [g.id, g]));
  const activeIds = new Set(active.map((r) => r.goal.id));
  const obstacles = barriers.flatMap((b) => {
    const g = goalById.get(b.goalId);
    if (b.status !== "hit" || !g || !activeIds.has(g.id)) return [];
    const hitOn = b.hitAt === null ? null : engine.dayOfTimestamp(b.hitAt);
    if (hitOn !== null && hitOn > asOf) return [];
    return [{ ...ref(g), barrierId: b.id, obstacle: b.obstacle, planB: b.planB, hitOn }];
  });

  const progress = new Map(counted.map((r) => [r.goal.id, r.rollup.progress]));
  const parents = new Set(goals.map((g) => g.parentId).filter((p): p is number => p !== null));
  const alignmentGoals = goals.map((g) => ({
    ...ref(g),
    parentId: g.parentId,
    status: g.status,
    progress: progress.get(g.id) ?? 0,
  }));

  const overview: TeamOverview = {
    team,
    asOf,
    from,
    to: asOf,
    weeks,
    followThroughRate: rate.followThroughRate,
    kept: rate.kept,
    missed: rate.missed,
    pending: rate.pending,
    byWeek: rate.byWeek,
    people: teamPeople,
    stalled,
    missedCheckins,
    atRisk,
    obstacles,
    wins: engine
      .orderWins(counted.flatMap((r) => r.rollup.wins.filter((w) => w.date <= asOf)))
      .slice(0, MAX_WINS),
    alignment: {
      goals: alignmentGoals,
      orphans: goals.filter((g) => g.parentId === null && !parents.has(g.id)).map((g) => g.id),
    },
  };
  return { overview, names };
}
