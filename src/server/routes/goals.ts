/** HTTP routes for goals, their key results and their change history. */
import { createRoute, z } from "@hono/zod-openapi";
import { fromZod, notFound } from "../../app/errors.js";
import { listGoalsWithStatus } from "../../app/evaluation/goal-list.js";
import { goalPage } from "../../app/evaluation/page.js";
import * as goals from "../../app/plans/goals.js";
import * as plans from "../../app/plans/plan.js";
import { router } from "../env.js";
import { DelegationSchema } from "./collaboration.js";
import { GoalStatusSchema } from "./followthrough.js";
import {
  BarrierSchema,
  ChangeSchema,
  CheckinSchema,
  errorResponses,
  FindingSchema,
  GoalChildParam,
  GoalSchema,
  GoalWithWarningsSchema,
  IdParam,
  jsonBody,
  jsonResponse,
  KeyResultSchema,
  PlanSchema,
  pageSchema,
  ResourceSchema,
  StepWithWarningsSchema,
} from "./schemas.js";

const tags = ["goals"];

/** A goal's status at a glance, in the goals list with `include=status`. */
const GoalSummarySchema = z
  .object({
    progress: z.number().openapi({ description: "0..1" }),
    expected: z.number().nullable().openapi({ description: "0..1 on the line to the due date" }),
    pace: z.enum(["ahead", "on-track", "behind"]),
    stalled: z.boolean(),
    stallReasons: z.array(z.enum(["behind", "silent", "carried-over"])),
    mode: z.enum(["normal", "micro-goal"]),
    lastCheckin: z
      .object({
        date: z.string(),
        confidence: z.enum(["on-track", "at-risk", "off-track"]).nullable(),
      })
      .nullable(),
  })
  .openapi("GoalSummary");

/** A goal in the list: with `include=status`, its summary too (null unless the goal is active). */
const GoalListItemSchema = GoalSchema.extend({
  summary: GoalSummarySchema.nullable().optional().openapi({
    description: "Only with include=status: today's progress, pace and stall; null unless active",
  }),
}).openapi("GoalListItem");
/** A whole plan just saved: the shape of GET /api/goals/{id}/plan, with the coach's findings. */
// Written out rather than extending Plan: an extension would document `allOf` with Plan, whose
// steps allow no `warnings`.
const CreatedPlanSchema = z
  .object({
    goal: GoalSchema,
    keyResults: z.array(KeyResultSchema),
    steps: z.array(StepWithWarningsSchema),
    resources: z.array(ResourceSchema),
    barriers: z.array(BarrierSchema),
    checkins: z.array(CheckinSchema).openapi({ description: "None when the plan was just made" }),
    warnings: z
      .array(FindingSchema)
      .openapi({ description: "The coach's findings on the goal with everything its plan holds" }),
  })
  .openapi("CreatedPlan");

/** Registers /api/goals and /api/goals/{id}/key-results. */
export function goalRoutes() {
  const r = router();

  r.openapi(
    createRoute({
      method: "post",
      path: "/goals",
      operationId: "createGoal",
      tags,
      summary: "Create a goal",
      request: { body: jsonBody(goals.GoalCreateInput) },
      responses: {
        201: jsonResponse(GoalWithWarningsSchema, "The goal as stored, with the coach's warnings"),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await goals.createGoal(c.var.ctx, c.var.actor, c.req.valid("json")), 201),
  );

  // ---- Plans: a whole plan in one request (the web plan builder) ----
  r.openapi(
    createRoute({
      method: "post",
      path: "/plans",
      operationId: "createPlan",
      tags,
      summary: "Save a whole plan at once: goal, key results, steps, barriers and resources",
      description:
        "One transaction: any invalid part refuses the whole plan (the message names the part, e.g. 'Step 2, text: is empty') and nothing is stored.",
      request: { body: jsonBody(plans.PlanCreateInput) },
      responses: {
        201: jsonResponse(CreatedPlanSchema, "The plan as stored, with the coach's warnings"),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await plans.createPlan(c.var.ctx, c.var.actor, c.req.valid("json")), 201),
    (result) => {
      // Name the part in words ("Step 2, text: ...") rather than the JSON path.
      if (!result.success) throw plans.planInputError(result.error);
      return undefined;
    },
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/goals/{id}/plan",
      operationId: "addToPlan",
      tags,
      summary: "Finish a plan: change the goal and add new parts, in one transaction",
      description:
        "For an imported or unfinished plan: `goal` holds changes as in updateGoal (a moved due date or a new priority needs `reason`); the key results, steps, barriers and resources given are added, existing ones are left as they are. Any invalid part refuses it all and nothing is stored.",
      request: { params: IdParam, body: jsonBody(plans.PlanAddInput) },
      responses: {
        200: jsonResponse(CreatedPlanSchema, "The whole plan as it now stands, with the coach's warnings"),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        await plans.addToPlan(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        200,
      ),
    (result) => {
      if (!result.success)
        throw result.target === "json" ? plans.planInputError(result.error) : fromZod(result.error);
      return undefined;
    },
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/goals",
      operationId: "listGoals",
      tags,
      summary:
        "List goals (filter by status, owner, team, due before/after; cursor pagination; include=status adds each active goal's progress, pace and stall)",
      request: { query: goals.GoalListQuery },
      responses: { 200: jsonResponse(pageSchema(GoalListItemSchema), "A page of goals"), ...errorResponses },
    }),
    async (c) => {
      const query = c.req.valid("query");
      if (query.include === "status") {
        return c.json(await listGoalsWithStatus(c.var.ctx, c.var.actor, query), 200);
      }
      return c.json(await goals.listGoals(c.var.ctx, c.var.actor, query), 200);
    },
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/goals/{id}",
      operationId: "getGoal",
      tags,
      summary: "A goal",
      request: { params: IdParam },
      responses: { 200: jsonResponse(GoalSchema, "The goal"), ...errorResponses },
    }),
    async (c) => c.json(await goals.getGoalOrThrow(c.var.ctx, c.var.actor, c.req.valid("param").id), 200),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/goals/{id}/plan",
      operationId: "getPlan",
      tags,
      summary: "A goal with its key results, steps, resources, barriers and check-ins",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(PlanSchema, "The whole plan"),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await goals.getPlanOrThrow(c.var.ctx, c.var.actor, c.req.valid("param").id), 200),
  );

  r.openapi(
    createRoute({
      method: "patch",
      path: "/goals/{id}",
      operationId: "updateGoal",
      tags,
      summary: "Change a goal (due date, priority or dropping need a reason)",
      request: { params: IdParam, body: jsonBody(goals.GoalUpdateInput) },
      responses: {
        200: jsonResponse(GoalWithWarningsSchema, "The changed goal, with the coach's warnings"),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        await goals.updateGoal(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        200,
      ),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/goals/{id}/drop",
      operationId: "dropGoal",
      tags,
      summary: "Drop a goal, with a reason",
      request: {
        params: IdParam,
        body: jsonBody(z.strictObject({ reason: z.string().max(2000).nullish() })),
      },
      responses: { 200: jsonResponse(GoalWithWarningsSchema, "The dropped goal"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await goals.dropGoal(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json").reason),
        200,
      ),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/goals/{id}/history",
      operationId: "getGoalHistory",
      tags,
      summary: "The goal's change history with reasons",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(z.object({ items: z.array(ChangeSchema) }), "Changes, oldest first"),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json({ items: await goals.goalHistory(c.var.ctx, c.var.actor, c.req.valid("param").id) }, 200),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/goals/{id}/key-results",
      operationId: "createKeyResult",
      tags: ["key results"],
      summary: "Add a key result (from X to Y)",
      request: { params: IdParam, body: jsonBody(goals.KeyResultCreateInput) },
      responses: { 201: jsonResponse(KeyResultSchema, "The key result"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await goals.addKeyResult(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        201,
      ),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/goals/{id}/key-results",
      operationId: "listKeyResults",
      tags: ["key results"],
      summary: "Key results of a goal",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(z.object({ items: z.array(KeyResultSchema) }), "Key results"),
        ...errorResponses,
      },
    }),
    async (c) => {
      const plan = await goals.getPlanOrThrow(c.var.ctx, c.var.actor, c.req.valid("param").id);
      return c.json({ items: plan.keyResults }, 200);
    },
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/key-results/{id}",
      operationId: "getKeyResult",
      tags: ["key results"],
      summary: "A key result by its id (with its goalId)",
      request: { params: IdParam },
      responses: { 200: jsonResponse(KeyResultSchema, "The key result"), ...errorResponses },
    }),
    async (c) =>
      c.json(await goals.getKeyResultOrThrow(c.var.ctx, c.var.actor, c.req.valid("param").id), 200),
  );

  r.openapi(
    createRoute({
      method: "patch",
      path: "/key-results/{id}",
      operationId: "updateKeyResult",
      tags: ["key results"],
      summary: "Change a key result by its id (a new target needs a reason)",
      request: { params: IdParam, body: jsonBody(goals.KeyResultUpdateInput) },
      responses: { 200: jsonResponse(KeyResultSchema, "The key result"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await goals.updateKeyResult(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        200,
      ),
  );

  r.openapi(
    createRoute({
      method: "patch",
      path: "/goals/{id}/key-results/{childId}",
      operationId: "updateGoalKeyResult",
      tags: ["key results"],
      summary: "Change a key result (a new target needs a reason)",
      request: { params: GoalChildParam, body: jsonBody(goals.KeyResultUpdateInput) },
      responses: { 200: jsonResponse(KeyResultSchema, "The key result"), ...errorResponses },
    }),
    async (c) => {
      const { id, childId } = c.req.valid("param");
      const kr = await goals.getKeyResultOrThrow(c.var.ctx, c.var.actor, childId);
      if (kr.goalId !== id) throw notFound("key result", childId);
      return c.json(await goals.updateKeyResult(c.var.ctx, c.var.actor, childId, c.req.valid("json")), 200);
    },
  );

  // --- The goal page in one request (issue 15) ---
  r.openapi(
    createRoute({
      method: "get",
      path: "/goals/{id}/page",
      operationId: "getGoalPage",
      tags,
      summary:
        "Everything the goal page shows: plan, status, history, feedback on each check-in, the people named, the reader's delegations and what the reader may do",
      request: { params: IdParam },
      responses: { 200: jsonResponse(GoalPageSchema, "The goal page"), ...errorResponses },
    }),
    async (c) => c.json(await goalPage(c.var.ctx, c.var.actor, c.req.valid("param").id), 200),
  );

  return r;
}

/** The goal page's answer (src/app/evaluation/page.ts). */
const GoalPageSchema = z
  .object({
    plan: PlanSchema,
    status: GoalStatusSchema,
    history: z.array(ChangeSchema),
    feedback: z.array(
      z.object({
        checkinId: z.number().int(),
        comments: z.array(
          z.object({
            id: z.number().int(),
            authorId: z.number().int(),
            body: z.string(),
            createdAt: z.string(),
          }),
        ),
        kudos: z.array(z.number().int()).openapi({ description: "who gave kudos" }),
      }),
    ),
    people: z.array(z.object({ id: z.number().int(), name: z.string() })),
    delegations: z.array(DelegationSchema),
    allowed: z
      .object({
        edit: z.boolean(),
        checkIn: z.boolean(),
        delegate: z.boolean(),
        share: z.boolean(),
        comment: z.boolean(),
        kudos: z.boolean(),
        follow: z.boolean(),
        archive: z.boolean(),
        completeSteps: z.array(z.number().int()),
      })
      .openapi({ description: "what the reader may do, each decided by the policy" }),
    timeZone: z.string(),
  })
  .openapi("GoalPage");
