/** HTTP routes for a goal's resources and barriers. */
import { createRoute, z } from "@hono/zod-openapi";
import * as resources from "../../app/plans/resources.js";
import { router } from "../env.js";
import {
  BarrierSchema,
  errorResponses,
  GoalChildParam,
  IdParam,
  jsonBody,
  jsonResponse,
  ResourceSchema,
} from "./schemas.js";

/** Registers /api/goals/{id}/resources and /api/goals/{id}/barriers. */
export function resourceRoutes() {
  const r = router();

  r.openapi(
    createRoute({
      method: "post",
      path: "/goals/{id}/resources",
      operationId: "createResource",
      tags: ["resources"],
      summary: "Add a person, tool, system or playbook that helps",
      request: { params: IdParam, body: jsonBody(resources.ResourceCreateInput) },
      responses: { 201: jsonResponse(ResourceSchema, "The resource"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await resources.addResource(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        201,
      ),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/goals/{id}/resources",
      operationId: "listResources",
      tags: ["resources"],
      summary: "Resources of a goal",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(z.object({ items: z.array(ResourceSchema) }), "Resources"),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json({ items: await resources.listResources(c.var.ctx, c.var.actor, c.req.valid("param").id) }, 200),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/goals/{id}/barriers",
      operationId: "createBarrier",
      tags: ["barriers"],
      summary: "Add an anticipated obstacle with its Plan B (if-then)",
      request: { params: IdParam, body: jsonBody(resources.BarrierCreateInput) },
      responses: { 201: jsonResponse(BarrierSchema, "The barrier"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await resources.addBarrier(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        201,
      ),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/goals/{id}/barriers",
      operationId: "listBarriers",
      tags: ["barriers"],
      summary: "Barriers of a goal",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(z.object({ items: z.array(BarrierSchema) }), "Barriers"),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json({ items: await resources.listBarriers(c.var.ctx, c.var.actor, c.req.valid("param").id) }, 200),
  );

  r.openapi(
    createRoute({
      method: "patch",
      path: "/goals/{id}/barriers/{childId}",
      operationId: "updateBarrier",
      tags: ["barriers"],
      summary: "Change a barrier",
      request: { params: GoalChildParam, body: jsonBody(resources.BarrierUpdateInput) },
      responses: { 200: jsonResponse(BarrierSchema, "The barrier"), ...errorResponses },
    }),
    async (c) => {
      const { id, childId } = c.req.valid("param");
      return c.json(
        await resources.updateBarrier(c.var.ctx, c.var.actor, id, childId, c.req.valid("json")),
        200,
      );
    },
  );

  return r;
}
