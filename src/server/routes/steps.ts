/** HTTP routes for steps. */
import { createRoute, z } from "@hono/zod-openapi";
import * as steps from "../../app/plans/steps.js";
import { router } from "../env.js";
import {
  errorResponses,
  IdParam,
  jsonBody,
  jsonResponse,
  pageSchema,
  StepSchema,
  StepWithWarningsSchema,
} from "./schemas.js";

const tags = ["steps"];

/** Registers /api/steps and /api/goals/{id}/steps. */
export function stepRoutes() {
  const r = router();

  r.openapi(
    createRoute({
      method: "post",
      path: "/goals/{id}/steps",
      operationId: "createStep",
      tags,
      summary: "Add a micro-step to a goal",
      request: { params: IdParam, body: jsonBody(steps.StepCreateInput) },
      responses: {
        201: jsonResponse(StepWithWarningsSchema, "The step, with the coach's warnings"),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(await steps.addStep(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")), 201),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/steps",
      operationId: "listSteps",
      tags,
      summary: "List steps (open ones unless all=true; filter by goal, owner, status, due)",
      request: { query: steps.StepListQuery },
      responses: { 200: jsonResponse(pageSchema(StepSchema), "A page of steps"), ...errorResponses },
    }),
    async (c) => c.json(await steps.listSteps(c.var.ctx, c.var.actor, c.req.valid("query")), 200),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/steps/{id}",
      operationId: "getStep",
      tags,
      summary: "A step",
      request: { params: IdParam },
      responses: { 200: jsonResponse(StepSchema, "The step"), ...errorResponses },
    }),
    async (c) => c.json(await steps.getStepOrThrow(c.var.ctx, c.var.actor, c.req.valid("param").id), 200),
  );

  r.openapi(
    createRoute({
      method: "patch",
      path: "/steps/{id}",
      operationId: "updateStep",
      tags,
      summary: "Change a step",
      request: { params: IdParam, body: jsonBody(steps.StepUpdateInput) },
      responses: {
        200: jsonResponse(StepWithWarningsSchema, "The step, with the coach's warnings"),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        await steps.updateStep(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        200,
      ),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/steps/{id}/done",
      operationId: "completeStep",
      tags,
      summary: "Mark a step done (today, or a past date to backfill)",
      request: { params: IdParam, body: jsonBody(steps.StepDoneInput) },
      responses: { 200: jsonResponse(StepSchema, "The step"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await steps.completeStep(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        200,
      ),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/week",
      operationId: "getWeek",
      tags,
      summary: "My week: open steps due by Sunday, overdue included",
      request: { query: z.object({ asOf: z.string().optional() }) },
      responses: {
        200: jsonResponse(
          z.object({
            from: z.string(),
            to: z.string(),
            steps: z.array(StepSchema),
            prompt: z.string().nullable(),
          }),
          "My week",
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await steps.myWeek(c.var.ctx, c.var.actor, c.req.valid("query").asOf), 200),
  );

  return r;
}
