/** HTTP routes for goals, their key results and their change history. */
import { createRoute, z } from "@hono/zod-openapi";
import { notFound } from "../../app/errors.js";
import { goalPage } from "../../app/evaluation/page.js";
import * as goals from "../../app/plans/goals.js";
import { router } from "../env.js";
import { DelegationSchema } from "./collaboration.js";
import { GoalStatusSchema } from "./followthrough.js";
import {
  ChangeSchema,
  errorResponses,
  GoalChildParam,
  GoalSchema,
  GoalWithWarningsSchema,
  IdParam,
  jsonBody,
  jsonResponse,
  KeyResultSchema,
  PlanSchema,
  pageSchema,
} from "./schemas.js";

const tags = ["goals"];

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

  r.openapi(
    createRoute({
      method: "get",
      path: "/goals",
      operationId: "listGoals",
      tags,
      summary: "List goals (filter by status, owner, team, due before/after; cursor pagination)",
      request: { query: goals.GoalListQuery },
      responses: { 200: jsonResponse(pageSchema(GoalSchema), "A page of goals"), ...errorResponses },
    }),
    async (c) => c.json(await goals.listGoals(c.var.ctx, c.var.actor, c.req.valid("query")), 200),
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
