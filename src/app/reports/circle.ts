/**
 * report22 (issue 17): whose goals a report's lists show in full. A report is read by a person: its
 * lists (wins, stalled goals, people, a review's misses) show everything of the reader's circle —
 * their own goals, the goals shared with them, their teams' goals and the goals of the people in
 * their teams — and of everyone else's goals (those open to the whole workspace) only the first
 * `OPEN_LIST_CAP` of each list, in the list's own order, with how many were left out. Asking with
 * `all` lists everything. The totals and rates always count every goal the reader may see
 * ("Metrics count what was promised"): only the lists are cut.
 */

import type { Kysely } from "kysely";
import { z } from "zod";
import type { Commitment } from "../../core/types.js";
import type { Viewer } from "../../store/repos/plans.js";
import * as rows from "../../store/repos/reportrows.js";
import type { Database } from "../../store/schema.js";

/** How many entries of each list come from goals outside the reader's circle, unless all are asked for. */
export const OPEN_LIST_CAP = 10;

/** The query flag `all`: `true` lists every entry (also `1`; `false`/`0` or absent: the cut lists). */
export const allFlag = z
  .union([z.boolean(), z.enum(["true", "false", "1", "0"])], {
    message: "must be true or false.",
  })
  .transform((v) => v === true || v === "true" || v === "1")
  .optional();

/** What decides whether a goal is in the reader's circle. */
export interface Circle {
  userId: number;
  teamIds: ReadonlySet<number>;
  /** The people in the reader's teams (the reader too, when in a team). */
  teammates: ReadonlySet<number>;
  /** The goals shared with the reader. */
  shared: ReadonlySet<number>;
}

/** The reader's circle, read from their teams' members and the goals shared with them (both bounded by the reader). */
export async function circleOf(db: Kysely<Database>, viewer: Viewer): Promise<Circle> {
  const members = await rows.membersOfTeams(db, viewer.teamIds);
  return {
    userId: viewer.userId,
    teamIds: new Set(viewer.teamIds),
    teammates: new Set(members.map(([, userId]) => userId)),
    shared: new Set(await rows.sharedGoalIdsOf(db, viewer.userId)),
  };
}

/** Whether a goal is the reader's own, shared with them, their team's, or of someone in their teams. */
export function inCircle(c: Circle, g: { id: number; ownerId: number; teamId: number | null }): boolean {
  return (
    g.ownerId === c.userId ||
    c.shared.has(g.id) ||
    (g.teamId !== null && c.teamIds.has(g.teamId)) ||
    c.teammates.has(g.ownerId)
  );
}

/** Whether a person is the reader or in the reader's teams. */
export function isCirclePerson(c: Circle, userId: number): boolean {
  return userId === c.userId || c.teammates.has(userId);
}

/**
 * A list cut for its reader: every entry `mine` says is of the reader's circle, and of the others
 * the first `cap` in the list's order (all of them with `all`), the list's order kept; and how many
 * were left out.
 */
export function capList<T>(
  items: readonly T[],
  mine: (item: T) => boolean,
  all: boolean,
  cap = OPEN_LIST_CAP,
): { items: T[]; omitted: number } {
  if (all) return { items: [...items], omitted: 0 };
  const out: T[] = [];
  let others = 0;
  let omitted = 0;
  for (const item of items) {
    if (mine(item)) out.push(item);
    else if (others < cap) {
      others++;
      out.push(item);
    } else omitted++;
  }
  return { items: out, omitted };
}

/**
 * The people of a report's promises who are in the reader's circle: the reader and their teams'
 * people, everyone with a promise or move on a goal of the circle (`onCircleGoals`), and the makers
 * of the counted commitments with no goal or on a goal of the circle.
 */
export function circlePeople(
  c: Circle,
  onCircleGoals: Iterable<number>,
  commitments: readonly Commitment[],
  circleGoal: (goalId: number) => boolean,
): Set<number> {
  const people = new Set<number>([c.userId, ...c.teammates, ...onCircleGoals]);
  for (const k of commitments) if (k.goalId === null || circleGoal(k.goalId)) people.add(k.userId);
  return people;
}
