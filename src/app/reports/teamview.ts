/**
 * The leader's team view in one answer: per person their follow-through rate and its weekly trend,
 * the team's stalled goals, missed check-ins, goals at risk, obstacles hit and recent wins, and the
 * alignment tree with the goals that serve no objective. Only the team's shared goals count (team-
 * or workspace-visible, and visible to the caller): a member's private goal never appears here,
 * not even to the workspace owner.
 */
import { createHash } from "node:crypto";
import * as engine from "../../core/engine/index.js";
import type { Confidence, Goal, IsoDate } from "../../core/types.js";
import { alongside } from "../../store/prepared.js";
import * as ft from "../../store/repos/followthrough.js";
import * as people from "../../store/repos/people.js";
import { type Actor, type AppContext, actorFacts, nowIso, today } from "../context.js";
import { notFound } from "../errors.js";
import { ROLLUP_VERSION } from "../evaluation/rollup.js";
import { goalRollups } from "../evaluation/rollups.js";
import { ledGoalIds } from "../evaluation/status.js";
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
  /** How many times the team's steps due in the window were moved to another day. */
  moved: number;
  byWeek: (WeekRate & { moved: number })[];
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

/**
 * The format of the team view's answer: bump it whenever `TeamOverview`'s shape or the way it is
 * computed here changes. Stamps carry it with the roll-ups' version (the answer is made from them),
 * so an upgrade, or an instance on another version, never serves an answer other code computed.
 */
const TEAM_VIEW_FORMAT = 2;

/** The code version every team view stamp carries. */
export const TEAM_VIEW_VERSION = `team-view.${TEAM_VIEW_FORMAT}/${ROLLUP_VERSION}`;

/** The ISO weeks a window touches, oldest first. */
function weekStarts(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let w = engine.isoWeekStart(from); w <= to; w = engine.addDays(w, 7)) out.push(w);
  return out;
}

/** The goals the team view counts. */
const STATUSES = ["active", "done"];

type Member = { id: number; name: string; role: string };

/** How a caller may read the team view. */
export interface TeamOverviewOptions {
  /** False computes afresh and keeps no copy. */
  stored?: boolean;
  /** The code version the tag carries: this one's unless a test asks what another would tag. */
  version?: string;
}

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
  options: TeamOverviewOptions = {},
): Promise<TeamOverview> {
  const { body } = await teamOverviewReply(ctx, actor, teamId, raw, null, options);
  return JSON.parse((body as Buffer).toString("utf8")) as TeamOverview;
}

/** The team view as the HTTP route sends it. */
export interface TeamOverviewReply {
  /**
   * A strong entity tag, quoted as the ETag header carries it: the same on every instance of this
   * version for the same answer, and another one whenever anything the answer shows changes.
   */
  etag: string;
  /** The answer as UTF-8 JSON; null when the reader's If-None-Match holds the current tag. */
  body: Buffer<ArrayBuffer> | null;
}

/** An answer as this process keeps a copy of it: its tag and its bytes. */
interface Copy {
  etag: string;
  bytes: Buffer<ArrayBuffer>;
}

/** How many answers each open store keeps copies of (about 200 KB each for a 50-person team). */
const COPIES = 64;
/**
 * Copies of today's answers this process served, per open store and per team, reader and window
 * length, most recently used last. A copy is served only while its tag is current, checked against
 * the database on every read, so instances never disagree: a write through any of them changes the
 * tag. They are what keeps the team view within its target for readers without the tag (another
 * device, the command line): computing from the roll-ups costs about eight times the CPU, and
 * without the copies the view ran at half its rate with a p99 of 78-86 ms at ten connections (it
 * must be under 50: docs/benchmarks.md, "Stored answers and ETags").
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

/** The entity tags of an If-None-Match header (weak ones compare as strong: RFC 9110, 13.1.2). */
function entityTags(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .filter((t) => /^"[^"]*"$/.test(t));
}

/** The ids of the people from outside the team a tag carries; null when it carries something else. */
function outsidersOf(tag: string): number[] | null {
  const ids = tag.slice(1, -1).split(".").slice(1).map(Number);
  return ids.every((id) => Number.isSafeInteger(id) && id > 0) ? ids : null;
}

/**
 * The team overview as the route sends it, with its entity tag. The tag hashes this code's version
 * (`TEAM_VIEW_VERSION`), the reader, the team's name, its members (names and roles), the id and revision of
 * every goal it counts (the revision moves on any write to a goal or its key results, steps,
 * check-ins, obstacles, history and commitments: migrations 0008 and 0009), the window and the
 * names of the people outside the team it shows, whose ids the tag also carries (so it can be
 * checked again without the answer). All of it but those names is read before the answer is
 * computed, so an answer computed during a write gets the older tag and is computed again on the
 * next read; the names are the ones in the answer. When `ifNoneMatch` holds the current tag,
 * nothing is computed or sent; otherwise the process's copy of today's answer is sent while its
 * tag is current, or the answer is computed from the goals' roll-ups and a copy kept.
 */
export async function teamOverviewReply(
  ctx: AppContext,
  actor: Actor,
  teamId: number,
  raw: unknown = {},
  ifNoneMatch: string | null = null,
  options: TeamOverviewOptions = {},
): Promise<TeamOverviewReply> {
  const q = parse(TeamOverviewQuery, raw);
  const db = ctx.store.db;
  const now = today(ctx);
  const asOf = q.asOf ?? now;
  const from = windowStart(asOf, q.weeks);
  const keepCopy = asOf === now && options.stored !== false;
  const local = copiesOf(ctx.store);
  const key = `${teamId}:${actor.userId}:${q.weeks}`;
  const copy = keepCopy ? local.get(key) : undefined;
  const offered = entityTags(ifNoneMatch);
  // The people from outside the team whose names the tags to check (the reader's, the copy's) carry.
  const named = [...new Set([...offered, ...(copy ? [copy.etag] : [])].flatMap((t) => outsidersOf(t) ?? []))];
  // One round trip and one pooled connection on PostgreSQL (pgteam22: the queries leave together,
  // `alongside`); nothing is returned before the access check passes. The goals' revisions are
  // read as a member of the team reads them (every leader is one); anyone else who may see the
  // team (the workspace owner) has them read again under the visibility rule.
  const [team, facts, rows, asMember, outsiderNames] = await alongside(db, (one) =>
    Promise.all([
      people.teamIn(one, actor.workspaceId, teamId),
      actorFacts(one, actor),
      people.membersOf(one, [teamId]),
      ft.teamGoalRevisionsForMember(one, actor.workspaceId, teamId, STATUSES),
      ft.userNames(one, actor.workspaceId, named),
    ]),
  );
  const members = rows.map(({ id, name, role }) => ({ id, name, role }));
  if (!team || !can(facts, "team.overview", { id: teamId, workspaceId: actor.workspaceId }))
    throw notFound("team", teamId);
  const viewer = { userId: actor.userId, workspaceId: actor.workspaceId, teamIds: null };
  const memberIds = members.map((m) => m.id);
  const revisions = memberIds.includes(actor.userId)
    ? asMember
    : await ft.teamGoalRevisions(db, viewer, teamId, memberIds, STATUSES);
  const version = options.version ?? TEAM_VIEW_VERSION;
  // The reader is part of the tag: the leader and a member may be shown different answers, and a
  // tag one reader holds (a shared browser's cache) must never spare another a fresh answer.
  const base = JSON.stringify([version, actor.userId, team, members, revisions, asOf, now, from]);
  /** The tag of the answer that shows these people from outside the team, under these names. */
  const tagFor = (outsiders: readonly number[], names: ReadonlyMap<number, string>) => {
    const hash = createHash("sha1")
      .update(base)
      .update(JSON.stringify(outsiders.map((id) => names.get(id) ?? null)))
      .digest("base64url");
    return `"${[hash, ...outsiders].join(".")}"`;
  };
  /** True when a tag (the reader's, or a copy's) is the current one. */
  const current = (tag: string) => {
    const outsiders = outsidersOf(tag);
    return outsiders !== null && tagFor(outsiders, outsiderNames) === tag;
  };
  for (const tag of offered) if (current(tag)) return { etag: tag, body: null };
  const keep = (c: Copy): TeamOverviewReply => {
    local.delete(key);
    local.set(key, c);
    if (local.size > COPIES) local.delete(local.keys().next().value as string);
    return { etag: c.etag, body: c.bytes };
  };
  if (copy && current(copy.etag)) return keep(copy);
  const { overview, names } = await computeOverview(ctx, actor, team, members, asOf, now, from, q.weeks);
  const json = JSON.stringify(overview);
  const memberSet = new Set(memberIds);
  const shown = [...names].filter(([id]) => !memberSet.has(id)).sort(([a], [b]) => a - b);
  const etag = tagFor(
    shown.map(([id]) => id),
    names,
  );
  if (!keepCopy) return { etag, body: Buffer.from(json) };
  return keep({ etag, bytes: Buffer.from(json) });
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
    ft.hitBarriersOf(db, ids),
  ]);
  // Drafts and goals dropped by `asOf` are left out (a past day's status may differ from today's).
  const counted = rolled.filter((r) => r.goal.status === "active" || r.goal.status === "done");
  const countedIds = counted.map((r) => r.goal.id);
  const commitments = await ft.commitmentsDueIn(db, actor.workspaceId, from, asOf, countedIds);
  const [steps, occurrences] = await Promise.all([
    ft.stepsDueIn(
      db,
      countedIds,
      from,
      asOf,
      commitments.flatMap((c) => (c.stepId === null ? [] : [c.stepId])),
    ),
    ft.occurrencesOfGoals(db, countedIds, { from, to: asOf }),
  ]);
  const rate = engine.followThrough(
    { goals: counted.map((r) => r.goal), steps, occurrences, commitments },
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
  const stalledOnes = active.filter((r) => r.rollup.stalled);
  // The prompt to agree a micro-goal is for the people who lead the goal's owner.
  const led = await ledGoalIds(
    db,
    actor,
    stalledOnes.map((r) => r.goal),
  );
  const stalled = stalledOnes.map((r) => ({
    ...ref(r.goal),
    reasons: r.rollup.stallReasons,
    mode: r.rollup.mode,
    leaderPrompt: led.has(r.goal.id) ? r.rollup.leaderPrompt : null,
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
    moved: rate.moved,
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
