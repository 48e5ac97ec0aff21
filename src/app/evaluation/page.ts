/**
 * Everything the goal page shows, in one answer: the plan, its status, its history, the feedback
 * on every check-in, the names of the people it mentions, the delegations of its steps the reader
 * may see, and what the reader may do to it. A fixed number of queries whatever the number of
 * check-ins, steps or comments.
 */
import type { ChangeRecord, Step } from "../../core/types.js";
import { feedbackOfGoal } from "../../store/repos/checkins.js";
import { delegationsOfGoal } from "../../store/repos/delegations.js";
import * as ft from "../../store/repos/followthrough.js";
import { membersOf } from "../../store/repos/people.js";
import * as plans from "../../store/repos/plans.js";
import { type Delegation, toDelegation } from "../collaboration/collaboration.js";
import { type Actor, type AppContext, actorFacts } from "../context.js";
import { nudgeSettingsOf } from "../people/settings.js";
import { getPlanOrThrow, type Plan } from "../plans/goals.js";
import { can } from "../policy.js";
import type { GoalStatusView } from "./evaluate.js";
import { goalStatus } from "./status.js";

/** A comment on a check-in. */
export interface PageComment {
  id: number;
  authorId: number;
  body: string;
  createdAt: string;
}

/** The comments and kudos on one check-in. */
export interface CheckinFeedback {
  checkinId: number;
  comments: PageComment[];
  /** Who gave kudos, first given first. */
  kudos: number[];
}

/**
 * What the reader may do on the page, each decided by `can` (src/app/policy.ts), so the page
 * offers only what the API would accept.
 */
export interface GoalPageAllowed {
  /** Change the goal and everything in its plan: fields, key results, steps, barriers, resources. */
  edit: boolean;
  checkIn: boolean;
  delegate: boolean;
  share: boolean;
  comment: boolean;
  kudos: boolean;
  follow: boolean;
  /** Complete, drop or archive the goal. */
  archive: boolean;
  /** The open steps whose status the reader may change (mark done): the owner's, or the ones asked of them. */
  completeSteps: number[];
}

/** Everything the goal page shows. */
export interface GoalPage {
  plan: Plan;
  status: GoalStatusView;
  history: ChangeRecord[];
  feedback: CheckinFeedback[];
  /** The names of everyone the page mentions, and of the reader's teammates (who can own or take a step). */
  people: { id: number; name: string }[];
  /** The delegations of this goal and its steps that the reader gave or received. */
  delegations: Delegation[];
  allowed: GoalPageAllowed;
  /** The reader's time zone (their settings; UTC when unset), for dates in words. */
  timeZone: string;
}

const isOpen = (s: Step) => s.status === "todo" || s.status === "doing";

/** The goal page for `actor`: goal_not_found when they may not read the goal. */
export async function goalPage(ctx: AppContext, actor: Actor, goalId: number): Promise<GoalPage> {
  const db = ctx.store.db;
  const plan = await getPlanOrThrow(ctx, actor, goalId);
  const { goal } = plan;
  const [status, history, feedbackRows, delegationRows, facts, settings] = await Promise.all([
    goalStatus(ctx, actor, goalId),
    plans.changesOf(db, goalId),
    feedbackOfGoal(db, goalId),
    delegationsOfGoal(db, actor.workspaceId, goalId),
    actorFacts(db, actor),
    nudgeSettingsOf(db, [actor.userId]),
  ]);
  // Each delegation with how its step (or the goal) stands, read from the plan already loaded.
  const stepOf = new Map(plan.steps.map((s) => [s.id, s]));
  const delegations = delegationRows
    .filter((d) => can(actor, "delegation.see", d))
    .map((d) => {
      const step = d.stepId === null ? undefined : stepOf.get(d.stepId);
      return toDelegation(d, {
        ...d,
        stepStatus: step?.status ?? null,
        stepDoneAt: step?.doneAt ?? null,
        goalStatus: goal.status,
        goalTitle: goal.title,
      });
    });

  const feedback = new Map<number, CheckinFeedback>(
    plan.checkins.map((c) => [c.id, { checkinId: c.id, comments: [], kudos: [] }]),
  );
  for (const c of feedbackRows.comments)
    feedback.get(c.checkinId)?.comments.push({
      id: c.id,
      authorId: c.authorId,
      body: c.body,
      createdAt: c.createdAt,
    });
  for (const k of feedbackRows.kudos) feedback.get(k.checkinId)?.kudos.push(k.userId);

  const mentioned = [
    goal.ownerId,
    ...plan.steps.flatMap((s) => (s.ownerId === null ? [] : [s.ownerId])),
    ...plan.checkins.map((c) => c.authorId),
    ...feedbackRows.comments.map((c) => c.authorId),
    ...feedbackRows.kudos.map((k) => k.userId),
    ...history.map((h) => h.userId),
    ...delegations.flatMap((d) => [d.assigneeId, d.delegatedBy]),
  ];
  const [names, teammates] = await Promise.all([
    ft.userNames(db, actor.workspaceId, mentioned),
    membersOf(db, facts.teamIds),
  ]);
  for (const m of teammates) names.set(m.id, m.name);

  const edit = can(actor, "goal.write", goal);
  const allowed: GoalPageAllowed = {
    edit,
    checkIn: edit,
    delegate: can(actor, "goal.delegate", goal),
    share: can(actor, "goal.share", goal),
    comment: can(actor, "goal.comment", goal),
    kudos: can(actor, "goal.comment", goal),
    follow: can(actor, "goal.follow", goal) && goal.ownerId !== actor.userId,
    archive: edit,
    completeSteps: plan.steps
      .filter((s) => isOpen(s) && can(actor, "step.change", { goal, step: s, fields: ["status"] }))
      .map((s) => s.id),
  };
  return {
    plan,
    status,
    history,
    feedback: [...feedback.values()],
    people: [...names].map(([id, name]) => ({ id, name })).sort((a, b) => a.id - b.id),
    delegations,
    allowed,
    timeZone: settings.get(actor.userId)?.timeZone ?? "UTC",
  };
}
