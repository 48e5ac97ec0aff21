/** The Backend on the local database: each operation is the app's use case, acting as the local owner. */
import * as checkins from "../../app/checkins.js";
import type { Actor, AppContext } from "../../app/context.js";
import * as followthrough from "../../app/followthrough.js";
import * as goals from "../../app/goals.js";
import { closeApp } from "../../app/open.js";
import { resolvePerson } from "../../app/people.js";
import * as resources from "../../app/resources.js";
import * as steps from "../../app/steps.js";
import type { Backend } from "./backend.js";

/** A Backend over an open app context; closing it closes the database. */
export function localBackend(ctx: AppContext, actor: Actor): Backend {
  return {
    mode: { kind: "local", location: ctx.store.location },
    createGoal: (input) => goals.createGoal(ctx, actor, input),
    listGoals: (query) => goals.listGoals(ctx, actor, query),
    plan: (goalId) => goals.getPlanOrThrow(ctx, actor, goalId),
    updateGoal: (goalId, patch) => goals.updateGoal(ctx, actor, goalId, patch),
    dropGoal: (goalId, reason) => goals.dropGoal(ctx, actor, goalId, reason),
    history: (goalId) => goals.goalHistory(ctx, actor, goalId),
    addKeyResult: (goalId, input) => goals.addKeyResult(ctx, actor, goalId, input),
    updateKeyResult: (krId, patch) => goals.updateKeyResult(ctx, actor, krId, patch),
    resolvePerson: async (who) => {
      const u = await resolvePerson(ctx, actor, who, { create: true });
      return { id: u.id, name: u.name };
    },
    addStep: (goalId, input) => steps.addStep(ctx, actor, goalId, input),
    completeStep: (stepId, input) => steps.completeStep(ctx, actor, stepId, input),
    listSteps: (query) => steps.listSteps(ctx, actor, query),
    addResource: (goalId, input) => resources.addResource(ctx, actor, goalId, input),
    addBarrier: (goalId, input) => resources.addBarrier(ctx, actor, goalId, input),
    checkin: (goalId, input) => checkins.createCheckin(ctx, actor, goalId, input),
    week: () => steps.myWeek(ctx, actor),
    status: (goalId, query) => followthrough.goalStatus(ctx, actor, goalId, query),
    report: (query) => followthrough.followThroughReport(ctx, actor, query),
    review: (query) => followthrough.weeklyReview(ctx, actor, query),
    addReviewSteps: (input) => followthrough.addReviewSteps(ctx, actor, input),
    close: () => closeApp(ctx),
  };
}
