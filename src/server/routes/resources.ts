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

const RemovedResourceSchema = ResourceSchema.extend({
  removedAt: z.string().openapi({ description: "When it was removed; it no longer shows in the plan" }),
}).openapi("RemovedResource");
const RemovedBarrierSchema = BarrierSchema.extend({
  removedAt: z.string().openapi({ description: "When it was removed; it no longer shows in the plan" }),
}).openapi("RemovedBarrier");

/**
 * Registers /api/goals/{id}/resources and /api/goals/{id}/barriers, and /api/resources/{id} and
 * /api/barriers/{id} to change or remove one by its own id.
 */
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
        await resources.updateBarrier(c.var.ctx, c.var.actor, childId, c.req.valid("json"), id),
        200,
      );
    },
  );

  r.openapi(
    createRoute({
      method: "patch",
      path: "/barriers/{id}",
      operationId: "updateBarrierById",
      tags: ["barriers"],
      summary: "Change a barrier by its id (a reason, if given, goes to the goal's history)",
      request: { params: IdParam, body: jsonBody(resources.BarrierUpdateInput) },
      responses: { 200: jsonResponse(BarrierSchema, "The barrier"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await resources.updateBarrier(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        200,
      ),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/barriers/{id}/remove",
      operationId: "removeBarrier",
      tags: ["barriers"],
      summary: "Remove a barrier from its plan, with a reason (kept in the goal's history)",
      request: { params: IdParam, body: jsonBody(resources.RemoveInput) },
      responses: { 200: jsonResponse(RemovedBarrierSchema, "The removed barrier"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await resources.removeBarrier(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        200,
      ),
  );

  r.openapi(
    createRoute({
      method: "patch",
      path: "/resources/{id}",
      operationId: "updateResource",
      tags: ["resources"],
      summary: "Change a resource (a reason, if given, goes to the goal's history)",
      request: { params: IdParam, body: jsonBody(resources.ResourceUpdateInput) },
      responses: { 200: jsonResponse(ResourceSchema, "The resource"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await resources.updateResource(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        200,
      ),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/resources/{id}/remove",
      operationId: "removeResource",
      tags: ["resources"],
      summary: "Remove a resource from its plan, with a reason (kept in the goal's history)",
      request: { params: IdParam, body: jsonBody(resources.RemoveInput) },
      responses: { 200: jsonResponse(RemovedResourceSchema, "The removed resource"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await resources.removeResource(c.var.ctx, c.var.actor, c.req.valid("param").id, c.req.valid("json")),
        200,
      ),
  );

  return r;
}
